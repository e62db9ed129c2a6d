import { Graph } from '@dagrejs/graphlib';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, Exposure, GraphMember, Manifest, SourceTable } from '../manifest/types.js';
import { assertAcyclic } from './find-cycle.js';
import { fastPaths } from '../util/fast-paths.js';
import { recordValues } from '../util/record-values.js';

type GraphlibGraph = InstanceType<typeof Graph>;

/** The edge list of a vertex with none, shared (fromPositions); addEdge gives the vertex its own list first. */
const NO_EDGES: string[] = [];

/**
 * A graph's edge lists by member id. A graph built from positions (DependencyGraph.linked) keeps them as positions
 * and makes a member's id list the first time it is read; addMember and addEdge set lists of their own. Iterates
 * in member order, as the Map it replaces did.
 */
class EdgeLists {
  private readonly lists = new Map<string, string[]>();

  constructor(private readonly byPosition?: { ids: readonly string[]; at: ReadonlyMap<string, number>; positions: readonly (readonly number[] | undefined)[] }) {}

  get(id: string): string[] | undefined {
    let list = this.lists.get(id);
    if (list === undefined && this.byPosition) {
      const { ids, at, positions } = this.byPosition;
      const i = at.get(id);
      if (i === undefined) return undefined;
      const own = positions[i];
      list = own === undefined || own.length === 0 ? NO_EDGES : own.map((p) => ids[p]!);
      this.lists.set(id, list);
    }
    return list;
  }

  set(id: string, list: string[]): void {
    this.lists.set(id, list);
  }

  *[Symbol.iterator](): IterableIterator<[string, string[]]> {
    const ids = this.byPosition?.ids ?? [];
    for (const id of ids) yield [id, this.get(id)!];
    for (const entry of this.lists) if (!this.byPosition?.at.has(entry[0])) yield entry;
  }
}

/** A graph's members and parents by position (DependencyGraph.positional). */
export interface GraphPositions {
  readonly members: readonly GraphMember[];
  /** Member i's parents' positions, distinct, in edge order (undefined: none). */
  readonly parents: readonly (readonly number[] | undefined)[];
}

/**
 * The project's DAG: one vertex per enabled node (models, seeds, snapshots,
 * tests, analyses, operations), unit test, source and exposure, and an edge
 * `parent -> child` for every entry of the child's `depends_on.nodes`.
 * Tests hang off what they test; a relationships test has both models as
 * parents.
 *
 * Parent/child lists are kept as plain arrays because selection and
 * scheduling walk them thousands of times; the same DAG as a graphlib
 * `Graph` (for its algorithms: tarjan, dijkstra, json) is `graph`, built on
 * first use because graphlib's edge bookkeeping is the slowest part of a build.
 */
export class DependencyGraph {
  private graphlib: GraphlibGraph | undefined;
  /** The root project's name (`package:this`, fqn of the root package). */
  readonly projectName: string;
  private readonly members = new Map<string, GraphMember>();
  private parentLists = new EdgeLists();
  private childLists = new EdgeLists();
  private order: string[] | undefined;
  /** The members and their parents by position, as linked() was given them; dropped when the graph changes. */
  private positions: GraphPositions | undefined;

  constructor(projectName: string) {
    this.projectName = projectName;
  }

