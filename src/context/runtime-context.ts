import { overlapOf, type SampleWindow } from './sample-window.js';
import { FLAT_GRAPH_KEYS, graphValueFromWire, graphValueToWire } from './graph-entries.js';
import type { DatabaseSession, AdapterResponse } from '../adapters/base/database-session.js';
import type { Relation } from '../adapters/base/relation.js';
import type { ResultTable } from '../adapters/base/result-table.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyFunction, type RenderContext } from '../jinja/index.js';
import type { CompiledNode, Manifest, SourceTable } from '../manifest/types.js';
import { writtenNodes } from '../manifest/written-node.js';
import type { RefIndex } from '../project/resolve-refs.js';
import { nodeDict, type ContextFactory } from './context-factory.js';
import { withForeignKeysResolved } from './foreign-keys.js';
import type { MacroResolver } from './macro-resolver.js';
import type { QueryHeader } from './query-header.js';
import { configObject, refCallOf } from './parse-context.js';
import { providerMembers } from './provider-members.js';
import type { RuntimeKit } from './runtime-kit.js';
import { fastPaths } from '../util/fast-paths.js';

/** What every runtime context of one invocation shares. */
export interface RuntimeShared {
  manifest: Manifest;
  contexts: ContextFactory;
  session: DatabaseSession;
  /** The adapter's relations, Jinja `adapter` and tables (built in api/, so context/ sees adapters only as types). */
  kit: RuntimeKit;
  refs: RefIndex;
  /** `--full-refresh`, `--empty`, and the rest of the invocation's flags (also visible as `flags`). */
  flags: { full_refresh?: boolean; empty?: boolean; [key: string]: unknown };
  selectedResources: string[];
  /** Each package's root folder by package name (nodes do not carry it: manifest v12 has no root_path but on seeds). */
  packageRoots: ReadonlyMap<string, string>;
  /** `--defer`: where refs may resolve instead of the target (see deferredRelation). */
  defer?: DeferRelations;
  /** dbt's query comment, set on the session per node (absent: `query-comment` disables it). */
  queryHeader?: QueryHeader;
}

/** The state manifest's relations for `--defer` (by unique id), and whether `--favor-state` is on. */
export interface DeferRelations {
  relations: Record<string, { database: string | null; schema: string; identifier: string }>;
  favorState: boolean;
}

const selectedSets = new WeakMap<string[], Set<string>>();

/**
 * dbt's deferral: a ref resolves to the state manifest's relation when the
 * node has one there and either --favor-state is on and the node is not
 * selected, or the target relation does not exist (relation cache lookup).
 * Null when the target relation stands.
 */
export function deferredRelation(shared: RuntimeShared, node: CompiledNode): Relation | null {
  const to = shared.defer?.relations[node.unique_id];
  if (!to) return null;
  let selected = selectedSets.get(shared.selectedResources);
  if (!selected) selectedSets.set(shared.selectedResources, (selected = new Set(shared.selectedResources)));
  const favor = shared.defer!.favorState && !selected.has(node.unique_id);
  if (!favor && shared.session.cache.get(node.database, node.schema, node.alias) !== null) return null;
  return shared.kit.relation(to, node.unique_id);
}

/** A `statement` result kept by store_result / read by load_result. */
export interface StoredResult {
  response: AdapterResponse | null;
  table: ResultTable;
  /** The table's cells as templates read them (dbt's agate_helper.as_matrix); TypeScript reads `table.rawRows`. */
  data: unknown[][];
}

/** Per-render state a runner reads back: ephemeral refs seen, statement results. */
export interface RuntimeRender {
  context: RenderContext;
  resolver: MacroResolver;
  /** Unique ids of ephemeral models ref'd while rendering (in call order, deduplicated). */
  ephemerals: string[];
  results: Map<string, StoredResult>;
}

export interface RuntimeOptions {
  /** Extra names for the context: `sql`, `compiled_code`, `pre_hooks`, `results`, `schemas`... */
  extra?: Record<string, unknown>;
  /** Inline SQL and operations: refs need not be declared dependencies. */
  allowUndeclaredRefs?: boolean;
  /** A microbatch batch being rendered: upstreams with `event_time` read only its window. */
  batch?: BatchWindow;
  /**
   * A context and resolver of the node's package to render in again, given
   * this node's own vars (NodeCompiler's reuse during `compile`): macros bound
   * for one node serve the next, as they read names through the context as
   * they run. Only where no render of the previous node is still going on.
   */
  reuse?: ReusedContext;
  /**
   * Where the template's write() puts what it is given: the `main`
   * statement's SQL, which dbt keeps in target/run/ (its runner's file
   * writer). Absent, write() does nothing (compile, show, operations).
   */
  write?: (sql: string) => void;
}

