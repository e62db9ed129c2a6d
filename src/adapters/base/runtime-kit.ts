import type { RuntimeKit } from '../../context/runtime-kit.js';
import type { AdapterInfo } from './adapter-info.js';
import { jinjaAdapter } from './jinja-adapter.js';
import { Relation } from './relation.js';
import { ResultTable } from './result-table.js';
import { loadSeedTable } from './seed-csv.js';

const NO_QUOTES = { database: false, schema: false, identifier: false };

/** The RuntimeKit of an adapter: its relations, its Jinja `adapter`, result tables. */
export function createRuntimeKit(info: AdapterInfo): RuntimeKit {
  return {
    info,
    jinjaAdapter,
    relation: (spec, nodeId) => new Relation(spec, info.quotePolicy, info.quoteChar, undefined, nodeId, info.relationFlavor),
    cteRelation: (name, nodeId) => new Relation({ identifier: name, type: 'cte' }, NO_QUOTES, info.quoteChar, undefined, nodeId, info.relationFlavor),
    // `--empty`: a ref or source renders as an always-empty subquery with the same columns (dbt's limit=0).
    emptyRelation: (inner) => inner.incorporate({ limit: 0, __keywords: true }) as Relation,
    // A microbatch batch: the relation filtered to the batch window (dbt's event_time_filter).
    eventTimeRelation: (inner, field, start, end) => inner.incorporate({ event_time_filter: { field_name: field, start, end }, __keywords: true }) as Relation,
    emptyTable: () => ResultTable.empty(),
    loadSeedTable,
  };
}
