import { TsdbtError } from '../../errors/tsdbt-error.js';
import { exposeMembers, pyFunction } from '../../jinja/index.js';
import { splitArgs } from '../../jinja/kwargs.js';
import { PY_MAPPING } from '../../jinja/python/types.js';
import { Policy } from './policy.js';

export type RelationType = 'table' | 'view' | 'cte' | 'materialized_view' | 'external' | 'ephemeral' | 'pointer_table' | 'function' | null;

export interface QuotePolicy {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

/** dbt's EventTimeFilter: a ref or source read for one window of time (microbatch). */
export interface EventTimeFilter {
  field_name: string;
  start?: string | null;
  end?: string | null;
}

export interface RelationSpec {
  database?: string | null;
  schema?: string | null;
  identifier?: string | null;
  type?: RelationType;
  /** `--empty` (0) or a sample size: the relation renders as a limited subquery. */
  limit?: number | null;
  /** Rows of a window only: the relation renders as a filtered subquery (inside the limit's). */
  event_time_filter?: EventTimeFilter | null;
  /** Files read as a relation (dbt-duckdb's `external`): rendered instead of the path, e.g. `read_parquet('…')`. */
  external?: string | null;
}

/** What differs between adapters' relation classes (DuckDBRelation, SnowflakeRelation). */
export interface RelationFlavor {
  /** The class name (`relation.get('metadata')`, repr). */
  className: string;
  /** A limited or filtered subquery gets an alias `_dbt_limit_subq_<name>` (dbt's require_alias; DuckDB and Snowflake: no alias, so the SQL's own alias works). */
  requireAlias: boolean;
  /** The class's own quote policy (`api.Relation.get_default_quote_policy()`): every part quoted when absent, as BaseRelation's. */
  defaultQuotePolicy?: QuotePolicy;
  /** The name its quote policy's class prints (`SnowflakeQuotePolicy`); `Policy` when absent. */
  quotePolicyClass?: string;
}

export const BASE_RELATION: RelationFlavor = { className: 'BaseRelation', requireAlias: true };

const EVERY_PART: QuotePolicy = { database: true, schema: true, identifier: true };

/** dbt's RelationType values, as `api.Relation.Table` etc. give them. */
export const RELATION_TYPES = {
  Table: 'table',
  View: 'view',
  CTE: 'cte',
  MaterializedView: 'materialized_view',
  External: 'external',
  Ephemeral: 'ephemeral',
  PointerTable: 'pointer_table',
  Function: 'function',
} as const;

type Part = 'database' | 'schema' | 'identifier';
const NONE: readonly string[] = Object.freeze([]);
const PARTS: Part[] = ['database', 'schema', 'identifier'];

/**
 * A database relation as macros see it (dbt's BaseRelation): rendered by
 * `{{ relation }}` with the adapter's quoting, with dbt's methods
 * (`include`, `incorporate`, `quote`, `without_identifier`, `matches`,
 * `information_schema`...). Methods take Jinja call arguments (positional +
 * kwargs), so they can be called from templates. Immutable: every method
 * returns a new relation.
 *
 * Like dbt's relation (a dataclass that is also a Mapping) it passes
 * `is mapping`, answers `relation['schema']` and `relation.get('schema')`,
 * and `relation.get('metadata')` is `{'type': '<Class>Relation'}`: packages
 * (dbt_utils' `_is_relation`) use that to tell a relation from a string.
 *
 * Equality and hashing: two relations are equal (`==`, `in`) when their
 * paths are; `__pyKey__()` is the same string for equal relations, for the
 * Jinja layer's dicts and sets to key a relation by (dbt hashes the path).
 */
export class Relation {
  readonly [PY_MAPPING] = true;
  readonly database: string | null;
  readonly schema: string | null;
  readonly identifier: string | null;
  readonly type: RelationType;
  readonly quote_policy: QuotePolicy;
  readonly include_policy: QuotePolicy;
  readonly limit: number | null;
  readonly event_time_filter: EventTimeFilter | null;
  readonly external: string | null;
  /** The quote character of the adapter. */
  readonly quoteChar: string;
  /** Filled for relations built from a node (this, ref): the node's unique id. */
  readonly node_id?: string;
  readonly flavor: RelationFlavor;

