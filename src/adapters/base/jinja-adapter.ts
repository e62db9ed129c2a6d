import { TsdbtError } from '../../errors/tsdbt-error.js';
import { callJinja, pyFunction, type JinjaCallable } from '../../jinja/index.js';
import { fastPaths } from '../../util/fast-paths.js';
import { Column } from './column.js';
import { checkExternalLocation } from './external-location.js';
import { incrementalStrategyMacro } from './incremental-strategy.js';
import { renderColumnsConstraints, renderModelConstraints, type ConstraintRenderer, type ContractColumnSpec } from './contract-constraints.js';
import { columnTypeMissingError, contractColumns, contractError } from '../../errors/contract-error.js';
import type { DatabaseSession } from './database-session.js';
import { BASE_RELATION, Relation, relationApi } from './relation.js';

/** How the Jinja adapter reaches macros of its render context (a MacroResolver fits). */
export interface MacroAccess {
  dispatch(name: string, namespace?: string | null): JinjaCallable;
  resolve(name: string): unknown;
}

/** Messages `adapter.warn_once` already gave, per session (one per invocation and thread). */
const warnedOnce = new WeakMap<DatabaseSession, Set<string>>();

/** `adapter.Relation` per session. */
const relationApis = new WeakMap<DatabaseSession, Record<string, unknown>>();

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

function asRelation(v: unknown, what: string): Relation {
  if (v instanceof Relation) return v;
  throw new TsdbtError('COMPILER_ERROR', `${what} expects a Relation, got ${v === null || v === undefined ? 'None' : JSON.stringify(v)}`, {
    hint: 'Pass a relation such as `this`, `ref(...)`, or `api.Relation.create(...)`.',
  });
}

/**
 * `adapter` as templates see it at run time (dbt's BaseAdapter methods that
 * macros call). Statements go through macros of the render context (so a
 * project can override `drop_relation`, `rename_relation`...); the relation
 * cache is kept current by each method.
 */
