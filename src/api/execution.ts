import { parseSampleWindow, type SampleWindow } from '../context/sample-window.js';
import { availableParallelism } from 'node:os';
import { DatabaseSession } from '../adapters/base/database-session.js';
import { ResultTable } from '../adapters/base/result-table.js';
import { createRuntimeKit } from '../adapters/base/runtime-kit.js';
import { siblingModule } from '../adapters/base/sync-bridge-bootstrap.js';
import { SyncBridge } from '../adapters/base/sync-bridge.js';
import { NodeCompiler } from '../compile/node-compiler.js';
import { jinjaInfoOf, printedOf, type Logger } from '../context/base-context.js';
import { queryHeaderOf } from '../context/query-header.js';
import { setGraphEntries, type RuntimeShared } from '../context/runtime-context.js';
import { isRunnable } from '../execute/execute-nodes.js';
import { NodeRunner } from '../execute/node-runner.js';
import { isMicrobatch } from '../execute/microbatch-runner.js';
import { CacheSync } from '../execute/render-cache-sync.js';
import { RenderPool } from '../execute/render-pool.js';
import type { LogLevelName, PreparedWorker } from '../execute/render-protocol.js';
import type { DependencyGraph } from '../graph/index.js';
import { writeGraphSummaryQuietly } from '../artifacts/graph-summary.js';
import type { IndirectSelection } from '../graph/index.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import type { ProjectConfig } from '../project/project-config.js';
import { RefIndex } from '../project/resolve-refs.js';
import { packageRoots } from '../project/packages.js';
import { fastPaths } from '../util/fast-paths.js';
import type { ParseResult } from '../project/parse.js';
import { connectionOpenerFor } from './connection-openers.js';
import { loadProject, silentLogger, type GlobalOptions, type LoadedProject } from './load-project.js';
import { checkParseCache, filesChangedSince, nothingChangedSince, type ParseCacheCheck } from './parse-cache.js';
import { lazySelectionIndexOf, parseCacheIdOf, parseLoaded, recordCacheSpans, releaseLazyReads } from './parse-phase.js';
import { indexMembers, type SelectionIndex } from './selection-index.js';
import { indexSelects, selectFromManifest } from './select-phase.js';
import { checkDeferTargets } from './defer-check.js';
import { withoutCompiledMembers } from './compiled-manifest.js';
import { mutatorsBoundCount } from '../jinja/python/collection-methods.js';
import { mergedMembers } from '../util/lazy-members.js';
import { deferRelationsOf, resolveStateOptions, type StateOptions } from './state-artifacts.js';
import { targetDirOf } from './target-dir.js';

/** Flags shared by the commands that render and run nodes. */
export interface ExecutionOptions extends GlobalOptions, StateOptions {
  select?: string[];
  exclude?: string[];
  selector?: string;
  indirectSelection?: IndirectSelection;
  resourceTypes?: string[];
  /** `--exclude-resource-type`: types left out of the selection. */
  excludeResourceTypes?: string[];
  fullRefresh?: boolean;
  failFast?: boolean;
  /** `--empty`: refs and sources read as empty relations (schema only). */
  empty?: boolean;
  /** Treat warnings (e.g. warning tests) as errors. */
  warnError?: boolean;
  /** A test that warns fails instead (--warn-error-options naming LogTestResult, or "all"); warnError does this too. */
  testWarnsAsError?: boolean;
  /**
   * Given the warnings of loading, parsing and selecting once the nodes are
   * selected, before anything runs or compiles: it may throw to stop the
   * command there (the CLI's --warn-error, as dbt raises where it warns).
   */
  onWarnings?: (warnings: readonly string[]) => void;
  storeFailures?: boolean;
  /** `--event-time-start` / `--event-time-end`: the window microbatch models build (UTC; 'YYYY-MM-DD[ HH:MM:SS]'). */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  /** `--sample` (run, build): the window refs and sources with an event_time read, or its spec ('3 days', '{start: ..., end: ...}'). */
  sample?: SampleWindow | string;
  /** Under retry: each partly successful microbatch model's previous batch_results; its failed batches re-run instead of a new window. */
  microbatchRetry?: Record<string, { successful: [string, string][]; failed: [string, string][] }>;
}