/** A render context kept for the next node of its package (RuntimeOptions.reuse), with its resolver and `adapter`. */
export interface ReusedContext {
  context: RenderContext;
  resolver: MacroResolver;
  /** The Jinja `adapter` made for this resolver (it depends on the session and the resolver only). */
  adapter?: Record<string, unknown>;
  /** The context members the package's macros shadow (ContextFactory.finish): the vars' names are the same each time. */
  shadowed?: string[];
}

/** One batch of a microbatch model, as its render sees it (times as dbt prints them). */
export interface BatchWindow {
  start: string;
  end: string;
  /** Batches after the first of a run are incremental (dbt's build_jinja_context_for_batch). */
  incremental: boolean | null;
}

/** The relation a node is built as (`this`, and what ref() returns for it). */
export function relationOfNode(shared: RuntimeShared, node: CompiledNode): Relation {
  return shared.kit.relation({ database: node.database, schema: node.schema, identifier: node.alias }, node.unique_id);
}

export function relationOfSource(shared: RuntimeShared, source: SourceTable): Relation {
  const { name, identifier, schema, database, tags, meta, config } = source;
  // A source that is files (dbt-duckdb's external_location) renders as their reader.
  const external = shared.kit.info.externalSource?.({ name, identifier, schema, database, tags, meta, config, file: source.original_file_path }) ?? null;
  return shared.kit.relation({ database, schema, identifier, external }, source.unique_id);
}

/** The CTE name an ephemeral model is injected as. */
export const cteName = (node: CompiledNode) => `__dbt__cte__${node.name}`;

/**
 * dbt's runtime provider: the context a node is rendered with when it runs
 * (compile, run, test, build). `execute` is true; ref/source resolve to
 * relations; adapter, run_query and statement reach the database.
 */