export function jinjaAdapter(session: DatabaseSession, macros: MacroAccess): Record<string, unknown> {
  const info = session.info;
  const callMacro = (name: string, args: unknown[]) => {
    const fn = macros.resolve(name);
    if (typeof fn !== 'function') throw new TsdbtError('MACRO_NOT_FOUND', `macro '${name}' is not defined`, { hint: 'It is part of tsdbt\'s built-in macros; check the installation.' });
    return callJinja(fn, args);
  };
  const getRelation = (database: unknown, schema: unknown, identifier: unknown): Relation | null => {
    const db = str(database) ?? info.database;
    const sc = str(schema) ?? info.schema;
    const id = str(identifier);
    if (id === null) return null;
    return session.cache.get(db, sc, id);
  };
  // Warnings from adapter methods go through a macro, so they reach the invocation's logger as `exceptions.warn` does.
  const warn = (message: string) => void callMacro('tsdbt_adapter_warn', [message]);
  const constraints: ConstraintRenderer = { adapterType: info.type, quote: (s) => info.quote(s), warn };
  // The same for every node of a session (it holds no state), so made once per session.
  let RelationApi = relationApis.get(session);
  if (!RelationApi || !fastPaths()) {
    RelationApi = relationApi({ database: info.database, schema: info.schema }, info.quotePolicy, info.quoteChar, info.relationFlavor ?? BASE_RELATION);
    relationApis.set(session, RelationApi);
  }
  const ColumnApi = info.column;

  return {
    type: pyFunction(() => info.type),
    dispatch: pyFunction((args, kwargs) => macros.dispatch(String(args[0]), (args[1] ?? kwargs.macro_namespace ?? null) as string | null)),
    get_relation: pyFunction((args, kwargs) => getRelation(kwargs.database ?? args[0], kwargs.schema ?? args[1], kwargs.identifier ?? args[2])),
    load_relation: pyFunction((args, kwargs) => {
      const r = asRelation(kwargs.relation ?? args[0], 'adapter.load_relation');
      return getRelation(r.database, r.schema, r.identifier);
    }),
    get_relation_type: pyFunction((args, kwargs) => {
      const r = asRelation(kwargs.relation ?? args[0], 'adapter.get_relation_type');
      return getRelation(r.database, r.schema, r.identifier)?.type ?? null;
    }),
    already_exists: pyFunction((args, kwargs) => getRelation(info.database, kwargs.schema ?? args[0], kwargs.name ?? args[1]) !== null),
    get_columns_in_relation: pyFunction((args, kwargs) => session.columnsOf(asRelation(kwargs.relation ?? args[0], 'adapter.get_columns_in_relation'))),
    list_relations_without_caching: pyFunction((args, kwargs) => {
      const r = asRelation(kwargs.schema_relation ?? args[0], 'adapter.list_relations_without_caching');
      return session.listRelationsWithoutCaching(r.database, r.schema ?? info.schema);
    }),
    list_relations: pyFunction((args, kwargs) => session.cache.list(str(kwargs.database ?? args[0]), String(kwargs.schema ?? args[1]))),
    drop_relation: pyFunction((args, kwargs) => {
      const r = asRelation(kwargs.relation ?? args[0], 'adapter.drop_relation');
      callMacro('drop_relation', [r]);
      session.cache.drop(r);
      return '';
    }),
    rename_relation: pyFunction((args, kwargs) => {
      const from = asRelation(kwargs.from_relation ?? args[0], 'adapter.rename_relation');
      const to = asRelation(kwargs.to_relation ?? args[1], 'adapter.rename_relation');
      callMacro('rename_relation', [from, to]);
      session.cache.rename(from, to);
      return '';
    }),
    truncate_relation: pyFunction((args, kwargs) => {
      callMacro('truncate_relation', [asRelation(kwargs.relation ?? args[0], 'adapter.truncate_relation')]);
      return '';
    }),
    create_schema: pyFunction((args, kwargs) => {
      const r = asRelation(kwargs.relation ?? args[0], 'adapter.create_schema');
      callMacro('create_schema', [r]);
      session.cache.schemaCreated(r.database, r.schema ?? info.schema);
      return '';
    }),
    drop_schema: pyFunction((args, kwargs) => {
      const r = asRelation(kwargs.relation ?? args[0], 'adapter.drop_schema');
      callMacro('drop_schema', [r]);
      session.cache.schemaDropped(r.database, r.schema ?? info.schema);
      return '';
    }),
    check_schema_exists: pyFunction((args, kwargs) => session.schemaExists(str(kwargs.database ?? args[0]) ?? info.database, String(kwargs.schema ?? args[1]))),
    quote: pyFunction(([s]) => info.quote(String(s))),
    quote_as_configured: pyFunction((args, kwargs) => {
      const identifier = String(kwargs.identifier ?? args[0]);
      const key = String(kwargs.quote_key ?? args[1] ?? 'identifier') as 'database' | 'schema' | 'identifier';
      return info.quotePolicy[key] ? info.quote(identifier) : identifier;
    }),
    quote_seed_column: pyFunction((args, kwargs) => {
      const column = String(kwargs.column ?? args[0]);
      const cfg = kwargs.quote_config ?? args[1];
      // dbt quotes seed columns unless quote_columns is explicitly false.
      return cfg === false ? column : info.quote(column);
    }),
    expand_target_column_types: pyFunction(() => ''),
    get_missing_columns: pyFunction((args, kwargs) => {
      const from = asRelation(kwargs.from_relation ?? args[0], 'adapter.get_missing_columns');
      const to = asRelation(kwargs.to_relation ?? args[1], 'adapter.get_missing_columns');
      const target = new Set(session.columnsOf(to).map((c) => c.name.toLowerCase()));
      return session.columnsOf(from).filter((c) => !target.has(c.name.toLowerCase()));
    }),
    execute: pyFunction((args, kwargs) => {
      const sql = String(kwargs.sql ?? args[0]);
      const autoBegin = Boolean(kwargs.auto_begin ?? args[1] ?? false);
      const fetch = Boolean(kwargs.fetch ?? args[2] ?? false);
      const { response, table } = session.execute(sql, { autoBegin, fetch: true });
      return [response, fetch ? table : table];
    }),
    begin: pyFunction(() => {
      session.begin();
      return '';
    }),
    commit: pyFunction(() => {
      session.commitLater();
      return '';
    }),
    cache_added: pyFunction(([r]) => {
      session.cache.add(asRelation(r, 'adapter.cache_added'));
      return '';
    }),
    cache_dropped: pyFunction(([r]) => {
      session.cache.drop(asRelation(r, 'adapter.cache_dropped'));
      return '';
    }),
    cache_renamed: pyFunction((args, kwargs) => {
      session.cache.rename(asRelation(kwargs.from_relation ?? args[0], 'adapter.cache_renamed'), asRelation(kwargs.to_relation ?? args[1], 'adapter.cache_renamed'));
      return '';
    }),
    // Model contracts (see contract-constraints.ts and the global columns-spec macros).
    get_column_schema_from_query: pyFunction((args, kwargs) => {
      const { raw } = session.execute(String(kwargs.sql ?? args[0]), { fetch: false });
      return raw.columns.map((c) => new Column(c.name, c.type));
    }),
    render_raw_columns_constraints: pyFunction((args, kwargs) =>
      renderColumnsConstraints((kwargs.raw_columns ?? args[0] ?? {}) as Record<string, ContractColumnSpec>, constraints),
    ),
    render_raw_model_constraints: pyFunction((args, kwargs) => renderModelConstraints((kwargs.raw_constraints ?? args[0] ?? []) as unknown[], constraints)),
    /** dbt's `exceptions.raise_contract_error`, reached from the global macros; `file` is the model's. */
    tsdbt_raise_contract_error: pyFunction((args, kwargs) => {
      throw contractError(contractColumns(kwargs.yaml_columns ?? args[0]), contractColumns(kwargs.sql_columns ?? args[1]), str(kwargs.file ?? args[2]) ?? undefined);
    }),
    /** dbt's `exceptions.column_type_missing`. */
    tsdbt_raise_column_type_missing: pyFunction((args, kwargs) => {
      const names = (kwargs.column_names ?? args[0]) as unknown[];
      throw columnTypeMissingError((names ?? []).map(String), str(kwargs.file ?? args[1]) ?? undefined);
    }),
    /** dbt-duckdb's `adapter.external_root()`: the profile's external_root ('.' when unset). */
    external_root: pyFunction(() => info.externalRoot ?? '.'),
    /** Fails with a located EXTERNAL_LOCATION error when files cannot be written there (the `external` materialization asks first). */
    tsdbt_check_external_location: pyFunction((args, kwargs) => {
      checkExternalLocation(String(kwargs.location ?? args[0]), Boolean(kwargs.partitioned ?? args[1]), str(kwargs.file ?? args[2]) ?? undefined);
      return '';
    }),
    warn_once: pyFunction((args, kwargs) => {
      const message = String(kwargs.msg ?? args[0]);
      let seen = warnedOnce.get(session);
      if (!seen) warnedOnce.set(session, (seen = new Set()));
      if (!seen.has(message)) {
        seen.add(message);
        warn(message);
      }
      return '';
    }),
    valid_incremental_strategies: pyFunction(() => [...info.capabilities.incrementalStrategies]),
    /** The macro of an incremental strategy, by its name; `context` (the first argument) is not needed: names resolve in the render context. */
    get_incremental_strategy_macro: pyFunction((args, kwargs) =>
      incrementalStrategyMacro(kwargs.strategy ?? args[1], info.type, info.capabilities.incrementalStrategies, (name) => macros.resolve(name)),
    ),
    Relation: RelationApi,
    Column: ColumnApi,
    // dbt's RuntimeConfig, as far as packages read it (elementary and the Tuva Project: `quoting`; dbt-snowflake: `flags`).
    config: (info.runtimeConfig ??= { quoting: {}, flags: {} }),
  };
}
