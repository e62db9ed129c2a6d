import { resolve } from 'node:path';
import { readRunResults } from '../artifacts/run-results.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { loadProject } from './load-project.js';
import { openExecution, type ExecutionOptions } from './execution.js';
import { COMMAND_RESOURCE_TYPES, executeSelected, renderWorkersFor, type CommandResult, type NodeCommand, type RunOptions } from './run.js';
import { targetDirOf } from './target-dir.js';

const RETRY_STATUSES = new Set(['error', 'fail', 'skipped', 'runtime error', 'partial success']);

/**
 * `retry`: read target/run_results.json and run the same command again over
 * the nodes that errored, failed or were skipped, with the flags it ran
 * with (full_refresh, empty, vars...). Nothing to retry → an empty, successful result.
 */
export async function retry(opts: ExecutionOptions & Pick<RunOptions, 'onResult' | 'onStart' | 'onReady' | 'signal' | 'onBatchStart' | 'onBatchResult'> = {}): Promise<CommandResult> {
  const projectDir = resolve(opts.projectDir ?? process.cwd());
  const loaded = loadProject({ ...opts, projectDir });
  const previous = readRunResults(targetDirOf(loaded));
  const args = previous.args ?? {};
  const which = String(args.which ?? '') as NodeCommand;
  if (!(which in COMMAND_RESOURCE_TYPES)) {
    throw new TsdbtError('USAGE', `retry re-runs run, seed, test, snapshot or build; the last command was '${which || 'unknown'}'`, { hint: 'Run one of those commands first.' });
  }
  const ids = previous.results.filter((r) => RETRY_STATUSES.has(r.status) && !r.unique_id.startsWith('operation.')).map((r) => r.unique_id);
  // A microbatch model that partly succeeded re-runs only its failed batches (dbt 1.9).
  const microbatchRetry: NonNullable<ExecutionOptions['microbatchRetry']> = {};
  for (const r of previous.results) {
    if (r.status === 'partial success' && r.batch_results && r.batch_results.failed.length > 0) microbatchRetry[r.unique_id] = r.batch_results;
  }
  const runOpts: RunOptions = {
    ...opts,
    projectDir,
    fullRefresh: Boolean(args.full_refresh),
    empty: Boolean(args.empty),
    warnError: Boolean(args.warn_error),
    failFast: Boolean(args.fail_fast),
    vars: opts.vars ?? (args.vars as Record<string, unknown> | undefined),
    eventTimeStart: opts.eventTimeStart ?? (args.event_time_start as string | undefined) ?? undefined,
    eventTimeEnd: opts.eventTimeEnd ?? (args.event_time_end as string | undefined) ?? undefined,
    microbatchRetry,
  };
  const exec = await openExecution(runOpts, which, COMMAND_RESOURCE_TYPES[which], { renderWorkers: renderWorkersFor(runOpts) });
  try {
    const selected = new Set(ids.filter((id) => exec.parsed.manifest.nodes[id]));
    return await executeSelected(exec, which, { ...runOpts, select: [...selected] }, selected);
  } finally {
    await exec.close();
  }
}
