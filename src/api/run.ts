import type { TsdbtError } from '../errors/tsdbt-error.js';
import { writeCommandArtifacts } from './command-artifacts.js';
import { mergedMembers } from '../util/lazy-members.js';
import type { BatchListener } from '../execute/microbatch-orchestrator.js';
import { executeNodes, isRunnable, skippedResult } from '../execute/execute-nodes.js';
import type { HookPosition, NodeResult } from '../execute/node-result.js';
import { createSchemas, hookResultsView, runProjectHooks, type OperationScope } from '../execute/operations.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { addedGraphEntries } from '../context/runtime-context.js';
import { secretVarValues } from '../context/vars.js';
import { sampleSeeds, type SeedSample } from './seed-samples.js';
import { openExecution, writeSummary, type Execution, type ExecutionOptions } from './execution.js';
import { hooksInRunOrder, projectHookNodes } from '../project/hook-nodes.js';

export type NodeCommand = 'run' | 'seed' | 'test' | 'snapshot' | 'build';

/** The resource types each command acts on: `test` runs data and unit tests (dbt 1.8); `build` runs unit tests before their model. */
export const COMMAND_RESOURCE_TYPES: Record<NodeCommand, string[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  snapshot: ['snapshot'],
  build: ['model', 'seed', 'snapshot', 'test', 'unit_test'],
};

/** What every node command returns; the CLI maps it to output and an exit code (see exitCodeOf). */
export interface CommandResult {
  command: string;
  /** False when a node errored or a test failed (or a warning under --warn-error). */
  success: boolean;
  /** Hooks and nodes in the order they finished (skips after their cause). */
  results: NodeResult[];
  /** Seconds. */
  elapsed: number;
  runResultsPath: string;
  manifestPath: string;
  warnings: string[];
  invocationId: string;
  /** True when `signal` aborted the run (Ctrl-C): nodes not yet started were skipped, on-run-end hooks did not run. */
  cancelled: boolean;
  /** True when nothing was selected: dbt's NothingToDo, no hooks and no `Finished running` line. */
  nothingToDo?: boolean;
  /**
   * run_results.json or manifest.json could not be written (a full disk):
   * TARGET_WRITE errors naming the file. The results above are still
   * complete, so the nodes' own errors can be shown; `success` is false.
   */
  artifactErrors: TsdbtError[];
  /** `seed --show`: a random sample of each seed loaded (seed-samples.ts). */
  seedSamples?: SeedSample[];
}

/** What a run knows before its first node: for dbt's header lines. */
export interface RunReadyInfo {
  manifest: Manifest;
  /** The nodes that will run (the N of "1 of N"). */
  total: number;
  threads: number;
  targetName: string;
  adapterType: string;
  invocationId: string;
  /** Nothing was selected: no node and no hook will run (dbt prints no Concurrency line then). */
  nothingToDo?: boolean;
}

/** Options of `run`, `seed`, `test`, `snapshot`, `build`. */
export type RunOptions = ExecutionOptions & BatchListener & {
  onResult?: (r: NodeResult) => void;
  /** Called as each node starts (the CLI prints dbt's START line). */
  /** A node, or an on-run-start/end hook (with its position), starts. */
  onStart?: (node: CompiledNode, hook?: HookPosition) => void;
  /** Called once the project is parsed and the nodes selected, before any runs (the CLI prints dbt's header). */
  onReady?: (info: RunReadyInfo) => void;
  /**
   * Abort it to cancel the run (the CLI does on SIGINT/SIGTERM): running
   * statements are cancelled on every session, their nodes fail and roll
   * back, nodes not yet started are skipped, run_results.json is written.
   * Given a signal, nodes run in render workers even with one thread (the
   * calling thread must stay free to notice the abort).
   */
  signal?: AbortSignal;
  /** `seed --show`: take a random sample of each seed loaded, for the CLI to print (CommandResult.seedSamples). */
  showSeeds?: boolean;
};

export const run = (opts: RunOptions = {}) => runNodeCommand('run', opts);
export const seed = (opts: RunOptions = {}) => runNodeCommand('seed', opts);
export const test = (opts: RunOptions = {}) => runNodeCommand('test', opts);
export const snapshot = (opts: RunOptions = {}) => runNodeCommand('snapshot', opts);
export const build = (opts: RunOptions = {}) => runNodeCommand('build', opts);

