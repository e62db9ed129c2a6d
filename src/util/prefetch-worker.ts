import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { readText } from './read-text.js';

/**
 * Worker thread body of PrefetchedTexts (prefetched-texts.ts): each path read
 * as readText reads it (null when it cannot be read), posted in batches (a
 * message costs more than its size), until the list ends or it is told to stop.
 */
const { paths, port } = workerData as { paths: string[]; port: MessagePort; stop: SharedArrayBuffer };
const stop = new Int32Array((workerData as { stop: SharedArrayBuffer }).stop);

const read = (path: string): string | null => {
  try {
    return readText(path);
  } catch {
    return null;
  }
};

let batch: (string | null)[] = [];
for (let i = 0; i < paths.length && Atomics.load(stop, 0) === 0; i++) {
  batch.push(read(paths[i]!));
  if (batch.length === 250 || i === paths.length - 1) {
    port.postMessage(batch);
    batch = [];
  }
}
port.close();
