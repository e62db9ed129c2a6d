import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Snowflake will not `create or replace` across kinds: the table and view materializations drop the other kind first. */
describe('a model that changes between table and view on Snowflake', () => {
  it('table → view drops the table, then creates the view; view → table drops the view', async () => {
    const model = (kind: string) => ({ 'models/m.sql': `{{ config(materialized='${kind}') }}select 1 as id` });
    const p = makeSnowflakeProject(model('table'), double.port, { schema: 'KINDS' });
    expect((await run(p.opts)).results.map((r) => r.status)).toEqual(['success']);

    p.write(model('view'));
    const asView = await run(p.opts);
    expect(asView.results.map((r) => r.status)).toEqual(['success']);
    const viewStatements = asView.results[0]!.statements;
    const dropTable = viewStatements.findIndex((s) => /^drop table if exists ANALYTICS\.KINDS\.m\b/i.test(s));
    const createView = viewStatements.findIndex((s) => s.startsWith('create or replace view ANALYTICS.KINDS.m'));
    expect(dropTable).toBeGreaterThanOrEqual(0);
    expect(createView).toBeGreaterThan(dropTable);

    p.write(model('table'));
    const asTable = await run(p.opts);
    expect(asTable.results.map((r) => r.status)).toEqual(['success']);
    const tableStatements = asTable.results[0]!.statements;
    const dropView = tableStatements.findIndex((s) => /^drop view if exists ANALYTICS\.KINDS\.m\b/i.test(s));
    expect(dropView).toBeGreaterThanOrEqual(0);
    expect(tableStatements.findIndex((s) => s.startsWith('create or replace transient table ANALYTICS.KINDS.m'))).toBeGreaterThan(dropView);
    expect(await sfQuery(double, 'select id from analytics.kinds.m')).toEqual([{ ID: 1 }]);
  });
});
