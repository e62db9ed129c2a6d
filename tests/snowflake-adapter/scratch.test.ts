import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => { double = await startSnowflakeDoubleInWorker(); });
afterAll(async () => { await double?.close(); });

it('scratch', async () => {
  const p = makeSnowflakeProject({
    'models/v.sql': 'select 1 as id, \'a\' as name',
    'models/t.sql': "{{ config(materialized='table') }} select * from {{ ref('v') }}",
  }, double.port);
  const r = await build(p.opts);
  for (const x of r.results) console.log(x.node.name, x.status, x.message, x.statements);
  console.log((await double.log()).queries.join('\n---\n'));
  console.log(await sfQuery(double, 'select * from analytics.dbt_test.t'));
}, 60000);
