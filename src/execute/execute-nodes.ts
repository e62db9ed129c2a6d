import type { DependencyGraph } from '../graph/index.js';
import { ReadyQueue } from '../graph/index.js';
import type { CompiledNode } from '../manifest/types.js';
import type { NodeResult } from './node-result.js';
import { CANCELLED_MESSAGE } from '../adapters/base/sync-bridge.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { InProcessLanes, type NodeLane, type NodeLanes } from './render-pool.js';
import { isMicrobatch } from './microbatch-runner.js';
import { runMicrobatch, type BatchListener } from './microbatch-orchestrator.js';
import type { MicrobatchStep } from './microbatch-step.js';
import { pythonModelError } from './python-model-error.js';

export interface ExecuteNodesOptions extends BatchListener {
  graph: DependencyGraph;
  selected: Set<string>;
  nodes: Record<string, CompiledNode>;
  /** Where nodes run: render workers (RenderPool), or a runner on this thread. */
  lanes: NodeLanes | { run(node: CompiledNode, step?: MicrobatchStep): NodeResult };
  /** `--threads`: how many nodes the queue may hand out at once. */
  threads: number;
  failFast?: boolean;
  /** A test that warns fails instead; a string names the flag that says so (the result's message quotes it). */
  warnError?: boolean | string;
  /** build: a failing test skips what depends on the node it tests. */
  testEdges?: boolean;
  onResult?: (r: NodeResult) => void;
  /** Called as a node (or a unit test run with its model) starts on its lane. */
  onStart?: (node: CompiledNode) => void;
  /**
   * Aborted on Ctrl-C: no node starts after it; nodes not yet started are
   * skipped with INTERRUPTED_MESSAGE. (Running ones are cancelled by the
   * caller, through the database; they end as errors.)
   */
  signal?: AbortSignal;
  /**
   * Called once when --fail-fast stops the run, to cancel the statements of
   * nodes still running (as dbt cancels its connections); those nodes are
   * then recorded as skipped due to fail-fast, as dbt does.
   */
  cancelRunning?: () => void;
}

/** The message of a node skipped because the run was cancelled. */
export const INTERRUPTED_MESSAGE = 'Skipping due to keyboard interrupt';

const RUNNABLE = new Set(['model', 'seed', 'snapshot', 'test', 'unit_test']);

/** Whether a node has something to run (sources, exposures, analyses and ephemeral models only order the rest). */
export function isRunnable(node: CompiledNode | undefined): node is CompiledNode {
  return node !== undefined && RUNNABLE.has(node.resource_type) && node.config.materialized !== 'ephemeral';
}

/**
 * Runs the selected nodes in DAG order with the graph's ReadyQueue (dbt's
 * priority), up to `threads` at once, each on a lane (a render worker). A
 * node whose parent errored (or, in build, whose tested parent has a failing
 * test) is skipped with its descendants. In build, a model's unit tests run
 * on the model's lane right before it.
 */
