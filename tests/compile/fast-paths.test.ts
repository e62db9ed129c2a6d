import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { filesUnder } from '../support/files-under.js';
import { makeProject, MEMORY_PROFILE } from '../support/project-fixture.js';
// @ts-expect-error: the bench's project generators are plain ES modules without types.
import { generateProject, generateRealisticProject } from '../../bench/generate-project.mjs';

/** Every file under target/ (compiled SQL, manifest.json, graph_summary.json), the per-invocation fields blanked. */
function targetFiles(dir: string): Record<string, string> {
  const out = filesUnder(join(dir, 'target'), dir);
  const manifest = JSON.parse(out['target/manifest.json']!);
  manifest.metadata.generated_at = '';
  manifest.metadata.invocation_id = '';
  out['target/manifest.json'] = JSON.stringify(manifest, null, 1);
  delete out['target/run_results.json'];
  // graph_summary.json names the invocation.
  if (out['target/graph_summary.json'] !== undefined) out['target/graph_summary.json'] = out['target/graph_summary.json'].replace(/"_invocation_id": "[^"]*"/, '"_invocation_id": "-"');
  return out;
}

/** Compile `dir` with the fast paths on, then off; both runs' target/ and results. */
async function compileBothWays(dir: string) {
  const runs = [];
  for (const on of [true, false]) {
    rmSync(join(dir, 'target'), { recursive: true, force: true });
    setFastPaths(on);
    const r = await compile({ projectDir: dir, profilesDir: dir });
    runs.push({ success: r.success, results: r.results.map((x) => [x.unique_id, x.status, x.compiled_code ?? x.message]), files: targetFiles(dir) });
  }
  return { fast: runs[0]!, plain: runs[1]! };
}

const memoryProfile = (dir: string) => writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'bench'));

afterEach(() => {
  setFastPaths(true);
});

