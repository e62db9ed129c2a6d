import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import { isoTime } from './microbatch-batches.js';
import type { MicrobatchPlan } from './microbatch-step.js';
import type { NodeResult, NodeStatus } from './node-result.js';
import type { NodeLane, NodeLanes } from './render-pool.js';

/** One batch as progress output names it (dbt's LogStartBatch / LogBatchResult). */
export interface BatchInfo {
  /** 1-based, in run order. */
  index: number;
  total: number;
  /** `2024-01-01` (dbt's format_batch_start). */
  name: string;
  /** Whether it runs alongside other batches (dbt's MicrobatchExecutionDebug). */
  concurrent: boolean;
}

export interface BatchListener {
  onBatchStart?: (node: CompiledNode, batch: BatchInfo) => void;
  /** A batch's result; `skipped` when the first batch failed and the rest were not run. */
  onBatchResult?: (result: NodeResult, batch: BatchInfo) => void;
}

/**
 * Runs a microbatch model as dbt 1.9/1.10's MicrobatchModelRunner orders
 * it: plan, then the first batch alone (it may create the table); if it
 * failed, every other batch is skipped (and recorded failed). The batches
 * in between run on up to `threads` lanes at once when the plan says they
 * may (the node's own lane plus any lane that comes free), else one after
 * another; the last batch runs alone once they have all finished (it runs
 * the post-hooks). The node's result merges the batches': success, error
 * (none succeeded) or `partial success`, sorted `batch_results`, and the
 * batches' execution times summed, as dbt does.
 */
export async function runMicrobatch(node: CompiledNode, lane: NodeLane, lanes: NodeLanes, threads: number, listener: BatchListener = {}): Promise<NodeResult> {
  const planned = await lane.run(node, { kind: 'plan' });
  const plan = planned.microbatch_plan;
  if (planned.status === 'error' || !plan) return { ...planned, microbatch_plan: undefined };
  const total = plan.batches.length;
  const results: NodeResult[] = [];
  const info = (i: number, concurrent: boolean): BatchInfo => ({ index: i + 1, total, name: plan.names[i]!, concurrent });
  const runOne = async (i: number, on: NodeLane, concurrent = false) => {
    const b = info(i, concurrent);
    listener.onBatchStart?.(node, b);
    const r = await on.run(node, { kind: 'batch', plan, index: i });
    results[i] = r;
    listener.onBatchResult?.(r, b);
  };
  const skipOne = (i: number) => {
    const r = skippedBatch(node, plan, i, lane.threadId);
    results[i] = r;
    listener.onBatchResult?.(r, info(i, false));
  };
  if (total > 0) await runOne(0, lane);
  const skip = total > 0 && results[0]!.status !== 'success';
  const middle = Array.from({ length: Math.max(0, total - 2) }, (_, k) => k + 1);
  if (skip) middle.forEach(skipOne);
  else if (plan.concurrent && threads > 1 && middle.length > 1) await runConcurrently(middle, lane, lanes, threads, (i, on) => runOne(i, on, true));
  else for (const i of middle) await runOne(i, lane);
  if (total > 1) {
    if (skip) skipOne(total - 1);
    else await runOne(total - 1, lane);
  }
  return mergeBatches(planned, plan, results);
}

/**
 * The batches `indices` on the node's own lane and on up to threads-1 more:
 * each helper waits for a lane to come free and takes batches until none are
 * left. A helper that gets a lane after the last batch was taken gives it
 * straight back; only batches actually running are waited for, so a lane
 * that never comes free cannot hold the node up.
 */
async function runConcurrently(indices: number[], own: NodeLane, lanes: NodeLanes, threads: number, runOne: (i: number, on: NodeLane) => Promise<void>): Promise<void> {
  const queue = [...indices];
  const running = new Set<Promise<void>>();
  const drain = async (on: NodeLane) => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) await runOne(i, on);
  };
  const helpers = Math.min(threads, indices.length) - 1;
  for (let h = 0; h < helpers; h++) {
    void lanes.acquire().then((extra) => {
      if (queue.length === 0) return lanes.release(extra);
      const work = drain(extra).finally(() => {
        running.delete(work);
        lanes.release(extra);
      });
      // Awaited below; observed now so a lane that fails first is not an unhandled rejection.
      work.catch(() => undefined);
      running.add(work);
    });
  }
  await drain(own);
  while (running.size > 0) await Promise.all([...running]);
}

/** A batch not run because the first batch failed: dbt records it failed and prints SKIP. */
function skippedBatch(node: CompiledNode, plan: MicrobatchPlan, i: number, threadId: string): NodeResult {
  const [s, e] = plan.batches[i]!;
  return {
    unique_id: node.unique_id, node, status: 'skipped', timing: [], thread_id: threadId, execution_time: 0, adapter_response: {}, message: 'SKIPPED',
    failures: 1, compiled_path: null, statements: [], sql_ms: 0, batch_results: { successful: [], failed: [[isoTime(s), isoTime(e)]] },
  };
}

function mergeBatches(planned: NodeResult, plan: MicrobatchPlan, results: NodeResult[]): NodeResult {
  const node = planned.node;
  const successful = results.flatMap((r) => r.batch_results?.successful ?? []).sort(byStart);
  const failed = results.flatMap((r) => r.batch_results?.failed ?? []).sort(byStart);
  const ok = successful.length;
  const bad = failed.length;
  const status: NodeStatus = bad === 0 ? 'success' : ok === 0 ? 'error' : 'partial success';
  const message = bad === 0 ? 'SUCCESS' : ok === 0 ? 'ERROR' : `PARTIAL SUCCESS (${ok}/${ok + bad})`;
  const errors = results.map((r, i) => [r, i] as const).filter(([r]) => r.error);
  const error = errors.length > 0
    ? new TsdbtError(errors[0]![0].error!.code, `${bad} of ${ok + bad} batches of microbatch model ${node.name} failed:\n${errors.map(([r, i]) => `  batch ${isoTime(plan.batches[i]![0])}: ${r.error!.message}`).join('\n')}`, { file: node.original_file_path, hint: "Fix the cause, then 'tsdbt retry' re-runs only the failed batches." })
    : undefined;
  const ran = results.filter((r) => r.status !== 'skipped');
  const last = [...ran].reverse().find((r) => r.status === 'success') ?? ran.at(-1);
  const started = ran.flatMap((r) => r.timing.map((t) => t.started_at)).sort()[0];
  const completed = ran.flatMap((r) => r.timing.map((t) => t.completed_at)).sort().at(-1);
  return {
    ...planned,
    microbatch_plan: undefined,
    status,
    message,
    timing: started && completed ? [{ name: 'execute', started_at: started, completed_at: completed }] : [],
    execution_time: results.reduce((s, r) => s + r.execution_time, 0),
    adapter_response: last?.adapter_response ?? {},
    compiled_path: last?.compiled_path ?? null,
    compiled_code: last?.compiled_code,
    statements: results.flatMap((r) => r.statements),
    sql_ms: results.reduce((s, r) => s + r.sql_ms, planned.sql_ms),
    // As dbt: a retry's result also lists the batches that succeeded before.
    batch_results: { successful: [...successful, ...plan.previousSuccessful], failed },
    ...(error ? { error } : {}),
  };
}

const byStart = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
