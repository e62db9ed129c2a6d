/**
 * Load- and parse-time semantics real projects rely on (issue 11): what dbt
 * leaves unrendered in dbt_project.yml, package vars and configs, Jinja in
 * properties values, dbt 1.10 generic test arguments, dispatch without a
 * `dispatch:` entry. Each in a tiny project built in a real DuckDB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, run } from '../../src/api/run.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';
import { makeProject, statuses } from '../execute/harness.js';

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'));

describe('dbt_project.yml: what dbt renders late', () => {
  it("a string var is rendered when var() reads it, in the caller's context: ref/source become the caller's dependencies", async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
vars:
  upstream: "{{ ref('base') }}"
  raw_orders: "{{ source('raw', 'orders') }}"
  today: "{{ modules.datetime.date(2024, 1, 2).isoformat() }}"
  plain: 42
on-run-start: ["create table if not exists main.orders as select 7 as id"]
`,
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables: [{name: orders}]\n',
      'models/base.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/reader.sql': "{{ config(materialized='table') }}select id, '{{ var('today') }}' as d, {{ var('plain') }} as n from {{ var('upstream') }}",
      'models/orders_copy.sql': "{{ config(materialized='table') }}select * from {{ var('raw_orders') }}",
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toMatchObject({ base: 'success', reader: 'success', orders_copy: 'success' });
    expect(await p.query('select id, d, n from reader')).toEqual([{ id: 1, d: '2024-01-02', n: 42 }]);
    expect(await p.query('select id from orders_copy')).toEqual([{ id: 7 }]);
    const m = manifestOf(p.dir);
    expect(m.nodes['model.proj.reader'].depends_on.nodes).toEqual(['model.proj.base']);
    expect(m.nodes['model.proj.orders_copy'].depends_on.nodes).toEqual(['source.proj.raw.orders']);
  });

  it('an undefined var is none at parse (a disabled model parses) and the located error when a model runs', async () => {
    const p = makeProject({
      'models/off.sql': "{{ config(enabled=false) }}select {{ var('never_set') }} as x",
      'models/needs.sql': "select '{{ var('needed') }}' as x",
      'models/fine.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ needs: 'error', fine: 'success' });
    const err = r.results.find((x) => x.node.name === 'needs')!;
    expect(String((err as { message?: string }).message)).toContain("Required var 'needed' not found in config (rendering needs)");
  });

  it('query-comment and hooks are not rendered at load (a macro they call need not exist yet)', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
query-comment: "{{ my_comment_macro() }}"
on-run-end: ["create table hook_ran as select '{{ target.name }}' as t"]
models:
  proj:
    +post-hook: "create table post_{{ this.name }} as select 1 as x"
`,
      'macros/c.sql': "{% macro my_comment_macro() %}tsdbt{% endmacro %}",
      'models/m.sql': 'select 1 as id',
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success' });
    expect(await p.query('select t from hook_ran')).toEqual([{ t: 'dev' }]);
    expect(await p.query('select x from post_m')).toEqual([{ x: 1 }]);
  });
});

/** A package installed as deps would, under dbt_packages/pkg. */
const PKG_PROJECT = `name: pkg
version: "1.0.0"
config-version: 2
vars:
  own_global: pkg-global
  shadowed: pkg-global
  pkg:
    own_scoped: pkg-scoped
    shadowed: pkg-scoped
models:
  pkg:
    +materialized: table
    staging:
      +materialized: view
    disabled_folder:
      +enabled: false
`;

