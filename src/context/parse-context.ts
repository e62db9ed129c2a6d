import { pyFunction } from '../jinja/index.js';
import type { RefCall } from '../manifest/types.js';
import type { ConfigLayer } from '../project/config-merge.js';
import { providerMembers } from './provider-members.js';

/** What rendering a node at parse time records. */
export interface ParseCapture {
  refs: RefCall[];
  sources: [string, string][];
  /** config() calls, in order. */
  configCalls: ConfigLayer[];
  docs: string[];
  /** Unique ids of the macros the node's template calls itself, in call order (dbt's depends_on.macros). */
  macros: string[];
}

export function newCapture(): ParseCapture {
  return { refs: [], sources: [], configCalls: [], docs: [], macros: [] };
}

export interface RelationFactory {
  (spec: { database?: string | null; schema?: string | null; identifier?: string | null; type?: string | null }): unknown;
}

/** Read a ref() call's arguments: ref('m'), ref('pkg', 'm'), ref('m', v=2), ref('m', version=2). */
export function refCallOf(args: unknown[], kwargs: Record<string, unknown>): RefCall {
  const version = (kwargs.v ?? kwargs.version ?? null) as string | number | null;
  if (args.length >= 2) return { package: String(args[0]), name: String(args[1]), version };
  return { name: String(args[0]), package: null, version };
}

/**
 * The config object templates see: callable (`config(materialized='table')`)
 * with `.get(key, default)` and `.require(key)`.
 */
export function configObject(
  onSet: (layer: ConfigLayer) => void,
  get: (key: string) => unknown,
  onRequireMissing: (key: string) => never,
): unknown {
  const fn = pyFunction((args, kwargs) => {
    const layer: ConfigLayer = {};
    for (const a of args) if (a && typeof a === 'object') Object.assign(layer, a as object);
    Object.assign(layer, kwargs);
    onSet(layer);
    return '';
  }) as unknown as Record<string, unknown>;
  fn.get = pyFunction((args, kwargs) => {
    const v = get(String(args[0]));
    return v === undefined ? (args.length > 1 ? args[1] : (kwargs.default ?? null)) : v;
  });
  fn.require = pyFunction((args) => {
    const v = get(String(args[0]));
    return v === undefined ? onRequireMissing(String(args[0])) : v;
  });
  fn.has = pyFunction((args) => get(String(args[0])) !== undefined);
  return fn;
}

/** What the parse context needs from the adapter, without a connection. */
export interface ParseAdapterInput {
  relation: RelationFactory;
  quote: (identifier: string) => string;
  adapterType: string;
  /** The adapter's Column class (`api.Column`). */
  column: unknown;
}

/**
 * The parts of the parse-phase context that are the same for every node of a
 * package: adapter stand-ins (declared return values, no database), run_query
 * returning none, an empty graph. Built once per package and shared.
 */
export function parseStaticContext(base: Record<string, unknown>, input: ParseAdapterInput): Record<string, unknown> {
  const adapter = {
    get_relation: pyFunction(() => null),
    load_relation: pyFunction(() => null),
    get_columns_in_relation: pyFunction(() => []),
    list_relations_without_caching: pyFunction(() => []),
    get_missing_columns: pyFunction(() => []),
    check_schema_exists: pyFunction(() => false),
    already_exists: pyFunction(() => false),
    quote: pyFunction(([s]) => input.quote(String(s))),
    quote_as_configured: pyFunction(([s]) => String(s)),
    quote_seed_column: pyFunction(([s]) => input.quote(String(s))),
    type: pyFunction(() => input.adapterType),
    get_relation_type: pyFunction(() => null),
    drop_relation: pyFunction(() => ''),
    rename_relation: pyFunction(() => ''),
    create_schema: pyFunction(() => ''),
    drop_schema: pyFunction(() => ''),
    expand_target_column_types: pyFunction(() => ''),
    execute: pyFunction(() => [{ _message: 'OK', code: 'OK', rows_affected: 0 }, null]),
    get_column_schema_from_query: pyFunction(() => []),
    // dbt's parse_none: a strategy's macro is found at run time
    get_incremental_strategy_macro: pyFunction(() => null),
    Relation: { create: pyFunction((_a, kw) => input.relation(kw as Record<string, string>)) },
    Column: input.column,
  };
  const target = (base.target ?? {}) as Record<string, unknown>;
  return {
    ...base,
    ...providerMembers({ target, adapterType: input.adapterType, column: input.column }),
    execute: false,
    // dbt's flat graph is built after parsing: while parsing it has no members yet.
    graph: { exposures: {}, groups: {}, metrics: {}, nodes: {}, sources: {}, semantic_models: {}, saved_queries: {} },
    database: target.database ?? null,
    schema: target.schema ?? null,
    is_incremental: pyFunction(() => false),
    should_full_refresh: pyFunction(() => false),
    // dbt's parse context answers from config; at parse, tests never store failures yet.
    should_store_failures: pyFunction(() => false),
    run_query: pyFunction(() => null),
    load_result: pyFunction(() => null),
    store_result: pyFunction(() => ''),
    store_raw_result: pyFunction(() => ''),
    adapter,
    api: { Relation: adapter.Relation, Column: adapter.Column },
    selected_resources: [],
    sql: '',
    compiled_code: '',
    pre_hooks: [],
    post_hooks: [],
  };
}

/**
 * The per-node part of the parse-phase context (dbt's parse provider): ref
 * and source record dependencies and return a placeholder relation, config
 * records, `this`/`model` describe the node, and `adapter.dispatch` resolves
 * from the node's package. Layer it over parseStaticContext.
 */
export function parseNodeContext(
  staticPart: Record<string, unknown>,
  capture: ParseCapture,
  input: {
    relation: RelationFactory;
    thisRelation: unknown;
    dispatch: (name: string, namespace?: string | null) => unknown;
    model: Record<string, unknown>;
  },
): Record<string, unknown> {
  const vars = Object.create(staticPart) as Record<string, unknown>;
  vars.adapter = {
    ...(staticPart.adapter as Record<string, unknown>),
    dispatch: pyFunction((args, kwargs) => input.dispatch(String(args[0]), (args[1] ?? kwargs.macro_namespace ?? null) as string | null)),
  };
  vars.ref = pyFunction((args, kwargs) => {
    const call = refCallOf(args, kwargs);
    capture.refs.push(call);
    return input.relation({ identifier: call.name });
  });
  vars.source = pyFunction(([s, t]) => {
    capture.sources.push([String(s), String(t)]);
    return input.relation({ schema: String(s), identifier: String(t) });
  });
  vars.config = configObject(
    (layer) => capture.configCalls.push(layer),
    // dbt's parse-time config answers '' to every get and require, whatever is configured (its ParseConfigObject).
    () => '',
    () => null as never,
  );
  vars.doc = pyFunction(([a, b]) => {
    capture.docs.push(b === undefined ? String(a) : `${String(a)}.${String(b)}`);
    return '';
  });
  vars.this = input.thisRelation;
  vars.model = input.model;
  return vars;
}