  /**
   * The graph buildGraph makes of `members` (in this order) when member i
   * depends on the members at positions `parents[i]` (the selection index's
   * rows, api/selection-index.ts): a duplicate parent counted once,
   * children in member order, the same topological order. Throws on a
   * cycle as buildGraph does, and on a unique id given twice (which
   * buildGraph would resolve by manifest map, unknown here).
   */
  static fromPositions(projectName: string, members: readonly GraphMember[], parents: readonly (readonly number[] | null)[]): DependencyGraph {
    const n = members.length;
    const parentPositions: (number[] | undefined)[] = new Array(n);
    const childPositions: (number[] | undefined)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const own = parents[i];
      if (!own) continue;
      for (let k = 0; k < own.length; k++) {
        const p = own[k]!;
        if (own.indexOf(p) !== k) continue;
        if (!(p >= 0 && p < n)) throw new Error('a parent outside the members');
        (parentPositions[i] ??= []).push(p);
        (childPositions[p] ??= []).push(i);
      }
    }
    const g = DependencyGraph.linked(projectName, members, parentPositions, childPositions);
    if (g.members.size !== n) throw new Error('a unique id given twice');
    return g;
  }

  /**
   * The graph of `members` (distinct unique ids, in this order) whose member
   * i has the parents at positions `parents[i]` and the children at
   * `children[i]` (each in edge order, no repeats), its topological order
   * computed (and the cycle check run) over positions.
   */
  private static linked(projectName: string, members: readonly GraphMember[], parents: readonly (readonly number[] | undefined)[], children: readonly (readonly number[] | undefined)[]): DependencyGraph {
    const g = new DependencyGraph(projectName);
    const n = members.length;
    const ids = members.map((m) => m.unique_id);
    const at = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      g.members.set(ids[i]!, members[i]!);
      at.set(ids[i]!, i);
    }
    const indegree = new Int32Array(n);
    for (let i = 0; i < n; i++) indegree[i] = parents[i]?.length ?? 0;
    // Each member's lists as ids only when read: a command that walks a few members (ls, a selection) makes a few.
    g.parentLists = new EdgeLists({ ids, at, positions: parents });
    g.childLists = new EdgeLists({ ids, at, positions: children });
    // computeOrder over positions.
    const order: number[] = [];
    for (let i = 0; i < n; i++) if (indegree[i] === 0) order.push(i);
    for (let k = 0; k < order.length; k++) {
      for (const c of children[order[k]!] ?? []) if (--indegree[c]! === 0) order.push(c);
    }
    if (order.length !== n) assertAcyclic(g);
    g.order = order.map((i) => ids[i]!);
    g.positions = { members, parents };
    return g;
  }

  /**
   * The graph by position: the members in insertion order and each one's
   * parents as positions among them (distinct, in edge order), for walks
   * over numbers instead of ids (artifacts/graph-summary.ts over 40,000
   * nodes). Kept from how the graph was built; made from the id maps when
   * it changed since.
   */
  positional(): GraphPositions {
    if (this.positions === undefined) {
      const members = [...this.members.values()];
      const at = new Map(members.map((m, i) => [m.unique_id, i]));
      this.positions = { members, parents: members.map((m) => this.parents(m.unique_id).map((p) => at.get(p)!)) };
    }
    return this.positions;
  }

  /**
   * buildGraph's graph: `members` in manifest order (a unique id seen again
   * is the first one's vertex), and for each entry of `withDeps` (member
   * order, sources left out) the position of its vertex. Edges are added as
   * addEdge adds them, entry by entry in depends_on order, a repeated parent
   * once; a parent that is not a member is reported as buildGraph reports it.
   */
  static fromDependsOn(projectName: string, members: readonly GraphMember[], position: ReadonlyMap<string, number>, withDeps: readonly { member: CompiledNode | Exposure; at: number }[]): DependencyGraph {
    const parents: (number[] | undefined)[] = new Array(members.length);
    const children: (number[] | undefined)[] = new Array(members.length);
    for (const { member: child, at } of withDeps) {
      for (const parent of child.depends_on?.nodes ?? []) {
        const p = position.get(parent);
        if (p === undefined) throw missingParent(child, parent);
        const own = (parents[at] ??= []);
        if (own.includes(p)) continue;
        own.push(p);
        (children[p] ??= []).push(at);
      }
    }
    return DependencyGraph.linked(projectName, members, parents, children);
  }

  /** The DAG as a graphlib Graph (vertex = unique id, edge parent -> child). Built once, kept in sync after. */
  get graph(): GraphlibGraph {
    if (this.graphlib === undefined) {
      const g = new Graph({ directed: true, multigraph: false, compound: false });
      for (const id of this.members.keys()) g.setNode(id);
      for (const [parent, children] of this.childLists) for (const child of children) g.setEdge(parent, child);
      this.graphlib = g;
    }
    return this.graphlib;
  }

  /** Add a vertex (idempotent). Used by `buildGraph`; exposed for hand-built graphs in tests and tools. */
  addMember(member: GraphMember): void {
    if (this.members.has(member.unique_id)) return;
    this.members.set(member.unique_id, member);
    this.graphlib?.setNode(member.unique_id);
    this.parentLists.set(member.unique_id, []);
    this.childLists.set(member.unique_id, []);
    this.order = undefined;
    this.positions = undefined;
  }

  /** Add the edge `parent -> child` (both must exist; duplicates are ignored). */
  addEdge(parent: string, child: string): void {
    let parents = this.parentLists.get(child)!;
    if (parents === NO_EDGES) this.parentLists.set(child, (parents = []));
    if (this.childLists.get(parent) === NO_EDGES) this.childLists.set(parent, []);
    // A child's parents are its depends_on (short), while a parent may have thousands of children:
    // checking the child's list keeps building the graph linear in the edges.
    if (parents.includes(parent)) return;
    this.graphlib?.setEdge(parent, child);
    this.childLists.get(parent)!.push(child);
    parents.push(parent);
    this.order = undefined;
    this.positions = undefined;
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  /** The manifest entry behind a vertex. */
  member(id: string): GraphMember | undefined {
    return this.members.get(id);
  }

  /** Every vertex with its manifest entry, in insertion order (no copy: do not mutate the graph while iterating). */
  entries(): IterableIterator<[string, GraphMember]> {
    return this.members.entries();
  }

  /** Every vertex id, in insertion (manifest) order. */
  nodeIds(): string[] {
    return [...this.members.keys()];
  }

  get size(): number {
    return this.members.size;
  }

  /** Direct parents (what `id` depends on). */
  parents(id: string): readonly string[] {
    return this.parentLists.get(id) ?? [];
  }

  /** Direct children (what depends on `id`). */
  children(id: string): readonly string[] {
    return this.childLists.get(id) ?? [];
  }

  /** Everything upstream of `id`, at most `depth` hops away when given (1 = direct parents). Excludes `id`. */
  ancestors(id: string, depth?: number): Set<string> {
    return this.walk([id], this.parentLists, depth, false);
  }

  /** Everything downstream of `id`, at most `depth` hops away when given. Excludes `id`. */
  descendants(id: string, depth?: number): Set<string> {
    return this.walk([id], this.childLists, depth, false);
  }

  /** Ancestors of any of `ids` (within `depth`), excluding the starting ids unless reachable from another. */
  selectParents(ids: Iterable<string>, depth?: number): Set<string> {
    return this.walk(ids, this.parentLists, depth, false);
  }

  /** Descendants of any of `ids` (within `depth`). */
  selectChildren(ids: Iterable<string>, depth?: number): Set<string> {
    return this.walk(ids, this.childLists, depth, false);
  }

  /** Every vertex before all of its children; ties keep manifest order. Cached until the graph changes. */
  topologicalOrder(): string[] {
    if (this.order === undefined) this.order = this.computeOrder();
    return [...this.order];
  }

  /** Breadth-first walk over `edges` from all `starts` at once, bounded by `depth` hops. */
  private walk(
    starts: Iterable<string>,
    edges: EdgeLists,
    depth: number | undefined,
    includeStarts: boolean,
  ): Set<string> {
    const seen = new Set<string>();
    let frontier: string[] = [];
    const startSet = new Set<string>();
    for (const s of starts) {
      if (!this.members.has(s)) continue;
      startSet.add(s);
      frontier.push(s);
    }
    let level = 0;
    while (frontier.length > 0 && (depth === undefined || level < depth)) {
      const next: string[] = [];
      for (const v of frontier) {
        for (const w of edges.get(v)!) {
          if (seen.has(w)) continue;
          seen.add(w);
          // Starts were expanded at level 0; expand everything else once.
          if (!startSet.has(w)) next.push(w);
        }
      }
      frontier = next;
      level += 1;
    }
    if (includeStarts) for (const s of startSet) seen.add(s);
    return seen;
  }

  private computeOrder(): string[] {
    const indegree = new Map<string, number>();
    for (const [id, parents] of this.parentLists) indegree.set(id, parents.length);
    const out: string[] = [];
    for (const [id, d] of indegree) if (d === 0) out.push(id);
    for (let i = 0; i < out.length; i += 1) {
      for (const child of this.childLists.get(out[i]!)!) {
        const d = indegree.get(child)! - 1;
        indegree.set(child, d);
        if (d === 0) out.push(child);
      }
    }
    if (out.length !== this.members.size) assertAcyclic(this);
    return out;
  }
}

