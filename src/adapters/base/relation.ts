import { splitArgs } from '../../jinja/kwargs.js';
import { PY_MAPPING } from '../../jinja/python/types.js';

export type RelationType = 'table' | 'view' | 'cte' | 'materialized_view' | 'external' | 'ephemeral' | null;

export interface QuotePolicy {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

export interface RelationSpec {
  database?: string | null;
  schema?: string | null;
  identifier?: string | null;
  type?: RelationType;
}

/**
 * A database relation as macros see it (dbt's BaseRelation): rendered by
 * `{{ relation }}` with the adapter's quoting, with dbt's methods
 * (`include`, `incorporate`, `quote`, `is_table`...). Methods take Jinja call
 * arguments (positional + kwargs), so they can be called from templates.
 *
 * Like dbt's relation (a dataclass that is also a Mapping) it passes
 * `is mapping`, answers `relation['schema']` and `relation.get('schema')`,
 * and `relation.get('metadata')` is `{'type': '<Class>Relation'}`: packages
 * (dbt_utils' `_is_relation`) use that to tell a relation from a string.
 */
export class Relation {
  readonly [PY_MAPPING] = true;
  readonly database: string | null;
  readonly schema: string | null;
  readonly identifier: string | null;
  readonly type: RelationType;
  readonly quote_policy: QuotePolicy;
  readonly include_policy: QuotePolicy;
  /** The quote character of the adapter. */
  readonly quoteChar: string;
  /** Filled for relations built from a node (this, ref): the node's unique id. */
  readonly node_id?: string;

  constructor(spec: RelationSpec, quotePolicy: QuotePolicy, quoteChar = '"', includePolicy?: QuotePolicy, nodeId?: string) {
    this.database = spec.database ?? null;
    this.schema = spec.schema ?? null;
    this.identifier = spec.identifier ?? null;
    this.type = spec.type ?? null;
    this.quote_policy = quotePolicy;
    this.quoteChar = quoteChar;
    this.include_policy = includePolicy ?? { database: true, schema: true, identifier: true };
    this.node_id = nodeId;
  }

  get name(): string | null {
    return this.identifier;
  }
  get table(): string | null {
    return this.identifier;
  }
  get is_table(): boolean {
    return this.type === 'table';
  }
  get is_view(): boolean {
    return this.type === 'view';
  }
  get is_cte(): boolean {
    return this.type === 'cte';
  }
  get is_materialized_view(): boolean {
    return this.type === 'materialized_view';
  }
  get path(): { database: string | null; schema: string | null; identifier: string | null } {
    return { database: this.database, schema: this.schema, identifier: this.identifier };
  }

  private with(spec: RelationSpec, quote = this.quote_policy, include = this.include_policy): Relation {
    return new Relation(
      { database: this.database, schema: this.schema, identifier: this.identifier, type: this.type, ...spec },
      quote,
      this.quoteChar,
      include,
      this.node_id,
    );
  }

  /** `relation.include(database=False)` → a copy leaving out the named parts when rendered. */
  include = (...raw: unknown[]): Relation => {
    const { args, kwargs } = splitArgs(raw);
    const [database, schema, identifier] = args as (boolean | undefined)[];
    return this.with({}, this.quote_policy, {
      database: asBool(kwargs.database ?? database, this.include_policy.database),
      schema: asBool(kwargs.schema ?? schema, this.include_policy.schema),
      identifier: asBool(kwargs.identifier ?? identifier, this.include_policy.identifier),
    });
  };

  /** `relation.quote(identifier=False)`. */
  quote = (...raw: unknown[]): Relation => {
    const { args, kwargs } = splitArgs(raw);
    const [database, schema, identifier] = args as (boolean | undefined)[];
    return this.with({}, {
      database: asBool(kwargs.database ?? database, this.quote_policy.database),
      schema: asBool(kwargs.schema ?? schema, this.quote_policy.schema),
      identifier: asBool(kwargs.identifier ?? identifier, this.quote_policy.identifier),
    });
  };

  /** `relation.incorporate(path={'identifier': 'x'}, type='view')`. */
  incorporate = (...raw: unknown[]): Relation => {
    const { kwargs } = splitArgs(raw);
    const path = (kwargs.path ?? {}) as RelationSpec;
    const spec: RelationSpec = {};
    if (path.database !== undefined) spec.database = path.database;
    if (path.schema !== undefined) spec.schema = path.schema;
    if (path.identifier !== undefined) spec.identifier = path.identifier;
    if (kwargs.type !== undefined) spec.type = kwargs.type as RelationType;
    return this.with(spec);
  };

  /** `relation.replace_path(identifier='x')`. */
  replace_path = (...raw: unknown[]): Relation => {
    const { kwargs } = splitArgs(raw);
    return this.with(kwargs as RelationSpec);
  };

  /** The class name `get('metadata')` reports; adapters' relations end in 'Relation' as dbt's do. */
  get relationClass(): string {
    return 'BaseRelation';
  }

  /** Python's `relation[key]`: a field or property by name; undefined (a KeyError) otherwise. */
  __getitem__(key: unknown): unknown {
    if (key === 'quote_character') return this.quoteChar;
    if (typeof key !== 'string' || !RELATION_KEYS.has(key)) return undefined;
    return (this as unknown as Record<string, unknown>)[key];
  }

  /** Mapping's `get(key, default=None)`; `metadata` describes the class, as dbt's override does. */
  get = (...raw: unknown[]): unknown => {
    const { args, kwargs } = splitArgs(raw);
    const key = args[0] ?? kwargs.key;
    const fallback = args.length > 1 ? args[1] : (kwargs.default ?? null);
    if (key === 'metadata') return { type: this.relationClass };
    const v = this.__getitem__(key);
    return v === undefined ? fallback : v;
  };

  render = (): string => {
    const parts: string[] = [];
    const add = (value: string | null, include: boolean, quote: boolean) => {
      if (!include || value === null || value === '') return;
      parts.push(quote ? this.quoteChar + value.split(this.quoteChar).join(this.quoteChar + this.quoteChar) + this.quoteChar : value);
    };
    add(this.database, this.include_policy.database, this.quote_policy.database);
    add(this.schema, this.include_policy.schema, this.quote_policy.schema);
    add(this.identifier, this.include_policy.identifier, this.quote_policy.identifier);
    return parts.join('.');
  };

  toString(): string {
    return this.render();
  }

  /** Same database object, ignoring quoting and case where the adapter folds case. */
  matches(other: RelationSpec, fold: (s: string) => string = (s) => s): boolean {
    const eq = (a: string | null | undefined, b: string | null | undefined) =>
      a === undefined || a === null || b === undefined || b === null ? true : fold(a) === fold(b);
    return eq(this.database, other.database) && eq(this.schema, other.schema) && eq(this.identifier, other.identifier);
  }
}

/** What `relation[key]` and `relation.get(key)` may read: dbt's relation fields and properties. */
const RELATION_KEYS = new Set([
  'path', 'type', 'database', 'schema', 'identifier', 'name', 'table', 'quote_policy', 'include_policy',
  'is_table', 'is_view', 'is_cte', 'is_materialized_view',
]);

function asBool(v: unknown, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : Boolean(v);
}
