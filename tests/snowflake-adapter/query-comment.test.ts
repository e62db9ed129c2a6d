import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { DBT_VERSION } from '../../src/manifest/dbt-version.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject } from './sf-harness.js';

/**
 * dbt-snowflake's query comment: appended after the statement by default
 * (Snowflake drops a leading comment), on each statement of a script it
 * splits, as the double received them.
 */
let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

const hooks = 'on-run-start:\n  - "create schema if not exists ANALYTICS.QC; create table if not exists ANALYTICS.QC.hook_a (x int); insert into ANALYTICS.QC.hook_a values (1)"\n';
const files = (extra: string) => ({
  'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\n${hooks}${extra}`,
  'models/m.sql': "{{ config(materialized='table') }}\nselect 1 as id",
});

describe('Snowflake query-comment', () => {
  it('the default comment is appended to every statement, each statement of a script included', async () => {
    const p = makeSnowflakeProject(files(''), double.port, { schema: 'QC' });
    await double.clearLog();
    const r = await run(p.opts);
    expect(r.results.filter((x) => x.status !== 'success').map((x) => x.message)).toEqual([]);
    const { queries } = await double.log();
    const head = `"app": "dbt", "dbt_version": "${DBT_VERSION}", "profile_name": "proj", "target_name": "prod"`;
    const master = `\n/* {${head}, "connection_name": "master"} */`;
    expect(queries).toContain(`create table if not exists ANALYTICS.QC.hook_a (x int)${master}`);
    expect(queries).toContain(`insert into ANALYTICS.QC.hook_a values (1)${master}`);
    const model = queries.find((q) => q.startsWith('create or replace transient table ANALYTICS.QC.m '));
    expect(model).toBeDefined();
    expect(model!.endsWith(`\n/* {${head}, "node_id": "model.proj.m"} */`)).toBe(true);
  }, 120_000);

  it('append: false puts a custom comment before each statement; null sends none', async () => {
    const p = makeSnowflakeProject(files('query-comment:\n  comment: "tsdbt {{ node.name if node is not none else connection_name }}"\n  append: false\n'), double.port, { schema: 'QC' });
    await double.clearLog();
    expect((await run(p.opts)).success).toBe(true);
    let { queries } = await double.log();
    expect(queries).toContain('/* tsdbt master */\ninsert into ANALYTICS.QC.hook_a values (1)');
    expect(queries.some((q) => q.startsWith('/* tsdbt m */\ncreate or replace transient table ANALYTICS.QC.m '))).toBe(true);

    p.write({ 'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\n${hooks}query-comment: null\n` });
    await double.clearLog();
    expect((await run(p.opts)).success).toBe(true);
    ({ queries } = await double.log());
    expect(queries).toContain('insert into ANALYTICS.QC.hook_a values (1)');
    expect(queries.filter((q) => q.includes('/*'))).toEqual([]);
  }, 120_000);
});
