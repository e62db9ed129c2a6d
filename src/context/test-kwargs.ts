import type { JinjaEnvironment, RenderContext } from '../jinja/index.js';

/** dbt lets test arguments be written as calls without braces: `to: ref('customers')`. */
const LOOKS_LIKE_CALL = /^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$/s;

/**
 * A generic test's stored arguments (test_metadata.kwargs) rendered as dbt's
 * `add_rendered_test_kwargs` does, for parse and for compile alike: each
 * string is rendered natively, so `{{ get_where_subquery(ref('m')) }}` and
 * `ref('other')` stay Relation objects (packages check `is mapping` on them),
 * bare calls get braces, and `column_name` is never rendered. Lists and dicts
 * are rendered item by item.
 */
export function renderTestKwargs(kwargs: Record<string, unknown>, env: JinjaEnvironment, file: string, context: RenderContext): Record<string, unknown> {
  const render = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') {
      if (key === 'column_name') return v;
      const text = LOOKS_LIKE_CALL.test(v) ? `{{ ${v} }}` : v;
      return text.includes('{{') || text.includes('{%') ? env.renderNative(text, file, context) : text;
    }
    if (Array.isArray(v)) return v.map((x) => render(x, ''));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x, '')]));
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) out[k] = render(v, k);
  return out;
}
