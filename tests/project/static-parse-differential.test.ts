import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { Manifest } from '../../src/manifest/types.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { makeProject } from '../support/project-fixture.js';

// Public projects checked out on the development machines (skipped where absent).
const EXT = '/work/ext';

const PROFILE = (name: string) => `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ":memory:"\n      threads: 1\n`;

/** A copy of a public project with a DuckDB profile and, for a package's integration tests, the package linked in. */
function copyOf(src: string, profileName: string, packages: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-diff-'));
  cpSync(src, dir, { recursive: true, filter: (p) => !p.includes('/dbt_packages') && !p.includes('/target') });
  writeFileSync(join(dir, 'profiles.yml'), PROFILE(profileName));
  // The packages linked below are all the parse needs; a packages.yml listing more (jaffle-shop's audit helper) would be dbt's "run deps" error.
  rmSync(join(dir, 'packages.yml'), { force: true });
  for (const [name, path] of Object.entries(packages)) {
    mkdirSync(join(dir, 'dbt_packages'), { recursive: true });
    symlinkSync(path, join(dir, 'dbt_packages', name));
  }
  return dir;
}

/** Each node's depends_on (nodes and macros, as sets) and refs/sources. */
function dependencies(m: Manifest): Record<string, { nodes: string[]; macros: string[] }> {
  return Object.fromEntries(
    Object.values(m.nodes).map((n) => [n.unique_id, { nodes: [...n.depends_on.nodes].sort(), macros: [...n.depends_on.macros].sort() }]),
  );
}

/** Parse with the static parser on and off: the manifests must record the same dependencies. */
function expectSameDependencies(dir: string) {
  const withStatic = parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} }));
  const rendered = parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} }), { flags: { STATIC_PARSER: false } });
  const a = dependencies(withStatic.manifest);
  const b = dependencies(rendered.manifest);
  expect(Object.keys(a).length).toBeGreaterThan(0);
  expect(a).toEqual(b);
  return { a, manifest: withStatic.manifest };
}

