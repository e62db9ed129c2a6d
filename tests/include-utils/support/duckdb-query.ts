import { afterAll } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../../../src/adapters/duckdb/duckdb-connection.js';

/**
 * One in-memory DuckDB per test file, to run rendered SQL and read back rows
 * as plain objects (column name → value). Closed after the file's tests.
 */
export function duckdbQuery(): (sql: string) => Promise<Record<string, unknown>[]> {
  let opened: Promise<{ conn: DuckDBConnection; close: () => void }> | undefined;
  const open = () =>
    (opened ??= (async () => {
      const instance = await openDuckDBInstance(':memory:');
      const conn = await DuckDBConnection.open(instance);
      return { conn, close: () => instance.closeSync() };
    })());
  afterAll(async () => {
    if (!opened) return;
    const { conn, close } = await opened;
    await conn.close();
    close();
  });
  return async (sql) => {
    const { conn } = await open();
    const r = await conn.execute(sql);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
  };
}