describe("a package's own dbt_project.yml", () => {
  it('its vars (global and scoped to itself) reach its models and macros, below the root project and --vars', async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nvars:\n  root_global: root\n  pkg:\n    shadowed: root-scoped\n',
      'dbt_packages/pkg/dbt_project.yml': PKG_PROJECT,
      'dbt_packages/pkg/macros/m.sql': "{% macro own_var() %}{{ return(var('own_scoped')) }}{% endmacro %}",
      'dbt_packages/pkg/models/pkg_vars.sql':
        "select '{{ var('own_global') }}' as g, '{{ var('own_scoped') }}' as s, '{{ var('shadowed') }}' as sh, '{{ var('root_global') }}' as r, '{{ var('cli', 'none') }}' as c, '{{ pkg.own_var() }}' as via_macro",
    });
    await run({ ...p.opts, vars: { cli: 'from-cli' } });
    expect(await p.query('select * from pkg_vars')).toEqual([{ g: 'pkg-global', s: 'pkg-scoped', sh: 'root-scoped', r: 'root', c: 'from-cli', via_macro: 'pkg-scoped' }]);
  });

  it('its config applies on the full fqn; the root project config for the package wins; +enabled: false folders are not built', async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  pkg:\n    staging:\n      stg_b:\n        +materialized: table\n',
      'dbt_packages/pkg/dbt_project.yml': PKG_PROJECT,
      'dbt_packages/pkg/models/top.sql': 'select 1 as id',
      'dbt_packages/pkg/models/staging/stg_a.sql': 'select 1 as id',
      'dbt_packages/pkg/models/staging/stg_b.sql': 'select 1 as id',
      // Same name as a root model: only a collision if the folder were enabled.
      'dbt_packages/pkg/models/disabled_folder/top_root.sql': 'select 2 as id',
      'models/top_root.sql': 'select 1 as id',
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ top: 'success', stg_a: 'success', stg_b: 'success', top_root: 'success' });
    expect(await p.query("select table_name, table_type from information_schema.tables where table_name in ('top', 'stg_a', 'stg_b') order by 1")).toEqual([
      { table_name: 'stg_a', table_type: 'VIEW' },
      { table_name: 'stg_b', table_type: 'BASE TABLE' },
      { table_name: 'top', table_type: 'BASE TABLE' },
    ]);
  });
});

describe('properties files: values dbt renders when it reads them', () => {
  it("source database/schema/identifier and a column's data_type are rendered; descriptions are not", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nvars:\n  raw_schema: landing\n',
      'models/sources.yml': `version: 2
sources:
  - name: raw
    database: "{% if target.type != 'spark' %}{{ target.database }}{% endif %}"
    schema: "{{ var('raw_schema', 'main') }}"
    description: "{{ not_rendered_at_parse }}"
    tables:
      - name: people
        identifier: "{{ 'people_' ~ 'v2' }}"
        loaded_at_field: "{{ 'loaded_at' }}"
`,
      'models/typed.sql': "{{ config(materialized='table', contract={'enforced': true}) }}select id from {{ source('raw', 'people') }}",
      'models/typed.yml': `version: 2
models:
  - name: typed
    description: "{{ doc_not_needed_here }}"
    columns:
      - name: id
        data_type: "{{ 'bigint' if target.type == 'duckdb' else 'integer' }}"
`,
      'macros/setup.sql': "{% macro setup() %}{% do run_query('create schema if not exists landing; create or replace table landing.people_v2 as select 5::bigint as id') %}{% endmacro %}",
    });
    p.write({ 'dbt_project.yml': readFileSync(join(p.dir, 'dbt_project.yml'), 'utf8') + 'on-run-start: ["{{ setup() }}"]\n' });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ typed: 'success' });
    expect(await p.query('select id from typed')).toEqual([{ id: 5 }]);
    const m = manifestOf(p.dir);
    const src = m.sources['source.proj.raw.people'];
    expect([src.database, src.schema, src.identifier, src.loaded_at_field]).toEqual(['dev', 'landing', 'people_v2', 'loaded_at']);
    expect(m.nodes['model.proj.typed'].columns.id.data_type).toBe('bigint');
  });
});

