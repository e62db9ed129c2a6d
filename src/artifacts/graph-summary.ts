import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { recordGraphSummary, reuseGraphSummary } from './graph-summary-reuse.js';

/** What the summary reads of the dependency graph (graph/dependency-graph.ts positional()). */
export interface SummarizedGraph {
  positional(): {
    readonly members: readonly { readonly unique_id: string; readonly resource_type: string }[];
    readonly parents: readonly (readonly number[] | undefined)[];
  };
}

// dbt's Linker.link_graph adds sources first, then manifest.nodes, semantic models, exposures, metrics, unit tests, saved queries.
const LINK_ORDER: Record<string, number> = { source: 0, semantic_model: 2, exposure: 3, metric: 4, unit_test: 5, saved_query: 6 };

/**
 * target/graph_summary.json as dbt-core 1.10 writes it whenever it compiles
 * the graph (Compiler.compile: every command that selects nodes, not
 * parse): `_invocation_id`, `linked` (Linker.get_graph_summary: each graph
 * member under its index in the graph's order, with its type and its
 * children's indexes) and, for build, `with_test_edges`: the same after
 * the edges that make a node wait for the tests upstream of it.
 */
export function graphSummary(graph: SummarizedGraph, invocationId: string, withTestEdges: boolean): Record<string, unknown> {
  return JSON.parse(graphSummaryJson(graph, invocationId, withTestEdges)) as Record<string, unknown>;
}

/** graphSummary as the text dbt writes (Python's json.dumps). */
export function graphSummaryJson(graph: SummarizedGraph, invocationId: string, withTestEdges: boolean): string {
  const linked = linkedOrder(graph);
  const edges = withTestEdges ? `, "with_test_edges": ${summaryJson(withTestEdgesOf(linked))}` : '';
  return `{"_invocation_id": ${pyString(invocationId)}, "linked": ${summaryJson(linked)}${edges}}`;
}

/**
 * Write graphSummaryJson to `<targetDir>/graph_summary.json`; its path.
 * `cacheId`: the graph is that parse cache's, as read or written (with the
 * fast paths): the last command's summary of the same cache is taken over
 * (graph-summary-reuse.ts), and this one's recorded for the next.
 */
export function writeGraphSummary(targetDir: string, graph: SummarizedGraph, invocationId: string, withTestEdges: boolean, cacheId?: string): string {
  const path = join(targetDir, 'graph_summary.json');
  if (cacheId !== undefined && reuseGraphSummary(targetDir, path, cacheId, withTestEdges, invocationId)) return path;
  const text = graphSummaryJson(graph, invocationId, withTestEdges);
  writeFileAtomic(path, text, 'the graph summary', { durable: false });
  if (cacheId !== undefined) recordGraphSummary(targetDir, path, cacheId, withTestEdges, text);
  return path;
}

/**
 * writeGraphSummary for a command that goes on whatever became of it: dbt
 * notes a failed write of this diagnostic file and carries on, and so does
 * this (false: not written).
 */
export function writeGraphSummaryQuietly(targetDir: string, graph: SummarizedGraph, invocationId: string, withTestEdges: boolean, cacheId?: string): boolean {
  try {
    writeGraphSummary(targetDir, graph, invocationId, withTestEdges, cacheId);
    return true;
  } catch {
    return false;
  }
}

interface Linked {
  ids: string[];
  types: string[];
  /** Children of each member, by index, in the order dbt's edges were added. */
  succ: number[][];
}

/**
 * The members in networkx's order after link_graph: each member when it is
 * linked, its parents (when not in yet) right after it, each edge added
 * parent-first in the member's depends_on order. Over the graph's positions
 * (no map of ids: 40,000 tests at 10,000 models).
 */
function linkedOrder(graph: SummarizedGraph): Linked {
  const { members, parents } = graph.positional();
  const n = members.length;
  // Grouped as link_graph adds them; within a group, the graph's (the manifest's) order.
  const groups: number[][] = Array.from({ length: 7 }, () => []);
  for (let i = 0; i < n; i++) groups[LINK_ORDER[members[i]!.resource_type] ?? 1]!.push(i);
  const linkedAt = new Int32Array(n).fill(-1);
  const out: Linked = { ids: [], types: [], succ: [] };
  const add = (i: number): number => {
    let at = linkedAt[i]!;
    if (at < 0) {
      at = linkedAt[i] = out.ids.length;
      out.ids.push(members[i]!.unique_id);
      out.types.push(members[i]!.resource_type);
      out.succ.push([]);
    }
    return at;
  };
  for (const group of groups) {
    for (const i of group) {
      const child = add(i);
      // Each member is linked once and its parents are distinct: each edge is added once.
      for (const p of parents[i] ?? []) out.succ[add(p)]!.push(child);
    }
  }
  return out;
}

