import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ParseCapture } from '../context/parse-context.js';
import type { CompiledNode } from '../manifest/types.js';
import type { ParseReads } from './partial-parse-reads.js';

/**
 * Node files rendered at parse on a worker thread (render-share-work.ts),
 * while this thread reads macros and properties and renders the others.
 *
 * The worker loads the same project, lists the node files that need a render
 * (in parse order), and renders them from the last one backwards; this thread
 * parses from the first one forwards. Each file is claimed once, by whichever
 * side reaches it first (a compare-and-swap in shared memory), so the two
 * meet somewhere in the middle and no file is rendered twice.
 *
 * A render done there counts only when it provably equals the one this thread
 * would make: it did not read the node's config (which holds the properties
 * patch, read here), logged nothing, raised nothing, and recorded plain data
 * (what a structured clone carries unchanged); and the node it rendered had
 * the same id and file checksum. Otherwise this thread renders the file
 * itself, so every error, warning and log line comes from here, in order.
 * What the render read (macros, env vars) is replayed into this parse's
 * observer, as a reused render (partial-parse-memo.ts) is.
 */
export class RenderShare {
  /** Claims by position in the worker's list: 0 free, 1 this thread's, 2 the worker's. */
  private claims: Int32Array | undefined;
  private index: Map<string, number> | undefined;
  /** Results by position: a render, or null (render it here). */
  private readonly results = new Map<number, WorkerRender | null>();
  private closed = false;
  /** For tests and the debug log: files listed, renders taken from the worker, those it left to this thread, files claimed here, time spent waiting for the worker (ms). */
  readonly counts = { listed: 0, taken: 0, left: 0, claimedHere: 0, waitedMs: 0 };

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly state: Int32Array,
    /** Tests: the first take() waits for the worker's list (a worker started from the sources is slow to start). */
    private readonly awaitList: boolean,
  ) {}

  /** Starts the worker (see ShareJob); undefined when it cannot start. */
  static start(boot: { entry: string; hooks?: unknown }, bootstrapSource: string, job: ShareJob, awaitList = false): RenderShare | undefined {
    try {
      const { port1, port2 } = new MessageChannel();
      const state = new Int32Array(new SharedArrayBuffer(4 * STATE_SLOTS));
      const worker = new Worker(bootstrapSource, { eval: true, workerData: { entry: boot.entry, hooks: boot.hooks, job, port: port2, state: state.buffer }, transferList: [port2] });
      // Never keeps the process alive, and a failure only costs the renders it did not do.
      worker.unref();
      port1.unref();
      worker.on('error', () => undefined);
      return new RenderShare(worker, port1, state, awaitList);
    } catch {
      return undefined;
    }
  }

  /**
   * The capture of `node`'s render if the worker made it (its reads replayed
   * through `replay`); undefined: render it here. Waits only for a render the
   * worker has claimed and not yet posted.
   */
  take(node: CompiledNode, replay: { onMacroCall?: (id: string) => void; osEnv: Record<string, string | undefined> }): ParseCapture | undefined {
    if (this.closed) return undefined;
    if (!this.index) this.drain();
    if (!this.index && this.awaitList) this.waitFor(() => this.index !== undefined, WAIT_LIMIT_MS * 30);
    const i = this.index?.get(shareKey(node));
    if (i === undefined) return undefined;
    if (Atomics.compareExchange(this.claims!, i, 0, CLAIMED_HERE) === 0) {
      this.counts.claimedHere++;
      return undefined;
    }
    const waitStart = performance.now();
    const done = this.resultOf(i);
    this.counts.waitedMs += performance.now() - waitStart;
    if (!done || done.checksum !== node.checksum.checksum) {
      this.counts.left++;
      return undefined;
    }
    this.counts.taken++;
    for (const m of done.reads.macros) replay.onMacroCall?.(m);
    for (const n of done.reads.env) void replay.osEnv[n];
    return done.capture;
  }

  /** Take no more: the worker stops. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.state, STOP, 1);
    this.results.clear();
    this.port.close();
    void this.worker.terminate().catch(() => undefined);
  }

  /** The worker's result at `i` (claimed by it), waited for; null or undefined: render it here. */
  private resultOf(i: number): WorkerRender | null | undefined {
    // (Tests, on a busy machine and from the sources, give the worker longer.)
    if (!this.waitFor(() => this.results.has(i), this.awaitList ? WAIT_LIMIT_MS * 30 : WAIT_LIMIT_MS)) return undefined;
    const r = this.results.get(i);
    this.results.delete(i);
    return r;
  }

  /** Drains the port until `ready()`, waiting for the worker's posts; false (and closed) if it gave up or took over `limitMs`. */
  private waitFor(ready: () => boolean, limitMs: number): boolean {
    const deadline = performance.now() + limitMs;
    for (;;) {
      const seen = Atomics.load(this.state, POSTED);
      this.drain();
      if (ready()) return true;
      if (Atomics.load(this.state, GAVE_UP) === 1 || performance.now() > deadline) {
        // A worker that failed or stalls renders nothing more here.
        this.close();
        return false;
      }
      Atomics.wait(this.state, POSTED, seen, 20);
    }
  }

  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const msg = m.message as FromShareWorker;
      if (msg.type === 'list') {
        this.index = new Map(msg.keys.map((k, i) => [k, i]));
        this.counts.listed = msg.keys.length;
        this.claims = new Int32Array(msg.claims);
      } else this.results.set(msg.i, msg.type === 'render' ? msg : null);
    }
  }
}

/** How the worker loads the same project as this invocation (structured clone). */
export interface ShareJob {
  /** loadProject's options (api/load-project.ts GlobalOptions, without a logger). */
  options: Record<string, unknown>;
  invocationId: string;
  runStartedAt: string;
  flags: Record<string, unknown>;
  /** Whether the parse reads the environment through a recording env (a parse through the cache). */
  recordedEnv: boolean;
}

/** Messages from the worker. */
export type FromShareWorker =
  | { type: 'list'; keys: string[]; claims: SharedArrayBuffer }
  | ({ type: 'render'; i: number } & WorkerRender)
  | { type: 'own'; i: number };

interface WorkerRender {
  checksum: string;
  capture: ParseCapture;
  reads: ParseReads;
}

/** A node file as both sides name it: its file and node id. */
export const shareKey = (node: CompiledNode): string => `${node.package_name}\0${node.original_file_path}\0${node.unique_id}`;

export const CLAIMED_HERE = 1;
export const CLAIMED_THERE = 2;
/** State slots: STOP (set here: take no more), POSTED (results posted, counted there), GAVE_UP (the worker failed). */
export const STOP = 0;
export const POSTED = 1;
export const GAVE_UP = 2;
const STATE_SLOTS = 3;
/** How long a claimed render may take before the worker is given up on (a render takes milliseconds). */
const WAIT_LIMIT_MS = 2000;
