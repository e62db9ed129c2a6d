import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { DBT_VERSION } from '../../src/manifest/dbt-version.js';
import { runCli } from '../../src/cli/main.js';
import { loadStatements } from '../../src/extract/index.js';
import { captureStreams } from '../support/project-fixture.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { sfQuery } from './sf-harness.js';
import { copyProdProject, landRawTables, prodEnv, tsdbtProd } from './prod-project.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

/** Rows with lower-case keys and bigints as numbers, so both engines' answers compare. */
function normalise(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), typeof v === 'bigint' ? Number(v) : v])));
}

/**
 * Numbers compared to 1e-4: snowflake__hours_between counts milliseconds where
 * duckdb__hours_between counts microseconds, so hours differ in the 6th decimal.
 */
function expectSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(Object.keys(row).sort(), what).toEqual(Object.keys(expected[i]!).sort());
    for (const [k, v] of Object.entries(row)) {
      const e = expected[i]![k];
      if (typeof v === 'number' && typeof e === 'number') expect(Math.abs(v - e), `${what} row ${i} ${k}: ${v} vs ${e}`).toBeLessThan(1e-4);
      else expect(v, `${what} row ${i} ${k}`).toEqual(e);
    }
  });
}

/**
 * Run fn on a connection to the project's DuckDB file, then close the connection
 * and the instance: an instance left for the GC would still hold the file while
 * the CLI's connection worker opens it, and its late checkpoint could race the build.
 */
async function withDuck<T>(dir: string, fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await openDuckDBInstance(join(dir, 'cursor_analytics.duckdb'));
  const c = await DuckDBConnection.open(instance);
  try {
    return await fn(c);
  } finally {
    await c.close();
    instance.closeSync();
  }
}

async function duckRows(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  return withDuck(dir, async (c) => {
    const r = await c.execute(sql);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((col, i) => [col.name, row[i]])));
  });
}

describe('tsdbt build --target prod of project/ against the Snowflake double', () => {
  it('builds seeds, staging views, ephemeral CTEs and marts with every test passing, and the marts match the DuckDB build', async () => {
    const dir = copyProdProject(double.port);
    expect(await landRawTables(dir, prodEnv())).toEqual(expect.arrayContaining(['commits', 'pull_requests', 'repos', 'reviews']));
    await double.clearLog();
    const r = await tsdbtProd(['build'], dir, prodEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=93/);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results as { unique_id: string; status: string }[];
    const byType = (t: string) => results.filter((x) => x.unique_id.startsWith(`${t}.`)).map((x) => x.status);
    expect(new Set(byType('model'))).toEqual(new Set(['success']));
    expect(byType('model')).toHaveLength(10); // 9 models and the semantic layer's time spine
    expect(byType('seed')).toEqual(['success']);
    expect(new Set(byType('test'))).toEqual(new Set(['pass']));

    const log = await double.log();
    // seeds are a transient table loaded by insert; staging models are views; marts transient tables
    // (every statement ends with dbt's query comment, appended as dbt-snowflake appends it)
    expect(log.queries).toContain('create or replace transient table ANALYTICS.ANALYTICS_reference.ai_ratio_bands (\n        "band" varchar,\n        "min_ratio" double,\n        "max_ratio" double,\n        "sort_order" integer,\n        "description" varchar\n      )\n/* {"app": "dbt", "dbt_version": "' + DBT_VERSION + '", "profile_name": "cursor_analytics", "target_name": "prod", "node_id": "seed.cursor_analytics.ai_ratio_bands"} */');
    expect(log.queries.some((q) => q.startsWith('create or replace view ANALYTICS.ANALYTICS_staging.stg_pull_request_commits as ('))).toBe(true);
    expect(log.queries.some((q) => q.includes(', lateral flatten(input => '))).toBe(true);
    expect(log.queries.some((q) => q.startsWith('create or replace transient table ANALYTICS.ANALYTICS_mart.mart_velocity as ('))).toBe(true);
    // the profile's query_tag is set at each login (the coordinator's session and each render
    // worker's) and is the session's tag for every other statement
    const logins = log.queries.flatMap((q, i) => (q === "alter session set query_tag = 'cursor_analytics'" ? [i] : []));
    expect(logins[0]).toBe(0);
    expect(logins.length).toBeGreaterThanOrEqual(2);
    expect(new Set(log.queryTags.filter((_, i) => !logins.includes(i)))).toEqual(new Set(['cursor_analytics']));

    // the same project on DuckDB (dev target, raw tables landed by the DuckDB branch of extract loading)
    await withDuck(dir, async (landing) => {
      for (const t of ['commits', 'pull_requests', 'repos', 'reviews']) for (const sql of loadStatements('duckdb', 'raw', t, join(dir, 'data', 'raw', `${t}.parquet`))) await landing.execute(sql);
    });
    const io = captureStreams();
    const devCode = await runCli(['build', '--target', 'dev', '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
    expect(devCode, io.stdout.join('') + io.stderr.join('')).toBe(0);
    for (const mart of ['mart_velocity', 'mart_ai_impact', 'mart_quality', 'mart_review_costs']) {
      const sf = normalise(await sfQuery(double, `select * from analytics.analytics_mart.${mart} order by 1, 2, 3`));
      const duck = normalise(await duckRows(dir, `select * from main_mart.${mart} order by 1, 2, 3`));
      expect(sf.length, mart).toBeGreaterThan(0);
      expectSameRows(sf, duck, mart);
    }
  }, 180_000);
});
