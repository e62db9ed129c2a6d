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
