import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/index.js';
import { runExtract } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';

function bundledProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-gone-'));
  cpSync('project/extract.yml', join(dir, 'extract.yml'));
  cpSync('project/schemas', join(dir, 'schemas'), { recursive: true });
  return dir;
}

const STREAMS = ['commits', 'repos', 'pull_requests', 'reviews'];

async function snapshot(dir: string, db: string) {
  const files = Object.fromEntries(STREAMS.map((s) => [s, readFileSync(join(dir, 'data', 'raw', `${s}.parquet`)).toString('base64')]));
  const conn = await DuckDBConnection.open(await openDuckDBInstance(db));
  try {
    const tables: Record<string, unknown> = {};
    for (const s of STREAMS) tables[s] = (await conn.execute(`select count(*), md5(string_agg(cast(t as varchar), '|' order by cast(t as varchar))) from raw.${s} t`)).rows[0];
    return { files, tables, state: readFileSync(join(dir, '.tsdbt', 'extract_state.json'), 'utf8') };
  } finally {
    await conn.close();
  }
}

describe('a server that goes away', () => {
  it('gives up within 30 s with the unreachable message and leaves the Parquet files and raw.* tables as they were', async () => {
    const sim = await startSimulator({ developers: 50, days: 30, seed: 3, rateLimit: false });
    const dir = bundledProject();
    const db = join(dir, 'warehouse.duckdb');
    const first = await (async () => {
      const conn = await DuckDBConnection.open(await openDuckDBInstance(db));
      try {
        return await runExtract({ projectDir: dir, url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now), connection: conn, fullRefresh: true });
      } finally {
        await conn.close();
      }
    })();
    expect(first.success).toBe(true);
    expect(first.streams.find((s) => s.stream === 'reviews')!.rows).toBe(sim.data.reviews.length);
    const before = await snapshot(dir, db);
    await sim.close();

    // Again, with the project's own retry settings (5 attempts, up to 8 s backoff) and ~55 partitions queued.
    const conn = await DuckDBConnection.open(await openDuckDBInstance(db));
    const t0 = Date.now();
    const err = await runExtract({ projectDir: dir, url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now), connection: conn, fullRefresh: true }).catch((e) => e);
    const elapsed = Date.now() - t0;
    await conn.close();
    expect(elapsed).toBeLessThan(30_000);
    const errors = 'errors' in err ? err.errors : [err];
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.code).toBe('EXTRACT_HTTP');
      expect(e.message).toMatch(/^stream '\w+': .*could not reach the server \(ECONNREFUSED/);
      expect(e.hint).toBe('Is the server running? Check base_url in extract.yml, --url or TSDBT_EXTRACT_URL.');
    }
    // Every request after the first give-up failed at once: a handful of tries in all, not 5 per queued page.
    const results = err.results ?? err.detail.results;
    expect(results.totals.requests).toBeLessThanOrEqual(4 * 5);
    expect(results.success).toBe(false);
    expect(await snapshot(dir, db)).toEqual(before);
    expect(readdirSync(join(dir, 'data', 'raw')).sort()).toEqual(STREAMS.map((s) => `${s}.parquet`).sort());
  }, 90_000);
});
