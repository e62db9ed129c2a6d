/**
 * Isolates the SyncBridge's cost on DDL: the same 1,200 statements (300
 * create/rename transactions on a file database) run directly through
 * @duckdb/node-api, through our DuckDBConnection wrapper, and through the
 * SyncBridge, interleaved 5 times; the minimum of each is printed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { it } from 'vitest';
import { SyncBridge } from '../src/adapters/base/sync-bridge.js';
import { DuckDBConnection } from '../src/adapters/duckdb/duckdb-connection.js';
import { duckdbOpener } from '../src/adapters/duckdb/duckdb-open.js';

it('DDL replay: direct vs wrapper vs SyncBridge', async () => {
  const stmts: string[] = [];
  for (let i = 0; i < 300; i++) stmts.push('begin', `create table t${i}__tmp as (select ${i} as id)`, `alter table t${i}__tmp rename to t${i}`, 'commit');
  const fresh = () => join(mkdtempSync(join(tmpdir(), 'tsdbt-replay-')), 'a.duckdb');
  const direct = async () => {
    const inst = await DuckDBInstance.create(fresh());
    const c = await inst.connect();
    const t0 = performance.now();
    for (const s of stmts) await c.run(s === 'begin' ? 'begin transaction' : s);
    const t = performance.now() - t0;
    c.closeSync();
    inst.closeSync();
    return t;
  };
  const wrapper = async () => {
    const inst = await DuckDBInstance.create(fresh());
    const c = await DuckDBConnection.open(inst);
    const t0 = performance.now();
    for (const s of stmts) await (s === 'begin' ? c.begin() : s === 'commit' ? c.commit() : c.execute(s));
    const t = performance.now() - t0;
    await c.close();
    inst.closeSync();
    return t;
  };
  const bridge = async () => {
    const b = await SyncBridge.open(duckdbOpener({ credentials: { path: fresh() }, projectDir: '/' }));
    const t0 = performance.now();
    for (const s of stmts) s === 'begin' ? b.beginSync() : s === 'commit' ? b.commitSync() : b.executeSync(s);
    const t = performance.now() - t0;
    await b.close();
    return t;
  };
  const best = { direct: Infinity, wrapper: Infinity, bridge: Infinity };
  for (let k = 0; k < 5; k++) {
    best.direct = Math.min(best.direct, await direct());
    best.wrapper = Math.min(best.wrapper, await wrapper());
    best.bridge = Math.min(best.bridge, await bridge());
  }
  const per = (x: number) => `${((x / stmts.length) * 1000).toFixed(0)} µs/statement`;
  console.log(`[replay] direct ${per(best.direct)}, DuckDBConnection ${per(best.wrapper)}, SyncBridge ${per(best.bridge)}`);
});
