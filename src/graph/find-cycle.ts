import { TsdbtError } from '../errors/tsdbt-error.js';
import type { GraphMember, RefCall } from '../manifest/types.js';

/** What cycle finding reads of a graph (DependencyGraph satisfies it). */
export interface CycleGraph {
  nodeIds(): Iterable<string>;
  children(id: string): readonly string[];
  member(id: string): GraphMember | undefined;
}

/**
 * Find one cycle and throw it as TsdbtError 'CYCLE':
 *
 *   Cycle: stg_a -> int_b -> stg_a (models/int_b.sql:4 refs stg_a; models/stg_a.sql:2 refs int_b)
 *
 * Arrows follow the data (parent -> child); each parenthesised entry explains
 * one edge in path order by the ref() that made it. Does nothing when the
 * graph is acyclic.
 */
export function assertAcyclic(graph: CycleGraph): void {
  const cycle = findCycle(graph);
  if (cycle === undefined) return;
  const names = cycle.map((id) => graph.member(id)?.name ?? id);
  const reasons: string[] = [];
  let first: { file?: string; line?: number } | undefined;
  for (let i = 0; i + 1 < cycle.length; i += 1) {
    const parent = graph.member(cycle[i]!)!;
    const child = graph.member(cycle[i + 1]!)!;
    const at = refLocation(child, parent);
    first ??= at;
    const where = at.file ? `${at.file}${at.line !== undefined ? `:${at.line}` : ''}` : child.name;
    reasons.push(`${where} refs ${parent.name}`);
  }
  throw new TsdbtError('CYCLE', `Cycle: ${names.join(' -> ')} (${reasons.join('; ')})`, {
    file: first?.file,
    line: first?.line,
    hint: 'Remove one of these ref() calls so the models no longer depend on each other in a loop.',
    detail: { cycle },
  });
}

/**
 * One cycle as a closed path of unique ids (first === last), or undefined.
 * Iterative DFS over children in manifest order, so the reported cycle is
 * stable and starts where the walk first entered it.
 */
export function findCycle(graph: CycleGraph): string[] | undefined {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<string, number>();
  for (const root of graph.nodeIds()) {
    if ((colour.get(root) ?? WHITE) !== WHITE) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    colour.set(root, GREY);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const children = graph.children(top.id);
      if (top.next >= children.length) {
        colour.set(top.id, BLACK);
        stack.pop();
        continue;
      }
      const child = children[top.next]!;
      top.next += 1;
      const c = colour.get(child) ?? WHITE;
      if (c === GREY) {
        const from = stack.findIndex((f) => f.id === child);
        return [...stack.slice(from).map((f) => f.id), child];
      }
      if (c === WHITE) {
        colour.set(child, GREY);
        stack.push({ id: child, next: 0 });
      }
    }
  }
  return undefined;
}

/** Where `child` calls ref() (or source()) on `parent`; falls back to the child's file. */
function refLocation(child: GraphMember, parent: GraphMember): { file?: string; line?: number } {
  const refs: RefCall[] = 'refs' in child && Array.isArray(child.refs) ? child.refs : [];
  const parentVersion = (parent as { version?: string | number | null }).version;
  const hit = refs.find(
    (r) =>
      r.name === parent.name &&
      (r.package == null || r.package === parent.package_name) &&
      (r.version == null || parentVersion == null || String(r.version) === String(parentVersion)),
  );
  if (hit?.at) return { file: hit.at.file, line: hit.at.line };
  return { file: child.original_file_path || undefined };
}
