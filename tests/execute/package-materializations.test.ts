import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject } from './harness.js';

/**
 * dbt 1.10 (require_explicit_package_overrides_for_builtin_materializations,
 * on since 1.8): an installed package's materialization never replaces a
 * built-in one unless the root project opts in, by defining its own that
 * calls the package's, or by setting the flag false. A package's
 * materialization of a new name is used as always.
 */
const PACKAGE = {
  'dbt_packages/pkgm/dbt_project.yml': 'name: pkgm\nconfig-version: 2\n',
  'dbt_packages/pkgm/macros/materializations.sql': `{% materialization incremental, default %}
  {% call statement('main') %}create or replace table {{ this }} as select 'package incremental' as who{% endcall %}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
{% materialization special, default %}
  {% call statement('main') %}create or replace table {{ this }} as select 'package special' as who{% endcall %}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}`,
  // (incremental: tsdbt's is built in for every adapter as a default one, so a default one of the root project's comes first.)
  'models/plain.sql': "{{ config(materialized='incremental') }}select 'the model' as who",
  'models/odd.sql': "{{ config(materialized='special') }}select 'the model' as who",
};

async function built(files: Record<string, string>): Promise<unknown[]> {
  const p = makeProject({ ...PACKAGE, ...files });
  const r = await run(p.opts);
  expect(r.results.map((x) => x.error?.message ?? x.status)).toEqual(['success', 'success']);
  return [...(await p.query('select who from main.plain')), ...(await p.query('select who from main.odd'))];
}

describe("packages' materializations (dbt 1.10)", () => {
  it("a package's incremental materialization is not used for the built-in one; its new one is", async () => {
    expect(await built({})).toEqual([{ who: 'the model' }, { who: 'package special' }]);
  });

  it('the root project opts in by defining its own that calls the package one', async () => {
    const rootOverride = '{% materialization incremental, default %}{{ return(pkgm.materialization_incremental_default()) }}{% endmaterialization %}';
    expect(await built({ 'macros/incremental.sql': rootOverride })).toEqual([{ who: 'package incremental' }, { who: 'package special' }]);
  });

  it('or with flags: require_explicit_package_overrides_for_builtin_materializations: false', async () => {
    const project = 'name: proj\nprofile: proj\nconfig-version: 2\nflags:\n  require_explicit_package_overrides_for_builtin_materializations: false\n';
    expect(await built({ 'dbt_project.yml': project })).toEqual([{ who: 'package incremental' }, { who: 'package special' }]);
  });
});