/** ExecutionOptions as openExecution passes them on: a `--sample` spec already read into its window (once, for every thread). */
type WindowedOptions = ExecutionOptions & { sample?: SampleWindow };

/** Everything a command needs once the project is loaded, parsed, selected and connected. Close it when done. */
export interface Execution {
  loaded: LoadedProject;
  parsed: ParseResult;
  root: ProjectConfig;
  graph: DependencyGraph;
  selected: Set<string>;
  session: DatabaseSession;
  /** The connection worker's first session (the coordinator's); render workers get sibling sessions of it. */
  bridge: SyncBridge;
  shared: RuntimeShared;
  compiler: NodeCompiler;
  runner: NodeRunner;
  /** Absolute path of the target folder. */
  targetDir: string;
  warnings: string[];
  /**
   * The render workers, when openExecution was asked for them: started
   * once the database is open (each loads and parses the project itself,
   * while this thread selects and runs on-run-start hooks), connected to
   * their own sessions; await its ready() before running nodes. Their
   * relation-cache changes reach this execution's session cache. Closed by close().
   */
  renderPool: RenderPool | null;
  /**
   * The count of bound list and dict mutators (jinja/python/collection-methods.ts) when the execution opened with
   * no node holding compiled members (fast paths on); undefined otherwise. While the count is the same, the only
   * change to any node is the compiled members rendering appends (see compiled-manifest.ts writeCompiledManifest).
   */
  asParsedMutators?: number;
  /** Close the render workers and commit what the coordinator's session has open (once); close() does it too. */
  release(): Promise<void>;
  /** Close the render workers and the database (once: later calls return the same promise). */
  close(): Promise<void>;
}

export interface OpenExecutionOptions {
  /** How many render workers to start once the project is loaded (0: nodes run on this thread). */
  renderWorkers?: (loaded: LoadedProject) => number;
  /**
   * The command reads every node it selects (compile): without a `--select`
   * too, a current cache is read through its splice map as a selection's
   * (graph and selection from the selection index, parent and child maps
   * copied into manifest.json unread), its nodes' bytes read at once and
   * each node parsed when first used.
   */
  readsAllNodes?: boolean;
}

/** The invocation's `flags` as templates see them. */
function flagsOf(opts: WindowedOptions, which: string, loaded: LoadedProject): Record<string, unknown> {
  return {
    ...loaded.pathFlags,
    which,
    full_refresh: Boolean(opts.fullRefresh),
    fail_fast: Boolean(opts.failFast),
    empty: Boolean(opts.empty),
    warn_error: Boolean(opts.warnError),
    store_failures: Boolean(opts.storeFailures),
    threads: opts.threads ?? loaded.threads,
    event_time_start: opts.eventTimeStart ?? null,
    event_time_end: opts.eventTimeEnd ?? null,
    sample: opts.sample ?? null,
    ...(opts.microbatchRetry ? { microbatch_retry: opts.microbatchRetry } : {}),
  };
}

/** The runtime side of an execution on one session: shared context, compiler, runner. */
function runtimeOn(loaded: LoadedProject, parsed: ParseResult, session: DatabaseSession, flags: Record<string, unknown>, selected: string[], threadId = 'Thread-1', defer?: RuntimeShared['defer'], drainBatches = false) {
  const refs = refIndexOf(parsed.manifest, loaded.root.name);
  const shared: RuntimeShared = {
    manifest: parsed.manifest,
    contexts: parsed.contexts,
    session,
    kit: createRuntimeKit(loaded.adapter),
    refs,
    flags: flags as RuntimeShared['flags'],
    selectedResources: selected,
    packageRoots: packageRoots(loaded.packages),
    ...(defer ? { defer } : {}),
  };
  const header = queryHeaderOf(loaded.root.queryComment, parsed.contexts, { file: loaded.root.file, line: loaded.root.keyLines['query-comment'] }, Boolean(loaded.adapter.queryCommentAppends));
  if (header) {
    shared.queryHeader = header;
    session.setQueryComment(header.master);
  }
  const compiler = new NodeCompiler(shared, loaded.projectDir, loaded.root.targetPath);
  const runner = new NodeRunner(shared, compiler, parsed.registry, threadId, drainBatches);
  return { shared, compiler, runner };
}

