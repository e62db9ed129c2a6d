import { afterAll, beforeAll, expect, it } from 'vitest';
import { build, run, snapshot } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => { double = await startSnowflakeDoubleInWorker(); });
afterAll(async () => { await double?.close(); });

it('scratch', async () => {
  const src = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}\nselect id, status, cast(updated_at as timestamp) as updated_at from (values ${rows}) as t(id, status, updated_at)` });
  const p = makeSnowflakeProject({
          ...src("(1, 'new', '2024-01-01'), (2, 'new', '2024-01-01')"),
          'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
  }, double.port);
  await run(p.opts);
  const r = await snapshot(p.opts);
  for (const x of r.results) console.log(x.node.name, x.status, x.message, x.statements);
}, 60000);
