import { describe, expect, it } from 'vitest';
import { build, run, seed, snapshot, test } from '../../src/api/run.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { makeProject, statuses } from '../execute/harness.js';

type R = { node: { name: string; resource_type: string }; status: string; failures: number | null; message: string | null };
const judged = (results: R[]) => Object.fromEntries(results.filter((r) => r.node.resource_type === 'test').map((r) => [r.node.name, `${r.status}:${r.failures}`]));

// 25 rows: n = 1..25, grp = n % 5.
const numbers = { 'models/nums.sql': "{{ config(materialized='table') }}select n, n % 5 as grp, case when n > 20 then null else n end as maybe from range(1, 26) t(n)" };

describe('test config semantics', () => {
  it('severity, warn_if/error_if thresholds such as ">10", and project-level data_tests config', async () => {
    const p = makeProject({
      ...numbers,
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\ndata_tests:\n  proj:\n    +severity: warn\n',
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: grp
        data_tests:
          - accepted_values: {name: over_ten_errors, values: [0], config: {severity: error, error_if: ">10", warn_if: ">3"}}
          - accepted_values: {name: under_threshold, values: [0, 1, 2], config: {severity: error, error_if: ">10", warn_if: ">3"}}
          - accepted_values: {name: project_warns, values: [0]}
          - accepted_values: {name: uppercase_error, values: [0], config: {severity: ERROR}}
      - name: maybe
        data_tests:
          - not_null: {name: nulls_warn_over_4, config: {severity: error, warn_if: ">4", error_if: ">= 6"}}
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    // accepted_values counts distinct failing values: grp 1..4 for values [0]; grp 3, 4 for [0, 1, 2].
    expect(judged(r.results)).toEqual({ over_ten_errors: 'warn:4', under_threshold: 'pass:0', project_warns: 'warn:4', uppercase_error: 'fail:4', nulls_warn_over_4: 'warn:5' });
    expect(r.results.find((x) => x.node.name === 'over_ten_errors')!.message).toBe('Got 4 results, configured to warn if >3');
    const strict = await test({ ...p.opts, warnError: true, select: ['over_ten_errors', 'under_threshold'] });
    expect(judged(strict.results)).toEqual({ over_ten_errors: 'fail:4', under_threshold: 'pass:0' });
    expect(strict.success).toBe(false);
  });

  it('store_failures keeps failing rows in <schema>_dbt_test__audit, named after the test; --store-failures, store_failures_as view / ephemeral', async () => {
    const p = makeProject({
      ...numbers,
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: maybe
        data_tests:
          - not_null: {config: {store_failures: true}}
          - not_null: {name: as_view, config: {store_failures_as: view}}
          - not_null: {name: as_ephemeral, config: {store_failures: true, store_failures_as: ephemeral}}
      - name: grp
        data_tests:
          - accepted_values:
              values: [100, 200, 300, 400, 500, 600, 700, 800, 900]
              quote: false
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    const longName = 'accepted_values_nums_grp__False__100__200__300__400__500__600__700__800__900';
    expect(judged(r.results)).toEqual({ not_null_nums_maybe: 'fail:5', as_view: 'fail:5', as_ephemeral: 'fail:5', [longName]: 'fail:5' });
    const tables = await p.query("select table_name, table_type from information_schema.tables where table_schema = 'main_dbt_test__audit' order by 1");
    expect(tables).toEqual([{ table_name: 'as_view', table_type: 'VIEW' }, { table_name: 'not_null_nums_maybe', table_type: 'BASE TABLE' }]);
    // not_null stores whole rows when store_failures is set.
    expect(await p.query('select n from main_dbt_test__audit.not_null_nums_maybe order by n')).toEqual([21, 22, 23, 24, 25].map((n) => ({ n })));

    const flagged = await test({ ...p.opts, storeFailures: true, select: ['test_name:accepted_values'] });
    expect(judged(flagged.results)).toEqual({ [longName]: 'fail:5' });
    // The name is 64+ characters, so the table takes dbt's hashed short name (the alias).
    const stored = await p.query("select table_name from information_schema.tables where table_schema = 'main_dbt_test__audit' and table_name like 'accepted%'");
    expect(stored).toEqual([{ table_name: 'accepted_values_nums_7dd7b3c04ca36e79d3e9de698da80aab' }]);
    expect(await p.query('select value_field::int as v, n_records::int as n from main_dbt_test__audit.accepted_values_nums_7dd7b3c04ca36e79d3e9de698da80aab order by 1')).toEqual([0, 1, 2, 3, 4].map((v) => ({ v, n: 5 })));
  });

  it('an invalid store_failures_as is an error naming the accepted values', async () => {
    const p = makeProject({ ...numbers, 'models/schema.yml': 'version: 2\nmodels:\n  - name: nums\n    columns:\n      - name: n\n        data_tests:\n          - unique: {config: {store_failures_as: tabel}}\n' });
    await run(p.opts);
    const r = await test(p.opts);
    expect(r.results[0]!.status).toBe('error');
    expect(r.results[0]!.message).toContain("'tabel' is not a valid value for `store_failures_as`. Accepted values are: ['ephemeral', 'table', 'view']");
  });

  it('enabled: false drops a test; tags select tests; where/limit/fail_calc apply', async () => {
    const p = makeProject({
      ...numbers,
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: maybe
        tests:
          - not_null: {config: {enabled: false}}
          - not_null: {name: tagged, tags: [nightly]}
          - not_null: {name: tagged_in_config, config: {tags: nightly, where: "n > 23"}}
          - not_null: {name: limited, config: {limit: 2}}
          - not_null: {name: summed, config: {fail_calc: "count(*) * 10"}}
`,
    });
    await run(p.opts);
    const all = await test(p.opts);
    expect(judged(all.results)).toEqual({ tagged: 'fail:5', tagged_in_config: 'fail:2', limited: 'fail:2', summed: 'fail:50' });
    const nightly = await test({ ...p.opts, select: ['tag:nightly'] });
    expect(Object.keys(judged(nightly.results)).sort()).toEqual(['tagged', 'tagged_in_config']);
  });

  it('tests on seeds, snapshots and sources', async () => {
    const p = makeProject({
      'seeds/people.csv': 'id,name\n1,a\n1,b\n',
      'snapshots/snap.sql': "{% snapshot snap %}{{ config(target_schema='main', unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('people') }}{% endsnapshot %}",
      'models/props.yml': `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: people
        columns:
          - name: name
            data_tests: [unique]
seeds:
  - name: people
    columns:
      - name: id
        data_tests: [unique]
snapshots:
  - name: snap
    columns:
      - name: name
        data_tests: [not_null]
`,
    });
    await seed(p.opts);
    await snapshot(p.opts);
    const r = await test(p.opts);
    expect(judged(r.results)).toEqual({ unique_people_id: 'fail:1', not_null_snap_name: 'pass:0', source_unique_raw_people_name: 'pass:0' });
  });
});

describe('tests in build', () => {
  const chain = {
    'models/a.sql': "{{ config(materialized='table') }}select 1 as id union all select 1",
    'models/b.sql': "{{ config(materialized='table') }}select * from {{ ref('a') }}",
  };
  it('a failing error-severity test skips the descendants of the tested model; a warning does not', async () => {
    const failing = makeProject({ ...chain, 'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n' });
    const r1 = await build(failing.opts);
    expect(statuses(r1.results)).toEqual({ a: 'success', unique_a_id: 'fail', b: 'skipped' });
    const warning = makeProject({ ...chain, 'models/s.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - unique: {config: {severity: warn}}\n' });
    const r2 = await build(warning.opts);
    expect(statuses(r2.results)).toEqual({ a: 'success', unique_a_id: 'warn', b: 'success' });
    expect(r2.success).toBe(true);
  });

  it('indirect selection: eager, cautious, buildable, empty', async () => {
    const p = makeProject({
      'models/parent.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/child.sql': "{{ config(materialized='table') }}select id from {{ ref('parent') }}",
      'models/s.yml': `version: 2
models:
  - name: parent
    columns: [{name: id, data_tests: [unique]}]
  - name: child
    columns:
      - name: id
        data_tests:
          - not_null
          - relationships: {to: ref('parent'), field: id}
`,
    });
    await run(p.opts);
    const names = async (mode: 'eager' | 'cautious' | 'buildable' | 'empty') => Object.keys(judged((await test({ ...p.opts, select: ['child'], indirectSelection: mode })).results)).sort();
    expect(await names('eager')).toEqual(['not_null_child_id', 'relationships_child_id__id__ref_parent_']);
    expect(await names('cautious')).toEqual(['not_null_child_id']);
    expect(await names('buildable')).toEqual(['not_null_child_id', 'relationships_child_id__id__ref_parent_']);
    expect(await names('empty')).toEqual([]);
  });
});

describe('bad test input', () => {
  it('a test on a column that does not exist errors with the test name, the model and the compiled SQL path', async () => {
    const p = makeProject({ ...numbers, 'models/schema.yml': 'version: 2\nmodels:\n  - name: nums\n    columns:\n      - name: nope\n        data_tests: [not_null]\n' });
    await run(p.opts);
    const r = await test(p.opts);
    const res = r.results[0]!;
    expect(res.status).toBe('error');
    const lines = res.message!.split('\n');
    expect(lines[0]).toBe('Database Error in test not_null_nums_nope (models/schema.yml) on model nums, column nope');
    expect(lines[1]).toBe('  Binder Error: Referenced column "nope" not found in FROM clause!');
    expect(lines.at(-1)).toBe('  compiled code at target/run/proj/models/schema.yml/not_null_nums_nope.sql');
  });

  it('an unknown generic test is a parse error naming the YAML file and line, with a did-you-mean', () => {
    const p = makeProject({ ...numbers, 'models/schema.yml': 'version: 2\nmodels:\n  - name: nums\n    columns:\n      - name: n\n        data_tests:\n          - uniqe\n' });
    let err: TsdbtError | undefined;
    try {
      parseLoaded(loadProject(p.opts));
    } catch (e) {
      err = e as TsdbtError;
    }
    expect(err?.code).toBe('TEST_NOT_FOUND');
    expect(err?.format()).toBe("models/schema.yml:7: Unknown generic test 'uniqe' on model 'nums', column 'n'\n  Did you mean 'unique'?");
  });

  it('bare accepted_range prefers the project; dbt_utils.accepted_range falls back to the built-in when dbt_utils is not installed', async () => {
    const p = makeProject({
      ...numbers,
      'macros/my_range.sql': '{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}select 1 as always_fails{% endtest %}',
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: n
        data_tests:
          - accepted_range: {min_value: 1, max_value: 20}
          - dbt_utils.accepted_range: {min_value: 1, max_value: 20}
          - dbt_utils.accepted_range: {name: in_range, min_value: 1, max_value: 25}
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(judged(r.results)).toEqual({ accepted_range_nums_n__20__1: 'fail:1', dbt_utils_accepted_range_nums_n__20__1: 'fail:5', in_range: 'pass:0' });
    const m = parseLoaded(loadProject(p.opts)).manifest;
    const macros = Object.values(m.nodes).filter((n) => n.resource_type === 'test').map((n) => `${n.name}=${n.depends_on.macros[0]}`).sort();
    expect(macros).toEqual(['accepted_range_nums_n__20__1=macro.proj.test_accepted_range', 'dbt_utils_accepted_range_nums_n__20__1=macro.dbt.test_accepted_range', 'in_range=macro.dbt.test_accepted_range']);
  });
});
