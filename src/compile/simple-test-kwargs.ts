import type { MacroResolver } from '../context/macro-resolver.js';
import { callJinja, type RenderContext } from '../jinja/index.js';

const NAME = String.raw`\(\s*(['"])([A-Za-z0-9_.\-]+)\1\s*\)`;
/** `ref('x')`, as dbt stores a generic test's `to:` argument. */
const REF = new RegExp(String.raw`^\s*ref\s*${NAME}\s*$`);
/** `{{ get_where_subquery(ref('x')) }}`, as dbt stores a generic test's `model` argument. */
const WHERE_REF = new RegExp(String.raw`^\{\{\s*get_where_subquery\s*\(\s*ref\s*${NAME}\s*\)\s*\}\}$`);

/**
 * The generic-test arguments that are a plain `ref('x')` or dbt's
 * `{{ get_where_subquery(ref('x')) }}`, evaluated by calling `ref` and
 * `get_where_subquery` of the render context directly: the same calls the
 * template would make, without compiling a template per test (each test's
 * strings differ, so the template cache never hits; ~0.15 ms a test).
 * Only values that come back as relations or as plain text (get_where_subquery's
 * subquery under a `where` config) are taken: native rendering hands a single
 * value that is not one of its markers back untouched, so the template would
 * give the very same value. Anything else is left to renderTestKwargs.
 *
 * With `builtinWhere` (the test's resolver and its `where` config), dbt's own
 * get_where_subquery is not called when it is what the name dispatches to
 * and `where` is unset: it would return the relation as given (a macro call
 * through dispatch, ~20 µs a test).
 */
export function evaluateSimpleTestKwargs(
  kwargs: Record<string, unknown>,
  context: RenderContext,
  builtinWhere?: { resolver: MacroResolver; where: unknown },
): { values: Record<string, unknown>; rest: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(kwargs)) {
    const value = key === 'column_name' || typeof raw !== 'string' ? undefined : evaluate(raw, context, builtinWhere);
    if (value === undefined) rest[key] = raw;
    else values[key] = value;
  }
  return { values, rest };
}

function evaluate(text: string, context: RenderContext, builtinWhere?: { resolver: MacroResolver; where: unknown }): unknown {
  const where = WHERE_REF.exec(text);
  const ref = where ?? REF.exec(text);
  if (!ref) return undefined;
  const refFn = context.vars.ref;
  if (typeof refFn !== 'function') return undefined;
  const relation = callJinja(refFn as never, [ref[2]]);
  if (!isRelation(relation)) return undefined;
  if (!where) return relation;
  if (builtinWhere && whereReturnsRelation(builtinWhere.resolver, builtinWhere.where)) return relation;
  const macro = context.resolve?.('get_where_subquery');
  if (typeof macro !== 'function') return undefined;
  const out = callJinja(macro as never, [relation]);
  return isRelation(out) || typeof out === 'string' ? out : undefined;
}

/**
 * get_where_subquery(relation) would return `relation` itself: the name is
 * dbt's macro, it dispatches to dbt's default__get_where_subquery (no
 * project, package or adapter version), and `where` is unset or empty.
 */
function whereReturnsRelation(resolver: MacroResolver, where: unknown): boolean {
  if (where !== undefined && where !== null && where !== '') return false;
  if (resolver.macroFor('get_where_subquery')?.unique_id !== 'macro.dbt.get_where_subquery') return false;
  return resolver.dispatchTarget('get_where_subquery', 'dbt')?.unique_id === 'macro.dbt.default__get_where_subquery';
}

/** A relation object (what `ref` returns), not text that native rendering might re-parse. */
function isRelation(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { render?: unknown }).render === 'function';
}
