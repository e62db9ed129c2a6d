/**
 * Dotted JSON paths (`pagination.total`, `data`, `$` for the root) — the
 * only path syntax extract.yml needs; no wildcards or filters.
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '$' || path === '') return value;
  let node = value;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
