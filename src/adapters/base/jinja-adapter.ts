import { TsdbtError } from '../../errors/tsdbt-error.js';
import { callJinja, pyFunction, type JinjaCallable } from '../../jinja/index.js';
import { Column, columnApi } from './column.js';
import type { DatabaseSession } from './database-session.js';
import { Relation, type RelationSpec } from './relation.js';

/** How the Jinja adapter reaches macros of its render context (a MacroResolver fits). */
export interface MacroAccess {
  dispatch(name: string, namespace?: string | null): JinjaCallable;
  resolve(name: string): unknown;
}

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
  const makeRelation = (_args: unknown[], kwargs: Record<string, unknown>): Relation => {
    const spec: RelationSpec = {
      database: (kwargs.database ?? info.database) as string | null,
      schema: (kwargs.schema ?? info.schema) as string | null,
      identifier: (kwargs.identifier ?? null) as string | null,
      type: (kwargs.type ?? null) as RelationSpec['type'],
    };
    return info.makeRelation(spec);
  };
  const RelationApi = { create: pyFunction(makeRelation) };
  const ColumnApi = columnApi();

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
    valid_incremental_strategies: pyFunction(() => ['append', 'delete+insert', 'merge']),
    Relation: RelationApi,
    Column: ColumnApi,
  };
}
