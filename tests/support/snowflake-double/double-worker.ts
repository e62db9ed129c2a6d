/**
 * The Snowflake double in a worker thread, for tests that run models.
 *
 * Rendering blocks the main thread in Atomics.wait while the SyncBridge
 * worker talks to the database, so a double serving HTTP on the main thread
 * would never answer. This starts `startSnowflakeDouble` in its own worker
 * (TypeScript loaded through the same module hooks the bridge uses) and
 * controls it by messages; everything it reports is read after the blocking
 * call has returned.
 */
import { Worker } from 'node:worker_threads';
import { workerBoot } from '../../../src/adapters/base/sync-bridge-bootstrap.js';
import type { DoubleFailure, SnowflakeDoubleOptions } from './snowflake-double.js';

export type DoubleControl =
  | { id: number; op: 'setFailure'; failure: DoubleFailure | undefined }
  | { id: number; op: 'log' | 'clearLog' | 'close' };

export interface DoubleReply {
  id: number;
  value: unknown;
}

export interface DoubleLog {
  /** Every SQL text the double received, in order. */
  queries: string[];
  /** The session's query tag when each query ran. */
  queryTags: string[];
  logins: number;
  openSessions: number;
}

export interface WorkerSnowflakeDouble {
  port: number;
  url: string;
  setFailure(failure: DoubleFailure | undefined): Promise<void>;
  log(): Promise<DoubleLog>;
  clearLog(): Promise<void>;
  close(): Promise<void>;
}

const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.hooks) require('node:module').register(workerData.hooks.url, { data: workerData.hooks.data });
import(workerData.entry).catch((e) => { console.error(e); process.exit(1); });
`;

export async function startSnowflakeDoubleInWorker(options: SnowflakeDoubleOptions = {}): Promise<WorkerSnowflakeDouble> {
  const boot = workerBoot();
  const here = import.meta.url;
  const entry = new URL(`./double-worker-entry${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href;
  const worker = new Worker(BOOT, { eval: true, workerData: { options, entry, hooks: boot.hooks } });
  const waiting = new Map<number, (v: unknown) => void>();
  let nextId = 1;
  worker.on('message', (m: DoubleReply) => {
    waiting.get(m.id)?.(m.value);
    waiting.delete(m.id);
  });
  const started = new Promise<{ port: number }>((resolve, reject) => {
    waiting.set(0, (v) => resolve(v as { port: number }));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the Snowflake double worker exited (${code}) before listening`)));
  });
  const { port } = await started;
  const call = (msg: Omit<DoubleControl, 'id'>): Promise<unknown> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      worker.postMessage({ ...msg, id });
    });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setFailure: async (failure) => {
      await call({ op: 'setFailure', failure } as Omit<DoubleControl, 'id'>);
    },
    log: async () => (await call({ op: 'log' })) as DoubleLog,
    clearLog: async () => {
      await call({ op: 'clearLog' });
    },
    close: async () => {
      await call({ op: 'close' });
      await worker.terminate();
    },
  };
}