/**
 * Build the DAG from a manifest and check it has no cycle.
 *
 * Throws TsdbtError 'CYCLE' naming the whole cycle and the ref behind each
 * edge, or 'REF_NOT_FOUND' when a `depends_on.nodes` entry names nothing in
 * the manifest (a parse bug or a disabled parent).
 */
export function buildGraph(manifest: Manifest): DependencyGraph {
  if (!fastPaths()) return buildGraphByEdges(manifest);
  const members: GraphMember[] = [];
  const position = new Map<string, number>();
  const withDeps: { member: CompiledNode | Exposure; at: number }[] = [];
  forEachMember(manifest, (member) => {
    let at = position.get(member.unique_id);
    if (at === undefined) {
      at = members.length;
      members.push(member);
      position.set(member.unique_id, at);
    }
    if (member.resource_type !== 'source') withDeps.push({ member: member as CompiledNode | Exposure, at });
  });
  return DependencyGraph.fromDependsOn(manifest.metadata.project_name, members, position, withDeps);
}

/** buildGraph one addMember and addEdge at a time (without the fast paths: what fromDependsOn must equal). */
function buildGraphByEdges(manifest: Manifest): DependencyGraph {
  const g = new DependencyGraph(manifest.metadata.project_name);
  const withDeps: (CompiledNode | Exposure)[] = [];
  forEachMember(manifest, (member) => {
    g.addMember(member);
    if (member.resource_type !== 'source') withDeps.push(member as CompiledNode | Exposure);
  });
  for (const child of withDeps) {
    for (const parent of child.depends_on?.nodes ?? []) {
      if (!g.has(parent)) throw missingParent(child, parent);
      g.addEdge(parent, child.unique_id);
    }
  }
  // Computing the order runs the cycle check once, up front.
  g.topologicalOrder();
  return g;
}