export async function executeNodes(opts: ExecuteNodesOptions): Promise<NodeResult[]> {
  const results: NodeResult[] = [];
  const byId = new Map<string, NodeResult>();
  const lanes: NodeLanes = 'acquire' in opts.lanes ? opts.lanes : new InProcessLanes(opts.lanes);
  let aborted = false;
  const interrupted = () => opts.signal?.aborted === true;
  // build: a model's selected unit tests run right before it (dbt 1.8), so they leave the queue.
  const unitTestsOf = opts.testEdges ? unitTestsByModel(opts.selected, opts.nodes) : new Map<string, string[]>();
  const runsWithModel = new Set([...unitTestsOf.values()].flat());
  const queued = runsWithModel.size === 0 ? opts.selected : new Set([...opts.selected].filter((id) => !runsWithModel.has(id)));
  const queue = new ReadyQueue(opts.graph, queued, { testEdges: opts.testEdges });
  const record = (r: NodeResult) => {
    results.push(r);
    byId.set(r.unique_id, r);
    opts.onResult?.(r);
  };
  /** Record `node` (and the unit tests that run with it) as skipped. */
  const skip = (id: string, node: CompiledNode, message: string) => {
    for (const u of unitTestsOf.get(id) ?? []) record(skippedResult(opts.nodes[u]!, message));
    record(skippedResult(node, message));
  };
  /** Record a node's result; false when it failed (its descendants are skipped). */
  const finished = (r: NodeResult): boolean => {
    if (aborted && r.status === 'error' && isCancellation(r)) {
      record(skippedResult(r.node, 'Skipping due to fail-fast'));
      return false;
    }
    if (opts.warnError && r.status === 'warn') {
      r.status = 'fail';
      r.message = `${r.message ?? ''} (warning treated as error: ${typeof opts.warnError === 'string' ? opts.warnError : '--warn-error'})`;
    }
    record(r);
    const failed = r.status === 'error' || r.status === 'fail';
    if (failed && opts.failFast && !aborted) {
      aborted = true;
      opts.cancelRunning?.();
    }
    return !failed;
  };
  const stopMessage = () => (interrupted() ? INTERRUPTED_MESSAGE : 'Skipping due to fail-fast');
  // Threads 1 on a render worker: the node that follows anyway is handed over while one runs (see ReadyQueue.run's
  // `ahead`), so the worker goes on without a round trip here. Not with --fail-fast (a failure must stop what follows
  // before it starts) nor around unit tests (several runs for one node).
  const lone = opts.threads <= 1 ? lanes.lone?.() : undefined;
  // Beside other threads, a node nothing downstream reads may leave its COMMIT to its thread's next statement too.
  if (!lone && lanes.setUnread) lanes.setUnread(unreadNodes(opts.graph, opts.selected));
  // A worker runs the data tests of one model in one query and sends the others' results with its own (see
  // TestBatcher). The test running for a model, by model: its siblings wait for it, then take their results.
  const batching = lanes.take ? new Map<string, Promise<boolean>>() : undefined;
  let waiting = 0;
  // A node queued behind another must reach the worker after it: each launch waits for the one before to be sent.
  let sent: Promise<void> = Promise.resolve();
  // A data test whose model's tests run (or ran) in one query is not queued: the coordinator already has, or will
  // have once the running node is done, its result (see RenderPool.take), and hands it out in its turn.
  const fromBatch = (id: string) => {
    const node = opts.nodes[id];
    return node?.resource_type === 'test' && ((typeof node.attached_node === 'string' && batching?.has(node.attached_node) === true) || lanes.holds?.(id) === true);
  };
  const ahead = lone && !opts.failFast ? (running: string, next: string) => !aborted && !interrupted() && !unitTestsOf.has(running) && !unitTestsOf.has(next) && !isMicrobatch(opts.nodes[running]) && !isMicrobatch(opts.nodes[next]) && opts.nodes[next]?.language !== 'python' && !fromBatch(next) : undefined;

  /** Run `node` on a lane (with the unit tests that go with it); with `early`, queued behind the lone worker's running node. */
  const launch = async (id: string, node: CompiledNode, early: boolean): Promise<boolean> => {
    const before = sent;
    let markSent = () => {};
    sent = new Promise((resolve) => (markSent = resolve));
    if (early && lone) {
      await before;
      // Started by the worker once the node ahead of it is done; unless Ctrl-C came first, then skipped as if never handed out.
      const pending = runOn(lone, node, undefined, () => opts.onStart?.(node));
      markSent();
      const r = await pending;
      if (!r) {
        skip(id, node, stopMessage());
        return false;
      }
      return finished(r);
    }
    const lane = await lanes.acquire();
    markSent();
    try {
      // Checked again: the wait for a lane may have outlasted a Ctrl-C or a fail-fast.
      if (aborted || interrupted()) {
        skip(id, node, stopMessage());
        return false;
      }
      // A failing unit test skips its model, and so everything downstream of it.
      let failedUnitTest: CompiledNode | undefined;
      for (const u of unitTestsOf.get(id) ?? []) {
        opts.onStart?.(opts.nodes[u]!);
        const ur = await runOn(lane, opts.nodes[u]!);
        record(ur);
        if ((ur.status === 'error' || ur.status === 'fail') && !failedUnitTest) failedUnitTest = ur.node;
      }
      if (failedUnitTest) {
        record(skippedResult(node, `Skipping because unit test ${failedUnitTest.name} failed`));
        if (opts.failFast) aborted = true;
        return false;
      }
      opts.onStart?.(node);
      return finished(isMicrobatch(node) ? await runOn(lane, node, (l) => runMicrobatch(node, l, lanes, opts.threads, opts)) : await runOn(lane, node));
    } finally {
      lanes.release(lane);
    }
  };

  const summary = await queue.run(
    Math.max(1, opts.threads),
    async (id, early) => {
      const node = opts.nodes[id];
      if (!isRunnable(node)) return true;
      if (aborted || interrupted()) {
        skip(id, node, stopMessage());
        return false;
      }
      if (node.language === 'python') {
        // Never handed to a lane: an error of its own (python-model-error.ts); its unit tests are skipped with it.
        opts.onStart?.(node);
        for (const u of unitTestsOf.get(id) ?? []) record(skippedResult(opts.nodes[u]!, `Skipping because ${node.resource_type} ${node.name} is a Python model`));
        const error = pythonModelError(node);
        return finished({ ...skippedResult(node, error.format()), status: 'error', error });
      }
      const model = batching && node.resource_type === 'test' ? node.attached_node : undefined;
      if (!model) return launch(id, node, early);
      const flight = batching!.get(model);
      if (flight) {
        // Waiting takes no thread: the queue may start another node meanwhile.
        waiting++;
        await flight;
        waiting--;
      }
      if (aborted || interrupted()) {
        skip(id, node, stopMessage());
        return false;
      }
      const kept = lanes.take!(id);
      if (kept) {
        opts.onStart?.(node);
        return finished(kept);
      }
      const running = launch(id, node, early);
      batching!.set(model, running);
      try {
        return await running;
      } finally {
        if (batching!.get(model) === running) batching!.delete(model);
      }
    },
    ahead,
    () => waiting,
  );
  for (const [id, cause] of summary.skipped) {
    const node = opts.nodes[id];
    if (!isRunnable(node)) continue;
    const causeNode = opts.nodes[cause];
    skip(id, node, interrupted() ? INTERRUPTED_MESSAGE : `Skipping because ${causeNode ? `${causeNode.resource_type} ${causeNode.name}` : cause} failed`);
  }
  return results;
}

