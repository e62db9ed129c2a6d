import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { statuses } from '../execute/harness.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

describe('--threads 2 on Snowflake (the double)', () => {
  it('builds on two sessions (each its own login): both threads used, every node passes, the rows are right', async () => {
    const p = makeSnowflakeProject(
      {
        'models/base_a.sql': "{{ config(materialized='table') }}select 1 as id, 'a' as s",
        'models/base_b.sql': "{{ config(materialized='table') }}select 2 as id, 'b' as s",
        'models/both.sql': "select * from {{ ref('base_a') }} union all select * from {{ ref('base_b') }}",
        'models/props.yml': 'models:\n  - name: both\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
      },
      double.port,
      {},
      'sfthreads',
    );
    const r = await build({ ...p.opts, threads: 2 });
    expect(statuses(r.results)).toEqual({ base_a: 'success', base_b: 'success', both: 'success', not_null_both_id: 'pass', unique_both_id: 'pass' });
    const threads = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')).results.map((x: { thread_id: string }) => x.thread_id);
    expect(new Set(threads)).toEqual(new Set(['Thread-1', 'Thread-2']));
    const rows = await sfQuery(double, 'select id, s from ANALYTICS.DBT_TEST.BOTH order by id');
    expect(rows.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k.toLowerCase(), typeof v === 'bigint' ? Number(v) : v])))).toEqual([
      { id: 1, s: 'a' },
      { id: 2, s: 'b' },
    ]);
  }, 90_000);
});

describe('microbatch concurrent_batches on Snowflake (dbt-snowflake supports MicrobatchConcurrency)', () => {
  it('runs the middle batches on several sessions; rows and batch_results equal a sequential run', async () => {
    const files = (concurrent: boolean) => ({
      'models/events_src.sql': "{{ config(materialized='table', event_time='ts') }}\nselect id, cast(ts as timestamp) as ts, amount from (values (1, '2024-01-01 03:00:00', 10), (2, '2024-01-02 05:00:00', 20), (3, '2024-01-03 05:00:00', 30), (4, '2024-01-04 05:00:00', 40), (5, '2024-01-05 05:00:00', 50)) as t(id, ts, amount)",
      'models/events.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day', concurrent_batches=${concurrent ? 'true' : 'false'}) }}\nselect id, ts, amount from {{ ref('events_src') }}`,
    });
    const outcome = async (concurrent: boolean, schema: string) => {
      const p = makeSnowflakeProject(files(concurrent), double.port, { schema }, 'sfmb');
      const threads: Record<number, string> = {};
      const r = await build({ ...p.opts, threads: 3, eventTimeEnd: '2024-01-06', onBatchResult: (res, b) => (threads[b.index] = `${res.thread_id}${b.concurrent ? '*' : ''}`) });
      const entry = r.results.find((x) => x.node.name === 'events')!;
      const rows = await sfQuery(double, `select id, amount from ANALYTICS.${schema}.EVENTS order by id`);
      return { entry, threads, rows: rows.map((x) => Object.values(x).map(Number)) };
    };
    const seq = await outcome(false, 'MB_SEQ');
    const par = await outcome(true, 'MB_PAR');
    expect(par.entry.error?.message ?? '').toBe('');
    expect(par.entry.status).toBe('success');
    expect(par.entry.batch_results).toEqual(seq.entry.batch_results);
    expect(par.entry.batch_results!.successful).toHaveLength(5);
    expect(par.rows).toEqual([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]]);
    expect(par.rows).toEqual(seq.rows);
    // Each batch has its own temp relation (dbt-adapters' make_temp_relation), so concurrent batches do not replace each other's.
    expect(par.entry.statements.some((x) => /^create or replace temporary view ANALYTICS\.MB_PAR\.events__dbt_tmp_20240103 /i.test(x))).toBe(true);
    expect(Object.values(seq.threads).every((t) => !t.endsWith('*'))).toBe(true);
    const middle = [2, 3, 4].map((i) => par.threads[i]!);
    expect(middle.every((t) => t.endsWith('*'))).toBe(true);
    expect(new Set(middle).size).toBeGreaterThan(1);
    expect(par.threads[1]!.endsWith('*') || par.threads[5]!.endsWith('*')).toBe(false);
  }, 180_000);
});
