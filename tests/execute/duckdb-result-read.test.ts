import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBConnection } from '../../src/adapters/duckdb/duckdb-connection.js';

/**
 * DuckDBConnection.execute reads a statement's materialized chunks
 * synchronously instead of fetching each through the driver's thread pool
 * (runAndReadAll). The rows must be the ones runAndReadAll gives.
 */
describe('DuckDBConnection.execute reads the materialized result', () => {
  const statements: [string, unknown[] | undefined][] = [
    ['create table t as select range as id, range % 7 as k from range(5000)', undefined],
    ['select * from t order by id', undefined],
    ['select k, count(*) as n, list(id order by id)[1:3] as first from t group by k order by k', undefined],
    ["select 9007199254740993::hugeint as big, 1.5::decimal(10, 2) as d, timestamp '2024-01-02 03:04:05' as ts, date '2024-02-03' as dt, {'a': 1, 'b': [1, 2]} as s, interval 3 day as iv, null as n, 'x'::blob as b", undefined],
    ['select * from t where id = $1 or k = $2 order by id limit 40', [3, 5]],
    ['select * from t where id < 0', undefined],
    ['insert into t values (9000, 1)', undefined],
    ['update t set k = 0 where id < 10', undefined],
    ['begin transaction; create table u as select 1 as v; commit; select * from u', undefined],
  ];

  it('gives the same columns and rows as runAndReadAll, over one or several chunks and none', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const mine = await DuckDBConnection.open(instance);
    const other = await DuckDBInstance.create(':memory:');
    const native = await other.connect();
    for (const [sql, binds] of statements) {
      const got = await mine.execute(sql, binds);
      const reader = await native.runAndReadAll(sql, binds as never);
      const types = reader.columnTypes();
      expect(got.columns).toEqual(reader.columnNames().map((name, i) => ({ name, type: types[i]!.toString() })));
      // As the connection hands rows on: bigints that fit as numbers, at any depth.
      const show = (rows: unknown) => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : `${v}n`) : v));
      expect(show(got.rows)).toEqual(show(reader.getRowsJS()));
    }
    const all = await mine.execute('select * from t order by id');
    expect(all.rows).toHaveLength(5001);
    expect(all.rows[4999]).toEqual([4999, 4999 % 7]);
    await mine.close();
    native.closeSync();
  });
});
