/**
 * Landing 100k extracted rows: Parquet through DuckDB, then the raw table.
 *   npx vitest run --config bench/vitest.config.ts bench/landing.bench.test.ts
 * Target: loading 100k rows into DuckDB under 1 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../src/adapters/duckdb/duckdb-connection.js';
import { landParquet } from '../src/extract/landing.js';
import { loadStatements } from '../src/extract/load-sql.js';

it('lands and loads 100k rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-landing-'));
  const duck = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
  const rows = Array.from({ length: 100_000 }, (_, i) => ({
    commit_hash: `c${i}`,
    user_email: `dev${i % 50}@example.com`,
    total_lines_added: i % 400,
    is_primary_branch: i % 3 === 0,
    commit_ts: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    labels: ['a', 'b'],
  }));
  const columns = { commit_hash: 'VARCHAR', user_email: 'VARCHAR', total_lines_added: 'INTEGER', is_primary_branch: 'BOOLEAN', commit_ts: 'TIMESTAMPTZ', labels: 'VARCHAR[]' };
  const t0 = performance.now();
  const landed = await landParquet({ duck, dataDir: dir, stream: 'commits', rows, columns });
  const t1 = performance.now();
  for (const sql of loadStatements('duckdb', 'raw', 'commits', landed.file)) await duck.execute(sql);
  const t2 = performance.now();
  const count = (await duck.execute('select count(*) from raw.commits')).rows[0]![0];
  console.log(`100k rows: Parquet written in ${(t1 - t0).toFixed(0)} ms, loaded into raw.commits in ${(t2 - t1).toFixed(0)} ms (target < 1000 ms for the load; ${(t2 - t0).toFixed(0)} ms in all)`);
  expect(count).toBe(100_000);
  await duck.close();
  rmSync(dir, { recursive: true, force: true });
});
