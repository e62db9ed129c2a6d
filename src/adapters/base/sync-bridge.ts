import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { takeEarlyConnectionWorker } from './early-connection-worker.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CarriedAck, CarriedWrites } from '../../util/carried-writes.js';
import type { QueryResult } from './connection.js';
import { BOOTSTRAP_SOURCE, workerBoot } from './sync-bridge-bootstrap.js';
import { ANSWERED, PENDING, type BridgeRequest, type BridgeResponse, type BridgeSessionHandle, type ConnectionOpener } from './sync-bridge-protocol.js';

/**
 * A Connection as synchronous calls, for code that runs inside a (synchronous)
 * Jinja render: materializations call the database mid-render.
 */
export interface SyncConnection {
  executeSync(sql: string, binds?: unknown[]): QueryResult;
  beginSync(): void;
  commitSync(): void;
  rollbackSync(): void;
  close(): Promise<void>;
  /** Milliseconds spent waiting for the database since the bridge opened (for overhead measurements). */
  readonly waitedMs: number;
}

export interface SyncBridgeOptions {
  /** Give up waiting for one answer after this long (ms); default: wait forever. */
  timeoutMs?: number;
  /**
   * A shared Int32 set to 1 when the run is cancelled (Ctrl-C): from then
   * on statements fail at once with DATABASE_ERROR 'Interrupted' instead of
   * being sent; rollback, commit and close still go through.
   */
  cancelFlag?: SharedArrayBuffer;
  /**
   * Files to write along with the next statement (or begin, commit, rollback):
   * the worker writes them while the database runs it, and the answer says how
   * that went (`carried`). A render worker carries its nodes' compiled SQL so
   * (see compile/background-writer.ts) instead of waking a writer thread.
   */
  carry?: () => CarriedWrites | undefined;
  carried?: (ack: CarriedAck) => void;
}

/** The message of a statement refused or interrupted because the run was cancelled. */
export const CANCELLED_MESSAGE = 'Interrupted: the run was cancelled (Ctrl-C)';

/**
 * Runs an async Connection in a worker thread and calls it synchronously:
 * each request is posted on a MessagePort, then this thread blocks in
 * Atomics.wait on a shared flag until the worker has posted the answer, and
 * reads it with receiveMessageOnPort (structured clone keeps Dates, bigints,
 * arrays). Database errors cross as data and are re-thrown here as
 * TsdbtError('DATABASE_ERROR') with the database's own message.
 *
 * While a call blocks, this thread's event loop is stopped: anything the
 * database must talk to (e.g. a test HTTP server) must live elsewhere.
 */
export class SyncBridge implements SyncConnection {
  /** Open bridges by opener, so one database file gets one worker (DuckDB: one instance per file per process). */
  private static readonly open_ = new Map<string, { bridge: Promise<SyncBridge>; refs: number }>();
  private closed = false;
  private key = '';
  /** Its worker is the one bin/tsdbt.js started before the CLI loaded (early-connection-worker.ts). */
  startedEarly = false;
  private waited = 0;
  private readonly cancelled: Int32Array | null;

  private constructor(
    /** Null for a bridge attached to a session of another thread's worker (see attach). */
    private readonly worker: Worker | null,
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
    private readonly options: SyncBridgeOptions,
  ) {
    this.cancelled = options.cancelFlag ? new Int32Array(options.cancelFlag) : null;
  }

  /**
   * Start the worker and open the connection there; an open failure is a
   * TsdbtError('DATABASE_OPEN') with the driver's message. Opening with the
   * same opener again (while open) returns the same bridge; each open needs
   * its close.
   */
  static async open(opener: ConnectionOpener, options: SyncBridgeOptions = {}): Promise<SyncBridge> {
    const key = JSON.stringify(opener);
    const existing = SyncBridge.open_.get(key);
    if (existing) {
      existing.refs += 1;
      return existing.bridge;
    }
    const bridge = SyncBridge.start(opener, options);
    SyncBridge.open_.set(key, { bridge, refs: 1 });
    try {
      const b = await bridge;
      b.key = key;
      return b;
    } catch (e) {
      SyncBridge.open_.delete(key);
      throw e;
    }
  }