export function runtimeContext(shared: RuntimeShared, node: CompiledNode, opts: RuntimeOptions = {}): RuntimeRender {
  const kit = shared.kit;
  // The members no node changes sit on a prototype made once (laying ~130 of them on every node's vars cost ~10 µs a node).
  const laid = fastPaths() ? shared.contexts.runtimePrototype(kit, providerOf, shared) : undefined;
  const vars: Record<string, unknown> = laid ? (Object.create(laid.proto) as Record<string, unknown>) : {};
  const reuse = opts.reuse;
  const { context, resolver } = reuse ?? shared.contexts.assemble(node.package_name, vars);
  if (reuse) context.vars = vars;
  const ephemerals: string[] = [];
  const results = new Map<string, StoredResult>();
  const session = shared.session;
  const adapter = reuse ? (reuse.adapter ??= kit.jinjaAdapter(session, resolver)) : kit.jinjaAdapter(session, resolver);
  const thisRelation = relationOfNode(shared, node);
  const empty = Boolean(shared.flags.empty);
  const batch = opts.batch;
  // Sample mode (--sample): a model's or snapshot's refs and sources with an event_time read the sample window (dbt 1.10).
  const sample = (node.resource_type === 'model' || node.resource_type === 'snapshot') && node.language !== 'python' ? (shared.flags.sample as SampleWindow | null | undefined) ?? undefined : undefined;

  const ref = pyFunction((args, kwargs) => {
    const call = refCallOf(args, kwargs);
    const target = shared.refs.resolveRef(call, node.package_name);
    if (!target) throw shared.refs.refError(call, { name: node.name, file: node.original_file_path });
    if (!opts.allowUndeclaredRefs && !node.depends_on.nodes.includes(target.unique_id)) {
      const written = call.package ? `ref('${call.package}', '${call.name}')` : `ref('${call.name}')`;
      throw new TsdbtError(
        'COMPILER_ERROR',
        `dbt was unable to infer all dependencies for the model "${node.name}". This typically happens when ref() is placed within a conditional block.`,
        { file: node.original_file_path, hint: `To fix this, add the following hint to the top of the model "${node.name}":\n\n-- depends_on: {{ ${written} }}` },
      );
    }
    if (target.config.materialized === 'ephemeral') {
      if (!ephemerals.includes(target.unique_id)) ephemerals.push(target.unique_id);
      return kit.cteRelation(cteName(target), target.unique_id);
    }
    const rel = inWindow(kit, batch, sample, deferredRelation(shared, target) ?? relationOfNode(shared, target), target.config.event_time);
    return empty ? kit.emptyRelation(rel) : rel;
  });

  const source = pyFunction(([s, t]) => {
    const src = shared.refs.resolveSource(String(s), String(t));
    if (!src) throw shared.refs.sourceError(String(s), String(t), { name: node.name, file: node.original_file_path });
    const rel = inWindow(kit, batch, sample, relationOfSource(shared, src), src.config.event_time);
    return empty ? kit.emptyRelation(rel) : rel;
  });

  // A foreign key's `to: ref()/source()` is rendered as its parent's relation (dbt 1.9).
  const rendered = withForeignKeysResolved(node, (to) => {
    const parent = shared.refs.foreignKeyParent(to, node);
    if (!parent) return null;
    const rel = 'node' in parent ? relationOfNode(shared, parent.node) : relationOfSource(shared, parent.source);
    return (kit.info.capabilities.foreignKeyNamesDatabase ? rel : rel.include(false)).render();
  });

  if (laid) {
    Object.assign(vars, shared.contexts.baseOwn(node.package_name, true, node.name, context));
    for (const k of laid.dicts) vars[k] = { ...(laid.proto[k] as object) };
  } else Object.assign(vars, shared.contexts.base(node.package_name, true, node.name, context), providerOf(shared));
  // Set one by one (an object literal Object.assign'ed cost a 30-member object a node).
  vars.execute = true;
  vars.ref = ref;
  vars.source = source;
  vars.this = thisRelation;
  vars.model = nodeDict(rendered);
  vars.node = nodeDict(rendered);
  vars.config = configObject(
    () => undefined,
    (key) => (node.config as Record<string, unknown>)[key],
    (key) => {
      throw new TsdbtError('COMPILER_ERROR', `Required config key '${key}' not found for ${node.resource_type} '${node.name}'`, {
        file: node.original_file_path,
        hint: `Set it with {{ config(${key}=...) }} or in dbt_project.yml.`,
      });
    },
  );
  vars.is_incremental = pyFunction(() => {
    if (batch?.incremental) return true;
    if (node.config.materialized !== 'incremental' || shouldFullRefresh(node, shared)) return false;
    const existing = session.cache.get(thisRelation.database, thisRelation.schema ?? session.info.schema, thisRelation.identifier ?? '');
    return existing !== null && existing.type === 'table';
  });
  vars.should_full_refresh = pyFunction(() => (batch?.incremental ? false : shouldFullRefresh(node, shared)));
  vars.should_store_failures = pyFunction(() => Boolean(node.config.store_failures ?? shared.flags.store_failures));
  vars.adapter = adapter;
  vars.api = { Relation: adapter.Relation, Column: adapter.Column };
  vars.graph = graphOf(shared.manifest);
  vars.selected_resources = shared.selectedResources;
  vars.load_result = pyFunction(([name]) => results.get(String(name)) ?? null);
  vars.store_result = pyFunction((args, kwargs) => storeResult(results, kit, String(args[0]), (kwargs.response ?? args[1] ?? null) as AdapterResponse | null, (kwargs.agate_table ?? args[2] ?? null) as ResultTable | null));
  vars.store_raw_result = pyFunction((args, kwargs) => {
    const response: AdapterResponse = {
      _message: String(kwargs.message ?? args[1] ?? 'OK'),
      code: String(kwargs.code ?? args[2] ?? 'OK'),
      rows_affected: Number(kwargs.rows_affected ?? args[3] ?? -1),
    };
    return storeResult(results, kit, String(args[0]), response, (kwargs.agate_table ?? args[4] ?? null) as ResultTable | null);
  });
  vars.load_agate_table = pyFunction(() => {
    if (!node.seed_file) throw new TsdbtError('COMPILER_ERROR', `load_agate_table() is only available to seeds, not ${node.resource_type} '${node.name}'`, { file: node.original_file_path });
    return kit.loadSeedTable(node.seed_file, node.original_file_path, String(node.config.delimiter ?? ','), node.config.column_types ?? {});
  });
  vars.render = pyFunction(([text]) => shared.contexts.shared.env.renderString(String(text ?? ''), node.original_file_path, context));
  vars.sql = '';
  vars.compiled_code = '';
  vars.pre_hooks = node.config.pre_hook;
  vars.post_hooks = node.config.post_hook;
  vars.database = node.database;
  vars.schema = node.schema;
  if (opts.write) vars.write = writeMember(opts.write);
  if (opts.extra) Object.assign(vars, opts.extra);
  // A reused context's vars have the same names node after node (no extras): the same members are shadowed.
  shared.contexts.finish(context, node.package_name, reuse && !opts.extra ? reuse : undefined);
  return { context, resolver, ephemerals, results };
}

