import type { MessagePort, Worker } from 'node:worker_threads';

/**
 * A connection worker bin/tsdbt.js started before the CLI's modules loaded,
 * when the command is one that opens the database: it boots and loads the
 * embedded database's driver (`preload` in its workerData) on another core
 * while the main thread loads the CLI and the project, then waits for its
 * opener (the first message on `port`, BridgeRequest 'open'), which the
 * first SyncBridge this process opens sends it (sync-bridge.ts). A 10-model
 * compile waited ~0.28 s for the database before. `failed`: it stopped
 * before it was taken (the bridge then starts a worker of its own).
 *
 * Kept apart from sync-bridge.ts so that the CLI's entry can take the offer
 * without loading the bridge.
 */
export interface EarlyConnectionWorker {
  worker: Worker;
  port: MessagePort;
  flag: SharedArrayBuffer;
  failed?: boolean;
}

let early: EarlyConnectionWorker | undefined;

/** bin/tsdbt.js's early worker, for the first bridge this process opens. */
export function offerEarlyConnectionWorker(offer: EarlyConnectionWorker | undefined): void {
  early = offer;
}

/** The early worker, once (undefined when none was offered, or it was taken). */
export function takeEarlyConnectionWorker(): EarlyConnectionWorker | undefined {
  const offer = early;
  early = undefined;
  return offer;
}
