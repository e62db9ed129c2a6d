import { Worker } from 'node:worker_threads';
import { BOOTSTRAP_SOURCE, siblingModule, workerBoot } from '../adapters/base/sync-bridge-bootstrap.js';
import type { BridgeSessionHandle } from '../adapters/base/sync-bridge-protocol.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import type { MicrobatchStep } from './microbatch-step.js';
import type { NodeResult } from './node-result.js';
import { errorFromWire, resultFromWire, type CacheEvent, type FromWorker, type LogLevelName, type RenderSetup, type ToWorker, type WireResult, type WorkerData } from './render-protocol.js';

/** Somewhere a node can run: the coordinator's own thread, or one render worker. */
export interface NodeLane {
  readonly threadId: string;
  /**
   * Run `node`, or one step of a microbatch model (see microbatch-orchestrator.ts).
   * With `onStart`, the node is queued behind the one running on this lane:
   * `onStart` is called as it starts, and it resolves undefined if it never
   * started (Ctrl-C came first).
   */
  run(node: CompiledNode, step?: MicrobatchStep): Promise<NodeResult>;
  run(node: CompiledNode, step: MicrobatchStep | undefined, onStart: () => void): Promise<NodeResult | undefined>;
}

/** The lanes of a run: a node (with the unit tests that go with it) takes one, runs, and gives it back. */
export interface NodeLanes {
  acquire(): Promise<NodeLane>;
  release(lane: NodeLane): void;
  /** The only lane, when it can take a node queued behind its running one (a lone render worker). */
  lone?(): NodeLane | undefined;
  /** The nodes no other node of the run reads (see RenderPool.setUnread). */
  setUnread?(ids: ReadonlySet<string>): void;
  /** The result of a data test that already ran in one query with another (see RenderPool.take), once. */
  take?(id: string): NodeResult | undefined;
  /** Whether take(id) has a result. */
  holds?(id: string): boolean;
}

/** One lane on the calling thread: nodes run one at a time, synchronously (threads 1 without cancellation). */
export class InProcessLanes implements NodeLanes {
  private readonly lane: NodeLane;
  private busy = false;
  private readonly waiting: ((l: NodeLane) => void)[] = [];

  constructor(runner: { run(node: CompiledNode, step?: MicrobatchStep): NodeResult }, threadId = 'Thread-1') {
    this.lane = { threadId, run: async (node, step) => runner.run(node, step) };
  }

  async acquire(): Promise<NodeLane> {
    if (!this.busy) {
      this.busy = true;
      return this.lane;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(this.lane);
    else this.busy = false;
  }
}

export interface RenderPoolOptions {
  /** How many render workers (`--threads`); thread ids are Thread-1..N. */
  threads: number;
  setup: RenderSetup;
  onLog?: (level: LogLevelName, text: string) => void;
}

class WorkerLane implements NodeLane {
  /** Other threads' cache changes this worker has not seen yet; sent with its next node. */
  pendingCache: CacheEvent[] = [];
  /** The version of the coordinator's shared `graph` entries this worker has (see RenderPool.shareGraph). */
  graphVersion = 0;
  /** Nodes sent to the worker and not answered yet, in the order it runs them. */
  private readonly queued: { id: string; resolve: (r: NodeResult | undefined) => void; reject: (e: unknown) => void; onStart?: () => void }[] = [];
  private exited: Error | null = null;
  closed: Promise<void> | null = null;
  /** Given its session: closing must let it close that first. */
  connected = false;
  /** Settles once the worker has loaded the project (or failed to). */
  ready: Promise<void> = Promise.resolve();
  private onClosed: (() => void) | null = null;

