import { writeManifest } from '../artifacts/manifest-writer.js';
import { runResultsJson, writeRunResults } from '../artifacts/run-results.js';
import { executeNodes, skippedResult } from '../execute/execute-nodes.js';
import type { NodeResult } from '../execute/node-result.js';
import { createSchemas, hookResultsView, runProjectHooks, type OperationScope } from '../execute/operations.js';
import type { CompiledNode } from '../manifest/types.js';
import { openExecution, type Execution, type ExecutionOptions } from './execution.js';

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
}

/** Options of `run`, `seed`, `test`, `snapshot`, `build`. */
export type RunOptions = ExecutionOptions & { onResult?: (r: NodeResult) => void };

export const run = (opts: RunOptions = {}) => runNodeCommand('run', opts);
export const seed = (opts: RunOptions = {}) => runNodeCommand('seed', opts);
export const test = (opts: RunOptions = {}) => runNodeCommand('test', opts);
export const snapshot = (opts: RunOptions = {}) => runNodeCommand('snapshot', opts);
export const build = (opts: RunOptions = {}) => runNodeCommand('build', opts);

/** run / seed / test / snapshot / build: select, create schemas, on-run-start, the nodes in DAG order, on-run-end, artifacts. */
export async function runNodeCommand(which: NodeCommand, opts: RunOptions = {}): Promise<CommandResult> {
  const exec = await openExecution(opts, which, COMMAND_RESOURCE_TYPES[which]);
  try {
    return await executeSelected(exec, which, opts, exec.selected);
  } finally {
    await exec.close();
  }
}

/** Run an already-opened execution over `selected` (retry uses this with its own selection). */
export async function executeSelected(exec: Execution, which: string, opts: RunOptions, selected: Set<string>): Promise<CommandResult> {
  const started = performance.now();
  const manifest = exec.parsed.manifest;
  const scope: OperationScope = { shared: exec.shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir };
  const runnable: Record<string, CompiledNode> = { ...manifest.nodes, ...manifest.unit_tests };
  const nodes = [...selected].map((id) => runnable[id]).filter((n): n is CompiledNode => n !== undefined);
  const results: NodeResult[] = [];
  const onResult = (r: NodeResult) => {
    // Secrets (env vars marked DBT_ENV_SECRET_, passwords) never reach a message or an artifact.
    if (r.message) r.message = exec.loaded.secrets.redact(r.message);
    results.push(r);
    opts.onResult?.(r);
  };
  for (const r of runProjectHooks(scope, 'on-run-start', exec.root.onRunStart)) onResult(r);
  const startFailed = results.some((r) => r.status === 'error');
  if (startFailed) {
    for (const n of nodes) if (n.config.materialized !== 'ephemeral') onResult(skippedResult(n, 'Skipping because an on-run-start hook failed'));
  } else {
    try {
      createSchemas(scope, nodes);
    } catch (e) {
      exec.session.rollbackIfOpen();
      throw e;
    }
    await executeNodes({
      graph: exec.graph,
      selected,
      nodes: runnable,
      runner: exec.runner,
      threads: opts.threads ?? exec.loaded.threads,
      failFast: opts.failFast,
      warnError: opts.warnError,
      testEdges: which === 'build',
      onResult,
    });
  }
  exec.session.commit();
  const schemaPairs = new Map<string, [string | null, string]>();
  for (const n of nodes) if (n.config.materialized !== 'ephemeral' && n.resource_type !== 'test' && n.resource_type !== 'unit_test') schemaPairs.set(`${n.database}.${n.schema}`, [n.database, n.schema]);
  const nodeResults = results.filter((r) => r.node.resource_type !== 'operation');
  for (const r of runProjectHooks(scope, 'on-run-end', exec.root.onRunEnd, {
    results: hookResultsView(nodeResults),
    schemas: [...new Set([...schemaPairs.values()].map(([, s]) => s))],
    database_schemas: [...schemaPairs.values()],
  })) onResult(r);
  const elapsed = (performance.now() - started) / 1000;
  const args = { which, select: opts.select ?? [], exclude: opts.exclude ?? [], selector: opts.selector ?? null, full_refresh: Boolean(opts.fullRefresh), empty: Boolean(opts.empty), threads: opts.threads ?? exec.loaded.threads, vars: exec.loaded.cliVars, warn_error: Boolean(opts.warnError), fail_fast: Boolean(opts.failFast) };
  const runResultsPath = writeRunResults(exec.targetDir, runResultsJson(results, { invocationId: exec.loaded.invocationId, elapsed, args }));
  const manifestPath = writeManifest(exec.targetDir, manifest);
  return {
    command: which,
    success: !results.some((r) => r.status === 'error' || r.status === 'fail'),
    results,
    elapsed,
    runResultsPath,
    manifestPath,
    warnings: exec.warnings,
    invocationId: exec.loaded.invocationId,
  };
}
