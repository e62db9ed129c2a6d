import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SyncBridge } from '../../src/adapters/base/sync-bridge.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';

describe('SyncBridge over DuckDB', () => {
  const bridges: SyncBridge[] = [];
  afterAll(async () => {
    for (const b of bridges) await b.close();
  });

  it('runs statements synchronously and keeps Dates, bigints and lists', async () => {
    const b = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: ':memory:' }, projectDir: '/' }));
    bridges.push(b);
    b.executeSync('create table t as select 1 as a');
    const r = b.executeSync("select a, timestamp '2024-01-02 03:04:05' as ts, 9007199254740993::hugeint as big, [1, 2] as l from t");
    expect(r.columns.map((c) => c.name)).toEqual(['a', 'ts', 'big', 'l']);
    expect(r.rows[0]![0]).toBe(1);
    expect(r.rows[0]![1]).toBeInstanceOf(Date);
    expect((r.rows[0]![1] as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(r.rows[0]![2]).toBe(9007199254740993n);
    expect(r.rows[0]![3]).toEqual([1, 2]);
  });

  it('re-throws database errors as DATABASE_ERROR with the message, and rolls back', async () => {
    const b = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: ':memory:' }, projectDir: '/' }));
    bridges.push(b);
    expect(() => b.executeSync('select * from missing_table')).toThrowError(/missing_table/);
    try {
      b.executeSync('select * from missing_table');
    } catch (e) {
      expect((e as { code: string }).code).toBe('DATABASE_ERROR');
    }
    b.executeSync('create table k (x int)');
    b.beginSync();
    b.executeSync('insert into k values (1)');
    b.rollbackSync();
    expect(b.executeSync('select count(*) as n from k').rows).toEqual([[0]]);
  });

  it('resolves a relative path against the project dir and shares one worker per file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bridge-'));
    const open = () => SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: 'dev.duckdb' }, projectDir: dir }));
    const a = await open();
    const b = await open();
    bridges.push(a, b);
    a.executeSync('create table shared as select 42 as v');
    expect(b.executeSync('select v from shared').rows).toEqual([[42]]);
    expect(b.executeSync('select current_database()').rows).toEqual([['dev']]);
  });

  it('closes without blocking the calling thread: a run writes its artifacts while the database closes', async () => {
    const gate = new SharedArrayBuffer(8);
    const opener = { module: new URL('../support/gated-close-connection.ts', import.meta.url).href, export: 'openGatedClose', args: { gate, maxMs: 5000 } };
    const b = await SyncBridge.open(opener);
    expect(b.executeSync('select 1').rows).toEqual([[1]]);
    // The connection's close waits for this thread: a close that blocked it would wait out maxMs first.
    const closing = b.close();
    const flag = new Int32Array(gate);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    await closing;
    expect(Atomics.load(flag, 1)).toBe(1);
    expect(() => b.executeSync('select 1')).toThrow(/closed/);
  });

  it('names the path when the database cannot be opened', async () => {
    const bad = '/nonexistent-dir-tsdbt/x/dev.duckdb';
    await expect(SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: bad }, projectDir: '/' }))).rejects.toThrowError(
      /Could not open the DuckDB database at \/nonexistent-dir-tsdbt\/x\/dev.duckdb/,
    );
  });
});