/** An error that only says the statement was cancelled (DuckDB's interrupt, the bridge's cancel, Snowflake's 000604). */
function isCancellation(r: NodeResult): boolean {
  const code = r.error?.detail?.code;
  const message = r.error?.message ?? r.message ?? '';
  return code === '000604' || message.includes(CANCELLED_MESSAGE) || /INTERRUPT Error|SQL execution canceled/i.test(message);
}

/**
 * A lane that fails outright (a render worker that died) gives the node an error result, not a lost node.
 * With `onStart` the node is queued behind the lane's running one (see NodeLane.run): undefined if it never started.
 */
async function runOn(lane: NodeLane, node: CompiledNode, how?: (lane: NodeLane) => Promise<NodeResult>): Promise<NodeResult>;
async function runOn(lane: NodeLane, node: CompiledNode, how: undefined, onStart: () => void): Promise<NodeResult | undefined>;
async function runOn(lane: NodeLane, node: CompiledNode, how?: (lane: NodeLane) => Promise<NodeResult>, onStart?: () => void): Promise<NodeResult | undefined> {
  try {
    if (how) return await how(lane);
    return onStart ? await lane.run(node, undefined, onStart) : await lane.run(node);
  } catch (e) {
    const error = e instanceof TsdbtError ? e : new TsdbtError('INTERNAL', `${lane.threadId} failed running ${node.unique_id}: ${e instanceof Error ? e.message : String(e)}`, { file: node.original_file_path });
    return { ...skippedResult(node, error.format()), status: 'error', error, thread_id: lane.threadId };
  }
}

/**
 * The nodes of `selected` with nothing of `selected` downstream of them (through unselected nodes too: a
 * view built earlier may read them): no node of the run reads what they build.
 */
export function unreadNodes(graph: DependencyGraph, selected: ReadonlySet<string>): Set<string> {
  // readBySelected(id): some node of `selected` is downstream of id. Iterative, in reverse topological order.
  const readBy = new Map<string, boolean>();
  const order = graph.topologicalOrder();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    readBy.set(id, graph.children(id).some((c) => selected.has(c) || readBy.get(c) === true));
  }
  const out = new Set<string>();
  for (const id of selected) if (graph.has(id) && readBy.get(id) === false) out.add(id);
  return out;
}

/** Selected unit tests whose model is selected too, by model id. */
function unitTestsByModel(selected: ReadonlySet<string>, nodes: Record<string, CompiledNode>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of selected) {
    const n = nodes[id];
    if (n?.resource_type !== 'unit_test' || !n.attached_node || !selected.has(n.attached_node)) continue;
    out.set(n.attached_node, [...(out.get(n.attached_node) ?? []), id]);
  }
  return out;
}

export function skippedResult(node: CompiledNode, message: string): NodeResult {
  return {
    unique_id: node.unique_id,
    node,
    status: 'skipped',
    timing: [],
    thread_id: 'Thread-1',
    execution_time: 0,
    adapter_response: {},
    message,
    failures: null,
    compiled_path: null,
    statements: [],
    sql_ms: 0,
  };
}
