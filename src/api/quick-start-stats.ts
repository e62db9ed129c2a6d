import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { siblingModule } from '../adapters/base/sync-bridge-bootstrap.js';
import { rowsSignature, statFolders, type RootFolders } from '../util/file-states.js';

/**
 * The signature of the input files' stat rows (rowsSignature of statFolders) computed on a worker thread, so the caller can
 * prepare its answer meanwhile (at 10,000 files the listing and stats take
 * about as long as `ls` reading its index). Started at once; when a worker
 * cannot run (no worker module beside this one; from the sources, a `.ts`
 * one, which a plain worker cannot load), the same is computed on this
 * thread when awaited. Undefined when the files cannot be listed or
 * stat'ed (never rejects).
 */
export function statSignatureInWorker(folders: RootFolders): Promise<string | undefined> {
  const here = (): string | undefined => {
    try {
      return rowsSignature(statFolders(folders));
    } catch {
      return undefined;
    }
  };
  let worker: Worker;
  try {
    // siblingModule's literal form is how scripts/bundle.mjs finds worker entry points to bundle.
    worker = new Worker(new URL(siblingModule(import.meta.url, 'quick-start-stats-worker')), { workerData: { folders } });
  } catch {
    return Promise.resolve().then(here);
  }
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    const finish = (signature: () => string | undefined) => {
      if (done) return;
      done = true;
      resolve(signature());
    };
    worker.once('message', (signature: unknown) => finish(() => (typeof signature === 'string' ? signature : here())));
    worker.once('error', () => finish(here));
    worker.once('exit', () => finish(here));
  });
}

/**
 * Whether a worker thread would find a core to itself: the last minute's
 * load average leaves one spare. On a busy machine a worker only adds its
 * start-up (tens of ms of CPU) without shortening anything.
 */
export function spareCore(): boolean {
  return loadavg()[0]! < availableParallelism() - 0.5;
}
