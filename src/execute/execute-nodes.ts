import type { DependencyGraph } from '../graph/index.js';
import { ReadyQueue } from '../graph/index.js';
import type { CompiledNode } from '../manifest/types.js';
import type { NodeResult } from './node-result.js';
import type { NodeRunner } from './node-runner.js';

export interface ExecuteNodesOptions {
  graph: DependencyGraph;
  selected: Set<string>;
  nodes: Record<string, CompiledNode>;
  runner: NodeRunner;
  /** `--threads`: how many nodes the queue may hand out at once. */
  threads: number;
  failFast?: boolean;
  warnError?: boolean;
  /** build: a failing test skips what depends on the node it tests. */
  testEdges?: boolean;
  onResult?: (r: NodeResult) => void;
}

const RUNNABLE = new Set(['model', 'seed', 'snapshot', 'test', 'unit_test']);

/**
 * Runs the selected nodes in DAG order with the graph's ReadyQueue (dbt's
 * priority). A node whose parent errored (or, in build, whose tested parent
 * has a failing test) is skipped with its descendants. Rendering is
 * synchronous, so with one render thread nodes run one at a time even when
 * the queue allows `threads` at once; the queue is ready for more.
 */
export async function executeNodes(opts: ExecuteNodesOptions): Promise<NodeResult[]> {
  const results: NodeResult[] = [];
  const byId = new Map<string, NodeResult>();
  let aborted = false;
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
  const summary = await queue.run(Math.max(1, opts.threads), async (id) => {
    const node = opts.nodes[id];
    // Sources, exposures, analyses and ephemeral models have nothing to run; they only order the rest.
    if (!node || !RUNNABLE.has(node.resource_type) || node.config.materialized === 'ephemeral') return true;
    if (aborted) {
      record(skippedResult(node, 'Skipping due to fail-fast'));
      return false;
    }
    // A failing unit test skips its model, and so everything downstream of it.
    let failedUnitTest: CompiledNode | undefined;
    for (const u of unitTestsOf.get(id) ?? []) {
      const ur = opts.runner.run(opts.nodes[u]!);
      record(ur);
      if ((ur.status === 'error' || ur.status === 'fail') && !failedUnitTest) failedUnitTest = ur.node;
    }
    if (failedUnitTest) {
      record(skippedResult(node, `Skipping because unit test ${failedUnitTest.name} failed`));
      if (opts.failFast) aborted = true;
      return false;
    }
    const r = opts.runner.run(node);
    if (opts.warnError && r.status === 'warn') {
      r.status = 'fail';
      r.message = `${r.message ?? ''} (warning treated as error: --warn-error)`;
    }
    record(r);
    const failed = r.status === 'error' || r.status === 'fail';
    if (failed && opts.failFast) aborted = true;
    return !failed;
  });
  for (const [id, cause] of summary.skipped) {
    const node = opts.nodes[id];
    if (!node || !RUNNABLE.has(node.resource_type) || node.config.materialized === 'ephemeral') continue;
    const causeNode = opts.nodes[cause];
    for (const u of unitTestsOf.get(id) ?? []) record(skippedResult(opts.nodes[u]!, `Skipping because ${causeNode ? `${causeNode.resource_type} ${causeNode.name}` : cause} failed`));
    record(skippedResult(node, `Skipping because ${causeNode ? `${causeNode.resource_type} ${causeNode.name}` : cause} failed`));
  }
  return results;
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
