/**
 * Edges of issue 11's bullets checked against dbt-core 1.10 in a second
 * pass, each in a tiny project in a real DuckDB.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/cli/api-wrappers.js';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

const PKG = `name: pkg
config-version: 2
vars:
  p_global: pkg-global
  both: pkg-global-both
  pkg:
    p_scoped: pkg-scoped
    over: pkg-scoped
models:
  pkg:
    +materialized: table
    off:
      +enabled: false
`;

describe('vars across the root project and a package (dbt: --vars, root scoped, root global, package scoped, package global)', () => {
  it("a root global var wins over the package's own scoped one; root-scoped vars reach only that package", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nvars:\n  over: root-global\n  both: root-global-both\n  pkg:\n    both: root-scoped-both\n    s_root: root-scoped\n',
      'dbt_packages/pkg/dbt_project.yml': PKG,
      'dbt_packages/pkg/models/pv.sql':
        "select '{{ var(\"over\") }}' as over_, '{{ var(\"both\") }}' as both_, '{{ var(\"s_root\") }}' as s_root, '{{ var(\"p_global\") }}' as p_global, '{{ var(\"p_scoped\") }}' as p_scoped",
      'models/rv.sql': "select '{{ var(\"both\") }}' as both_, '{{ var(\"s_root\", \"none\") }}' as s_root, '{{ var(\"p_global\", \"none\") }}' as p_global",
    });
    expect((await run(p.opts)).success).toBe(true);
    expect(await p.query('select * from pv')).toEqual([{ over_: 'root-global', both_: 'root-scoped-both', s_root: 'root-scoped', p_global: 'pkg-global', p_scoped: 'pkg-scoped' }]);
    expect(await p.query('select * from rv')).toEqual([{ both_: 'root-global-both', s_root: 'none', p_global: 'none' }]);
    // --vars given as text (YAML, as dbt's yaml.safe_load reads it): wins everywhere; a key given twice keeps its last value.
    expect((await run({ ...p.opts, vars: '{both: one, both: cli}' })).success).toBe(true);
    expect(await p.query('select (select both_ from pv) as p, (select both_ from rv) as r')).toEqual([{ p: 'cli', r: 'cli' }]);
  });

  it("a package folder disabled in its own dbt_project.yml is built when the root project enables it", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  pkg:\n    off:\n      +enabled: true\n',
      'dbt_packages/pkg/dbt_project.yml': PKG,
      'dbt_packages/pkg/models/off/offm.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ offm: 'success' });
    // Still the package's own materialization: only `enabled` was overridden.
    expect(await p.query("select table_type from information_schema.tables where table_name = 'offm'")).toEqual([{ table_type: 'BASE TABLE' }]);
  });
});

describe('generic tests: a config key both among the arguments and under config:', () => {
  it("is dbt's SameKeyNestedError, located; a falsy value among the arguments is not", async () => {
    const yml = (inline: string) => `version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              ${inline}\n              config: {where: "id > 0"}\n`;
    const p = makeProject({ 'models/m.sql': 'select 1 as id', 'models/m.yml': yml('where: "1=1"') });
    const err = await parse(p.opts).then(() => undefined, (e: unknown) => e as { format(): string });
    expect(err!.format()).toContain("models/m.yml:7: Test cannot have the same key at the top-level and in config: 'where' of test 'not_null'");
    p.write({ 'models/m.yml': yml('where: ""') });
    const m = (await parse(p.opts)).manifest;
    expect(Object.values(m.nodes).find((n) => n.resource_type === 'test')!.config.where).toBe('id > 0');
  });
});