  private static async start(opener: ConnectionOpener, options: SyncBridgeOptions): Promise<SyncBridge> {
    const adopted = adoptEarlyWorker(opener);
    const { worker, port: port1, flag } = adopted ?? spawnWorker(opener);
    const bridge = new SyncBridge(worker, port1, flag, options);
    bridge.startedEarly = adopted !== undefined;
    const exited = new Promise<never>((_, reject) =>
      worker.once('error', (e) => reject(new TsdbtError('DATABASE_OPEN', `connection worker failed: ${e.message}`, { cause: e }))),
    );
    // Waiting for the open asynchronously keeps the event loop free for drivers that need it at startup.
    await Promise.race([waitAnswered(flag), exited]);
    // Ref'd while opening (a pending Atomics.waitAsync alone does not keep Node alive); after that the
    // worker must not keep the process alive once the bridge is forgotten.
    worker.unref();
    const first = receiveMessageOnPort(port1)?.message as BridgeResponse | undefined;
    if (!first || !first.ok) {
      await worker.terminate();
      throw new TsdbtError('DATABASE_OPEN', first ? first.error.message : 'connection worker ended without answering', {
        hint: 'Check the profile: the database path or account, and that no other process holds the database open.',
      });
    }
    return bridge;
  }

  /**
   * Attach to a session opened by openSession in another thread: the same
   * synchronous calls, on that session's own connection. Closing it closes
   * that connection only.
   */
  static attach(handle: BridgeSessionHandle, options: SyncBridgeOptions = {}): SyncBridge {
    return new SyncBridge(null, handle.port, new Int32Array(handle.flag), options);
  }

  /**
   * Open another session on this bridge's worker: a sibling connection (see
   * Connection.sibling) answering on its own port, concurrently with this
   * one. Hand the result to another thread (transfer its port) and attach
   * there. Open failures are TsdbtError('DATABASE_OPEN').
   */
  async openSession(): Promise<BridgeSessionHandle> {
    if (this.closed) throw new TsdbtError('INTERNAL', 'the database connection is closed');
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    Atomics.store(this.flag, 0, PENDING);
    this.port.postMessage({ op: 'session', port: port2, flag: shared } satisfies BridgeRequest, [port2]);
    // Waiting asynchronously: a login (Snowflake) may take a while, and the caller's event loop may be serving others.
    this.worker?.ref();
    try {
      await waitAnswered(this.flag);
    } finally {
      this.worker?.unref();
    }
    const outer = receiveMessageOnPort(this.port)?.message as BridgeResponse | undefined;
    // The sibling's own open outcome was posted on its port before the answer above.
    const inner = receiveMessageOnPort(port1)?.message as BridgeResponse | undefined;
    const failure = !outer ? 'connection worker ended without answering' : !outer.ok ? outer.error.message : !inner ? 'the new session did not answer' : !inner.ok ? inner.error.message : null;
    if (failure !== null) {
      port1.close();
      throw new TsdbtError('DATABASE_OPEN', `Could not open another database session: ${failure}`, {
        hint: 'Lower --threads (or the profile\'s threads), or check that the database accepts that many connections.',
      });
    }
    return { port: port1, flag: shared };
  }

  /**
   * Cancel the statements running on every session of this bridge's worker
   * (Ctrl-C): DuckDB interrupts them, Snowflake aborts them; each waiting
   * caller then gets its DATABASE_ERROR. Call from a thread not itself
   * waiting on a session.
   */
  cancelAllSync(): void {
    this.request({ op: 'cancelAll' });
  }

  get waitedMs(): number {
    return this.waited;
  }

  executeSync(sql: string, binds?: unknown[]): QueryResult {
    return this.request({ op: 'execute', sql, binds }, sql) as QueryResult;
  }

  beginSync(): void {
    this.request({ op: 'begin' });
  }

  commitSync(): void {
    this.request({ op: 'commit' });
  }

  rollbackSync(): void {
    this.request({ op: 'rollback' });
  }

