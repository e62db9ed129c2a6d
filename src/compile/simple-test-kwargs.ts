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
 */
export function evaluateSimpleTestKwargs(kwargs: Record<string, unknown>, context: RenderContext): { values: Record<string, unknown>; rest: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(kwargs)) {
    const value = key === 'column_name' || typeof raw !== 'string' ? undefined : evaluate(raw, context);
    if (value === undefined) rest[key] = raw;
    else values[key] = value;
  }
  return { values, rest };
}

function evaluate(text: string, context: RenderContext): unknown {
  const where = WHERE_REF.exec(text);
  const ref = where ?? REF.exec(text);
  if (!ref) return undefined;
  const refFn = context.vars.ref;
  if (typeof refFn !== 'function') return undefined;
  const relation = callJinja(refFn as never, [ref[2]]);
  if (!isRelation(relation)) return undefined;
  if (!where) return relation;
  const macro = context.resolve?.('get_where_subquery');
  if (typeof macro !== 'function') return undefined;
  const out = callJinja(macro as never, [relation]);
  return isRelation(out) || typeof out === 'string' ? out : undefined;
}

/** A relation object (what `ref` returns), not text that native rendering might re-parse. */
function isRelation(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { render?: unknown }).render === 'function';
}
