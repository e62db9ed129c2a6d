import { describe, expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../src/adapters/duckdb/duckdb-connection.js';

describe('DuckDBConnection', () => {
  it('returns rows as plain JS values with column types', async () => {
    const conn = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    const r = await conn.execute("select 1 as a, 'x' as b, [1,2] as c, {'k': 2} as d, count(*) over () as n");
    expect(r.columns).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'VARCHAR' },
      { name: 'c', type: 'INTEGER[]' },
      { name: 'd', type: 'STRUCT("k" INTEGER)' },
      { name: 'n', type: 'BIGINT' },
    ]);
    expect(r.rows).toEqual([[1, 'x', [1, 2], { k: 2 }, 1]]);
    await conn.close();
  });

  it('runs several statements and binds, and rolls back a transaction', async () => {
    const conn = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    await conn.execute('create table t (x int); insert into t values (1)');
    await conn.begin();
    await conn.execute('insert into t values (?)', [2]);
    await conn.rollback();
    expect((await conn.execute('select x from t order by x')).rows).toEqual([[1]]);
    const batches: unknown[][][] = [];
    for await (const b of conn.stream('select range as r from range(3)')) batches.push(b);
    expect(batches.flat()).toEqual([[0], [1], [2]]);
  });

  it('names the path when the database cannot be opened', async () => {
    await expect(openDuckDBInstance('/nonexistent-dir/x/db.duckdb')).rejects.toThrow(
      /Could not open the DuckDB database at \/nonexistent-dir\/x\/db.duckdb/,
    );
  });
});