  /** A round trip that does nothing: measures the bridge's own overhead. */
  pingSync(): void {
    this.request({ op: 'ping' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.worker) {
      try {
        this.request({ op: 'close' });
      } finally {
        this.closed = true;
        this.port.close();
      }
      return;
    }
    const entry = SyncBridge.open_.get(this.key);
    if (entry && --entry.refs > 0) return;
    SyncBridge.open_.delete(this.key);
    try {
      // Waited for without blocking this thread: closing may take a while (DuckDB writes its checkpoint),
      // and the caller may have other work meanwhile (a run writes its artifacts).
      await this.requestAsync({ op: 'close' });
    } finally {
      this.closed = true;
      this.port.close();
      // The worker is unref'd while idle; ref it so awaiting its exit keeps the process alive.
      this.worker.ref();
      await this.worker.terminate();
    }
  }

  /** A request answered without blocking this thread (the worker is kept ref'd meanwhile, so the process waits for it). */
  private async requestAsync(req: BridgeRequest): Promise<unknown> {
    if (this.closed) throw new TsdbtError('INTERNAL', 'the database connection is closed');
    // Nothing else may be sent on this session until the answer (its flag is this request's).
    this.closed = true;
    Atomics.store(this.flag, 0, PENDING);
    this.port.postMessage(req);
    this.worker?.ref();
    try {
      await waitAnswered(this.flag);
    } finally {
      this.worker?.unref();
    }
    const message = receiveMessageOnPort(this.port);
    if (!message) throw new TsdbtError('DATABASE_ERROR', 'connection worker ended without answering');
    const response = message.message as BridgeResponse;
    if (response.ok) return response.value;
    throw new TsdbtError('DATABASE_ERROR', response.error.message, { detail: { code: response.error.code } });
  }

  private request(req: BridgeRequest, sql?: string): unknown {
    if (this.closed) throw new TsdbtError('INTERNAL', 'the database connection is closed');
    if (this.cancelled && (req.op === 'execute' || req.op === 'begin') && Atomics.load(this.cancelled, 0) === 1) {
      throw new TsdbtError('DATABASE_ERROR', CANCELLED_MESSAGE, { detail: { sql } });
    }
    if (this.options.carry && CARRIES.has(req.op)) {
      const carry = this.options.carry();
      if (carry) req = { ...(req as Extract<BridgeRequest, { op: 'execute' }>), carry };
    }
    const started = performance.now();
    Atomics.store(this.flag, 0, PENDING);
    this.port.postMessage(req);
    let message: { message: unknown } | undefined;
    for (;;) {
      const waited = Atomics.wait(this.flag, 0, PENDING, this.options.timeoutMs ?? Infinity);
      message = receiveMessageOnPort(this.port);
      if (message) break;
      if (waited === 'timed-out') {
        throw new TsdbtError('DATABASE_ERROR', `the database did not answer within ${this.options.timeoutMs} ms`, { detail: { sql } });
      }
    }
    this.waited += performance.now() - started;
    const response = message.message as BridgeResponse;
    if (response.carried) this.options.carried?.(response.carried);
    if (response.ok) return response.value;
    throw new TsdbtError('DATABASE_ERROR', response.error.message, { detail: { sql, code: response.error.code } });
  }
}

/** The requests that may carry files (see SyncBridgeOptions.carry). */
const CARRIES: ReadonlySet<BridgeRequest['op']> = new Set(['execute', 'begin', 'commit', 'rollback', 'ping']);

/** Resolve once the worker has flipped the flag to ANSWERED, without blocking the event loop. */
type WaitAsync = (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<unknown> | string };

/** A connection worker for `opener`, started now. */
function spawnWorker(opener: ConnectionOpener): { worker: Worker; port: MessagePort; flag: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const shared = new SharedArrayBuffer(4);
  const boot = workerBoot();
  const worker = new Worker(BOOTSTRAP_SOURCE, {
    eval: true,
    workerData: { opener, port: port2, flag: shared, entry: boot.entry, hooks: boot.hooks },
    transferList: [port2],
  });
  return { worker, port: port1, flag: new Int32Array(shared) };
}

/** The early worker, sent `opener` (once: the first bridge takes it); undefined when none was offered or it stopped. */
function adoptEarlyWorker(opener: ConnectionOpener): { worker: Worker; port: MessagePort; flag: Int32Array } | undefined {
  const offer = takeEarlyConnectionWorker();
  if (!offer || offer.failed) return undefined;
  // Kept alive while it opens, as a worker started here is (start unrefs it once open).
  offer.worker.ref();
  offer.port.postMessage({ op: 'open', opener } satisfies BridgeRequest);
  return { worker: offer.worker, port: offer.port, flag: new Int32Array(offer.flag) };
}

async function waitAnswered(flag: Int32Array): Promise<void> {
  // Atomics.waitAsync is in Node 20 but typed only in lib es2024.
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  for (;;) {
    const r = waitAsync(flag, 0, PENDING);
    if (r.async) await r.value;
    if (Atomics.load(flag, 0) === ANSWERED) return;
  }
}
