import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, run, test } from '../../src/api/run.js';
import { makeProject } from '../execute/harness.js';

type R = { node: { name: string; resource_type: string }; status: string; failures: number | null; message: string | null; statements: string[]; compiled_path: string | null; compiled_code?: string };
const judged = (results: R[]) => Object.fromEntries(results.filter((r) => r.node.resource_type === 'test').map((r) => [r.node.name, `${r.status}:${r.failures}`]));
const stmt = (results: R[], name: string) => results.find((r) => r.node.name === name)!.statements;

// 25 rows: n = 1..25, grp = n % 5, maybe null above 20; dup repeats 1 and 2.
const models = {
  'models/nums.sql': "{{ config(materialized='table') }}select n, n % 5 as grp, case when n > 20 then null else n end as maybe, case when n <= 2 then 1 else n end as dup from range(1, 26) t(n)",
  'models/other.sql': "{{ config(materialized='table') }}select 1 as n",
};
const schema = `version: 2
models:
  - name: nums
    columns:
      - name: n
        data_tests: [unique, not_null]
      - name: dup
        data_tests:
          - unique
          - relationships: {to: ref('other'), field: n}
      - name: grp
        data_tests:
          - accepted_values: {name: grp_warns, values: [0, 1, 2], config: {severity: warn}}
          - accepted_values: {name: grp_thresholds, values: [0], config: {warn_if: ">3", error_if: ">10"}}
      - name: maybe
        data_tests:
          - not_null: {name: maybe_sum, config: {fail_calc: "sum(coalesce(maybe, 23))"}}
          - not_null: {name: maybe_limited, config: {limit: 2, where: "n > 22"}}
`;
// What each test must report, batched or not (worked out by hand from the rows above).
const expected = {
  unique_nums_n: 'pass:0',
  not_null_nums_n: 'pass:0',
  unique_nums_dup: 'fail:1',
  relationships_nums_dup__n__ref_other_: 'fail:23',
  grp_warns: 'warn:2',
  grp_thresholds: 'warn:4',
  maybe_sum: 'fail:115',
  maybe_limited: 'fail:2',
};

