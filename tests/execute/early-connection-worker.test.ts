import { MessageChannel, Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { offerEarlyConnectionWorker, type EarlyConnectionWorker } from '../../src/adapters/base/early-connection-worker.js';
import { SyncBridge } from '../../src/adapters/base/sync-bridge.js';
import { BOOTSTRAP_SOURCE, workerBoot } from '../../src/adapters/base/sync-bridge-bootstrap.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';

/** A connection worker started as bin/tsdbt.js starts one before the CLI loads: no opener, DuckDB's module to preload. */
function earlyWorker(): EarlyConnectionWorker {
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const boot = workerBoot();
  const preload = new URL('../../src/adapters/duckdb/duckdb-open.ts', import.meta.url).href;
  const worker = new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { port: port2, flag, entry: boot.entry, hooks: boot.hooks, preload }, transferList: [port2] });
  worker.unref();
  const offer: EarlyConnectionWorker = { worker, port: port1, flag, failed: false };
  worker.on('exit', () => void (offer.failed = true));
  return offer;
}

const memory = (name: string) => duckdbOpener({ credentials: { type: 'duckdb', path: ':memory:', schema: name }, projectDir: '/' });

describe('the connection worker started early (early-connection-worker.ts)', { timeout: 60_000 }, () => {
  const bridges: SyncBridge[] = [];
  afterAll(async () => {
    for (const b of bridges) await b.close();
  });

  it('is the first bridge\'s worker, given its opener then; later bridges start their own', async () => {
    offerEarlyConnectionWorker(earlyWorker());
    const first = await SyncBridge.open(memory('a'));
    bridges.push(first);
    expect(first.startedEarly).toBe(true);
    first.executeSync('create table t as select 42 as x');
    expect(first.executeSync('select x from t').rows).toEqual([[42]]);
    const second = await SyncBridge.open(memory('b'));
    bridges.push(second);
    expect(second.startedEarly).toBe(false);
    expect(second.executeSync('select 1 as one').rows).toEqual([[1]]);
  });

  it('one that stopped before it was taken is passed over: the bridge starts a worker of its own', async () => {
    const offer = earlyWorker();
    await offer.worker.terminate();
    expect(offer.failed).toBe(true);
    offerEarlyConnectionWorker(offer);
    const b = await SyncBridge.open(memory('c'));
    bridges.push(b);
    expect(b.startedEarly).toBe(false);
    expect(b.executeSync('select 2 as two').rows).toEqual([[2]]);
  });

  it('an opener that fails is the open\'s DATABASE_OPEN error, as from a worker started then', async () => {
    offerEarlyConnectionWorker(earlyWorker());
    const bad = duckdbOpener({ credentials: { type: 'duckdb', path: '/proc/no/such/dir/db.duckdb' }, projectDir: '/' });
    await expect(SyncBridge.open(bad)).rejects.toMatchObject({ code: 'DATABASE_OPEN' });
  });
});