/** Every enabled graph member of the manifest with a unique id, in graph order: nodes, unit tests, sources, exposures, the semantic layer. */
function forEachMember(manifest: Manifest, add: (member: GraphMember) => void): void {
  const each = (member: GraphMember): void => {
    if (member.unique_id === undefined) return;
    const config = (member as { config?: { enabled?: boolean } }).config;
    if (config?.enabled === false) return;
    add(member);
  };
  for (const node of recordValues(manifest.nodes)) each(node);
  for (const node of Object.values(manifest.unit_tests ?? {})) each(node);
  for (const source of Object.values(manifest.sources) as SourceTable[]) each(source);
  for (const exposure of Object.values(manifest.exposures)) each(exposure);
  // The semantic layer's resources are graph members too (selectable, and children of their models), as in dbt.
  for (const map of [manifest.semantic_models, manifest.metrics, manifest.saved_queries]) for (const r of Object.values(map ?? {})) each(r as Exposure);
}

function missingParent(child: CompiledNode | Exposure, parent: string): TsdbtError {
  return new TsdbtError(
    'REF_NOT_FOUND',
    `${child.resource_type} '${child.name}' depends on '${parent}', which is not an enabled node in the manifest.`,
    {
      file: child.original_file_path,
      hint: 'Enable that node, or remove the ref()/source() that points to it.',
    },
  );
}