describe('generic tests, dbt 1.10', () => {
  it('arguments: merged first; config keys inside them are config; description and name are taken out', async () => {
    const p = makeProject({
      'models/m.sql': "select 'a' as c union all select 'z'",
      'models/m.yml': `version: 2
models:
  - name: m
    columns:
      - name: c
        data_tests:
          - accepted_values:
              description: only a and b
              arguments:
                values: ['a', 'b']
                severity: warn
          - not_null:
              name: c_is_there
              description: never null
`,
    });
    const r = await build(p.opts);
    const byName = Object.fromEntries(r.results.map((x) => [x.node.name, x.status]));
    expect(byName).toEqual({ m: 'success', accepted_values_m_c__a__b: 'warn', c_is_there: 'pass' });
    const m = manifestOf(p.dir);
    const test = Object.values(m.nodes as Record<string, Record<string, any>>).find((n) => n.name === 'accepted_values_m_c__a__b')!;
    expect(test.test_metadata.kwargs).toEqual({ values: ['a', 'b'], column_name: 'c', model: "{{ get_where_subquery(ref('m')) }}" });
    // As written (dbt does not change its case; judging compares without case).
    expect(test.config.severity).toBe('warn');
    expect(test.description).toBe('only a and b');
  });
});

describe('adapter.dispatch without a dispatch: entry', () => {
  it("searches the root project then the namespace package; a namespace that is no package is the ordinary lookup", async () => {
    const p = makeProject({
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\nversion: "1.0.0"\nconfig-version: 2\n',
      'dbt_packages/pkg/macros/greet.sql':
        "{% macro greet() %}{{ return(adapter.dispatch('greet', 'pkg')()) }}{% endmacro %}{% macro default__greet() %}pkg{% endmacro %}" +
        "{% macro shout() %}{{ return(adapter.dispatch('shout', 'macros')()) }}{% endmacro %}{% macro default__shout() %}pkg-shout{% endmacro %}",
      // Rendered with the package's model as the node, so the ordinary lookup starts in the package.
      'dbt_packages/pkg/models/pm.sql': "select '{{ shout() }}' as s",
      'macros/override.sql': '{% macro duckdb__greet() %}root{% endmacro %}',
      'models/m.sql': "select '{{ pkg.greet() }}' as g",
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success', pm: 'success' });
    expect(await p.query('select g, (select s from pm) as s from m')).toEqual([{ g: 'root', s: 'pkg-shout' }]);
  });
});

describe('groups and access', () => {
  const GROUPS = `version: 2
groups:
  - name: finance
    owner: {name: Fin, email: fin@example.com}
  - name: sales
    owner: {name: Sales}
models:
  - name: ledger
    config: {group: finance, access: private}
  - name: same_group
    config: {group: finance}
  - name: other_group
    config: {group: sales}
`;

  it("groups fill the manifest; a private model referenced from another group is dbt's parse error", async () => {
    const p = makeProject({
      'models/groups.yml': GROUPS,
      'models/ledger.sql': 'select 1 as id',
      'models/same_group.sql': "select * from {{ ref('ledger') }}",
      'models/other_group.sql': "select * from {{ ref('ledger') }}",
    });
    await expect(run(p.opts)).rejects.toThrow(
      "Node model.proj.other_group attempted to reference node model.proj.ledger, which is not allowed because the referenced node is private to the 'finance' group.",
    );
    p.write({ 'models/other_group.sql': 'select 2 as id' });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ ledger: 'success', same_group: 'success', other_group: 'success' });
    const groups = manifestOf(p.dir).groups;
    expect(Object.keys(groups).sort()).toEqual(['group.proj.finance', 'group.proj.sales']);
    expect(groups['group.proj.finance']).toMatchObject({ name: 'finance', resource_type: 'group', package_name: 'proj', owner: { name: 'Fin', email: 'fin@example.com' }, original_file_path: 'models/groups.yml' });
    // v12's group_map: each group with its nodes (dbt's build_group_map).
    expect(manifestOf(p.dir).group_map).toEqual({ finance: ['model.proj.ledger', 'model.proj.same_group'], sales: ['model.proj.other_group'] });
    // A model moved to the other group by its own file (a partial parse), and a third group with no nodes.
    p.write({ 'models/same_group.sql': "{{ config(group='sales') }}\nselect * from {{ ref('other_group') }}", 'models/groups.yml': GROUPS.replace('groups:\n', 'groups:\n  - name: empty\n    owner: {name: Nobody}\n') });
    await run(p.opts);
    expect(manifestOf(p.dir).group_map).toEqual({ empty: [], finance: ['model.proj.ledger'], sales: ['model.proj.other_group', 'model.proj.same_group'] });
  });

  it('a protected model of a package with restrict-access cannot be referenced from outside it', async () => {
    const p = makeProject({
      'dbt_packages/pkg/dbt_project.yml': 'name: pkg\nversion: "1.0.0"\nconfig-version: 2\nrestrict-access: true\n',
      'dbt_packages/pkg/models/inner.sql': 'select 1 as id',
      'models/outer.sql': "select * from {{ ref('inner') }}",
    });
    await expect(run(p.opts)).rejects.toThrow(
      "Node model.proj.outer attempted to reference node model.pkg.inner, which is not allowed because the referenced node is protected to the 'pkg' package.",
    );
  });
});