  constructor(
    readonly threadId: string,
    readonly worker: Worker,
    private readonly pool: RenderPool,
  ) {
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    const fail = (e: Error) => {
      this.exited = e;
      this.startNext = null;
      for (const q of this.queued.splice(0)) q.reject(e);
      this.settling?.reject(e);
      this.settling = null;
      this.onClosed?.();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`render worker ${threadId} exited (code ${code})`)));
  }

  run(node: CompiledNode, step?: MicrobatchStep): Promise<NodeResult>;
  run(node: CompiledNode, step: MicrobatchStep | undefined, onStart: () => void): Promise<NodeResult | undefined>;
  run(node: CompiledNode, step?: MicrobatchStep, onStart?: () => void): Promise<NodeResult | undefined> {
    if (this.exited) return Promise.reject(this.exited);
    // Queued behind a node of this worker's: that node's result says when it starts (`next`). With nothing of the
    // worker's ahead of it (the node the queue put it behind never came here: a data test whose result a batch
    // already had, a node with nothing to run), it starts now, here, as a node handed to an idle worker; Ctrl-C
    // before then skips it, as the worker would have declined it.
    const early = onStart !== undefined && this.queued.length > 0;
    if (onStart && !early) {
      if (this.pool.cancelled()) return Promise.resolve(undefined);
      onStart();
    }
    return new Promise((resolve, reject) => {
      this.queued.push({ id: node.unique_id, resolve, reject, ...(early ? { onStart } : {}) });
      // Cache changes of other threads travel with the next node; one queued behind gets what arrives meanwhile.
      const cache = this.pendingCache;
      this.pendingCache = [];
      const unread = !step && this.pool.unread(node.unique_id);
      // The coordinator's `graph` entries (an on-run-start hook's) go with the worker's first node after they changed.
      const shared = this.pool.sharedGraph;
      const graph = shared.version > this.graphVersion ? shared.entries : undefined;
      this.graphVersion = shared.version;
      this.worker.postMessage({ type: 'run', id: node.unique_id, cache, early, ...(unread ? { unread } : {}), ...(step ? { step } : {}), ...(graph ? { graph } : {}) } satisfies ToWorker);
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** Commit what the worker's last node left open (see ToWorker 'session'); rejects with the commit's failure. */
  settle(): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.settling = { resolve, reject };
      this.worker.postMessage({ type: 'settle' } satisfies ToWorker);
    });
  }

  private settling: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.closed ??= new Promise<void>((resolve) => {
      this.onClosed = resolve;
      this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    });
    return this.closed;
  }

  /**
   * The START of the node queued behind one that just ended (its result said `next`): called once that
   * result is recorded (after the promise callbacks it set off, so the console's OK line comes first),
   * and before anything else the worker sends.
   */
  private startNext: (() => void) | null = null;

  private flushStart(): void {
    const start = this.startNext;
    this.startNext = null;
    start?.();
  }

  /** After the current message: the queued node (if one was handed early) has started on the worker. */
  private nextStarted(): void {
    const start = this.queued[0]?.onStart;
    if (!start) return;
    this.startNext = start;
    setImmediate(() => this.flushStart());
  }

  private onMessage(m: FromWorker): void {
    this.flushStart();
    switch (m.type) {
      case 'result': {
        if (m.logs) for (const [level, text] of m.logs) this.pool.log(level, text);
        for (const w of m.batched ?? []) this.pool.keep(w);
        const cur = this.queued.shift();
        this.pool.shareCache(this, m.cache);
        const node = cur ? this.pool.node(cur.id) : undefined;
        if (cur && node) cur.resolve(resultFromWire(m.result, node));
        if (m.next) this.nextStarted();
        break;
      }
      case 'declined':
        this.queued.shift()?.resolve(undefined);
        break;
      case 'log':
        for (const [level, text] of m.lines) this.pool.log(level, text);
        break;
      case 'failed': {
        this.queued.shift()?.reject(errorFromWire(m.error));
        if (m.next) this.nextStarted();
        break;
      }
      case 'settled': {
        const s = this.settling;
        this.settling = null;
        if (m.error) s?.reject(errorFromWire(m.error));
        else s?.resolve();
        break;
      }
      case 'closed':
        this.onClosed?.();
        break;
      case 'ready':
        break;
    }
  }
}

