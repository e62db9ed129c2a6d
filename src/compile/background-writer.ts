import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { writeFileAtomic, writeFaultActive } from '../util/atomic-write.js';
import type { CarriedAck, CarriedWrites } from '../util/carried-writes.js';
import { BOOTSTRAP_SOURCE, moduleWorkerBoot, siblingModule } from '../util/worker-boot.js';

/**
 * Writes files from a worker thread. A runner hands a node's compiled SQL
 * over before it runs the node's query and waits for the write after: the
 * write happens while this thread blocks on the database, so a node's file
 * costs this thread a postMessage instead of a synchronous open/write/close
 * (from 0.1 ms up to several ms when the disk is busy). Once `wait` returns
 * the file is on disk, so every node's files are present when its result is
 * reported, as with a synchronous write.
 *
 * The worker (background-writer-worker.ts) writes as util/thread-file-writes
 * does (a temp file renamed over the old one, so no half file and no temp
 * file is ever left), and leaves a file that already holds the same text as it is; whatever goes wrong there
 * (or if it never answers) `wait` writes the file itself, so a failure is
 * reported the way a synchronous write would report it.
 */
export class BackgroundWriter {
  private static current: BackgroundWriter | null | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { path: string; text: string }>();
  /** Writes the worker (or a carrier) reported as failed, not yet waited for. */
  private readonly failed = new Set<number>();
  /** Sequence numbers posted to the worker, ascending, not yet known written. */
  private posted: number[] = [];
  /** Writes are held for a carrier (see holdForCarrier). */
  private carrying = false;
  /** Writes held for the carrier, as one message; null when none is. */
  private held: CarriedWrites | null = null;
  /** Sequence numbers handed to the carrier and not answered yet. */
  private readonly carriedOut = new Set<number>();

  /** The writer thread, started by the first message posted to it (see start). */
  private worker: Worker | null = null;

  private constructor(
    private readonly port: MessagePort,
    /** The writer thread's end of `port`, until the thread is started with it. */
    private readonly workerPort: MessagePort,
    /** [0]: the highest sequence number written (in order). */
    private readonly done: Int32Array,
  ) {}

  /** This thread's writer, started on first use; null where a worker cannot start (then write synchronously). */
  static shared(): BackgroundWriter | null {
    // A test's injected write fault is seen only on this thread: write here while it is set.
    if (writeFaultActive()) return null;
    if (BackgroundWriter.current === undefined) BackgroundWriter.current = BackgroundWriter.start();
    return BackgroundWriter.current;
  }

  /**
   * The writer, without its thread: that starts with the first message
   * posted to it. A render worker carries its files to the connection
   * worker instead (holdForCarrier) and never posts one, so it never pays
   * the thread's start (~0.1 s of CPU, while the run's other threads start).
   */
  private static start(): BackgroundWriter | null {
    try {
      const { port1, port2 } = new MessageChannel();
      port1.unref();
      return new BackgroundWriter(port1, port2, new Int32Array(new SharedArrayBuffer(4)));
    } catch {
      return null;
    }
  }

  /** Start the writer thread (once); false when it cannot start (the caller then writes here). */
  private startThread(): boolean {
    if (this.worker) return true;
    try {
      // The worker module, booted as every module worker is (util/worker-boot.ts: `.ts` when run from sources).
      const boot = moduleWorkerBoot(siblingModule(import.meta.url, 'background-writer-worker'));
      const worker = new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { ...boot, port: this.workerPort, done: this.done.buffer }, transferList: [this.workerPort] });
      // Never keeps the process alive: every write is waited for by the node that made it.
      worker.unref();
      worker.on('error', () => undefined);
      this.worker = worker;
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the writer thread has started (it starts with the first write posted to it). */
  get threadStarted(): boolean {
    return this.worker !== null;
  }

  /** Queue a write of `text` to the absolute `path` (parent folders created); returns the ticket to wait on. */
  write(path: string, text: string): number {
    return this.writeMany([{ path, text }])[0]!;
  }

  /**
   * Queue several writes in one message (a message costs this thread more
   * than its size); returns their tickets, in order. `fresh`: the files are
   * new, in a folder no reader looks at yet (a staged tree renamed into place
   * once whole): each is created as it is written, without a temp file.
   */
  writeMany(files: readonly { path: string; text: string }[], fresh = false): number[] {
    const carried = this.carrying && !fresh;
    const message: (number | string)[] = carried ? (this.held ??= [0]) : [fresh ? 1 : 0];
    const tickets = files.map((f) => {
      const seq = ++this.seq;
      this.pending.set(seq, f);
      message.push(seq, f.path, f.text);
      return seq;
    });
    if (!carried && message.length > 1) this.post(message);
    return tickets;
  }