describe('data tests of one model in one query', () => {
  it('give each test its own exact status, failures and message, and write each compiled file', async () => {
    const p = makeProject({ ...models, 'models/schema.yml': schema });
    await run(p.opts);
    const r = await test(p.opts);
    expect(judged(r.results)).toEqual(expected);
    expect(r.results.find((x) => x.node.name === 'grp_thresholds')!.message).toBe('Got 4 results, configured to warn if >3');
    expect(r.results.find((x) => x.node.name === 'maybe_sum')!.message).toBe('Got 115 results, configured to fail if != 0');
    // One query for the eight tests of nums, the same for each of them.
    const batch = stmt(r.results, 'unique_nums_n');
    expect(batch).toHaveLength(1);
    expect(batch[0]!.split('union all')).toHaveLength(8);
    for (const name of Object.keys(expected)) expect(stmt(r.results, name)).toEqual(batch);
    for (const x of r.results) expect(readFileSync(join(p.dir, x.compiled_path!), 'utf8')).toBe(x.compiled_code);
    // Run alone (one selected), each gives the same.
    for (const [name, outcome] of Object.entries(expected)) {
      const one = await test({ ...p.opts, select: [name] });
      expect([judged(one.results)[name], one.results[0]!.statements.length, one.results[0]!.statements[0]!.includes('union all')]).toEqual([outcome, 1, false]);
    }
  });

  it('on render workers too (a lone one, or several: whichever thread the queue hands each test to): one query for a model\'s tests', async () => {
    const p = makeProject({ ...models, 'models/schema.yml': schema.replace('version: 2\nmodels:\n', 'version: 2\nmodels:\n  - name: other\n    columns:\n      - name: n\n        data_tests: [unique, not_null]\n') });
    await run(p.opts);
    for (const threads of [1, 3]) {
      const starts: string[] = [];
      const r = await test({ ...p.opts, threads, signal: new AbortController().signal, onStart: (n) => starts.push(n.name) });
      expect(judged(r.results)).toEqual({ ...expected, unique_other_n: 'pass:0', not_null_other_n: 'pass:0' });
      expect(starts.sort()).toEqual(r.results.map((x) => x.node.name).sort());
      // Two queries in all: one for nums' eight tests, one for other's two, each run once.
      const queries = new Set(r.results.flatMap((x) => x.statements));
      expect([...queries].map((q) => q.split('union all').length).sort()).toEqual([2, 8]);
      for (const x of r.results) expect(x.statements).toHaveLength(1);
      for (const x of r.results) expect(readFileSync(join(p.dir, x.compiled_path!), 'utf8')).toBe(x.compiled_code);
      const rows = (JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; failures: number }[] }).results;
      expect(Object.fromEntries(rows.map((x) => [x.unique_id.split('.')[2], `${x.status}:${x.failures}`]))).toEqual({ ...expected, unique_other_n: 'pass:0', not_null_other_n: 'pass:0' });
    }
  });

  it('a test whose SQL fails makes its model\'s tests run alone: the error lands on that test only', async () => {
    const p = makeProject({
      ...models,
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: n
        data_tests: [unique, not_null]
      - name: no_such_column
        data_tests: [not_null]
      - name: dup
        data_tests: [unique]
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(Object.fromEntries(r.results.map((x) => [x.node.name, x.status]))).toEqual({ unique_nums_n: 'pass', not_null_nums_n: 'pass', not_null_nums_no_such_column: 'error', unique_nums_dup: 'fail' });
    const bad = r.results.find((x) => x.node.name === 'not_null_nums_no_such_column')!;
    expect(bad.message).toContain('Database Error in test not_null_nums_no_such_column (models/schema.yml) on model nums, column no_such_column');
    expect(bad.message).toContain('no_such_column');
    for (const x of r.results) expect(x.statements.some((s) => s.includes('union all'))).toBe(false);
  });

  it('a test that fails to compile errors alone; its siblings still share a query', async () => {
    const p = makeProject({
      ...models,
      'macros/boom.sql': "{% test boom(model, column_name) %}{% if execute %}{{ exceptions.raise_compiler_error('boom on ' ~ column_name) }}{% endif %}select 1{% endtest %}",
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: n
        data_tests: [unique, not_null, boom]
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(Object.fromEntries(r.results.map((x) => [x.node.name, x.status]))).toEqual({ unique_nums_n: 'pass', not_null_nums_n: 'pass', boom_nums_n: 'error' });
    expect(r.results.find((x) => x.node.name === 'boom_nums_n')!.message).toContain('boom on n');
    expect(stmt(r.results, 'unique_nums_n')[0]!.split('union all')).toHaveLength(2);
    expect(stmt(r.results, 'not_null_nums_n')).toEqual(stmt(r.results, 'unique_nums_n'));
  });

  it('tests that store failures, and projects with their own test materialization, run one query per test', async () => {
    const p = makeProject({
      ...models,
      'models/schema.yml': `version: 2
models:
  - name: nums
    columns:
      - name: n
        data_tests: [unique, not_null]
      - name: dup
        data_tests:
          - unique: {config: {store_failures: true}}
`,
    });
    await run(p.opts);
    const r = await test(p.opts);
    expect(judged(r.results)).toEqual({ unique_nums_n: 'pass:0', not_null_nums_n: 'pass:0', unique_nums_dup: 'fail:1' });
    expect(stmt(r.results, 'unique_nums_dup').some((s) => s.includes('union all'))).toBe(false);
    expect(stmt(r.results, 'unique_nums_dup').some((s) => /create .*table/i.test(s))).toBe(true);
    // The two that store nothing still share a query.
    expect(stmt(r.results, 'unique_nums_n')[0]!.split('union all')).toHaveLength(2);
    p.write({
      'macros/my_test.sql': `{% materialization test, default %}
  {% call statement('main', fetch_result=true) %}select 7 as failures, true as should_warn, true as should_error{% endcall %}
  {{ return({'relations': []}) }}
{% endmaterialization %}`,
    });
    const own = await test(p.opts);
    expect(judged(own.results)).toEqual({ unique_nums_n: 'fail:7', not_null_nums_n: 'fail:7', unique_nums_dup: 'fail:7' });
    for (const x of own.results) expect(x.statements.some((s) => s.includes('union all'))).toBe(false);
  });

  it('in build, only tests ready together share a query; a failing test still skips what depends on its model', async () => {
    const p = makeProject({
      ...models,
      'models/after.sql': "select n from {{ ref('nums') }}",
      'models/schema.yml': schema,
    });
    const r = await build(p.opts);
    expect(judged(r.results)).toEqual(expected);
    // Batched in build too. The relationships test also reads `other`, built in this run, so it joins a batch
    // only when it is the one asked for (then all of nums' tests are ready); a test of nums alone never takes it along.
    const batch = stmt(r.results, 'unique_nums_n').find((s) => s.includes('union all'))!;
    const rel = stmt(r.results, 'relationships_nums_dup__n__ref_other_');
    expect(batch.split('union all').length === 8 ? rel.includes(batch) : !rel.some((s) => s.includes('union all'))).toBe(true);
    expect(Object.fromEntries(r.results.filter((x) => x.node.resource_type === 'model').map((x) => [x.node.name, x.status]))).toEqual({ nums: 'success', other: 'success', after: 'skipped' });
  });
});
