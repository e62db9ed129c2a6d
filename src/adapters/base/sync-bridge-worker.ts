/**
 * The worker side of a SyncBridge: opens the Connection named by the
 * opener, then answers requests from the port one at a time. After posting
 * each answer it flips the shared flag and notifies, which wakes the
 * rendering thread blocked in Atomics.wait.
 *
 * Loaded by the bootstrap in sync-bridge-bootstrap.ts; not imported by the
 * main thread.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Connection } from './connection.js';
import { ANSWERED, type BridgeRequest, type BridgeResponse, type ConnectionOpener } from './sync-bridge-protocol.js';

interface WorkerInput {
  opener: ConnectionOpener;
  port: MessagePort;
  flag: SharedArrayBuffer;
}

const input = workerData as WorkerInput;
const flag = new Int32Array(input.flag);
const port = input.port;

function answer(response: BridgeResponse): void {
  port.postMessage(response);
  Atomics.store(flag, 0, ANSWERED);
  Atomics.notify(flag, 0);
}

function errorOf(e: unknown): BridgeResponse {
  const err = e as { message?: unknown; code?: unknown; name?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  return { ok: false, error: { message: typeof err?.message === 'string' ? err.message : String(e), code } };
}

async function main(): Promise<void> {
  let connection: Connection;
  try {
    const mod = (await import(input.opener.module)) as Record<string, unknown>;
    const open = mod[input.opener.export];
    if (typeof open !== 'function') throw new Error(`${input.opener.module} has no export '${input.opener.export}'`);
    connection = (await (open as (a: unknown) => Promise<Connection>)(input.opener.args)) as Connection;
  } catch (e) {
    // The first message the main thread reads is the open's outcome.
    answer(errorOf(e));
    return;
  }
  answer({ ok: true, value: null });
  // Requests are strictly sequential: the main thread blocks until each is answered.
  port.on('message', (req: BridgeRequest) => {
    void handle(connection, req);
  });
}

async function handle(connection: Connection, req: BridgeRequest): Promise<void> {
  try {
    switch (req.op) {
      case 'execute':
        answer({ ok: true, value: await connection.execute(req.sql, req.binds) });
        return;
      case 'begin':
        await connection.begin();
        break;
      case 'commit':
        await connection.commit();
        break;
      case 'rollback':
        await connection.rollback();
        break;
      case 'close':
        await connection.close();
        answer({ ok: true, value: null });
        port.close();
        return;
      case 'ping':
        break;
    }
    answer({ ok: true, value: null });
  } catch (e) {
    answer(errorOf(e));
  }
}

void main();
