import { afterAll, beforeAll, expect, it } from 'vitest';
import { build, run } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => { double = await startSnowflakeDoubleInWorker(); });
afterAll(async () => { await double?.close(); });

it('scratch', async () => {
  const p = makeSnowflakeProject({
    'models/v.sql': "{{ config(query_tag='tagv', grants={'select': ['reporter']}) }} select 1 as id, 'a' as name",
    'models/t.sql': "{{ config(materialized='table', cluster_by=['id']) }} select * from {{ ref('v') }}",
    'models/i.sql': "{{ config(materialized='incremental', unique_key='id') }} select * from {{ ref('v') }}",
    'models/d.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }} select * from {{ ref('v') }}",
    'models/a.sql': "{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns') }} select * from {{ ref('v') }}",
  }, double.port);
  for (let k = 0; k < 2; k++) {
    await double.clearLog();
    const r = await run(p.opts);
    for (const x of r.results) console.log(x.node.name, x.status, x.message, x.statements);
    console.log((await double.log()).queries.join('\n---\n'));
  }
  console.log(await sfQuery(double, 'select * from analytics.dbt_test.a'));
}, 60000);
