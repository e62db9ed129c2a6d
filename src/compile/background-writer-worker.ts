import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { writeNew, writeReplacing } from '../util/thread-file-writes.js';

/**
 * Worker thread body of BackgroundWriter (background-writer.ts). A message is
 * `[mode, seq, path, text, seq, path, text, …]`: mode 1 creates new files in a
 * staged folder, mode 0 replaces files as util/thread-file-writes.ts does.
 * After each file the highest sequence number done is published in the shared
 * counter (the waiting side blocks on it); a failed write is reported by
 * sequence number, for the waiting side to redo and report itself.
 */
const { port } = workerData as { port: MessagePort; done: SharedArrayBuffer };
const done = new Int32Array((workerData as { done: SharedArrayBuffer }).done);

port.on('message', (message: (number | string)[]) => {
  const write = message[0] === 1 ? writeNew : writeReplacing;
  for (let i = 1; i + 2 < message.length; i += 3) {
    const seq = message[i] as number;
    try {
      write(message[i + 1] as string, message[i + 2] as string);
    } catch (e) {
      port.postMessage([seq, String((e as Error | undefined)?.message ?? e)]);
    }
    Atomics.store(done, 0, seq);
    Atomics.notify(done, 0);
  }
});
