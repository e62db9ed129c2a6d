import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SyncBridge } from '../../src/adapters/base/sync-bridge.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';

const LONG = 'select count(*) from range(100000000) a, range(100000) b';

type Outcome = { ok: boolean; message?: string; rows?: unknown; ms: number };

/**
 * A thread that attaches to a bridge session and runs `sql` on it, posting the
 * outcome; `sent` resolves as it sends the statement.
 */
function runInThread(handle: { port: unknown; flag: SharedArrayBuffer }, sql: string, sent?: () => void): Promise<Outcome> {
  const bridgeUrl = new URL('../../src/adapters/base/sync-bridge.ts', import.meta.url).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    require('node:module').register(workerData.hooks.url, { data: workerData.hooks.data });
    import(workerData.bridgeUrl).then(({ SyncBridge }) => {
      const b = SyncBridge.attach(workerData.handle);
      const t = performance.now();
      parentPort.postMessage({ sending: true });
      try { const r = b.executeSync(workerData.sql); parentPort.postMessage({ ok: true, rows: r.rows, ms: performance.now() - t }); }
      catch (e) { parentPort.postMessage({ ok: false, message: e.message, ms: performance.now() - t }); }
      b.close();
    });`;
  return import('../../src/adapters/base/sync-bridge-bootstrap.js').then(({ workerBoot }) => {
    const boot = workerBoot(bridgeUrl);
    const w = new Worker(code, { eval: true, workerData: { handle, sql, bridgeUrl, hooks: boot.hooks }, transferList: [handle.port as never] });
    return new Promise((resolve, reject) => {
      w.on('message', (m) => {
        if (m.sending) return sent?.();
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
      let sending = 0;
      let pending!: Promise<Outcome[]>;
      const bothSent = new Promise<void>((resolve) => {
        const sent = () => ++sending === 2 && resolve();
        pending = Promise.all([runInThread(a, LONG, sent), runInThread(b, LONG, sent)]);
      });
      // Once both statements are on their way (threads start slowly under load); one cancel is enough even if
      // DuckDB has not begun them yet: the connection worker repeats the interrupt until they end.
      await bothSent;
      await new Promise((r) => setTimeout(r, 200));
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

  it('repeats an interrupt that came before the statement began, until that statement ends', async () => {
    const opener = { module: new URL('../support/late-start-connection.ts', import.meta.url).href, export: 'openLateStart', args: { startMs: 600 } };
    const bridge = await SyncBridge.open(opener);
    try {
      const a = await bridge.openSession();
      let sent!: () => void;
      const onItsWay = new Promise<void>((resolve) => (sent = resolve));
      const pending = runInThread(a, 'long', sent);
      await onItsWay;
      await new Promise((r) => setTimeout(r, 100));
      // Sent while the statement has not begun: the first interrupt is dropped, a repeat after it began stops it.
      bridge.cancelAllSync();
      const timeout = new Promise<Outcome>((resolve) => setTimeout(() => resolve({ ok: true, message: 'still running after 20 s', ms: 20_000 }), 20_000).unref());
      const r = await Promise.race([pending, timeout]);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/Interrupted/);
      // The repeats stop once that statement ended: the count stays put.
      const n = Number(bridge.executeSync('cancels').rows[0]![0]);
      await new Promise((r) => setTimeout(r, 400));
      expect(Number(bridge.executeSync('cancels').rows[0]![0])).toBe(n);
    } finally {
      await bridge.close();
    }
  }, 30_000);
});
