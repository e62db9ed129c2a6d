import type { Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { recordValues } from '../util/record-values.js';
import { buildGraph } from './dependency-graph.js';
import { mappedGraph } from '../project/parent-child-maps.js';

/**
 * What `buildGraph` checks of a freshly parsed manifest (every depends_on
 * entry is an enabled member, no cycle), for `parse`, which needs no graph:
 * Kahn's algorithm over the manifest's own parent_map/child_map, without
 * building the DAG's vertex and edge lists (at 40,000 nodes that build cost
 * more than the check). Whatever it cannot vouch for (semantic layer members,
 * a disabled member, a parent that is not a member, a cycle) goes through
 * buildGraph, which throws the same located error as before.
 */
export function checkManifestGraph(manifest: Manifest): void {
  if (!fastPaths() || !(checkedWhenMapped(manifest) || quickCheck(manifest))) buildGraph(manifest);
}

/**
 * true: fillParentChildMaps found this manifest's graph acyclic, and the
 * manifest still holds the maps and member collections it saw, with as many
 * members and depends_on entries (so no check is made twice on a fresh parse).
 */
function checkedWhenMapped(m: Manifest): boolean {
  const seen = mappedGraph(m);
  if (!seen?.acyclic || seen.parentMap !== m.parent_map || seen.childMap !== m.child_map) return false;
  for (const extra of [m.semantic_models, m.metrics, m.saved_queries]) if (extra && Object.keys(extra).length > 0) return false;
  const collections = [m.nodes, m.sources, m.exposures, m.unit_tests] as unknown as Record<string, { depends_on?: { nodes: string[] } }>[];
  let members = 0;
  let edges = 0;
  for (let i = 0; i < collections.length; i++) {
    const c = collections[i]!;
    if (c !== seen.collections[i]) return false;
    const keys = Object.keys(c);
    members += keys.length;
    for (const k of keys) edges += c[k]!.depends_on?.nodes.length ?? 0;
  }
  return members === seen.members && edges === seen.edges;
}

/** true: the manifest's members and edges form a DAG buildGraph would accept. */
function quickCheck(m: Manifest): boolean {
  for (const extra of [m.semantic_models, m.metrics, m.saved_queries]) if (extra && Object.keys(extra).length > 0) return false;
  const members: { unique_id: string; config?: { enabled?: boolean }; depends_on?: { nodes: string[] } }[][] = [recordValues(m.nodes), recordValues(m.unit_tests ?? {}), recordValues(m.sources), recordValues(m.exposures)];
  // Indegree per member: its parent_map entry (depends_on as written: a repeated parent counts
  // twice here and is listed twice among its children, so the counts still meet zero).
  const indegree = new Map<string, number>();
  const ready: string[] = [];
  let count = 0;
  for (const list of members) {
    for (const n of list) {
      if (n.config?.enabled === false) return false;
      const parents = m.parent_map[n.unique_id];
      // (parent_map as fillParentChildMaps left it: one entry per member, one parent per depends_on entry)
      if (parents === undefined || parents.length !== (n.depends_on?.nodes.length ?? 0) || indegree.has(n.unique_id)) return false;
      indegree.set(n.unique_id, parents.length);
      if (parents.length === 0) ready.push(n.unique_id);
      count += 1;
    }
  }
  for (const list of members) for (const n of list) for (const p of m.parent_map[n.unique_id]!) if (!indegree.has(p)) return false;
  for (let i = 0; i < ready.length; i++) {
    for (const child of m.child_map[ready[i]!] ?? []) {
      const d = indegree.get(child)! - 1;
      indegree.set(child, d);
      if (d === 0) ready.push(child);
    }
  }
  return ready.length === count;
}