/**
 * The ref index of a manifest (built on its first lookup: many runs never
 * call ref()) from the nodes a ref can name: not from data tests, which are
 * most of a project's nodes and, in a render worker, read from the parse
 * cache only when run (see lazy-cache-body.ts).
 */
function refIndexOf(manifest: Manifest, rootPackage: string): RefIndex {
  const { nodes } = manifest;
  const index = fastPaths() ? lazySelectionIndexOf(manifest) : undefined;
  if (index) return new RefIndex({ ids: refNamesOf(index), node: (id) => nodes[id]! }, Object.values(manifest.sources), rootPackage);
  // A unique id starts with its resource type, so the keys alone tell the tests (RefIndex skips them anyway).
  const candidates = function* () {
    for (const id in nodes) if (!id.startsWith('test.')) yield nodes[id]!;
  };
  const sources = function* () {
    yield* Object.values(manifest.sources);
  };
  return new RefIndex(candidates(), sources(), rootPackage);
}

/**
 * The parse cache checked for a command; when only model, analysis or
 * singular test SQL changed and parse-splice.ts can splice it into the cache,
 * checked again after (nothing changed then). Undefined without partial
 * parsing or the fast paths (parseLoaded checks it itself).
 */
async function splicedCheck(loaded: LoadedProject, flags: Record<string, unknown>): Promise<ParseCacheCheck | undefined> {
  if (!loaded.partialParse || !fastPaths()) return undefined;
  const check = checkParseCache(loaded, flags);
  if (!filesChangedSince(check)) return check;
  return (await import('./parse-splice.js')).checkSplicingChanges(loaded, flags, check);
}

/** The ids of the nodes a ref can name (models, seeds, snapshots), by name, from the selection index's node rows (the manifest's nodes, in order). */
function refNamesOf(index: SelectionIndex): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of indexMembers(index)) {
    if (m.map !== 'nodes' || (m.resource_type !== 'model' && m.resource_type !== 'seed' && m.resource_type !== 'snapshot')) continue;
    const list = out.get(m.name);
    if (list) list.push(m.unique_id);
    else out.set(m.name, [m.unique_id]);
  }
  return out;
}

function logStatements(session: DatabaseSession, loaded: LoadedProject): void {
  session.onStatement((s) => loaded.logger.debug(loaded.secrets.redact(`${s.ok ? '' : 'FAILED '}(${s.ms.toFixed(1)} ms) ${s.sql}`)));
}

/**
 * target/graph_summary.json, as dbt's Compiler.compile writes it for every
 * command that selects nodes (with the test edges for build). Diagnostic
 * only: dbt notes a failed write and goes on, and so does this.
 */
export function writeSummary(targetDir: string, graph: DependencyGraph, invocationId: string, withTestEdges: boolean, manifest?: Manifest): void {
  // The graph of a parse cache's manifest is that cache's: the last command's summary of it is taken over.
  writeGraphSummaryQuietly(targetDir, graph, invocationId, withTestEdges, manifest && fastPaths() ? parseCacheIdOf(manifest) : undefined);
}

