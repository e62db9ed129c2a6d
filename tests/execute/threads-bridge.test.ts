import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SyncBridge } from '../../src/adapters/base/sync-bridge.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';

const LONG = 'select count(*) from range(100000000) a, range(100000) b';

/** A thread that attaches to a bridge session and runs `sql` on it, posting the outcome. */
function runInThread(handle: { port: unknown; flag: SharedArrayBuffer }, sql: string): Promise<{ ok: boolean; message?: string; rows?: unknown; ms: number }> {
  const bridgeUrl = new URL('../../src/adapters/base/sync-bridge.ts', import.meta.url).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    require('node:module').register(workerData.hooks.url, { data: workerData.hooks.data });
    import(workerData.bridgeUrl).then(({ SyncBridge }) => {
      const b = SyncBridge.attach(workerData.handle);
      const t = performance.now();
      try { const r = b.executeSync(workerData.sql); parentPort.postMessage({ ok: true, rows: r.rows, ms: performance.now() - t }); }
      catch (e) { parentPort.postMessage({ ok: false, message: e.message, ms: performance.now() - t }); }
      b.close();
    });`;
  return import('../../src/adapters/base/sync-bridge-bootstrap.js').then(({ workerBoot }) => {
    const boot = workerBoot(bridgeUrl);
    const w = new Worker(code, { eval: true, workerData: { handle, sql, bridgeUrl, hooks: boot.hooks }, transferList: [handle.port as never] });
    return new Promise((resolve, reject) => {
      w.once('message', (m) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', reject);
    });
  });
}

describe('SyncBridge sessions', () => {
  it('serves sibling sessions on the same DuckDB instance, concurrently with the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-sessions-'));
    const bridge = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: 'dev.duckdb' }, projectDir: dir }));
    try {
      bridge.executeSync('create table t as select 7 as v');
      const a = await bridge.openSession();
      const b = await bridge.openSession();
      // Two sessions at once: each sees the first session's committed table.
      const [ra, rb] = await Promise.all([runInThread(a, 'select v + 1 from t'), runInThread(b, 'select v + 2 from t')]);
      expect(ra).toMatchObject({ ok: true, rows: [[8]] });
      expect(rb).toMatchObject({ ok: true, rows: [[9]] });
    } finally {
      await bridge.close();
    }
  });

  it('cancelAll interrupts the statements running on other sessions', async () => {
    const bridge = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: ':memory:' }, projectDir: '/' }));
    try {
      const a = await bridge.openSession();
      const b = await bridge.openSession();
      const pending = Promise.all([runInThread(a, LONG), runInThread(b, LONG)]);
      await new Promise((r) => setTimeout(r, 700));
      const t = performance.now();
      bridge.cancelAllSync();
      const [ra, rb] = await pending;
      expect(ra.ok).toBe(false);
      expect(ra.message).toMatch(/Interrupted/);
      expect(rb.message).toMatch(/Interrupted/);
      expect(performance.now() - t).toBeLessThan(3000);
      // The first session still works after the cancel.
      expect(bridge.executeSync('select 1').rows).toEqual([[1]]);
    } finally {
      await bridge.close();
    }
  });
});
