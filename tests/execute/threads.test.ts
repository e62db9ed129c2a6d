import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

/** A model that keeps DuckDB busy for a while (a cross join counted). */
const slow = (n: number) => `{{ config(materialized='table') }}select ${n} as id, count(*) as c from range(4000) a, range(30000) b`;

const PROJECT = {
  'models/slow_a.sql': slow(1),
  'models/slow_b.sql': slow(2),
  'models/slow_c.sql': slow(3),
  'models/slow_d.sql': slow(4),
  'models/all_slow.sql': "select * from {{ ref('slow_a') }} union all select * from {{ ref('slow_b') }} union all select * from {{ ref('slow_c') }} union all select * from {{ ref('slow_d') }}",
};

interface RunResultRow {
  unique_id: string;
  status: string;
  thread_id: string;
  timing: { name: string; started_at: string; completed_at: string }[];
}

const readRunResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as { results: RunResultRow[]; args: { threads: number } };
const interval = (r: RunResultRow) => [Date.parse(r.timing[0]!.started_at), Date.parse(r.timing.at(-1)!.completed_at)] as const;

describe('--threads N', () => {
  it('runs independent models at the same time on different threads, with the same outputs as threads 1', async () => {
    const p = makeProject(PROJECT);
    const r4 = await run({ ...p.opts, threads: 4 });
    expect(statuses(r4.results)).toEqual({ slow_a: 'success', slow_b: 'success', slow_c: 'success', slow_d: 'success', all_slow: 'success' });
    const rr = readRunResults(p.dir);
    expect(rr.args.threads).toBe(4);
    const slows = rr.results.filter((r) => r.unique_id.includes('.slow_'));
    expect(new Set(slows.map((r) => r.thread_id)).size).toBeGreaterThan(1);
    for (const r of rr.results) expect(r.thread_id).toMatch(/^Thread-[1-4]$/);
    // Some two slow models overlap in time.
    const spans = slows.map(interval);
    const overlapping = spans.some(([s1, e1], i) => spans.some(([s2, e2], j) => i !== j && s1 < e2 && s2 < e1));
    expect(overlapping).toBe(true);
    // all_slow starts after every parent finished.
    const [allStart] = interval(rr.results.find((r) => r.unique_id === 'model.proj.all_slow')!);
    for (const [, end] of spans) expect(allStart).toBeGreaterThanOrEqual(end);
    const rows4 = await p.query('select id, c from all_slow order by id');
    expect(rows4).toEqual([1, 2, 3, 4].map((id) => ({ id, c: 120000000 })));
    // compiled_code reaches the coordinator's result and target/compiled.
    const a = r4.results.find((r) => r.node.name === 'all_slow')!;
    expect(a.node.compiled_code).toBe('select * from "dev"."main"."slow_a" union all select * from "dev"."main"."slow_b" union all select * from "dev"."main"."slow_c" union all select * from "dev"."main"."slow_d"');
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/all_slow.sql'), 'utf8')).toBe(a.node.compiled_code);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.proj.all_slow'].compiled_code).toBe(a.node.compiled_code);

    const r1 = await run({ ...p.opts, threads: 1 });
    expect(statuses(r1.results)).toEqual(statuses(r4.results));
    expect(await p.query('select id, c from all_slow order by id')).toEqual(rows4);
    expect(new Set(readRunResults(p.dir).results.map((r) => r.thread_id))).toEqual(new Set(['Thread-1']));
  }, 60_000);

  it('a failing node skips only its descendants; --fail-fast cancels the running ones and skips the rest', async () => {
    const p = makeProject({
      'models/bad.sql': "{{ config(materialized='table') }}select * from missing_table",
      'models/bad_child.sql': "select * from {{ ref('bad') }}",
      'models/good_a.sql': "{{ config(materialized='table') }}select 1 as v",
      'models/good_b.sql': "select v + 1 as v from {{ ref('good_a') }}",
      'models/slow_x.sql': slow(9),
    });
    const r = await run({ ...p.opts, threads: 4 });
    expect(statuses(r.results)).toEqual({ bad: 'error', bad_child: 'skipped', good_a: 'success', good_b: 'success', slow_x: 'success' });
    expect(r.results.find((x) => x.node.name === 'bad_child')!.message).toBe('Skipping because model bad failed');
    expect(r.results.find((x) => x.node.name === 'bad')!.message).toMatch(/Database Error in model bad \(models\/bad\.sql\)\n {2}Catalog Error: Table with name missing_table does not exist/);
    expect(await p.query('select v from good_b')).toEqual([{ v: 2 }]);

    // fail-fast: slow_x (a long query here) is cancelled when bad fails, and nothing else starts.
    p.write({ 'models/slow_x.sql': "{{ config(materialized='table') }}select count(*) as c from range(100000000) a, range(1000000) b" });
    const started = performance.now();
    const ff = await run({ ...p.opts, threads: 2, failFast: true, select: ['bad', 'slow_x', 'good_a', 'good_b'] });
    expect(performance.now() - started).toBeLessThan(20_000);
    const st = statuses(ff.results);
    expect(st.bad).toBe('error');
    expect(st.slow_x).toBe('skipped');
    expect(ff.results.find((x) => x.node.name === 'slow_x')!.message).toBe('Skipping due to fail-fast');
    expect(ff.success).toBe(false);
    expect(await p.query('select c from slow_x')).toEqual([{ c: 120000000 }]);
  }, 60_000);

  it('build with data tests and unit tests on 3 threads: unit tests run on their model\'s thread, right before it', async () => {
    const p = makeProject({
      'models/nums.sql': "{{ config(materialized='table') }}select * from range(5) t(n)",
      'models/doubled.sql': "select n, n * 2 as d from {{ ref('nums') }}",
      'models/other.sql': "select 'x' as s",
      'models/props.yml': `models:
  - name: doubled
    columns:
      - name: d
        data_tests: [not_null, unique]
  - name: other
    columns:
      - name: s
        data_tests: [not_null]
unit_tests:
  - name: doubles
    model: doubled
    given:
      - input: ref('nums')
        rows: [{n: 2}, {n: 3}]
    expect:
      rows: [{n: 2, d: 4}, {n: 3, d: 6}]
`,
    });
    const r = await build({ ...p.opts, threads: 3 });
    expect(statuses(r.results)).toEqual({ nums: 'success', doubled: 'success', other: 'success', doubles: 'pass', not_null_doubled_d: 'pass', unique_doubled_d: 'pass', not_null_other_s: 'pass' });
    const ut = r.results.findIndex((x) => x.node.name === 'doubles');
    const model = r.results.findIndex((x) => x.node.name === 'doubled');
    expect(model).toBeGreaterThan(ut);
    expect(r.results[ut]!.thread_id).toBe(r.results[model]!.thread_id);
    expect(await p.query('select sum(d)::int as s from doubled')).toEqual([{ s: 20 }]);
  }, 60_000);

  it("a relation created on one thread is visible to adapter.get_relation on the others", async () => {
    const check = "{% set rel = adapter.get_relation(this.database, this.schema, 'made') %}select '{{ rel.type if rel else \"missing\" }}' as found";
    const files: Record<string, string> = {
      'models/made.sql': "-- depends_on: {{ ref('root_1') }}\n-- depends_on: {{ ref('root_2') }}\n-- depends_on: {{ ref('root_3') }}\n-- depends_on: {{ ref('root_4') }}\n{{ config(materialized='table') }}select 1 as v",
    };
    // Four roots first: each thread lists schema main (without 'made') before 'made' exists.
    for (let i = 1; i <= 4; i++) files[`models/root_${i}.sql`] = `{{ config(materialized='table') }}select ${i} as v from range(2000) a, range(2000) b limit 1`;
    for (let i = 1; i <= 6; i++) files[`models/check_${i}.sql`] = `-- depends_on: {{ ref('made') }}\n${check}`;
    const p = makeProject(files);
    const r = await run({ ...p.opts, threads: 4 });
    const made = r.results.find((x) => x.node.name === 'made')!;
    const checks = r.results.filter((x) => x.node.name.startsWith('check_'));
    expect(checks.map((c) => c.status)).toEqual(Array(6).fill('success'));
    // Some checks ran on a thread other than the one that created 'made'.
    expect(checks.some((c) => c.thread_id !== made.thread_id)).toBe(true);
    for (let i = 1; i <= 6; i++) expect(await p.query(`select found from check_${i}`)).toEqual([{ found: 'table' }]);
  }, 60_000);

  it("what an on-run-start hook adds to `graph` every node sees on every thread, as in dbt's one shared flat graph", async () => {
    // elementary's on-run-start: graph.setdefault("elementary", {...}); its tests ask `"elementary" in graph`.
    const files: Record<string, string> = {
      'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\non-run-start:\n  - "{% do graph.setdefault('mine', {'k': [1, 'a', none], 'n': {'deep': true}, 'e': {}, 't': (1, 2), 'm': {1: 'one'}}) %}"\n  - "{% do graph.setdefault('rel', {'r': api.Relation.create(identifier='x')}) %}"\n`,
    };
    for (let i = 1; i <= 4; i++) files[`models/m_${i}.sql`] = "{{ config(materialized='table') }}select '{{ \"mine\" in graph }} {{ graph.get(\"mine\") | replace(\"'\", '') }} {{ graph.keys() | list | length }}' as seen";
    const p = makeProject(files);
    for (const threads of [1, 3]) {
      const r = await run({ ...p.opts, threads });
      expect(r.results.filter((x) => x.node.resource_type === 'model').map((x) => x.status)).toEqual(Array(4).fill('success'));
      // A dict that is not all text keys (an empty literal), a tuple: the same Python values on every thread.
      // An entry holding other objects (a relation) stays on the coordinator (not yet carried: the workers' graphs
      // have one key fewer than dbt's), with a warning naming where.
      const keys = threads > 1 ? 8 : 9;
      for (let i = 1; i <= 4; i++) expect(await p.query(`select seen from m_${i}`)).toEqual([{ seen: `True {k: [1, a, None], n: {deep: True}, e: {}, t: (1, 2), m: {1: one}} ${keys}` }]);
      if (threads > 1) expect(r.warnings).toContain('graph entries set by on-run-start hooks that render workers do not see (not plain data): rel["r"] (Relation)');
    }
  }, 60_000);

  it('creates and replaces many views and tables in the same schemas at once (no catalog conflicts), twice', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) {
      files[`models/v_${i}.sql`] = `{{ config(materialized='view'${i % 2 ? ", schema='other'" : ''}) }}select ${i} as n`;
      files[`models/t_${i}.sql`] = `{{ config(materialized='table'${i % 2 ? ", schema='other'" : ''}) }}select ${i} as n from range(1000)`;
    }
    const p = makeProject(files);
    for (let round = 0; round < 2; round++) {
      const r = await run({ ...p.opts, threads: 4 });
      expect(r.results.map((x) => x.status)).toEqual(Array(16).fill('success'));
      expect(new Set(r.results.map((x) => x.thread_id)).size).toBeGreaterThan(1);
    }
    const tables = await p.query("select table_schema, count(*)::int as n from information_schema.tables group by 1 order by 1");
    expect(tables).toEqual([{ table_schema: 'main', n: 8 }, { table_schema: 'main_other', n: 8 }]);
    expect(await p.query('select sum(n)::int as s from main_other.t_7')).toEqual([{ s: 7000 }]);
  }, 60_000);
});
