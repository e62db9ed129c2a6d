import type { CompiledNode } from '../manifest/types.js';

/**
 * The model as its SQL is rendered: each foreign_key constraint's `to`
 * replaced by `render(to)` where that gives a relation (dbt 1.9 renders
 * `to: ref('parent')` as the parent's relation; see
 * project/foreign-key-targets.ts). The node itself is returned, unchanged,
 * when no `to` needs rendering.
 */
export function withForeignKeysResolved(node: CompiledNode, render: (to: unknown) => string | null): CompiledNode {
  if (node.resource_type !== 'model' || !hasForeignKey(node)) return node;
  let changed = false;
  const resolve = (list: unknown) => {
    if (!Array.isArray(list)) return list;
    return list.map((c) => {
      if (!isForeignKey(c)) return c;
      const to = render((c as Record<string, unknown>).to);
      if (to === null) return c;
      changed = true;
      return { ...(c as Record<string, unknown>), to };
    });
  };
  const constraints = resolve(node.constraints) as unknown[] | undefined;
  const columns = Object.fromEntries(Object.entries(node.columns ?? {}).map(([k, col]) => [k, { ...col, constraints: resolve((col as { constraints?: unknown }).constraints) }]));
  return changed ? ({ ...node, constraints, columns } as CompiledNode) : node;
}

const isForeignKey = (c: unknown) => c !== null && typeof c === 'object' && (c as Record<string, unknown>).type === 'foreign_key';

function hasForeignKey(node: CompiledNode): boolean {
  if (Array.isArray(node.constraints) && node.constraints.some(isForeignKey)) return true;
  for (const col of Object.values(node.columns ?? {})) {
    const list = (col as { constraints?: unknown }).constraints;
    if (Array.isArray(list) && list.some(isForeignKey)) return true;
  }
  return false;
}