/** load → parse → graph/select → connect (the SyncBridge worker) → runtime context. */
export async function openExecution(given: ExecutionOptions, which: string, defaultResourceTypes: string[] | undefined, options: OpenExecutionOptions = {}): Promise<Execution> {
  // A relative sample window ends now: taken once here, so that every render worker filters by the same window.
  const opts: WindowedOptions = typeof given.sample === 'string' ? { ...given, sample: parseSampleWindow(given.sample) } : (given as WindowedOptions);
  const loaded = loadProject(opts);
  const flags = flagsOf(opts, which, loaded);
  // The connection worker boots while this thread parses. (An opener that cannot be made, e.g. an
  // unsupported adapter, and a database that cannot be opened are reported after the parse, as before.)
  const opening = (async () => SyncBridge.open(connectionOpenerFor(loaded)))();
  opening.catch(() => undefined);
  const workers = renderLanes(options.renderWorkers?.(loaded) ?? 0, loaded.adapter.type);
  let pool: RenderPool | null = null;
  let bridge: SyncBridge | undefined;
  // With the embedded DuckDB, render workers load the project while this thread parses (measured:
  // a 1-model CLI run's worker overhead fell from ~600 to ~350 ms); the extras are stopped once the
  // selection says how many nodes there are. With a client-server driver (Snowflake) they start
  // after the login: started during it they slowed the driver's own load and login on 2 cores
  // (a failing login took 7.0 s instead of 5.6 s).
  const startEarly = workers > 0 && loaded.adapter.type === 'duckdb';
  if (startEarly) pool = spawnRenderPool(loaded, workers, which, opts);
  let lazilyRead: Manifest | undefined;
  try {
    // With a selection (most often a few nodes of many), a current cache's nodes are read as used (mapped-cache-body.ts);
    // model SQL edited since is first spliced into the cache (parse-splice.ts), which is then current.
    // A command that selects no nodes by default (run-operation, show and compile --inline: nothing; source freshness:
    // sources) reads the few nodes it uses the same way (a ref's, or what a macro looks up in `graph`), its selection
    // made from the index.
    const none = defaultResourceTypes?.every((t) => t === 'source') === true && !opts.select?.length && opts.selector === undefined;
    const selective = fastPaths() && (indexSelects(loaded.projectDir, opts) || (none && indexSelects(loaded.projectDir, opts, true)));
    const whole = !selective && fastPaths() && options.readsAllNodes === true && !opts.select?.length && indexSelects(loaded.projectDir, opts, true);
    const check = selective ? await splicedCheck(loaded, flags) : undefined;
    const parsed = parseLoaded(loaded, { flags, check, lazyNodes: selective || whole ? 'mapped' : false, lazyReadsAll: whole });
    lazilyRead = parsed.manifest;
    const asParsedMutators = fastPaths() && withoutCompiledMembers(parsed.manifest) ? mutatorsBoundCount() : undefined;
    recordCacheSpans(loaded, parsed.manifest);
    const root = loaded.root;
    const { state, defer } = stateOf(loaded, parsed, opts);
    const { graph, selected, warnings } = selectFromManifest(
      loaded.projectDir,
      parsed.manifest,
      { select: opts.select, exclude: opts.exclude, selector: opts.selector, indirectSelection: opts.indirectSelection, resourceTypes: opts.resourceTypes, excludeResourceTypes: opts.excludeResourceTypes, state },
      defaultResourceTypes,
      whole || (selective && none),
    );
    // A build's, with its test edges, costs more (0.2-0.8 s at 10,000 models): written at its end, while the database closes (api/run.ts).
    if (which !== 'build') writeSummary(targetDirOf(loaded), graph, loaded.invocationId, false, parsed.manifest);
    // No more workers than nodes to run: each costs its own start (about 0.3 s of CPU).
    const needed = workers > 0 ? Math.min(workers, Math.max(1, runnableCount(parsed, selected))) : 0;
    if (pool) {
      await pool.trim(needed);
      // A worker that found the parse cache out of date waits for this parse's cache rather than parsing itself.
      pool.parsed();
    }
    bridge = await opening;
    if (bridge.startedEarly) loaded.logger.debug('Connection worker: started by bin/tsdbt.js before the CLI loaded');
    if (!pool && workers > 0) {
      pool = spawnRenderPool(loaded, needed, which, opts);
      pool.parsed();
    }
    const session = new DatabaseSession(loaded.adapter, bridge);
    logStatements(session, loaded);
    const { shared, compiler, runner } = runtimeOn(loaded, parsed, session, flags, [...selected], 'Thread-1', defer);
    if (defer) checkDeferTargets(shared, selected);
    ResultTable.printer = (text) => loaded.logger.info(text);
    if (pool) {
      const sync = new CacheSync(session.cache, loaded.adapter, false);
      pool.onCacheEvents((events) => sync.apply(events));
      // Nodes read as used (lazy-cache-body.ts) are not all read here.
      pool.setNodes(mergedMembers<CompiledNode>(parsed.manifest.nodes, parsed.manifest.unit_tests as Record<string, CompiledNode>));
      const main = bridge;
      await pool.connect(() => main.openSession(), shared.selectedResources);
    }
    const opened = bridge;
    let closing: Promise<void> | undefined;
    let releasing: Promise<void> | undefined;
    let released = false;
    const release = () =>
      (releasing ??= (async () => {
        await pool?.close();
        session.commit();
        released = true;
      })());
    return {
      loaded,
      parsed,
      root,
      graph,
      selected,
      session,
      bridge,
      shared,
      compiler,
      runner,
      targetDir: targetDirOf(loaded),
      warnings: [...parsed.warnings, ...warnings],
      renderPool: pool as RenderPool | null,
      asParsedMutators,
      release,
      // Once released, the database's close is sent at once (before this returns), so the caller's work overlaps it.
      close: () =>
        (closing ??= released
          ? opened.close().finally(() => releaseLazyReads(parsed.manifest))
          : (async () => {
              try {
                await release();
              } finally {
                releaseLazyReads(parsed.manifest);
                await opened.close();
              }
            })()),
    };
  } catch (e) {
    if (lazilyRead) releaseLazyReads(lazilyRead);
    await (pool as RenderPool | null)?.close();
    // Opened (or still opening) for nothing: close it once it is.
    await (bridge ? bridge.close() : opening.then((b) => b.close(), () => undefined));
    throw e;
  }
}