/** run / seed / test / snapshot / build: select, create schemas, on-run-start, the nodes in DAG order, on-run-end, artifacts. */
export async function runNodeCommand(which: NodeCommand, opts: RunOptions = {}): Promise<CommandResult> {
  const exec = await openExecution(opts, which, COMMAND_RESOURCE_TYPES[which], { renderWorkers: renderWorkersFor(opts) });
  try {
    return await executeSelected(exec, which, opts, exec.selected);
  } finally {
    await exec.close();
  }
}

/**
 * How many render workers a node command uses: `threads` of them when more
 * than one, and one when the run can be cancelled (the calling thread must
 * stay free to notice); none otherwise (threads 1 runs on the calling thread).
 */
export function renderWorkersFor(opts: RunOptions): (loaded: { threads: number }) => number {
  return (loaded) => {
    const threads = Math.max(1, opts.threads ?? loaded.threads);
    return threads > 1 || opts.signal !== undefined ? threads : 0;
  };
}

/** dbt's NothingToDo warning. */
export const NOTHING_TO_DO = 'Nothing to do. Try checking your model configs and model specification args';

/** Run an already-opened execution over `selected` (retry uses this with its own selection). */
export async function executeSelected(exec: Execution, which: string, opts: RunOptions, selected: Set<string>): Promise<CommandResult> {
  const started = performance.now();
  const manifest = exec.parsed.manifest;
  const scope: OperationScope = { shared: exec.shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir };
  // Nodes read from the parse cache as used (api/lazy-cache-body.ts) are read only when selected.
  const runnable = mergedMembers<CompiledNode>(manifest.nodes, manifest.unit_tests as Record<string, CompiledNode>);
  const hooks = projectHookNodes(exec.loaded.packages, { schema: exec.session.info.schema, database: exec.session.info.database });
  const nodes = [...selected].map((id) => runnable[id]).filter((n): n is CompiledNode => n !== undefined);
  const results: NodeResult[] = [];
  const onResult = (r: NodeResult) => {
    // Secrets (env vars marked DBT_ENV_SECRET_, passwords) never reach a message or an artifact.
    const { secrets } = exec.loaded;
    if (r.message) r.message = secrets.redact(r.message);
    // The error object is printed too (a database error quotes the failing SQL, literals included).
    if (r.error) {
      r.error.message = secrets.redact(r.error.message);
      if (r.error.hint) r.error.hint = secrets.redact(r.error.hint);
    }
    results.push(r);
    opts.onResult?.(r);
  };
  const threads = Math.max(1, opts.threads ?? exec.loaded.threads);
  const pool = exec.renderPool;
  const heartbeat: { timer?: NodeJS.Timeout } = {};
  const onAbort = () => {
    pool?.cancel();
    // Repeated while nodes finish: a statement sent just as the first cancel went out is caught by the next.
    const cancelAll = () => exec.bridge.cancelAllSync();
    cancelAll();
    heartbeat.timer = setInterval(cancelAll, 250);
  };
  const ready = { manifest, total: nodes.filter(isRunnable).length, threads, targetName: exec.loaded.profile.targetName, adapterType: exec.loaded.adapter.type, invocationId: exec.loaded.invocationId };
  opts.onWarnings?.(exec.warnings);
  // As dbt: with nothing selected a run warns and ends at once, running no hooks either.
  if (nodes.length === 0) {
    opts.onReady?.({ ...ready, nothingToDo: true });
    exec.warnings.push(NOTHING_TO_DO);
    return { ...commandResult(exec, which, [], (performance.now() - started) / 1000, runArgs(exec, which, opts), true, false), nothingToDo: true };
  }
  opts.onReady?.(ready);
  try {
    // As dbt 1.10's before_run: the selected models' schemas exist before the on-run-start hooks run.
    try {
      createSchemas(scope, nodes);
    } catch (e) {
      exec.session.rollbackIfOpen();
      throw e;
    }
    runProjectHooks(scope, 'on-run-start', hooksInRunOrder(hooks, 'on-run-start', exec.root.name), {}, { onStart: opts.onStart, onResult });
    // dbt 1.10 runs the nodes after a failed on-run-start hook unless the project sets the behaviour flag.
    const startFailed = results.some((r) => r.status === 'error') && exec.root.flags?.skip_nodes_if_on_run_start_fails === true;
    if (startFailed) {
      for (const n of nodes) if (n.config.materialized !== 'ephemeral') onResult(skippedResult(n, 'Skipping because an on-run-start hook failed'));
    } else {
      if (pool) {
        // Schemas and on-run-start hooks are committed before other sessions build in them.
        exec.session.commit();
        // What the hooks added to `graph` every node sees, as in dbt's one shared flat graph.
        const { entries, skipped } = addedGraphEntries(exec.shared.manifest);
        if (Object.keys(entries).length > 0) pool.shareGraph(entries);
        if (skipped.length > 0) exec.warnings.push(`graph entries set by on-run-start hooks that render workers do not see (not plain data): ${skipped.join(', ')}`);
        await pool.ready();
        if (opts.signal?.aborted) onAbort();
        else opts.signal?.addEventListener('abort', onAbort, { once: true });
      }
      await executeNodes({
        graph: exec.graph,
        selected,
        nodes: runnable,
        lanes: pool ?? exec.runner,
        threads,
        failFast: opts.failFast,
        warnError: opts.warnError ? '--warn-error' : opts.testWarnsAsError ? '--warn-error-options' : undefined,
        testEdges: which === 'build',
        onResult,
        onStart: opts.onStart,
        onBatchStart: opts.onBatchStart,
        onBatchResult: opts.onBatchResult,
        signal: opts.signal,
        cancelRunning: pool ? onAbort : undefined,
      });
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (heartbeat.timer) clearInterval(heartbeat.timer);
  }
  const cancelled = opts.signal?.aborted === true;
  // Render workers leave their last node's commit to a next statement (a lone one always, others after a node nothing reads): sent now, before this session goes on.
  await pool?.settle();
  exec.session.commit();
  const schemaPairs = new Map<string, [string | null, string]>();
  for (const n of nodes) if (n.config.materialized !== 'ephemeral' && n.resource_type !== 'test' && n.resource_type !== 'unit_test') schemaPairs.set(`${n.database}.${n.schema}`, [n.database, n.schema]);
  // As dbt's after_run: the nodes' results and the hooks that failed.
  const nodeResults = results.filter((r) => r.node.resource_type !== 'operation' || r.status === 'error');
  // As dbt: a cancelled run ends without its on-run-end hooks.
  if (!cancelled) runProjectHooks(scope, 'on-run-end', hooksInRunOrder(hooks, 'on-run-end', exec.root.name), {
    results: hookResultsView(nodeResults),
    schemas: [...new Set([...schemaPairs.values()].map(([, s]) => s))],
    database_schemas: [...schemaPairs.values()],
  }, { onStart: opts.onStart, onResult });
  const elapsed = (performance.now() - started) / 1000;
  const seedSamples = opts.showSeeds && !cancelled ? sampleSeeds(exec.session, results) : undefined;
  const args = runArgs(exec, which, opts);
  const success = !cancelled && !results.some((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success');
  // Nothing more goes to the database: it closes (DuckDB writes its checkpoint) while the artifacts are written.
  // (If releasing the workers fails, close() reports it after the artifacts, as before.)
  let closing: Promise<void> | undefined;
  try {
    await exec.release();
    closing = exec.close();
    closing.catch(() => undefined);
  } catch {
    // Reported by close() below, once the artifacts are written.
  }
  const result = commandResult(exec, which, results, elapsed, args, success, cancelled);
  await (closing ?? exec.close());
  return seedSamples ? { ...result, seedSamples } : result;
}

/** run_results.json's `args` for a node command; secrets in `--vars` written as `*****`, as dbt 1.10 writes them (though each var keeps its type: dbt turns every value into Python's text of it). */
function runArgs(exec: Execution, which: string, opts: RunOptions): Record<string, unknown> {
  return { which, select: opts.select ?? [], exclude: opts.exclude ?? [], selector: opts.selector ?? null, full_refresh: Boolean(opts.fullRefresh), empty: Boolean(opts.empty), threads: opts.threads ?? exec.loaded.threads, vars: exec.loaded.secrets.redactValue(exec.loaded.cliVars, secretVarValues(exec.loaded.cliVars)), warn_error: Boolean(opts.warnError), fail_fast: Boolean(opts.failFast), event_time_start: opts.eventTimeStart ?? null, event_time_end: opts.eventTimeEnd ?? null };
}

/** Write run_results.json and the manifest of a finished command and describe it. */
export function commandResult(exec: Execution, which: string, results: NodeResult[], elapsed: number, args: Record<string, unknown>, success: boolean, cancelled: boolean): CommandResult {
  // dbt writes it before the nodes run; its test edges' cost is taken here instead, where the database closes meanwhile.
  if (which === 'build') writeSummary(exec.targetDir, exec.graph, exec.loaded.invocationId, true, exec.parsed.manifest);
  const written = writeCommandArtifacts(exec, results, { invocationId: exec.loaded.invocationId, elapsed, args });
  return { command: which, success: success && written.artifactErrors.length === 0, results, elapsed, ...written, warnings: exec.warnings, invocationId: exec.loaded.invocationId, cancelled };
}