describe('log()', () => {
  it("prints its message as Python's str() (dbt_artifacts logs dicts)", async () => {
    const p = makeProject({ 'macros/go.sql': "{% macro go() %}{% do log({'a': 1, 'b': none, 'c': [true]}, info=true) %}{% do log(none, info=true) %}{% endmacro %}" });
    const io = captureStreams();
    expect(await runCli(['run-operation', 'go', '--project-dir', p.dir, '--profiles-dir', p.dir], io.streams, {})).toBe(0);
    // dbt's JinjaLogInfo events, each with its time as dbt's console prints them.
    expect(io.stdout.join('')).toMatch(/^\d\d:\d\d:\d\d {2}\{'a': 1, 'b': None, 'c': \[True\]\}\n\d\d:\d\d:\d\d {2}None\n/m);
  });
});

describe('one broken file, one error', () => {
  it('a macro file that fails to parse is the only error: its callers and the refs to them add none', async () => {
    const { loadProject } = await import('../../src/api/load-project.js');
    const { parseLoaded } = await import('../../src/api/parse-phase.js');
    const p = makeProject({
      'macros/m.sql': '{% macro broken( %}x{% endmacro %}\n{% macro fine() %}1{% endmacro %}\n',
      'models/a.sql': 'select {{ broken() }} as x',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "select * from {{ ref('b') }}",
    });
    let errors: { code: string; file?: string }[] = [];
    try {
      parseLoaded(loadProject({ projectDir: p.dir, profilesDir: p.dir, env: {} }));
    } catch (e) {
      errors = (e as { errors?: { code: string; file?: string }[] }).errors ?? [e as { code: string; file?: string }];
    }
    expect(errors.map((e) => [e.code, e.file?.replace(p.dir + '/', '')])).toEqual([['JINJA_SYNTAX', 'macros/m.sql']]);
  });
});

describe('tests on disabled or missing models', () => {
  it('a test whose model is disabled is disabled silently (dbt); one whose model exists nowhere warns', async () => {
    const { loadProject } = await import('../../src/api/load-project.js');
    const { parseLoaded } = await import('../../src/api/parse-phase.js');
    const p = makeProject({
      'models/off.sql': '{{ config(enabled=false) }}select 1 as id',
      'models/on.sql': 'select 1 as id',
      'models/props.yml': `version: 2
models:
  - name: "off"
    columns: [{name: id, data_tests: [unique]}]
  - name: "on"
    columns: [{name: id, data_tests: [{relationships: {arguments: {to: "ref('ghost')", field: id}}}]}]
`,
    });
    const { warnings, manifest } = parseLoaded(loadProject({ projectDir: p.dir, profilesDir: p.dir, env: {} }));
    expect(warnings.filter((w) => w.includes('the test is disabled'))).toEqual([
      "models/props.yml: test 'relationships_on_id__id__ref_ghost_' depends on ref('ghost'), which was not found; the test is disabled.",
    ]);
    expect(Object.values(manifest.nodes).filter((n) => n.resource_type === 'test')).toEqual([]);
  });
});
