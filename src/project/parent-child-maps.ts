import type { Manifest } from '../manifest/types.js';
import { sortStrings } from './sort-strings.js';

interface Member {
  unique_id: string;
  config?: { enabled?: boolean };
  depends_on?: { nodes: string[] };
}

/**
 * What fillParentChildMaps found of the graph it mapped: whether its members
 * and edges form a DAG buildGraph would accept (every parent a member, no
 * member disabled or listed twice, no cycle), for the maps and member
 * collections it saw. graph/check-manifest-graph.ts trusts it only while the
 * manifest still holds those same objects with as many members.
 */
export interface MappedGraph {
  acyclic: boolean;
  parentMap: Manifest['parent_map'];
  childMap: Manifest['child_map'];
  collections: readonly object[];
  members: number;
  /** depends_on entries over all members. */
  edges: number;
}

const mapped = new WeakMap<Manifest, MappedGraph>();

/** The verdict of the last fillParentChildMaps on this manifest, if any. */
export function mappedGraph(m: Manifest): MappedGraph | undefined {
  return mapped.get(m);
}

/**
 * One shared, frozen empty list for every member without parents or children
 * (most tests have no children; sources and seeds no parents): 40,000 empty
 * arrays less at 10,000 models. Nothing appends to a map's lists in place.
 */
const NONE: string[] = Object.freeze([]) as unknown as string[];

/**
 * The manifest's parent_map (each member's depends_on, sorted) and child_map
 * (each member, then each parent that is not a member, with the members
 * depending on it, sorted), in dbt's key order; and, in the same pass,
 * whether the graph is a DAG (Kahn's algorithm over member indices), kept
 * for checkManifestGraph so parse does not walk the maps a second time.
 */
export function fillParentChildMaps(m: Manifest): void {
  const collections = [m.nodes, m.sources, m.exposures, m.unit_tests] as unknown as Record<string, Member>[];
  // Members and their ids: a collection's own key when it is the id (keys are interned strings,
  // which a 40,000-key record takes faster than the ids' own copies).
  const members: Member[] = [];
  const ids: string[] = [];
  for (const c of collections) {
    for (const key of Object.keys(c)) {
      const n = c[key]!;
      members.push(n);
      ids.push(key === n.unique_id ? key : n.unique_id);
    }
  }
  const count = members.length;
  const index = new Map<string, number>();
  let repeated: Uint8Array | undefined;
  const parent: Record<string, string[]> = {};
  const indegree = new Int32Array(count);
  let vouched = true;
  let edges = 0;
  for (let i = 0; i < count; i++) {
    const n = members[i]!;
    const id = ids[i]!;
    const size = index.size;
    index.set(id, i);
    if (index.size === size) {
      // Listed twice (never in a parsed manifest): its entries stay at its first place.
      vouched = false;
      index.set(id, ids.indexOf(id));
      (repeated ??= new Uint8Array(count))[i] = 1;
    }
    if (n.config?.enabled === false) vouched = false;
    const deps = n.depends_on?.nodes;
    parent[id] = deps === undefined || deps.length === 0 ? NONE : deps.length === 1 ? [deps[0]!] : sortStrings(deps.slice());
    if (deps !== undefined) {
      indegree[i] = deps.length;
      edges += deps.length;
    }
  }
  // Each member's children as ids (for the map) and as member indices (for the check), in member order.
  const childIds: (string[] | undefined)[] = new Array(count);
  const outsiders = new Map<string, string[]>();
  const edgeFrom = new Int32Array(edges);
  const edgeTo = new Int32Array(edges);
  const outdegree = new Int32Array(count);
  let e = 0;
  for (let i = 0; i < count; i++) {
    const deps = members[i]!.depends_on?.nodes;
    if (deps === undefined || deps.length === 0) continue;
    const id = ids[i]!;
    for (const p of deps) {
      const j = index.get(p);
      if (j === undefined) {
        vouched = false;
        const into = outsiders.get(p);
        if (into) into.push(id);
        else outsiders.set(p, [id]);
        continue;
      }
      (childIds[j] ??= []).push(id);
      edgeFrom[e] = i;
      edgeTo[e] = j;
      e++;
      outdegree[j]++;
    }
  }
  const child: Record<string, string[]> = {};
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    if (repeated?.[i]) continue; // listed twice: its one entry is at its first place
    const list = childIds[i];
    child[id] = list === undefined ? NONE : sortStrings(list);
  }
  for (const [id, list] of outsiders) child[id] = sortStrings(list);
  m.parent_map = parent;
  m.child_map = child;
  const acyclic = vouched && kahn(count, e, edgeFrom, edgeTo, outdegree, indegree);
  mapped.set(m, { acyclic, parentMap: parent, childMap: child, collections, members: count, edges });
}

/** true: every member can be ordered after its parents (the `e` member-to-member edges, child `from` of parent `to`). */
function kahn(count: number, e: number, edgeFrom: Int32Array, edgeTo: Int32Array, outdegree: Int32Array, indegree: Int32Array): boolean {
  // The children of member j are children[start[j] .. start[j + 1]).
  const start = new Int32Array(count + 1);
  for (let j = 0; j < count; j++) start[j + 1] = start[j]! + outdegree[j]!;
  const fill = start.slice(0, count);
  const children = new Int32Array(e);
  for (let k = 0; k < e; k++) children[fill[edgeTo[k]!]!++] = edgeFrom[k]!;
  const ready = new Int32Array(count);
  let tail = 0;
  for (let i = 0; i < count; i++) if (indegree[i] === 0) ready[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const j = ready[head]!;
    for (let k = start[j]!; k < start[j + 1]!; k++) {
      const c = children[k]!;
      if (--indegree[c] === 0) ready[tail++] = c;
    }
  }
  return tail === count;
}
