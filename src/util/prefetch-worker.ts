import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { readText, readTextWithState } from './read-text.js';

/**
 * Worker thread body of PrefetchedTexts (prefetched-texts.ts): each path read
 * as readText reads it (null when it cannot be read), posted in batches (a
 * message costs more than its size), until the list ends or it is told to stop.
 * With `states`, each as readTextWithState reads it: [text, size, mtimeMs, hash]
 * (or [text] for a file that is not a regular one).
 */
const { paths, port, states } = workerData as { paths: string[]; port: MessagePort; stop: SharedArrayBuffer; states?: boolean };
const stop = new Int32Array((workerData as { stop: SharedArrayBuffer }).stop);

const read = (path: string): string | [string, number?, number?, string?] | null => {
  try {
    if (!states) return readText(path);
    const { text, state } = readTextWithState(path);
    return state ? [text, state.size, state.mtimeMs, state.hash] : [text];
  } catch {
    return null;
  }
};

let batch: ReturnType<typeof read>[] = [];
for (let i = 0; i < paths.length && Atomics.load(stop, 0) === 0; i++) {
  batch.push(read(paths[i]!));
  if (batch.length === 250 || i === paths.length - 1) {
    port.postMessage(batch);
    batch = [];
  }
}
port.close();
