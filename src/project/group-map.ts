import type { Manifest } from '../manifest/types.js';

/**
 * The manifest's `group_map` (v12): each group's name, with the unique ids
 * of the nodes in it, in the manifest's order; a group with no nodes has an
 * empty list. As dbt's build_group_map, a node naming a group no `groups:`
 * entry declares is left out (parse reports that group as an error).
 */
export function fillGroupMap(m: Manifest): void {
  const map: Record<string, string[]> = {};
  for (const g of Object.values(m.groups)) {
    const name = (g as { name?: unknown }).name;
    if (typeof name === 'string') map[name] = [];
  }
  if (Object.keys(map).length > 0) {
    for (const key of Object.keys(m.nodes)) {
      const group = m.nodes[key]!.group;
      if (typeof group === 'string' && Object.hasOwn(map, group)) map[group]!.push(m.nodes[key]!.unique_id);
    }
  }
  m.group_map = map;
}
