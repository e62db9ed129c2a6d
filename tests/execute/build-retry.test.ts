import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retry } from '../../src/api/retry.js';
import { build, run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

describe('build', () => {
  it('runs seeds, models, snapshots and tests in DAG order; a failing error test skips what depends on the tested model', async () => {
    const p = makeProject({
      'seeds/raw.csv': 'id\n1\n1\n2\n',
      'models/stg.sql': "select id from {{ ref('raw') }}",
      'models/mart.sql': "{{ config(materialized='table') }}select count(*) as n from {{ ref('stg') }}",
      'models/other.sql': "select 1 as x",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: stg\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n  - name: other\n    columns:\n      - name: x\n        data_tests:\n          - accepted_values:\n              values: [2]\n              quote: false\n              config: {severity: warn}\n',
    });
    const r = await build(p.opts);
    const order = r.results.map((x) => x.node.name);
    expect(order.indexOf('raw')).toBeLessThan(order.indexOf('stg'));
    expect(order.indexOf('unique_stg_id')).toBeLessThan(order.indexOf('mart'));
    expect(statuses(r.results)).toEqual({
      raw: 'success',
      stg: 'success',
      other: 'success',
      unique_stg_id: 'fail',
      not_null_stg_id: 'pass',
      accepted_values_other_x__False__2: 'warn',
      mart: 'skipped',
    });
    expect(r.results.find((x) => x.node.name === 'mart')!.message).toBe('Skipping because test unique_stg_id failed');
    expect(r.success).toBe(false);
  });

  it('--fail-fast stops after the first failure and skips the rest', async () => {
    const p = makeProject({
      'models/a_bad.sql': 'select * from missing',
      'models/b.sql': 'select 1 as x',
      'models/c.sql': 'select 2 as x',
    });
    const r = await run({ ...p.opts, failFast: true });
    expect(statuses(r.results)).toEqual({ a_bad: 'error', b: 'skipped', c: 'skipped' });
  });
});

describe('retry', () => {
  it('re-runs only what errored or was skipped, with the same command', async () => {
    const p = makeProject({
      'models/ok.sql': 'select 1 as x',
      'models/bad.sql': 'select * from {{ var("table", "missing") }}',
      'models/after_bad.sql': "select * from {{ ref('bad') }}",
    });
    const first = await run(p.opts);
    expect(statuses(first.results)).toEqual({ ok: 'success', bad: 'error', after_bad: 'skipped' });
    const again = await retry({ ...p.opts, vars: { table: 'main.ok' } });
    expect(again.command).toBe('run');
    expect(statuses(again.results)).toEqual({ bad: 'success', after_bad: 'success' });
    expect(await p.query('select * from main.after_bad')).toEqual([{ x: 1 }]);
    const rr = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
    expect(rr.results.map((x: { unique_id: string }) => x.unique_id)).toEqual(['model.proj.bad', 'model.proj.after_bad']);
    const nothing = await retry(p.opts);
    expect(nothing.results).toEqual([]);
    expect(nothing.success).toBe(true);
  });

  it('without a previous run it says so', async () => {
    const p = makeProject({ 'models/m.sql': 'select 1 as x' });
    await expect(retry(p.opts)).rejects.toThrowError(/No previous run to retry: .*target\/run_results.json does not exist/);
  });
});