/** Resource types dbt's add_test_edges never gives a test edge to: they are not in manifest.nodes. */
const NOT_IN_NODES: ReadonlySet<string> = new Set(['source', 'unit_test', 'exposure', 'metric', 'semantic_model', 'saved_query']);

/**
 * dbt 1.10's add_test_edges (the default, add_test_edges_1): an edge from a
 * data test to each executable non-test node (a manifest node: not a source,
 * unit test or exposure) of which every node the test depends on is an
 * ancestor. Each test's new children come after its own, in graph order.
 * Descendants are bitsets over the executable nodes, made children first
 * (a build of 10,000 models does this at its start, so no set per node).
 */
function withTestEdgesOf(linked: Linked): Linked {
  const n = linked.ids.length;
  const isTest = (i: number) => linked.ids[i]!.startsWith('test.');
  const column = new Int32Array(n).fill(-1);
  const executable: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isTest(i) || NOT_IN_NODES.has(linked.types[i]!)) continue;
    column[i] = executable.length;
    executable.push(i);
  }
  const words = (executable.length + 31) >>> 5;
  const descendants: (Uint32Array | null)[] = new Array<Uint32Array | null>(n).fill(null);
  for (const i of childrenFirst(linked)) {
    const children = linked.succ[i]!;
    if (children.length === 0) continue;
    const bits = new Uint32Array(words);
    for (const c of children) {
      const col = column[c]!;
      if (col >= 0) bits[col >>> 5]! |= 1 << (col & 31);
      const below = descendants[c];
      if (below) for (let w = 0; w < words; w++) bits[w]! |= below[w]!;
    }
    descendants[i] = bits;
  }
  const parents: number[][] = Array.from({ length: n }, () => []);
  linked.succ.forEach((children, p) => children.forEach((c) => parents[c]!.push(p)));
  const succ = linked.succ.map((s) => s.slice());
  for (let t = 0; t < n; t++) {
    if (!isTest(t) || parents[t]!.length === 0) continue;
    const below = parents[t]!.map((p) => descendants[p]);
    if (below.some((d) => d === null)) continue;
    const own = new Set(succ[t]);
    // The executable nodes below every node the test depends on, in graph order (columns follow it).
    for (let w = 0; w < words; w++) {
      let word = below[0]![w]!;
      for (let k = 1; k < below.length && word !== 0; k++) word &= below[k]![w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        word &= word - 1;
        const i = executable[(w << 5) + bit]!;
        if (!own.has(i)) succ[t]!.push(i);
      }
    }
  }
  return { ...linked, succ };
}

/** The members' indexes with every member's children before it (the graph is acyclic: dbt checked it when linking). */
function childrenFirst(linked: Linked): number[] {
  const n = linked.ids.length;
  const pending = new Int32Array(n);
  linked.succ.forEach((children, i) => (pending[i] = children.length));
  const parents: number[][] = Array.from({ length: n }, () => []);
  linked.succ.forEach((children, p) => children.forEach((c) => parents[c]!.push(p)));
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) out.push(i);
  for (let k = 0; k < out.length; k++) for (const p of parents[out[k]!]!) if (--pending[p]! === 0) out.push(p);
  return out;
}

/** A summary as Python's json.dumps writes it (`, ` and `: ` between items, non-ASCII escaped). */
function summaryJson(linked: Linked): string {
  const parts: string[] = [];
  const types = new Map<string, string>();
  for (let i = 0; i < linked.ids.length; i++) {
    const succ = linked.succ[i]!;
    const type = linked.types[i]!;
    let typeJson = types.get(type);
    if (typeJson === undefined) types.set(type, (typeJson = pyString(type)));
    parts.push(`"${i}": {"name": ${pyString(linked.ids[i]!)}, "type": ${typeJson}${succ.length > 0 ? `, "succ": [${succ.join(', ')}]` : ''}}`);
  }
  return `{${parts.join(', ')}}`;
}

const NOT_ASCII = /[\u007f-\uffff]/;
const NOT_ASCII_ALL = /[\u007f-\uffff]/g;
const pyString = (s: string) => {
  const json = JSON.stringify(s);
  return NOT_ASCII.test(json) ? json.replace(NOT_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
};
