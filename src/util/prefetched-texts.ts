import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ReadState } from './file-states.js';
import { BOOTSTRAP_SOURCE, coreLikelySpare, moduleWorkerBoot, siblingModule } from './worker-boot.js';

/** What the worker posts per file: its text, with `states` its text and state (prefetch-worker.ts), null when unreadable. */
type Read = string | [string, number?, number?, string?] | null;

/**
 * Files read as UTF-8 text on a worker thread while this thread does other
 * work (a parse reads 10,000 model files while it reads macros and
 * properties): `take(path)` hands over a file's text when the worker has
 * read it. It never waits: a file the worker has not reached yet, could not
 * read, or was not given is undefined, and the caller reads it itself (so an
 * error is raised where a synchronous read raises it, and a slow or failed
 * worker only costs the reads it did not do).
 */
export class PrefetchedTexts {
  private readonly texts: (Read | undefined)[] = [];
  private closed = false;

  private constructor(
    private readonly index: Map<string, number>,
    private readonly port: MessagePort,
    /** [0]: set to 1 by this thread when it takes no more (the worker stops). */
    private readonly stop: Int32Array,
  ) {}

  /**
   * Starts reading `paths` (absolute) in order; undefined when a worker
   * cannot start or, unless `evenWhenBusy`, when no core is likely to be
   * spare: the last minute's load average is at least the machine's cores, or
   * this is itself a worker thread (a render worker parses while the
   * coordinator and its siblings do). There the worker's start-up (~0.1 s
   * of CPU) only adds to the work without shortening anything.
   */
  static start(paths: readonly string[], evenWhenBusy = false, states = false): PrefetchedTexts | undefined {
    if (!evenWhenBusy && !coreLikelySpare()) return undefined;
    try {
      const { port1, port2 } = new MessageChannel();
      const stop = new Int32Array(new SharedArrayBuffer(4));
      // The worker module (prefetch-worker.ts), booted as every module worker is (worker-boot.ts: `.ts` when run from sources).
      const boot = moduleWorkerBoot(siblingModule(import.meta.url, 'prefetch-worker'));
      const worker = new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { ...boot, paths, port: port2, stop: stop.buffer, states }, transferList: [port2] });
      // Never keeps the process alive: what was not taken is not needed.
      worker.unref();
      port1.unref();
      worker.on('error', () => undefined);
      return new PrefetchedTexts(new Map(paths.map((p, i) => [p, i])), port1, stop);
    } catch {
      return undefined;
    }
  }

  /** The text of `path` if the worker has read it (handed over once), else undefined: read it yourself. */
  take(path: string): string | undefined {
    const read = this.takeRead(path);
    return typeof read === 'string' ? read : read?.[0];
  }

  /**
   * With `states` (start's): the text of `path` and its state, from one read
   * (readTextWithState's), if the worker has read it (handed over once), else
   * undefined: read it yourself.
   */
  takeWithState(path: string): { text: string; state?: ReadState } | undefined {
    const read = this.takeRead(path);
    if (read === undefined) return undefined;
    if (typeof read === 'string') return { text: read };
    const [text, size, mtimeMs, hash] = read;
    return hash === undefined ? { text } : { text, state: { size: size!, mtimeMs: mtimeMs!, hash } };
  }

  private takeRead(path: string): string | [string, number?, number?, string?] | undefined {
    if (this.closed) return undefined;
    const i = this.index.get(path);
    if (i === undefined) return undefined;
    if (i >= this.texts.length) {
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) for (const read of m.message as Read[]) this.texts.push(read);
      if (i >= this.texts.length) return undefined; // not read yet
    }
    const read = this.texts[i];
    this.texts[i] = undefined;
    return read ?? undefined;
  }

  /** Take no more: the worker stops, what it read and was not taken is dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.texts.length = 0;
    Atomics.store(this.stop, 0, 1);
    this.port.close();
  }
}