  /**
   * From now on, hold this thread's writes (but a staged tree's) for a
   * carrier instead of posting each: a thread that sends another thread a
   * message anyway (a render worker, its next statement to the database's
   * worker) takes them along (takeCarried) and reports how that went
   * (carriedDone), which saves a wake-up of the writer thread a node. `wait`
   * posts to the writer whatever is still held.
   */
  holdForCarrier(): void {
    this.carrying = true;
  }

  /** The held writes, for the carrier to take along now (each then awaits carriedDone); undefined when none. */
  takeCarried(): CarriedWrites | undefined {
    const held = this.held;
    if (!held) return undefined;
    this.held = null;
    for (let i = 1; i < held.length; i += 3) this.carriedOut.add(held[i] as number);
    return held;
  }

  /** The carrier's answer for what it last took: every write was tried; the failed ones are redone by their waiter. */
  carriedDone(ack: CarriedAck): void {
    const failed = new Set(ack.failed.map(([seq]) => seq));
    for (const seq of this.carriedOut) {
      if (failed.has(seq)) this.failed.add(seq);
      else this.pending.delete(seq);
    }
    this.carriedOut.clear();
  }

  private post(message: (number | string)[]): void {
    if (!this.startThread()) {
      // No thread to write them: each waiter writes its own file (and reports its error) here.
      for (let i = 1; i < message.length; i += 3) this.failed.add(message[i] as number);
      return;
    }
    this.port.postMessage(message);
    for (let i = 1; i < message.length; i += 3) this.posted.push(message[i] as number);
  }

  /**
   * Block until the write `ticket` (and every earlier one) is on disk. A
   * write the worker could not do is retried here, so its error is thrown
   * as a TsdbtError naming the file.
   */
  wait(ticket: number, timeoutMs = 30_000): void {
    if (this.held && (this.held[1] as number) <= ticket) {
      const held = this.held;
      this.held = null;
      this.post(held);
    }
    // Taken by a carrier whose message got no answer (it timed out): redone here below.
    for (const seq of this.carriedOut) {
      if (seq > ticket) continue;
      this.carriedOut.delete(seq);
      this.failed.add(seq);
    }
    // The worker writes in order: waiting for the last write posted to it up to `ticket` waits for the others.
    let last = 0;
    for (let i = this.posted.length - 1; i >= 0; i--) {
      if (this.posted[i]! <= ticket) {
        last = this.posted[i]!;
        break;
      }
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = Atomics.load(this.done, 0);
      if (at >= last) break;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.done, 0, at, left) === 'timed-out') {
        // The worker is stuck or gone: write what is still pending here.
        for (const [seq, w] of [...this.pending]) if (seq <= ticket) this.writeHere(seq, w.path, w.text);
        return;
      }
    }
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.failed.add((m.message as [number, string])[0]);
    this.forgetPosted(last);
    // The map itself, not a copy: waiting for each of n queued writes stays linear in n.
    for (const [seq, w] of this.pending) {
      if (seq > ticket) break;
      // A write the worker failed is redone here, so its error reaches the waiter; later ones wait for their own waiter.
      if (this.failed.delete(seq)) this.writeHere(seq, w.path, w.text);
      else this.pending.delete(seq);
    }
  }

  /**
   * Without blocking: forget the writes already on disk (a long compile
   * otherwise holds every file's path and text until its final wait). A
   * write the worker failed stays pending, so its waiter still redoes it.
   */
  settle(): void {
    const at = Atomics.load(this.done, 0);
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.failed.add((m.message as [number, string])[0]);
    for (const seq of this.posted) {
      if (seq > at) break;
      if (!this.failed.has(seq)) this.pending.delete(seq);
    }
    this.forgetPosted(at);
  }

  /** Posted writes up to `at` are written (or reported failed): no longer tracked as posted. */
  private forgetPosted(at: number): void {
    let n = 0;
    while (n < this.posted.length && this.posted[n]! <= at) n++;
    if (n > 0) this.posted = this.posted.slice(n);
  }

  private writeHere(seq: number, path: string, text: string): void {
    this.pending.delete(seq);
    writeFileSyncChecked(path, text);
  }
}

/** Write a node's SQL file atomically (mkdir -p, temp file, rename); a failure is a TARGET_WRITE error naming the file. */
export function writeFileSyncChecked(path: string, text: string): void {
  writeFileAtomic(path, text, 'compiled SQL', { durable: false });
}
