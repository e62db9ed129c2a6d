/**
 * Found running dbt_zendesk and dbt_stripe against a fivetran_utils that
 * lacks the macros they call (`fivetran_utils.union_connections(...)`): dbt
 * renders a node's own template at parse with a capturing Undefined, so a
 * call or attribute on an undefined name passes parse and fails only that
 * node when it is compiled; tsdbt stopped the whole parse. Macros the node
 * calls render strictly, in dbt as here.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { parse } from '../../src/cli/api-wrappers.js';
import { makeProject, statuses } from '../execute/harness.js';

describe('an undefined macro called from a node file', () => {
  it('parses, and fails only the nodes that call it when they run', async () => {
    const p = makeProject({
      'models/pkg_missing.sql': "select 1 as x {{ dbt.no_such_macro(package_name='p') }}",
      'models/bare_missing.sql': 'select 2 as y {{ no_such_fn(1).deeper }}',
      'models/after.sql': "select * from {{ ref('pkg_missing') }}",
      'models/fine.sql': 'select 3 as z',
    });
    const m = (await parse(p.opts)).manifest;
    expect(Object.keys(m.nodes).filter((k) => k.startsWith('model.')).sort()).toEqual(['model.proj.after', 'model.proj.bare_missing', 'model.proj.fine', 'model.proj.pkg_missing']);
    expect(m.nodes['model.proj.after'].depends_on.nodes).toEqual(['model.proj.pkg_missing']);
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ pkg_missing: 'error', bare_missing: 'error', after: 'skipped', fine: 'success' });
    expect(r.results.find((x) => x.node.name === 'pkg_missing')!.message).toContain("'dict object' has no attribute 'no_such_macro'");
    expect(r.results.find((x) => x.node.name === 'bare_missing')!.message).toContain("'no_such_fn' is undefined");
    expect(await p.query('select z from fine')).toEqual([{ z: 3 }]);
  });

  it('still fails parse when a macro the node calls uses the undefined name', async () => {
    const p = makeProject({
      'macros/wrap.sql': '{% macro wrap() %}{{ no_such_inner(1) }}{% endmacro %}',
      'models/calls_wrap.sql': 'select {{ wrap() }} 1 as x',
    });
    const err = await parse(p.opts).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeDefined();
    expect(String((err as { format?: () => string }).format?.() ?? err)).toContain("'no_such_inner' is undefined");
  });
});
