import type { RuntimeKit } from '../../context/runtime-kit.js';
import type { AdapterInfo } from './adapter-info.js';
import { jinjaAdapter } from './jinja-adapter.js';
import { Relation } from './relation.js';
import { ResultTable } from './result-table.js';
import { loadSeedTable } from './seed-csv.js';

/** `--empty`: a ref or source renders as an always-empty subquery with the same columns. */
class EmptyRelation extends Relation {
  constructor(inner: Relation, alias: string) {
    super({ database: inner.database, schema: inner.schema, identifier: inner.identifier, type: inner.type }, inner.quote_policy, inner.quoteChar, inner.include_policy, inner.node_id);
    const text = `(select * from ${inner.render()} where false limit 0) _dbt_limit_subq_${alias}`;
    this.render = () => text;
  }
}

/** A microbatch batch reading an upstream with `event_time`: the relation filtered to the batch window, aliased as dbt does. */
class EventTimeRelation extends Relation {
  constructor(inner: Relation, field: string, start: string, end: string) {
    super({ database: inner.database, schema: inner.schema, identifier: inner.identifier, type: inner.type }, inner.quote_policy, inner.quoteChar, inner.include_policy, inner.node_id);
    const text = `(select * from ${inner.render()} where ${field} >= '${start}' and ${field} < '${end}') _dbt_et_filter_subq_${inner.identifier ?? ''}`;
    this.render = () => text;
  }
}

const NO_QUOTES = { database: false, schema: false, identifier: false };

/** The RuntimeKit of an adapter: its relations, its Jinja `adapter`, result tables. */
export function createRuntimeKit(info: AdapterInfo): RuntimeKit {
  return {
    info,
    jinjaAdapter,
    relation: (spec, nodeId) => new Relation(spec, info.quotePolicy, info.quoteChar, undefined, nodeId),
    cteRelation: (name, nodeId) => new Relation({ identifier: name, type: 'cte' }, NO_QUOTES, info.quoteChar, undefined, nodeId),
    emptyRelation: (inner, alias) => new EmptyRelation(inner, alias),
    eventTimeRelation: (inner, field, start, end) => new EventTimeRelation(inner, field, start, end),
    emptyTable: () => ResultTable.empty(),
    loadSeedTable,
  };
}