describe('fast paths give what the plain paths give (compile: manifest.json, target/compiled, results)', () => {
  it("on dbt-core's benchmark shape (refs, config(), three tests a model)", async () => {
    const dir = makeProject({});
    generateProject(dir, 20);
    memoryProfile(dir);
    const { fast, plain } = await compileBothWays(dir);
    expect(fast.success).toBe(true);
    expect(Object.keys(fast.files).filter((f) => f.endsWith('.sql'))).toHaveLength(20 * 4);
    expect(fast).toEqual(plain);
  });

  it('on the realistic shape (sources, macros, config(), var(), loops, ephemeral and incremental models)', async () => {
    const dir = makeProject({});
    generateRealisticProject(dir, 45);
    memoryProfile(dir);
    const { fast, plain } = await compileBothWays(dir);
    expect(fast.success).toBe(true);
    expect(Object.values(fast.files).filter((sql) => sql.includes('with __dbt__cte__int_')).length).toBeGreaterThan(0);
    expect(fast).toEqual(plain);
  });

  it('on models that read flags, env vars, the invocation args, var() per package and node, and that fail', async () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: fixture\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  greeting: "{{ \'hi from \' ~ this.name }}"\n  fixture:\n    scoped: project\n',
      'macros/m.sql': "{% macro who(x) %}{{ x }}:{{ model.name }}:{{ thread_id }}{% endmacro %}\n{% macro flag_list() %}{{ flags.WHICH }},{{ flags.FULL_REFRESH }},{{ invocation_args_dict.which }}{% endmacro %}",
      'models/a.sql': "{{ config(materialized='table', meta={'k': 1}) }}\nselect '{{ var(\"greeting\") }}' as g, '{{ var(\"scoped\") }}' as s, '{{ who(1) }}' as w, '{{ flag_list() }}' as f, '{{ env_var(\"TSDBT_FAST_PATH_TEST\", \"unset\") }}' as e, '{{ dbt_metadata_envs | tojson }}' as d",
      'models/b.sql': "{% set n = 3 %}select {% for i in range(n) %}{{ i }} as c{{ i }}{{ ',' if not loop.last }} {% endfor %} from {{ ref('a') }}\n-- {{ builtins.var('greeting') }} {{ context.get('who')('b') }}",
      'models/c.sql': "{% do flags.update({'WHICH': 'changed'}) %}{% do dbt_metadata_envs.update({'X': 'y'}) %}select '{{ flags.WHICH }}' as w from {{ ref('b') }}",
      'models/d.sql': "select '{{ flags.WHICH }}', '{{ dbt_metadata_envs | tojson }}' as w from {{ ref('c') }}",
      // Last in DAG order: compile stops at the first node that fails, as dbt's.
      'models/broken.sql': "select {% if execute %}{{ exceptions.raise_compiler_error('broken on purpose') }}{% endif %} -- {{ ref('d') }}",
      'models/schema.yml': "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: g\n        data_tests: [not_null, {accepted_values: {values: ['x', \"{{ var('scoped') }}\"]}}]\n",
    });
    process.env.DBT_ENV_CUSTOM_ENV_FAST_PATH = 'yes';
    try {
      const { fast, plain } = await compileBothWays(dir);
      expect(fast.success).toBe(false);
      const sql = Object.fromEntries(fast.results.map(([id, , code]) => [id, code]));
      expect(sql['model.fixture.a']).toBe("\nselect 'hi from a' as g, 'project' as s, '1:a:Thread-1' as w, 'compile,False,compile' as f, 'unset' as e, '{\"FAST_PATH\": \"yes\"}' as d");
      // A template that changes its own flags or dbt_metadata_envs changes nothing for the next node.
      expect(sql['model.fixture.d']).toBe("select 'compile', '{\"FAST_PATH\": \"yes\"}' as w from \"memory\".\"main\".\"c\"");
      expect(sql['model.fixture.broken']).toContain('broken on purpose');
      expect(fast).toEqual(plain);
    } finally {
      delete process.env.DBT_ENV_CUSTOM_ENV_FAST_PATH;
    }
  });

  it('on plain models (text and literal ref/source/config calls): ephemeral CTEs, sources, package-qualified refs', async () => {
    const dir = makeProject({
      'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id",
      'models/eph2.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('eph') }}",
      'models/a.sql': "select * from {{ ref('eph2') }} join {{ source('raw', 'orders') }} using (id)\n",
      'models/b.sql': "{{ config(materialized = 'table', tags = ['x', \"y\"], enabled=true) }}\nselect * from {{ ref(\"a\") }}, {{ ref('fixture', 'eph') }}\n\n",
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n',
    }, 'fixture');
    const { fast, plain } = await compileBothWays(dir);
    expect(fast.success).toBe(true);
    const sql = Object.fromEntries(fast.results.map(([id, , code]) => [id, code]));
    expect(sql['model.fixture.a']).toMatch(/^with __dbt__cte__eph as \(.*__dbt__cte__eph2 as \(.*select \* from __dbt__cte__eph2 join "memory"."raw"."orders" using \(id\)$/s);
    expect(sql['model.fixture.b']).toContain('\nselect * from "memory"."main"."a", __dbt__cte__eph');
    expect(fast).toEqual(plain);
  });

  it("on plain models when a project macro named like a member (ref) replaces it", async () => {
    const dir = makeProject({
      'macros/ref.sql': "{% macro ref(name) %}{{ return(builtins.ref(name).include(schema=false)) }}{% endmacro %}",
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
    }, 'fixture');
    const { fast, plain } = await compileBothWays(dir);
    expect(fast.success).toBe(true);
    expect(fast.results.find(([id]) => id === 'model.fixture.b')![2]).toBe('select * from "memory"."a"');
    expect(fast).toEqual(plain);
  });
  it("on generic tests' get_where_subquery: where set per test and in dbt_project.yml, and the macro replaced by a project", async () => {
    const schema = "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n          - unique: {config: {where: 'id > 1'}}\n          - relationships: {to: ref('b'), field: id, config: {where: ''}}\n  - name: b\n    data_tests:\n      - dbt_utils_free_expression\n";
    const base = {
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/schema.yml': schema.replace('    data_tests:\n      - dbt_utils_free_expression\n', ''),
    };
    const projects = {
      plain: makeProject(base, 'fixture'),
      projectWhere: makeProject({ ...base, 'dbt_project.yml': 'name: fixture\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\ndata_tests:\n  +where: "id < 9"\n' }, 'fixture'),
      defaultReplaced: makeProject({ ...base, 'macros/w.sql': '{% macro default__get_where_subquery(relation) %}{{ return("(select 42) as replaced") }}{% endmacro %}' }, 'fixture'),
      adapterVersion: makeProject({ ...base, 'macros/w.sql': '{% macro duckdb__get_where_subquery(relation) %}{{ return("(select 43) as by_adapter") }}{% endmacro %}' }, 'fixture'),
      nameReplaced: makeProject({ ...base, 'macros/w.sql': '{% macro get_where_subquery(relation) %}{{ return("(select 44) as by_name") }}{% endmacro %}' }, 'fixture'),
    };
    const expected: Record<string, RegExp> = {
      plain: /from \(select \* from "memory"\."main"\."a" where id > 1\) dbt_subquery/,
      projectWhere: /where id < 9\) dbt_subquery/,
      defaultReplaced: /\(select 42\) as replaced/,
      adapterVersion: /\(select 43\) as by_adapter/,
      nameReplaced: /\(select 44\) as by_name/,
    };
    for (const [name, dir] of Object.entries(projects)) {
      const { fast, plain } = await compileBothWays(dir);
      expect(fast.success, name).toBe(true);
      const sql = fast.results.filter(([id]) => String(id).startsWith('test.')).map(([, , code]) => String(code)).join('\n');
      expect(sql, name).toMatch(expected[name]!);
      expect(fast, name).toEqual(plain);
    }
  }, 180_000);
  it('renders that reuse their package context (compile): macros of pure and impure files, this, config, var and graph read per node', async () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: fixture\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  v: "{{ this.identifier }}"\n',
      'macros/pure.sql': "{% macro whoami() %}{{ this.identifier }}/{{ model.name }}/{{ graph.nodes | length }}/{{ config.get('severity', 'none') }}{% endmacro %}\n{% test names_match(model, column_name) %}select '{{ whoami() }}' as w, '{{ var('v') }}' as v, '{{ impure_name() }}' as i, {{ column_name }} from {{ model }}{% endtest %}",
      // A top level: dbt renders each macro block alone, so `top` is not defined in impure_name() and prints nothing.
      'macros/impure.sql': "{% set top = 'T' ~ (1 + 1) %}{% macro impure_name() %}{{ top }}-{{ this.identifier }}-{{ model.unique_id }}{% endmacro %}",
      'models/a.sql': "select 1 as id, '{{ whoami() }}' as w, '{{ impure_name() }}' as i, '{{ var('v') }}' as v",
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "{{ config(materialized='table') }}\nselect '{{ whoami() }}' as w, id from {{ ref('b') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [names_match, not_null]\n  - name: b\n    columns:\n      - name: id\n        data_tests: [{names_match: {config: {severity: warn}}}, unique]\n  - name: c\n    columns:\n      - name: id\n        data_tests: [names_match]\n',
    }, 'fixture');
    const { fast, plain } = await compileBothWays(dir);
    expect(fast.success).toBe(true);
    const sql = Object.fromEntries(fast.results.map(([id, , code]) => [String(id).replace(/\.[0-9a-f]{10}$/, ''), String(code).replace(/\.[0-9a-f]{10}'/g, "'")]));
    expect(sql['model.fixture.a']).toBe("select 1 as id, 'a/a/8/none' as w, '-a-model.fixture.a' as i, 'a' as v");
    expect(sql['model.fixture.c']).toBe("\nselect 'c/c/8/none' as w, id from \"memory\".\"main\".\"b\"");
    expect(sql['test.fixture.names_match_a_id']).toBe(`select 'names_match_a_id/names_match_a_id/8/ERROR' as w, 'names_match_a_id' as v, '-names_match_a_id-test.fixture.names_match_a_id' as i, id from "memory"."main"."a"`);
    expect(sql['test.fixture.names_match_b_id']).toBe(`select 'names_match_b_id/names_match_b_id/8/warn' as w, 'names_match_b_id' as v, '-names_match_b_id-test.fixture.names_match_b_id' as i, id from "memory"."main"."b"`);
    expect(fast).toEqual(plain);
  });
});
