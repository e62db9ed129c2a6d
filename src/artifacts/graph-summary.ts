import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

/** What the summary reads of the dependency graph (graph/dependency-graph.ts has it). */
export interface SummarizedGraph {
  entries(): Iterable<[string, { resource_type: string }]>;
  parents(id: string): readonly string[];
}

/** A graph member in the summary: its unique id, resource type and the indexes of its children, if any. */
export interface SummaryNode {
  name: string;
  type: string;
  succ?: number[];
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
  const linked = linkedOrder(graph);
  const out: Record<string, unknown> = { _invocation_id: invocationId, linked: summaryOf(linked) };
  if (withTestEdges) out.with_test_edges = summaryOf(withTestEdgesOf(linked));
  return out;
}

/** Write graphSummary to `<targetDir>/graph_summary.json`; its path. */
export function writeGraphSummary(targetDir: string, graph: SummarizedGraph, invocationId: string, withTestEdges: boolean): string {
  const path = join(targetDir, 'graph_summary.json');
  // Python's json.dumps separators (", ", ": "), as dbt writes it.
  const text = pyJson(graphSummary(graph, invocationId, withTestEdges));
  writeFileAtomic(path, text, 'the graph summary', { durable: false });
  return path;
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
 * parent-first in the member's depends_on order.
 */
function linkedOrder(graph: SummarizedGraph): Linked {
  const members = [...graph.entries()];
  const rank = (type: string) => LINK_ORDER[type] ?? 1;
  // A stable sort: within a group, the manifest's order.
  const ordered = members.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m[1].resource_type) - rank(b.m[1].resource_type) || a.i - b.i);
  const typeOf = new Map(members.map(([id, m]) => [id, m.resource_type]));
  const index = new Map<string, number>();
  const out: Linked = { ids: [], types: [], succ: [] };
  const add = (id: string): number => {
    let at = index.get(id);
    if (at === undefined) {
      at = out.ids.length;
      index.set(id, at);
      out.ids.push(id);
      out.types.push(typeOf.get(id) ?? '');
      out.succ.push([]);
    }
    return at;
  };
  for (const { m } of ordered) {
    const child = add(m[0]);
    for (const parent of graph.parents(m[0])) {
      const p = add(parent);
      if (!out.succ[p]!.includes(child)) out.succ[p]!.push(child);
    }
  }
  return out;
}

/**
 * dbt 1.10's add_test_edges (the default, add_test_edges_1): an edge from a
 * data test to each executable non-test node (a manifest node: not a source,
 * unit test or exposure) of which every node the test depends on is an
 * ancestor. Each test's new children come after its own, in graph order.
 */
function withTestEdgesOf(linked: Linked): Linked {
  const n = linked.ids.length;
  const parents: number[][] = Array.from({ length: n }, () => []);
  linked.succ.forEach((children, p) => children.forEach((c) => parents[c]!.push(p)));
  const isTest = (i: number) => linked.ids[i]!.startsWith('test.');
  const executable = (i: number) => !isTest(i) && !['source', 'unit_test', 'exposure', 'metric', 'semantic_model', 'saved_query'].includes(linked.types[i]!);
  const descendants = new Map<number, Set<number>>();
  const descendantsOf = (i: number): Set<number> => {
    let d = descendants.get(i);
    if (d) return d;
    d = new Set<number>();
    const stack = [...linked.succ[i]!];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (d.has(c)) continue;
      d.add(c);
      stack.push(...linked.succ[c]!);
    }
    descendants.set(i, d);
    return d;
  };
  const succ = linked.succ.map((s) => s.slice());
  for (let t = 0; t < n; t++) {
    if (!isTest(t) || parents[t]!.length === 0) continue;
    // The nodes below every node the test depends on.
    const [first, ...rest] = parents[t]!.map(descendantsOf).sort((a, b) => a.size - b.size);
    // In graph order, as dbt walks the graph's nodes.
    for (const i of [...first!].sort((a, b) => a - b)) {
      if (!executable(i) || !rest.every((d) => d.has(i))) continue;
      if (!succ[t]!.includes(i)) succ[t]!.push(i);
    }
  }
  return { ...linked, succ };
}

function summaryOf(linked: Linked): Record<string, SummaryNode> {
  const out: Record<string, SummaryNode> = {};
  linked.ids.forEach((id, i) => {
    const node: SummaryNode = { name: id, type: linked.types[i]! };
    if (linked.succ[i]!.length > 0) node.succ = linked.succ[i]!;
    out[String(i)] = node;
  });
  return out;
}

/** JSON as Python's json.dumps writes it by default: `, ` and `: ` between items, non-ASCII escaped. */
function pyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${pyString(k)}: ${pyJson(v)}`).join(', ')}}`;
  if (typeof value === 'string') return pyString(value);
  return JSON.stringify(value);
}

const pyString = (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
