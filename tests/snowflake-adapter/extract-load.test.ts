import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import { loadStatements } from '../../src/extract/index.js';
import { startSnowflakeDouble, type SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import { doubleProfile } from './sf-harness.js';

// The Snowflake branch of `tsdbt extract` loading: the statements of loadStatements('snowflake', ...) run
// through the real driver (PUT uploads the file) against the double.
let double: SnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDouble();
});
afterAll(async () => {
  await double?.close();
});

async function parquet(sql: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-sf-load-'));
  const file = join(dir, 'commits.parquet');
  const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
  await c.execute(`copy (${sql}) to '${file}' (format parquet)`);
  await c.close();
  return file;
}

describe('extract loading into Snowflake', () => {
  it('PUT + infer_schema table + COPY INTO by column name; re-running replaces the table', async () => {
    const first = await parquet(
      "select 'abc' as commit_hash, 3 as total_lines_added, timestamptz '2024-05-01 10:00:00+00' as committed_at, ['x', 'y'] as tags, true as is_primary_branch",
    );
    let second = '';
    const conn = await openSnowflakeConnection(doubleProfile(double.port, { schema: 'PUBLIC' }));
    try {
      for (const sql of loadStatements('snowflake', 'raw', 'commits', first)) await conn.execute(sql);
      const r = await conn.execute('select commit_hash, total_lines_added, committed_at, is_primary_branch, array_size(tags) as n from raw.commits');
      expect(r.columns.map((c) => c.name)).toEqual(['COMMIT_HASH', 'TOTAL_LINES_ADDED', 'COMMITTED_AT', 'IS_PRIMARY_BRANCH', 'N']);
      expect(r.rows).toEqual([['abc', 3, new Date('2024-05-01T10:00:00Z'), true, 2]]);
      second = await parquet("select 'def' as commit_hash, 5 as total_lines_added, null::timestamptz as committed_at, []::varchar[] as tags, false as is_primary_branch union all select 'ghi', 6, null, null, null");
      for (const sql of loadStatements('snowflake', 'raw', 'commits', second)) await conn.execute(sql);
      expect((await conn.execute('select commit_hash, total_lines_added from raw.commits order by 1')).rows).toEqual([
        ['def', 5],
        ['ghi', 6],
      ]);
    } finally {
      await conn.close();
    }
    // the double received exactly the statements, PUT included (the driver uploaded the file itself)
    expect(double.queries.filter((q) => /^(put|copy|remove|create)/i.test(q))).toEqual([
      ...loadStatements('snowflake', 'raw', 'commits', first),
      ...loadStatements('snowflake', 'raw', 'commits', second).filter(() => true),
    ]);
  });
});
