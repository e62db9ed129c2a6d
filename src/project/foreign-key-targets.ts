import type { CompiledNode, RefCall } from '../manifest/types.js';
import { staticParse } from './static-parse.js';

/**
 * dbt 1.9 lets a foreign_key constraint name its parent as
 * `to: ref('parent')` or `to: source('s', 't')` (with `to_columns:`). The
 * parent becomes a dependency of the model (so it is built first), and when
 * the model runs, `to` is rendered as the parent's relation. Any other `to`
 * is a relation name written out and is used as is.
 */
export type ForeignKeyTarget = { ref: RefCall } | { source: [string, string] };

/** The ref() or source() a constraint's `to` names, or null when it is a plain relation name. */
export function foreignKeyTarget(to: unknown): ForeignKeyTarget | null {
  if (typeof to !== 'string' || !/^\s*(ref|source)\s*\(/.test(to) || to.includes('{') || to.includes('}')) return null;
  const parsed = staticParse(`{{ ${to} }}`);
  if (!parsed || parsed.configCalls.length > 0 || parsed.refs.length + parsed.sources.length !== 1) return null;
  return parsed.refs.length === 1 ? { ref: parsed.refs[0]! } : { source: parsed.sources[0]! };
}

/** Every foreign_key constraint of a model (model-level and on its columns) whose `to` is set. */
export function foreignKeyConstraints(node: CompiledNode): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  collectForeignKeys(node.constraints, out);
  for (const col of Object.values(node.columns ?? {})) collectForeignKeys((col as { constraints?: unknown }).constraints, out);
  return out;
}

/**
 * The foreign_key constraints of `list` whose `to` is set, onto `out`. A
 * module function, not a closure per model: the bundle (esbuild keepNames)
 * names every closure it makes, a defineProperty that turns the closure's
 * properties into a dictionary (10,000 models: 10,000 of them).
 */
function collectForeignKeys(list: unknown, out: Record<string, unknown>[]): void {
  if (!Array.isArray(list)) return;
  for (const c of list) if (c && typeof c === 'object' && (c as Record<string, unknown>).type === 'foreign_key' && (c as Record<string, unknown>).to) out.push(c as Record<string, unknown>);
}
