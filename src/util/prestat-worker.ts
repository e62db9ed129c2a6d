import { workerData, type MessagePort } from 'node:worker_threads';
import { statFolders, type RootFolders } from './file-states.js';

/**
 * Worker thread body of the pre-stat (pre-stat.ts, started by
 * bin/tsdbt.js): statFolders of the folders given, posted on the port with
 * the time the walk began, then the done flag raised (also when the walk
 * failed: the taker then stats on its own thread).
 */
const { folders, done, port } = workerData as { folders: RootFolders; done: SharedArrayBuffer; port: MessagePort };
const flag = new Int32Array(done);
try {
  const at = Date.now();
  port.postMessage({ at, rows: statFolders(folders) });
} catch {
  port.postMessage(null);
} finally {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  port.close();
}