/**
 * How many render workers to start for `threads` of them. With the embedded
 * DuckDB every statement competes for this machine's cores, so workers
 * beyond the cores (at least two, so threads > 1 still runs nodes side by
 * side) only add their own start and contention: at threads 4 on 2 cores (a
 * shared box, load 8–16), `test` of 6,000 data tests took 2.5–4 s less CPU
 * (of 17–23 s) and ~190 MB less memory with two workers than with four. A client-server database (Snowflake) waits on the network
 * instead, so it keeps one worker a thread; so does TSDBT_FAST_PATHS=0.
 * The queue still hands out up to `threads` nodes; the extra ones wait for a lane.
 */
export function renderLanes(threads: number, adapterType: string, cores = availableParallelism()): number {
  if (threads <= 2 || adapterType !== 'duckdb' || !fastPaths()) return threads;
  return Math.min(threads, Math.max(2, cores));
}

/** The --state comparison and the --defer relations of this invocation. */
function stateOf(loaded: LoadedProject, parsed: ParseResult, opts: ExecutionOptions) {
  const { state, defer } = resolveStateOptions(loaded.projectDir, targetDirOf(loaded), opts);
  const relations = defer ? deferRelationsOf(defer.state, new Set(Object.keys(parsed.manifest.nodes))) : undefined;
  return { state, defer: relations ? { relations, favorState: defer!.favorState } : undefined };
}

/** Selected nodes a render worker would run (ephemeral models, sources and the like only order the rest). */
function runnableCount(parsed: ParseResult, selected: Set<string>): number {
  let n = 0;
  for (const id of selected) {
    const node = parsed.manifest.nodes[id] ?? parsed.manifest.unit_tests[id];
    if (!isRunnable(node)) continue;
    // A microbatch model's batches may take every thread (concurrent_batches).
    if (isMicrobatch(node) && node.config.concurrent_batches !== false) return Infinity;
    n++;
  }
  return n;
}

/** Render workers for this invocation: each loads and parses the project itself, as this invocation (same id and start time). */
function spawnRenderPool(loaded: LoadedProject, threads: number, which: string, opts: WindowedOptions): RenderPool {
  const args: RenderWorkerArgs = {
    opts: {
      projectDir: loaded.projectDir,
      profilesDir: opts.profilesDir,
      target: opts.target,
      vars: opts.vars,
      threads: opts.threads,
      env: { ...loaded.env },
      fullRefresh: opts.fullRefresh,
      failFast: opts.failFast,
      empty: opts.empty,
      warnError: opts.warnError,
      storeFailures: opts.storeFailures,
      state: opts.state,
      defer: opts.defer,
      deferState: opts.deferState,
      favorState: opts.favorState,
      eventTimeStart: opts.eventTimeStart,
      eventTimeEnd: opts.eventTimeEnd,
      sample: opts.sample,
      microbatchRetry: opts.microbatchRetry,
      profile: opts.profile,
      targetPath: opts.targetPath,
      partialParse: loaded.partialParse,
      writeJson: loaded.writeJson,
    },
    mappedReads: fastPaths() && indexSelects(loaded.projectDir, opts),
    which,
    invocationId: loaded.invocationId,
    runStartedAt: loaded.runStartedAt.toISOString(),
    // Debug lines (one per statement) only cross threads when someone listens.
    debug: loaded.logger !== silentLogger,
  };
  const logger = loaded.logger;
  const log = { info: logger.info.bind(logger), debug: logger.debug.bind(logger), warn: logger.warn.bind(logger), jinja: jinjaInfoOf(logger), print: printedOf(logger) };
  return RenderPool.spawn({
    threads,
    setup: { module: siblingModule(import.meta.url, 'execution'), export: 'prepareWorkerExecution', args },
    onLog: (level, text) => log[level](text),
  });
}

