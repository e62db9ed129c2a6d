import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clone } from '../../src/api/clone.js';
import { run } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** dbt-snowflake's clone: a table in the state becomes a zero-copy clone; a view stays a view over the state's. */
describe('clone --state on Snowflake', { timeout: 120_000 }, () => {
  it('sends create or replace transient table ... clone ... for tables, a view for views; no-op when present unless --full-refresh', async () => {
    const files = {
      'models/t.sql': "{{ config(materialized='table') }}select 1 as id, 'prod' as built_in",
      'models/v.sql': "{{ config(materialized='view') }}select id from {{ ref('t') }}",
    };
    const p = makeSnowflakeProject(files, double.port, { schema: "{{ env_var('SF_SCHEMA') }}" });
    const prod = { ...p.opts, env: { SF_SCHEMA: 'PROD_CL' } };
    const dev = { ...p.opts, env: { SF_SCHEMA: 'DEV_CL' } };
    expect((await run(prod)).results.map((r) => r.status)).toEqual(['success', 'success']);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod-state'), { recursive: true });
    const state = join(p.dir, 'prod-state');

    const first = await clone({ ...dev, state });
    const by = Object.fromEntries(first.results.map((r) => [r.node.name, r]));
    expect(by.t!.status).toBe('success');
    expect(by.t!.statements.map(oneLine)).toContain('create or replace transient table ANALYTICS.DEV_CL.t clone ANALYTICS.PROD_CL.t');
    expect(by.v!.statements.map(oneLine).some((s) => /^create or replace view ANALYTICS\.DEV_CL\.v\b.* as \(? ?select \* from ANALYTICS\.PROD_CL\.v/i.test(s))).toBe(true);
    expect(by.v!.statements.some((s) => /\bclone\b/i.test(s))).toBe(false);
    expect(await sfQuery(double, 'select id, built_in from analytics.dev_cl.t')).toEqual([{ ID: 1, BUILT_IN: 'prod' }]);
    const kinds = await sfQuery(double, "select table_name, table_type from analytics.information_schema.tables where table_schema = 'DEV_CL' order by table_name");
    expect(kinds.map((k) => Object.values(k))).toEqual([['T', 'BASE TABLE'], ['V', 'VIEW']]);

    const again = await clone({ ...dev, state });
    expect(again.results.map((r) => [r.node.name, r.message, r.statements.filter((s) => /^create/i.test(s.trim())).length])).toEqual([['t', 'No-op', 0], ['v', 'No-op', 0]]);

    // --full-refresh re-clones; transient=false and copy_grants as dbt-snowflake writes them.
    p.write({ 'models/t.sql': "{{ config(materialized='table', transient=false, copy_grants=true) }}select 1 as id, 'prod' as built_in" });
    const refreshed = await clone({ ...dev, state, fullRefresh: true, select: ['t'] });
    expect(refreshed.results[0]!.statements.map(oneLine)).toContain('create or replace table ANALYTICS.DEV_CL.t clone ANALYTICS.PROD_CL.t copy grants');
  });

  it('a view in the target where the state has a table is dropped before the clone (--full-refresh)', async () => {
    const p = makeSnowflakeProject({ 'models/t.sql': "{{ config(materialized='table') }}select 2 as id" }, double.port, { schema: "{{ env_var('SF_SCHEMA') }}" });
    expect((await run({ ...p.opts, env: { SF_SCHEMA: 'PROD_KD' } })).success).toBe(true);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod-state'), { recursive: true });
    p.write({ 'models/t.sql': "{{ config(materialized='view') }}select 3 as id" });
    const dev = { ...p.opts, env: { SF_SCHEMA: 'DEV_KD' } };
    expect((await run(dev)).success).toBe(true);
    const r = await clone({ ...dev, state: join(p.dir, 'prod-state'), fullRefresh: true });
    const statements = r.results[0]!.statements.map(oneLine);
    const drop = statements.findIndex((s) => /^drop view if exists ANALYTICS\.DEV_KD\.t\b/i.test(s));
    const cloneAt = statements.findIndex((s) => s.startsWith('create or replace transient table ANALYTICS.DEV_KD.t clone ANALYTICS.PROD_KD.t'));
    expect(drop).toBeGreaterThanOrEqual(0);
    expect(cloneAt).toBeGreaterThan(drop);
    expect(await sfQuery(double, 'select id from analytics.dev_kd.t')).toEqual([{ ID: 2 }]);
  });
});