  constructor(spec: RelationSpec, quotePolicy: QuotePolicy, quoteChar = '"', includePolicy?: QuotePolicy, nodeId?: string, flavor: RelationFlavor = BASE_RELATION) {
    this.database = spec.database ?? null;
    this.schema = spec.schema ?? null;
    this.identifier = spec.identifier ?? null;
    this.type = spec.type ?? null;
    this.limit = spec.limit ?? null;
    this.event_time_filter = spec.event_time_filter ?? null;
    this.external = spec.external ?? null;
    this.quote_policy = quotePolicy;
    this.quoteChar = quoteChar;
    this.include_policy = includePolicy ?? { database: true, schema: true, identifier: true };
    this.node_id = nodeId;
    this.flavor = flavor;
  }

  get name(): string | null {
    return this.identifier;
  }
  get table(): string | null {
    return this.identifier;
  }
  get dbt_created(): boolean {
    return false;
  }
  get catalog(): null {
    return null;
  }
  /** Relation types the adapter swaps by rename / by create-or-replace (none declared here). */
  get renameable_relations(): readonly string[] {
    return NONE;
  }
  get replaceable_relations(): readonly string[] {
    return NONE;
  }
  get quote_character(): string {
    return this.quoteChar;
  }
  get require_alias(): boolean {
    return this.flavor.requireAlias;
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
  get is_pointer(): boolean {
    return this.type === 'pointer_table';
  }
  get is_function(): boolean {
    return this.type === 'function';
  }
  get can_be_renamed(): boolean {
    return this.type !== null && this.renameable_relations.includes(this.type);
  }
  get can_be_replaced(): boolean {
    return this.type !== null && this.replaceable_relations.includes(this.type);
  }
  get path(): { database: string | null; schema: string | null; identifier: string | null } {
    return { database: this.database, schema: this.schema, identifier: this.identifier };
  }
  // dbt's class properties, reachable from an instance too (`this.View`).
  get Table(): string {
    return RELATION_TYPES.Table;
  }
  get View(): string {
    return RELATION_TYPES.View;
  }
  get CTE(): string {
    return RELATION_TYPES.CTE;
  }
  get MaterializedView(): string {
    return RELATION_TYPES.MaterializedView;
  }
  get External(): string {
    return RELATION_TYPES.External;
  }
  get PointerTable(): string {
    return RELATION_TYPES.PointerTable;
  }
  get Function(): string {
    return RELATION_TYPES.Function;
  }

  /** The class name `get('metadata')` and repr report: DuckDBRelation, SnowflakeRelation... */
  get relationClass(): string {
    return this.flavor.className;
  }

  /** A copy with some fields changed; subclasses (InformationSchema) keep their kind. */
  protected copy(spec: RelationSpec, quote: QuotePolicy, include: QuotePolicy): Relation {
    return new Relation(spec, quote, this.quoteChar, include, this.node_id, this.flavor);
  }

  private with(spec: RelationSpec, quote = this.quote_policy, include = this.include_policy): Relation {
    const current: RelationSpec = {
      database: this.database,
      schema: this.schema,
      identifier: this.identifier,
      type: this.type,
      limit: this.limit,
      event_time_filter: this.event_time_filter,
      external: this.external,
    };
    return this.copy({ ...current, ...spec }, quote, include);
  }

  /** `relation.include(database=False)`: a copy leaving out the named parts when rendered. */
  include(...raw: unknown[]): Relation {
    return this.with({}, this.quote_policy, policyFrom(raw, this.include_policy));
  }

  /** `relation.quote(identifier=False)`. */
  quote(...raw: unknown[]): Relation {
    return this.with({}, policyFrom(raw, this.quote_policy));
  }

  /**
   * `relation.incorporate(path={'identifier': 'x'}, type='view')`: dbt merges
   * the keyword arguments into the relation's fields (path, type,
   * quote_policy, include_policy, limit, event_time_filter).
   */
  incorporate(...raw: unknown[]): Relation {
    const { kwargs } = splitArgs(raw);
    const spec: RelationSpec = {};
    const path = (kwargs.path ?? {}) as Record<string, unknown>;
    for (const part of PARTS) if (path[part] !== undefined) spec[part] = path[part] as string | null;
    if (kwargs.type !== undefined) spec.type = kwargs.type as RelationType;
    if (kwargs.limit !== undefined) spec.limit = kwargs.limit as number | null;
    if (kwargs.event_time_filter !== undefined) spec.event_time_filter = kwargs.event_time_filter as EventTimeFilter | null;
    return this.with(spec, mergePolicy(this.quote_policy, kwargs.quote_policy), mergePolicy(this.include_policy, kwargs.include_policy));
  }

  /** `relation.replace_path(identifier='x')`. */
  replace_path(...raw: unknown[]): Relation {
    const { kwargs } = splitArgs(raw);
    const spec: RelationSpec = {};
    for (const part of PARTS) if (kwargs[part] !== undefined) spec[part] = kwargs[part] as string | null;
    return this.with(spec);
  }

  /** The database and schema only (dbt: `include(identifier=False).replace_path(identifier=None)`), e.g. for `create schema`. */
  without_identifier(): Relation {
    return this.with({ identifier: null }, this.quote_policy, { ...this.include_policy, identifier: false });
  }

  /**
   * `relation.information_schema('tables')`: the database's information
   * schema as dbt addresses it (`"db".INFORMATION_SCHEMA.tables`), a view
   * relation whose schema is left out.
   */
  information_schema(...raw: unknown[]): Relation {
    const { args, kwargs } = splitArgs(raw);
    const view = kwargs.view_name ?? args[0];
    return new InformationSchemaRelation(this, typeof view === 'string' ? view : null);
  }

  /** The information schema with no view: what a relation's database is searched through. */
  information_schema_only(): Relation {
    return this.information_schema();
  }

  /**
   * `relation.matches(database=, schema=, identifier=)`: true when every
   * given part equals this relation's. A part that differs only in case or
   * quotes is dbt's ApproximateMatchError, not a silent false.
   */
  matches(...raw: unknown[]): boolean {
    const { args, kwargs } = splitArgs(raw);
    const search: [Part, string][] = [];
    PARTS.forEach((part, i) => {
      const v = kwargs[part] ?? args[i];
      if (v !== undefined && v !== null) search.push([part, String(v)]);
    });
    if (search.length === 0) throw new TsdbtError('COMPILER_ERROR', 'Tried to match relation, but no search path was passed!', { hint: 'Pass database=, schema= or identifier= to relation.matches().' });
    const strip = (v: string) => v.toLowerCase().split(this.quoteChar).join('');
    let exact = true;
    let approximate = true;
    for (const [part, value] of search) {
      const mine = this[part];
      if (mine !== value) exact = false;
      if (mine === null || strip(mine) !== strip(value)) approximate = false;
    }
    if (approximate && !exact) {
      const given = Object.fromEntries(search) as RelationSpec;
      const searched = this.with({ database: given.database ?? null, schema: given.schema ?? null, identifier: given.identifier ?? null });
      throw new TsdbtError(
        'COMPILER_ERROR',
        `When searching for a relation, dbt found an approximate match. Instead of guessing which relation to use, dbt will move on. Please delete ${this.render()}, or rename it to be less ambiguous.\nSearched for: ${searched.render()}\nFound: ${this.render()}`,
        { hint: 'Names differ only in case or quoting: rename one of them.' },
      );
    }
    return exact;
  }

  /** A name in the adapter's quotes (no escaping, as dbt's `quoted`). */
  quoted(...raw: unknown[]): string {
    const { args, kwargs } = splitArgs(raw);
    return `${this.quoteChar}${String(kwargs.identifier ?? args[0])}${this.quoteChar}`;
  }

  /** `api.Relation.create(...)` reached from an instance (a classmethod in dbt): same adapter, same class. */
  create(...raw: unknown[]): Relation {
    const { args, kwargs } = splitArgs(raw);
    return createRelation(withPositional(args, kwargs), this.quote_policy, this.quoteChar, this.flavor);
  }

  /** Python's `relation[key]`: a field or property by name; undefined (a KeyError) otherwise. */
  __getitem__(key: unknown): unknown {
    if (typeof key !== 'string' || !RELATION_KEYS.has(key)) return undefined;
    return (this as unknown as Record<string, unknown>)[key];
  }

  /** Mapping's `get(key, default=None)`; `metadata` describes the class, as dbt's override does. */
  get(...raw: unknown[]): unknown {
    const { args, kwargs } = splitArgs(raw);
    const key = args[0] ?? kwargs.key;
    const fallback = args.length > 1 ? args[1] : (kwargs.default ?? null);
    if (key === 'metadata') return { type: this.relationClass };
    const v = this.__getitem__(key);
    return v === undefined ? fallback : v;
  }

  /** dbt's `to_dict()`: the dataclass fields. */
  to_dict(): Record<string, unknown> {
    return {
    path: this.path,
    type: this.type,
    quote_character: this.quoteChar,
    include_policy: { ...this.include_policy },
    quote_policy: { ...this.quote_policy },
    dbt_created: this.dbt_created,
    limit: this.limit,
    event_time_filter: this.event_time_filter,
    require_alias: this.require_alias,
    catalog: this.catalog,
    };
  }

  /** The path alone, with the include and quote policies: what `.render()` gives in dbt (never the limited subquery); a file reader for an external relation. */
  render(): string {
    if (this.external !== null) return this.external;
    const parts: string[] = [];
    for (const part of PARTS) {
      const value = this[part];
      if (!this.include_policy[part] || value === null || value === '') continue;
      parts.push(this.quote_policy[part] ? this.quoteChar + value.split(this.quoteChar).join(this.quoteChar + this.quoteChar) + this.quoteChar : value);
    }
    return parts.join('.');
  }

  private alias(namespace: string): string {
    return this.require_alias ? ` _dbt_${namespace}_subq_${this.identifier ?? ''}` : '';
  }

  /** With a limit: `(select * from <path> where false limit 0)`, aliased only where the adapter requires it. */
  render_limited(): string {
    const rendered = this.render();
    if (this.limit === null) return rendered;
    const body = this.limit === 0 ? `select * from ${rendered} where false limit 0` : `select * from ${rendered} limit ${this.limit}`;
    return `(${body})${this.alias('limit')}`;
  }

  /** With an event-time filter: `(select * from <rendered> where <field> >= 'start' and <field> < 'end')`. */
  render_event_time_filtered(...raw: unknown[]): string {
    const { args, kwargs } = splitArgs(raw);
    const rendered = String(kwargs.rendered ?? args[0] ?? this.render());
    const f = this.event_time_filter;
    if (!f) return rendered;
    const conditions = [f.start ? `${f.field_name} >= '${String(f.start)}'` : '', f.end ? `${f.field_name} < '${String(f.end)}'` : ''].filter(Boolean);
    if (conditions.length === 0) return rendered;
    return `(select * from ${rendered} where ${conditions.join(' and ')})${this.alias('et_filter')}`;
  }

  /** `{{ relation }}` (dbt's `__str__`): the path, or the limited / filtered subquery when the relation has one. */
  toString(): string {
    if (this.is_function) return this.render();
    const rendered = this.limit === null ? this.render() : this.render_limited();
    return this.event_time_filter ? this.render_event_time_filtered(rendered) : rendered;
  }

  __str__(): string {
    return this.toString();
  }

  __repr__(): string {
    return `<${this.relationClass} ${this.render()}>`;
  }

  /** `==`: the same path (database, schema and identifier). */
  __eq__(other: unknown): boolean {
    return other instanceof Relation && PARTS.every((p) => this[p] === other[p]);
  }

  /** The key a dict or set files this relation under: equal for equal relations. */
  __pyKey__(): string {
    return `Relation:${JSON.stringify(PARTS.map((p) => this[p]))}`;
  }
}

/**
 * dbt's InformationSchema relation: `<database>.INFORMATION_SCHEMA[.<view>]`
 * (the schema left out, the identifier unquoted).
 */
class InformationSchemaRelation extends Relation {
  constructor(
    of: Relation,
    readonly information_schema_view: string | null,
    spec?: RelationSpec,
    quote?: QuotePolicy,
    include?: QuotePolicy,
  ) {
    super(
      spec ?? { database: of.database, schema: of.schema, identifier: 'INFORMATION_SCHEMA', type: 'view' },
      quote ?? { ...of.quote_policy, identifier: false },
      of.quoteChar,
      include ?? { database: of.database !== null, schema: false, identifier: true },
      undefined,
      { ...of.flavor, className: 'InformationSchema' },
    );
  }