/**
 * A render worker's parse cache check: the cache as it is when it is current
 * (nothing changed since it was written: the worker reads it while the
 * coordinator reads it too); otherwise the cache once the coordinator has
 * parsed (`coordinatorParsed`), which has written it: reading that costs a
 * worker much less than the full or partial parse the coordinator made. (If
 * the coordinator could not write it, the worker parses as it would have.)
 * Undefined without partial parsing.
 */
async function currentParseCache(loaded: LoadedProject, flags: Record<string, unknown>, coordinatorParsed: Promise<void>): Promise<ParseCacheCheck | undefined> {
  if (!loaded.partialParse) return undefined;
  const check = checkParseCache(loaded, flags);
  if (nothingChangedSince(check)) return check;
  check.cache?.close();
  await coordinatorParsed;
  return checkParseCache(loaded, flags);
}

/** What a render worker is told (structured clone): how to load the same project, as this invocation. */
export interface RenderWorkerArgs {
  opts: WindowedOptions;
  which: string;
  invocationId: string;
  runStartedAt: string;
  /** Whether to send debug lines (each statement) back to the coordinator's logger. */
  debug: boolean;
  /** The command's selection is one the selection index answers: nodes are read from the parse cache as used, where its splice map says. */
  mappedReads?: boolean;
}

/**
 * A render worker's setup (named by RenderPool's RenderSetup): load and parse
 * the project as the coordinator does (same invocation id and start time),
 * then, given the worker's session, a runtime context on it. Logs go back to
 * the coordinator through `log`.
 */
export async function prepareWorkerExecution(args: RenderWorkerArgs, threadId: string, log: (level: LogLevelName, text: string) => void, coordinatorParsed: Promise<void> = Promise.resolve()): Promise<PreparedWorker> {
  const logger: Logger = { info: (m) => log('info', m), debug: args.debug ? (m) => log('debug', m) : () => undefined, warn: (m) => log('warn', m), jinjaInfo: (m) => log('jinja', m), printed: (m) => log('print', m) };
  const loaded = loadProject({ ...args.opts, logger });
  loaded.invocationId = args.invocationId;
  loaded.runStartedAt = new Date(args.runStartedAt);
  const flags = flagsOf(args.opts, args.which, loaded);
  // The coordinator writes the parse cache; a worker only reads it.
  // Nodes are read from the cache as this worker first uses them (it runs a share of them).
  // With a selection the index answers, each node from where the splice map says, the file opened for each read
  // (a worker may be stopped without closing anything).
  const mapped = args.mappedReads === true;
  const parsed = parseLoaded(loaded, { flags, writeCache: false, check: await currentParseCache(loaded, flags, coordinatorParsed), lazyNodes: mapped ? 'mapped' : true, lazyReadsReopen: true });
  const { defer } = stateOf(loaded, parsed, args.opts);
  ResultTable.printer = (text) => logger.info(text);
  const { nodes, unit_tests } = parsed.manifest;
  const node = (id: string): CompiledNode | undefined => (Object.hasOwn(unit_tests, id) ? (unit_tests[id] as CompiledNode) : Object.hasOwn(nodes, id) ? nodes[id] : undefined);
  return {
    connect: (bridge, selected) => {
      const session = new DatabaseSession(loaded.adapter, bridge);
      logStatements(session, loaded);
      // A batch's other test results go to the coordinator with the node's (see RenderPool.take): it hands them out
      // in their turn without a message to a worker each, at threads 1 too.
      const { runner } = runtimeOn(loaded, parsed, session, flags, selected, threadId, defer, true);
      return {
        node,
        session,
        run: (node, step) => runner.run(node, step),
        takeBatched: () => runner.takeBatched(),
        shareGraph: (entries) => setGraphEntries(parsed.manifest, entries),
        close: async () => {
          try {
            session.rollbackIfOpen();
          } finally {
            await bridge.close();
          }
        },
      };
    },
  };
}