/*
 * runtimeContext's helpers live out here: a function made per node costs the
 * bundle's keepNames a defineProperty of its name each time (~40,000 a compile).
 */

/** The context's `write(payload)`: hands the text to `write` and renders as nothing. */
function writeMember(write: (sql: string) => void): unknown {
  return pyFunction(([payload]) => {
    write(String(payload ?? ''));
    return '';
  });
}

/** dbt's provider members (validation, write, env, ...) for the runtime contexts of `shared`. */
function providerOf(shared: RuntimeShared): Record<string, unknown> {
  const { kit } = shared;
  return providerMembers({ target: shared.contexts.shared.target, adapterType: kit.info.type, column: kit.info.column });
}

/**
 * A relation as a microbatch batch or sample mode reads it: when its node has an event_time, filtered to the
 * batch window, the sample window, or (both) where they overlap.
 */
function inWindow(kit: RuntimeShared['kit'], batch: BatchWindow | undefined, sample: SampleWindow | undefined, rel: Relation, eventTime: unknown): Relation {
  if (typeof eventTime !== 'string' || eventTime === '') return rel;
  const window = batch && sample ? overlapOf(batch, sample) : (batch ?? sample);
  return window ? kit.eventTimeRelation(rel, eventTime, window.start, window.end) : rel;
}

/** The node's full_refresh config, else the --full-refresh flag. */
function shouldFullRefresh(node: CompiledNode, shared: RuntimeShared): boolean {
  const cfg = node.config.full_refresh;
  return cfg === null || cfg === undefined ? Boolean(shared.flags.full_refresh) : Boolean(cfg);
}

/** store_result / store_raw_result: keep a statement's response and table for load_result. */
function storeResult(results: Map<string, StoredResult>, kit: RuntimeShared['kit'], name: string, response: AdapterResponse | null, table: ResultTable | null): string {
  const t = table ?? kit.emptyTable();
  // `data` is made when a template first reads it: most statements' results are only checked for their response.
  results.set(name, {
    response,
    table: t,
    get data() {
      return t.cells;
    },
  });
  return '';
}

const graphCache = new WeakMap<Manifest, Record<string, unknown>>();

/** `graph` in templates: dbt's flat graph, the manifest's resources as dicts (no macros, as in dbt). */
/** The on-run-start/end operation nodes of a parse (kept out of `manifest.nodes`), by manifest. */
const hookNodesOf = new WeakMap<Manifest, readonly CompiledNode[]>();

/** Make a parse's hook operation nodes part of `graph.nodes`, as dbt's flat graph holds them. */
export function graphHookNodes(manifest: Manifest, hooks: readonly CompiledNode[]): void {
  hookNodesOf.set(manifest, hooks);
  graphCache.delete(manifest);
}

/**
 * The entries templates added to `graph` (dbt's flat graph is one dict every
 * thread shares, so what an on-run-start hook sets there every node sees),
 * ready for render workers (graph-entries.ts): an entry holding something
 * other than plain data is left out, and where it holds it is listed in
 * `skipped`.
 */
export function addedGraphEntries(manifest: Manifest): { entries: Record<string, unknown>; skipped: string[] } {
  const entries: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const [k, v] of Object.entries(graphOf(manifest))) {
    if (FLAT_GRAPH_KEYS.has(k)) continue;
    const w = graphValueToWire(v, k);
    if ('at' in w) skipped.push(w.at);
    else entries[k] = w.value;
  }
  return { entries, skipped };
}

/** Set the entries another thread's `graph` holds (addedGraphEntries) on this thread's. */
export function setGraphEntries(manifest: Manifest, entries: Record<string, unknown>): void {
  const g = graphOf(manifest);
  for (const [k, v] of Object.entries(entries)) if (!FLAT_GRAPH_KEYS.has(k)) g[k] = graphValueFromWire(v);
}

function graphOf(manifest: Manifest): Record<string, unknown> {
  let g = graphCache.get(manifest);
  if (!g) {
    const hooks = hookNodesOf.get(manifest);
    g = {
      exposures: manifest.exposures,
      groups: manifest.groups,
      metrics: manifest.metrics,
      // As manifest.json writes them (dbt's flat graph is the same serialisation): seeds without tsdbt's own members.
      nodes: writtenNodes(hooks ? { ...manifest.nodes, ...Object.fromEntries(hooks.map((h) => [h.unique_id, h])) } : manifest.nodes),
      sources: manifest.sources,
      semantic_models: manifest.semantic_models,
      saved_queries: manifest.saved_queries,
    };
    graphCache.set(manifest, g);
  }
  return g;
}