describe('static parse and a full render record the same depends_on', () => {
  it('a small project: macros a model calls are in depends_on.macros; ref/source/config are not macros unless a project overrides them', () => {
    const dir = makeProject({
      'macros/cents.sql': '{% macro cents_to_dollars(c) %}({{ c }} / 100){% endmacro %}\n{% macro inner() %}1{% endmacro %}\n{% macro outer() %}{{ inner() }}{% endmacro %}',
      'models/a.sql': "{{ config(materialized='table') }}\nselect 1 as id",
      'models/b.sql': "select {{ cents_to_dollars('id') }} as d, {{ outer() }} as o from {{ ref('a') }}",
      'models/c.sql': "select {{ dbt.current_timestamp() }} as t from {{ ref('a') }}",
    });
    const { a } = expectSameDependencies(dir);
    expect(a['model.test_project.a']!.macros).toEqual([]);
    // Only the macros the model calls itself (dbt's macro stack at depth 0), not what they call.
    expect(a['model.test_project.b']!.macros).toEqual(['macro.test_project.cents_to_dollars', 'macro.test_project.outer']);
    expect(a['model.test_project.c']!.macros).toEqual(['macro.dbt.current_timestamp']);
  });

  it('a project overriding ref: the static parser steps aside and the ref macro is a dependency', () => {
    const dir = makeProject({
      'macros/ref.sql': '{% macro ref(name) %}{% do return(builtins.ref(name)) %}{% endmacro %}',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    const { a } = expectSameDependencies(dir);
    expect(a['model.test_project.b']).toEqual({ nodes: ['model.test_project.a'], macros: ['macro.test_project.ref'] });
  });

  it("dbt's type_* macros called alone (read without rendering): the same depends_on.macros, in the same order", () => {
    const models = {
      'models/a.sql': "select cast(1 as {{ dbt.type_int() }}) as id, cast('x' as {{ dbt.type_string() }}) as s, {{ dbt.type_int() }} as t",
      'models/b.sql': "{{ config(materialized='table') }}select cast(id as {{ dbt.type_numeric() }}) as n, cast(s as {{dbt.type_boolean()}}) from {{ ref('a') }}",
      'models/c.sql': 'select cast(1 as {{- dbt.type_bigint() -}}) as b, cast(1 as {{ dbt.type_float() }}) as f, cast(null as {{ dbt.type_timestamp() }}) as t',
    };
    const order = (m: Manifest) => Object.fromEntries(Object.values(m.nodes).map((n) => [n.unique_id, n.depends_on.macros]));
    const same = (files: Record<string, string>, extra: (a: Record<string, string[]>) => void) => {
      const { manifest } = expectSameDependencies(makeProject({ ...models, ...files }));
      const dir = makeProject({ ...models, ...files });
      const rendered = parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} }), { flags: { STATIC_PARSER: false } }).manifest;
      expect(order(manifest)).toEqual(order(rendered));
      extra(order(manifest));
    };
    same({}, (a) => {
      expect(a['model.test_project.a']).toEqual(['macro.dbt.type_int', 'macro.dbt.type_string']);
      expect(a['model.test_project.b']).toEqual(['macro.dbt.type_numeric', 'macro.dbt.type_boolean']);
      expect(a['model.test_project.c']).toEqual(['macro.dbt.type_bigint', 'macro.dbt.type_float', 'macro.dbt.type_timestamp']);
    });
    // A project's own type macro (dispatch finds it first), a macro named dbt, a macro reading ref: rendered, and recorded as the render records them.
    same({ 'macros/t.sql': "{% macro default__type_int() %}{{ return(ref('c').identifier) }}{% endmacro %}" }, (a) => expect(a['model.test_project.a']).toEqual(['macro.dbt.type_int', 'macro.dbt.type_string']));
    const dir = makeProject({ ...models, 'macros/t.sql': "{% macro default__type_int() %}{{ return(ref('c').identifier) }}{% endmacro %}" });
    expect(parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} })).manifest.nodes['model.test_project.a']!.depends_on.nodes).toEqual(['model.test_project.c']);
    same({ 'macros/t.sql': '{% macro dbt() %}x{% endmacro %}' }, (a) => expect(a['model.test_project.c']).toEqual([]));
  });

  it("models whose only other calls are dbt's type_* macros are not rendered at parse (unless a project replaces what they dispatch to, or with the fast paths off)", () => {
    const renderedModels = (files: Record<string, string>, fast = true) => {
      const dir = makeProject({ 'models/s.yml': 'sources:\n  - name: s\n    tables:\n      - name: t\n', 'models/a.sql': "select cast(1 as {{ dbt.type_int() }}) as id from {{ source('s', 't') }}", 'models/b.sql': 'select {{ dbt.type_string() }}', ...files });
      const loaded = loadProject({ projectDir: dir, profilesDir: dir, env: {} });
      const render = vi.spyOn(loaded.jinja, 'render');
      setFastPaths(fast);
      try {
        expect(Object.keys(parseLoaded(loaded).manifest.nodes).sort()).toEqual(['model.test_project.a', 'model.test_project.b', ...('models/c.sql' in files ? ['model.test_project.c'] : [])]);
      } finally {
        setFastPaths(true);
      }
      return render.mock.calls.map(([t]) => t.file).filter((f) => f.startsWith('models/')).sort();
    };
    expect(renderedModels({})).toEqual([]);
    expect(renderedModels({}, false)).toEqual(['models/a.sql', 'models/b.sql']);
    expect(renderedModels({ 'macros/t.sql': "{% macro default__type_string() %}{{ return('text') }}{% endmacro %}" })).toEqual(['models/b.sql']);
    expect(renderedModels({ 'macros/t.sql': '{% macro type_int() %}int{% endmacro %}' })).toEqual([]);
    // `{{ this.name }}` and the like read the node's relation: nothing to render, unless a macro named `this` replaces it.
    const withThis = { 'models/c.sql': "select '{{ this.name }}' as m, '{{this.schema}}' as s, '{{ this.identifier }}' as i, {{ dbt.type_int() }} as t from {{ ref('a') }}" };
    expect(renderedModels(withThis)).toEqual([]);
    expect(renderedModels({ ...withThis, 'models/c.sql': "select '{{ this.alias }}' as m" })).toEqual(['models/c.sql']);
    expect(renderedModels({ ...withThis, 'macros/this.sql': '{% macro this() %}x{% endmacro %}' })).toEqual(['models/c.sql']);
    expectSameDependencies(makeProject({ 'models/a.sql': 'select 1 as id', ...withThis }));
    expectSameDependencies(makeProject({ 'models/a.sql': 'select 1 as id', ...withThis, 'macros/this.sql': '{% macro this() %}x{% endmacro %}' }));
  });

  it('a lone var() whose value is Jinja reading only run_started_at, modules and target: not rendered at parse, the same manifest', () => {
    const project = (vars: Record<string, string>, files: Record<string, string> = {}) =>
      makeProject({
        'dbt_project.yml': `name: test_project\nversion: '1.0.0'\nconfig-version: 2\nprofile: test_profile\nvars:\n${Object.entries(vars).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`,
        'models/a.sql': "select 1 as id, cast('{{ var('last_run') }}' as {{ dbt.type_timestamp() }}) as t",
        'models/b.sql': "{{ config(materialized='table') }}select '{{ var('last_run') }}' as t, {{ var('missing', 3) }} as n from {{ ref('a') }}",
        ...files,
      });
    const parse = (dir: string, opts: { fast?: boolean; flags?: Record<string, unknown> } = {}) => {
      const loaded = loadProject({ projectDir: dir, profilesDir: dir, env: {} });
      const render = vi.spyOn(loaded.jinja, 'render');
      setFastPaths(opts.fast ?? true);
      try {
        const { manifest } = parseLoaded(loaded, { flags: opts.flags });
        const rendered = render.mock.calls.map(([t]) => t.file).filter((f) => f.startsWith('models/')).sort();
        const nodes = Object.fromEntries(Object.values(manifest.nodes).map((n) => [n.unique_id, { deps: n.depends_on, refs: n.refs, config: n.config }]));
        return { rendered, nodes };
      } finally {
        setFastPaths(true);
      }
    };
    const expectSame = (dir: string, rendered: string[]) => {
      const fast = parse(dir);
      expect(fast.rendered).toEqual(rendered);
      expect(fast.nodes).toEqual(parse(dir, { flags: { STATIC_PARSER: false } }).nodes);
      expect(fast.nodes).toEqual(parse(dir, { fast: false }).nodes);
      return fast.nodes;
    };
    expect(expectSame(project({ last_run: '{{ run_started_at.astimezone(modules.pytz.timezone("UTC")) }}' }), [])['model.test_project.b']!.deps).toEqual({ macros: [], nodes: ['model.test_project.a'] });
    expectSame(project({ last_run: "{{ target.name ~ '-' ~ run_started_at.strftime('%Y') | upper }}" }), []);
    // A var value calling a macro, or ref: rendered, and its calls recorded as the render records them.
    const nodes = expectSame(project({ last_run: '{{ my_ts() }}' }, { 'macros/m.sql': '{% macro my_ts() %}now(){% endmacro %}' }), ['models/a.sql', 'models/b.sql']);
    expect(nodes['model.test_project.a']!.deps.macros).toEqual(['macro.test_project.my_ts', 'macro.dbt.type_timestamp']);
    expect(expectSame(project({ last_run: "{{ ref('c') }}" }, { 'models/c.sql': 'select 1 as x' }), ['models/a.sql', 'models/b.sql'])['model.test_project.a']!.deps.nodes).toEqual(['model.test_project.c']);
    // A value whose render gives Jinja: rendered.
    expectSame(project({ last_run: "{{ '{{ x }}' }}" }), ['models/a.sql', 'models/b.sql']);
    // In a config value the var's value is needed: rendered.
    expectSame(project({ last_run: '{{ run_started_at.year > 2000 }}' }, { 'models/c.sql': "{{ config(enabled=var('last_run')) }}select 1 as x" }), ['models/c.sql']);
    // A value whose render raises, a macro named like a member the value reads: rendered, failing as before.
    const errorOf = (dir: string, fast: boolean) => {
      setFastPaths(fast);
      try {
        parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} }));
        return undefined;
      } catch (e) {
        return String(e);
      } finally {
        setFastPaths(true);
      }
    };
    const failing = project({ last_run: '{{ modules.pytz.timezone("Nowhere/Nothing") }}' });
    expect(errorOf(failing, true)).toMatch(/Nowhere/);
    expect(errorOf(failing, true)).toEqual(errorOf(failing, false));
    const shadowed = project({ last_run: '{{ modules.datetime.date(2020, 1, 2) }}' }, { 'macros/m.sql': '{% macro modules() %}x{% endmacro %}' });
    expect(errorOf(shadowed, true)).toMatch(/has no attribute 'datetime'/);
    expect(errorOf(shadowed, true)).toEqual(errorOf(shadowed, false));
  });

  it('a type_* macro the dispatch search order finds in a package is rendered: its refs are dependencies', () => {
    const dir = makeProject({
      'dbt_project.yml': "name: test_project\nversion: '1.0.0'\nconfig-version: 2\nprofile: test_profile\ndispatch:\n  - macro_namespace: dbt\n    search_order: ['test_project', 'dbt']\n",
      'macros/t.sql': "{% macro default__type_string() %}{{ return(ref('a').identifier) }}{% endmacro %}",
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select cast(id as {{ dbt.type_string() }}) as s from {{ ref('a') }}",
      'models/c.sql': 'select cast(1 as {{ dbt.type_string() }}) as s',
    });
    const { a } = expectSameDependencies(dir);
    expect(a['model.test_project.c']).toEqual({ nodes: ['model.test_project.a'], macros: ['macro.dbt.type_string'] });
  });

  it.skipIf(!existsSync(`${EXT}/jaffle_shop`))('jaffle_shop', () => {
    const { a } = expectSameDependencies(copyOf(`${EXT}/jaffle_shop`, 'jaffle_shop'));
    expect(a['model.jaffle_shop.orders']!.nodes).toEqual(['model.jaffle_shop.stg_orders', 'model.jaffle_shop.stg_payments']);
  });

  it.skipIf(!existsSync(`${EXT}/jaffle-shop`) || !existsSync(`${EXT}/dbt-date`))('jaffle-shop', () => {
    const { a } = expectSameDependencies(copyOf(`${EXT}/jaffle-shop`, 'default', { dbt_utils: `${EXT}/dbt-utils`, dbt_date: `${EXT}/dbt-date` }));
    expect(a['model.jaffle_shop.stg_orders']!.macros).toEqual(['macro.dbt.date_trunc', 'macro.jaffle_shop.cents_to_dollars']);
  });

  it.skipIf(!existsSync(`${EXT}/dbt-utils/integration_tests`))('dbt-utils integration tests', () => {
    const { a } = expectSameDependencies(copyOf(`${EXT}/dbt-utils/integration_tests`, 'integration_tests', { dbt_utils: `${EXT}/dbt-utils` }));
    expect(a['model.dbt_utils_integration_tests.test_star']!.macros).toContain('macro.dbt_utils.star');
  }, 60_000);
});