  protected override copy(spec: RelationSpec, quote: QuotePolicy, include: QuotePolicy): Relation {
    return new InformationSchemaRelation(this, this.information_schema_view, spec, quote, include);
  }

  override render(): string {
    const base = new Relation(this.path, this.quote_policy, this.quoteChar, this.include_policy).render();
    return this.information_schema_view ? `${base}.${this.information_schema_view}` : base;
  }
}

/** dbt's `create(database, schema, identifier, type, **kwargs)`: positional arguments as their keywords. */
function withPositional(args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...kwargs };
  ['database', 'schema', 'identifier', 'type'].forEach((k, i) => {
    if (i < args.length && out[k] === undefined) out[k] = args[i];
  });
  return out;
}

/** `api.Relation.create(database=, schema=, identifier=, type=, quote_policy=, include_policy=, limit=)`. */
export function createRelation(kwargs: Record<string, unknown>, quotePolicy: QuotePolicy, quoteChar: string, flavor: RelationFlavor): Relation {
  const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
  return new Relation(
    {
      database: str(kwargs.database),
      schema: str(kwargs.schema),
      identifier: str(kwargs.identifier),
      type: (kwargs.type ?? null) as RelationType,
      limit: (kwargs.limit ?? null) as number | null,
      event_time_filter: (kwargs.event_time_filter ?? null) as EventTimeFilter | null,
    },
    mergePolicy(quotePolicy, kwargs.quote_policy),
    quoteChar,
    mergePolicy({ database: true, schema: true, identifier: true }, kwargs.include_policy),
    undefined,
    flavor,
  );
}

/**
 * `api.Relation` / `adapter.Relation` in templates: dbt's relation class
 * methods (`create`, `create_from`, `add_ephemeral_prefix`, `scd_args`) and
 * class properties (`Table`, `View`, ..., `get_relation_type`).
 */
export function relationApi(defaults: { database: string | null; schema: string }, quotePolicy: QuotePolicy, quoteChar: string, flavor: RelationFlavor): Record<string, unknown> {
  return {
    ...RELATION_TYPES,
    get_relation_type: { ...RELATION_TYPES },
    create: pyFunction((args, kwargs) => createRelation(withPositional(args, kwargs), quotePolicy, quoteChar, flavor)),
    /**
     * `create_from(quoting, relation_config, **kwargs)`: the relation of a node
     * (a model dict, `model`, or anything with database/schema/alias or
     * identifier); quoting from the node's `quoting`, then `quote_policy=`.
     */
    create_from: pyFunction((args, kwargs) => {
      const node = (kwargs.relation_config ?? args[1] ?? {}) as Record<string, unknown>;
      const field = (k: string) => (typeof (node as { get?: unknown }).get === 'function' && !(k in node) ? (node as { get: (k: string) => unknown }).get(k) : node[k]);
      const nodeQuoting = (field('quoting') ?? (field('config') as Record<string, unknown> | undefined)?.quoting ?? {}) as Record<string, unknown>;
      const merged = mergePolicy(mergePolicy(quotePolicy, nodeQuoting), kwargs.quote_policy);
      const { relation_config: _r, quoting: _q, quote_policy: _p, ...rest } = kwargs;
      return createRelation(
        {
          ...rest,
          database: field('database') ?? defaults.database,
          schema: field('schema') ?? defaults.schema,
          identifier: field('identifier') ?? field('alias') ?? field('name'),
        },
        merged,
        quoteChar,
        flavor,
      );
    }),
    add_ephemeral_prefix: pyFunction(([name]) => `__dbt__cte__${String(name)}`),
    get_default_quote_policy: pyFunction(() => new Policy(flavor.defaultQuotePolicy ?? EVERY_PART, flavor.quotePolicyClass)),
    get_default_include_policy: pyFunction(() => new Policy(EVERY_PART)),
    scd_args: pyFunction((args, kwargs) => {
      const key = kwargs.primary_key ?? args[0];
      return [...(Array.isArray(key) ? key : [key]), kwargs.updated_at ?? args[1]];
    }),
  }
}

/**
 * What templates may read on a relation: dbt's documented BaseRelation
 * members (fields, properties, methods, class constants) and dbt-duckdb's
 * `external`. Anything else it carries (`flavor`, `quoteChar`, `node_id`,
 * `copy`...) is a SecurityError from a template.
 */
export const RELATION_MEMBERS: readonly string[] = [
  'database', 'schema', 'identifier', 'type', 'quote_policy', 'include_policy', 'limit', 'event_time_filter', 'external',
  'name', 'table', 'dbt_created', 'catalog', 'renameable_relations', 'replaceable_relations', 'quote_character', 'require_alias',
  'is_table', 'is_view', 'is_cte', 'is_materialized_view', 'is_pointer', 'is_function', 'can_be_renamed', 'can_be_replaced', 'path',
  'Table', 'View', 'CTE', 'MaterializedView', 'External', 'PointerTable', 'Function',
  'include', 'quote', 'incorporate', 'replace_path', 'without_identifier', 'information_schema', 'information_schema_only',
  'matches', 'quoted', 'create', 'get', 'to_dict', 'render', 'render_limited', 'render_event_time_filtered',
];
exposeMembers(Relation, RELATION_MEMBERS);
exposeMembers(InformationSchemaRelation, [...RELATION_MEMBERS, 'information_schema_view']);

/** A policy with the parts a dict (or kwargs) names replaced. */
function mergePolicy(base: QuotePolicy, given: unknown): QuotePolicy {
  if (given === undefined || given === null || typeof given !== 'object') return base;
  const g = given as Record<string, unknown>;
  return {
    database: asBool(g.database, base.database),
    schema: asBool(g.schema, base.schema),
    identifier: asBool(g.identifier, base.identifier),
  }
}

/** `include(...)` / `quote(...)` arguments: positional (database, schema, identifier) or keywords; None keeps the part as it is. */
function policyFrom(raw: unknown[], base: QuotePolicy): QuotePolicy {
  const { args, kwargs } = splitArgs(raw);
  const [database, schema, identifier] = args;
  return mergePolicy(base, { database: kwargs.database ?? database, schema: kwargs.schema ?? schema, identifier: kwargs.identifier ?? identifier });
}

/** What `relation[key]` and `relation.get(key)` may read: dbt's relation fields and properties. */
const RELATION_KEYS = new Set([
  'path', 'type', 'database', 'schema', 'identifier', 'name', 'table', 'quote_policy', 'include_policy', 'quote_character',
  'is_table', 'is_view', 'is_cte', 'is_materialized_view', 'limit', 'event_time_filter', 'require_alias', 'dbt_created', 'catalog', 'external',
]);

function asBool(v: unknown, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : Boolean(v);
}