/**
 * The coordinator's render workers: `threads` workers, each with its own
 * database session (a sibling connection in the one connection worker), its
 * own Jinja environment and runtime context. The coordinator hands each a
 * node at a time and gets a NodeResult back; relation-cache changes travel
 * with the results (see CacheSync).
 */
export class RenderPool implements NodeLanes {
  private readonly idle: WorkerLane[] = [];
  private readonly waiting: ((l: NodeLane) => void)[] = [];
  private readonly cancelFlag = new SharedArrayBuffer(4);

  private constructor(
    private readonly lanes: WorkerLane[],
    private readonly opts: RenderPoolOptions,
  ) {
    this.idle.push(...lanes);
  }

  /**
   * Start the workers (all at once). They load and parse the project at
   * once, in parallel with the caller; give them their database sessions
   * with connect(), then await ready() before handing out nodes.
   */
  static spawn(opts: RenderPoolOptions): RenderPool {
    const n = Math.max(1, opts.threads);
    const boot = workerBoot(siblingModule(import.meta.url, 'render-worker'));
    const pool = new RenderPool([], opts);
    for (let i = 0; i < n; i++) {
      const threadId = `Thread-${i + 1}`;
      const data: WorkerData = { setup: opts.setup, cancelFlag: pool.cancelFlag, threadId };
      const worker = new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { ...data, entry: boot.entry, hooks: boot.hooks } });
      pool.lanes.push(new WorkerLane(threadId, worker, pool));
    }
    pool.idle.push(...pool.lanes);
    for (const lane of pool.lanes) {
      lane.ready = new Promise<void>((resolve, reject) => {
        const onMessage = (m: FromWorker) => {
          if (m.type === 'ready') resolve();
          if (m.type === 'failed') reject(errorFromWire(m.error));
          if (m.type === 'ready' || m.type === 'failed') lane.worker.off('message', onMessage);
        };
        lane.worker.on('message', onMessage);
        lane.worker.once('error', (e) => reject(new TsdbtError('INTERNAL', `render worker ${lane.threadId} failed to start: ${e.message}`, { cause: e })));
      });
      // Observed here so a failure before ready() is awaited is not an unhandled rejection.
      lane.ready.catch(() => undefined);
    }
    return pool;
  }

  /**
   * Keep at most `n` workers (at least one): the others are stopped before
   * they get a session. For a pool started before the parse told how many
   * nodes there are to run.
   */
  async trim(n: number): Promise<void> {
    const extra = this.lanes.splice(Math.max(1, n));
    for (const lane of extra) this.idle.splice(this.idle.indexOf(lane), 1);
    await Promise.all(extra.map((lane) => lane.worker.terminate()));
  }

  /** Tell every worker the coordinator's parse is done (see ToWorker 'parsed'). */
  parsed(): void {
    for (const lane of this.lanes) lane.worker.postMessage({ type: 'parsed' } satisfies ToWorker);
  }

  /**
   * Open each worker's database session (one at a time: each is a request on
   * the caller's own session, see SyncBridge.openSession) and hand it over,
   * with the run's selected resources (`selected_resources` in templates).
   */
  async connect(openSession: () => Promise<BridgeSessionHandle>, selected: string[]): Promise<void> {
    const lone = this.lanes.length === 1;
    for (const lane of this.lanes) {
      const session = await openSession();
      lane.worker.postMessage({ type: 'session', session, selected, lone } satisfies ToWorker, [session.port]);
      lane.connected = true;
    }
  }

  /**
   * Once no node runs: each worker commits what its last node left to the
   * next statement, so the coordinator's own session (on-run-end hooks,
   * artifacts) sees every node's work. Rejects with the first such commit's failure.
   */
  async settle(): Promise<void> {
    // A worker that died took its session's open work with it; its nodes already have their errors.
    const outcome = await Promise.allSettled(this.lanes.filter((lane) => lane.connected && lane.alive).map((lane) => lane.settle()));
    const failed = outcome.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * The nodes no other node of the run reads (nothing selected downstream of
   * them, directly or through unselected views): a worker may leave their
   * COMMIT to its next statement (see ToWorker 'run'), as a lone worker does with every node.
   */
  setUnread(ids: ReadonlySet<string>): void {
    this.unreadIds = ids;
  }

  private unreadIds: ReadonlySet<string> = new Set();

  /**
   * The result of a data test a worker ran in one query with the test it was
   * given (its siblings on the same model, see TestBatcher), once: the
   * queue hands it out here instead of running it again on another thread.
   */
  take(id: string): NodeResult | undefined {
    const w = this.batched.get(id);
    const node = this.nodes[id];
    if (!w || !node) return undefined;
    this.batched.delete(id);
    return resultFromWire(w, node);
  }

  private readonly batched = new Map<string, WireResult>();

  holds(id: string): boolean {
    return this.batched.has(id);
  }

  /** @internal */
  keep(w: WireResult): void {
    this.batched.set(w.unique_id, w);
  }

  /** @internal */
  unread(id: string): boolean {
    return this.unreadIds.has(id);
  }

  /** Resolves once every worker has loaded the project; rejects with the first worker's setup error. */
  async ready(): Promise<void> {
    const outcome = await Promise.allSettled(this.lanes.map((lane) => lane.ready));
    const failed = outcome.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  get threads(): number {
    return this.lanes.length;
  }

  async acquire(): Promise<NodeLane> {
    const lane = this.idle.shift();
    if (lane) return lane;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  lone(): NodeLane | undefined {
    return this.lanes.length === 1 ? this.lanes[0] : undefined;
  }

  release(lane: NodeLane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane as WorkerLane);
  }

  /**
   * Ctrl-C: from now on every worker's statements fail at once instead of
   * being sent (running ones are interrupted by the connection worker's
   * cancelAll, which the caller sends on its own session).
   */
  cancel(): void {
    Atomics.store(new Int32Array(this.cancelFlag), 0, 1);
  }

  /** Whether cancel() was called. */
  cancelled(): boolean {
    return Atomics.load(new Int32Array(this.cancelFlag), 0) === 1;
  }

  /** Close every worker's session and stop the workers (once; later calls wait for the same). */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private closing: Promise<void> | null = null;

  private async closeAll(): Promise<void> {
    await Promise.all(
      this.lanes.map(async (lane) => {
        // A worker without a session has nothing to close: stop it at once, even mid-parse.
        if (!lane.connected) return void (await lane.worker.terminate());
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
        await Promise.race([lane.close(), timeout]);
        await lane.worker.terminate();
      }),
    );
  }

  /** The coordinator's nodes (once parsed): results come back attached to these objects. */
  setNodes(nodes: Record<string, CompiledNode>): void {
    this.nodes = nodes;
  }

  /**
   * Entries templates added to the coordinator's `graph` (an on-run-start
   * hook's `graph.setdefault('elementary', {...})`): dbt's flat graph is one
   * dict every thread shares, so each worker sets them on its own graph
   * before its next node.
   */
  shareGraph(entries: Record<string, unknown>): void {
    this.sharedGraph = { version: this.sharedGraph.version + 1, entries };
  }

  /** @internal */
  sharedGraph: { version: number; entries: Record<string, unknown> } = { version: 0, entries: {} };

  /** Relation-cache changes a worker made, for the coordinator's own cache (hooks run there after the nodes). */
  onCacheEvents(listener: (events: CacheEvent[]) => void): void {
    this.cacheListener = listener;
  }

  private nodes: Record<string, CompiledNode> = {};
  private cacheListener: ((events: CacheEvent[]) => void) | null = null;

  /** @internal A worker's cache changes: to the coordinator's cache and to every other worker's next node. */
  shareCache(from: WorkerLane, events: CacheEvent[]): void {
    if (events.length === 0) return;
    for (const lane of this.lanes) if (lane !== from) lane.pendingCache.push(...events);
    this.cacheListener?.(events);
  }

  /** @internal */
  node(id: string): CompiledNode | undefined {
    return this.nodes[id];
  }

  /** @internal */
  log(level: LogLevelName, text: string): void {
    this.opts.onLog?.(level, text);
  }
}
