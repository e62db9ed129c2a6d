import { TsdbtError } from '../errors/tsdbt-error.js';
import type { DependencyGraph } from './dependency-graph.js';

/**
 * How ready nodes are ordered.
 * - 'level' (dbt 1.x's GraphQueue): the node's depth in the selected subgraph,
 *   shallowest first, ties by unique id.
 * - 'critical-path': the longest chain of selected descendants first (dbt
 *   before 1.0 scored by descendant count), so long chains start early.
 */
export type QueuePriority = 'level' | 'critical-path';

export interface ReadyQueueOptions {
  priority?: QueuePriority;
  /**
   * For `build`: a selected test also blocks the selected non-test children
   * of what it tests (when all the test's parents are upstream of that
   * child), so a failing test skips downstream models, as dbt's build does.
   */
  testEdges?: boolean;
}

export interface QueueRunSummary {
  /** Ids in the order workers were started. */
  started: string[];
  done: string[];
  failed: string[];
  /** Skipped id → the failed id that caused it. */
  skipped: Map<string, string>;
  /** Errors thrown by the worker (those nodes count as failed). */
  errors: Map<string, unknown>;
}

// Node states, stored in a Uint8Array.
const WAITING = 0;
const READY = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;
const SKIPPED = 5;
const STATE_NAMES = ['waiting', 'ready', 'running', 'done', 'failed', 'skipped'];

/**
 * Schedules a selected subset of the DAG: hands out nodes whose selected
 * upstream is done, best priority first, for any number of concurrent
 * workers. Dependencies through unselected nodes still count (`a -> x -> b`
 * with `x` unselected: `b` waits for `a`), as dbt's subset graph keeps them.
 *
 * All calls happen on the event loop, so no locking is needed; workers are
 * promises (see `run`) or an external pool using `next`/`markDone`/`changed`.
 * Internally nodes are small integers so 8,000 nodes schedule in a few ms.
 */
export class ReadyQueue {
  /** Selected ids in a topological order of the full graph. */
  private readonly ids: string[];
  private readonly index = new Map<string, number>();
  private readonly children: number[][];
  private readonly waitingOn: Int32Array;
  private readonly scores: Float64Array;
  /** Lexicographic rank of each id: dbt breaks score ties by unique id. */
  private readonly rank: Int32Array;
  private readonly state: Uint8Array;
  /** Index in a topological order of the subset graph (test edges included). */
  private readonly position: Int32Array;
  private readonly heap: number[] = [];
  private remaining: number;
  private running = 0;
  private listeners: (() => void)[] = [];

  constructor(
    private readonly graph: DependencyGraph,
    selected: Iterable<string>,
    options: ReadyQueueOptions = {},
  ) {
    const chosen = new Set<string>();
    for (const id of selected) {
      if (!graph.has(id)) throw new TsdbtError('INTERNAL', `Cannot schedule '${id}': it is not in the dependency graph.`);
      chosen.add(id);
    }
    // Full-graph topological order restricted to the selection is an order of the subset graph too.
    const order = graph.topologicalOrder();
    this.ids = chosen.size === order.length ? order : order.filter((id) => chosen.has(id));
    const n = this.ids.length;
    this.ids.forEach((id, i) => this.index.set(id, i));
    this.children = Array.from({ length: n }, () => []);
    this.waitingOn = new Int32Array(n);
    this.scores = new Float64Array(n);
    this.state = new Uint8Array(n);
    this.position = new Int32Array(n);
    this.rank = new Int32Array(n);
    [...this.ids.keys()].sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : 1)).forEach((i, r) => (this.rank[i] = r));
    this.linkSubset(order);
    if (options.testEdges) this.linkTestEdges();
    this.computeScores(options.priority ?? 'level');
    this.remaining = n;
    for (let i = 0; i < n; i += 1) if (this.waitingOn[i] === 0) this.push(i);
  }

  /** Selected nodes not yet done, failed or skipped (including running ones). */
  get size(): number {
    return this.remaining;
  }

  /** Nodes handed out and not yet marked. */
  get inProgress(): number {
    return this.running;
  }

  /** Nodes ready to hand out now. */
  get readyCount(): number {
    return this.heap.length;
  }

  isFinished(): boolean {
    return this.remaining === 0;
  }

  /** The priority score of a selected node (lower goes first). */
  score(id: string): number | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.scores[i];
  }

  /** Take the best ready node and mark it running, or undefined when nothing is ready right now. */
  next(): string | undefined {
    const i = this.pop();
    if (i === undefined) return undefined;
    this.state[i] = RUNNING;
    this.running += 1;
    return this.ids[i];
  }

  /**
   * The node that next() will hand out once `running` (a running node) is
   * marked, taken now (marked running) so it can be queued behind `running`
   * on the same worker; undefined when no node is ready or when one of
   * `running`'s children, ready once it succeeds, would go first, or when
   * `accept` refuses it. If `running` fails its children are skipped, so
   * the answer is the same.
   */
  nextAfter(running: string, accept: (candidate: string) => boolean = () => true): string | undefined {
    const r = this.index.get(running);
    const best = this.heap[0];
    if (r === undefined || this.state[r] !== RUNNING || best === undefined || !accept(this.ids[best]!)) return undefined;
    for (const c of this.children[r]!) if (this.state[c] === WAITING && this.waitingOn[c] === 1 && this.less(c, best)) return undefined;
    return this.next();
  }

  /** Record success; returns the nodes that became ready because of it. */
  markDone(id: string): string[] {
    const i = this.finish(id, DONE);
    const ready: string[] = [];
    for (const c of this.children[i]!) {
      this.waitingOn[c] -= 1;
      if (this.waitingOn[c] === 0 && this.state[c] === WAITING) {
        this.push(c);
        ready.push(this.ids[c]!);
      }
    }
    this.notify();
    return ready;
  }

  /** Record failure; skips and returns every selected node downstream of it (topological order). */
  markFailed(id: string): string[] {
    const i = this.finish(id, FAILED);
    const skipped: number[] = [];
    const stack = [...this.children[i]!];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (this.state[c] !== WAITING) continue;
      this.state[c] = SKIPPED;
      this.remaining -= 1;
      skipped.push(c);
      stack.push(...this.children[c]!);
    }
    this.notify();
    return skipped.sort((a, b) => this.position[a]! - this.position[b]!).map((c) => this.ids[c]!);
  }

  /** Resolves when a node is marked (something may have become ready) or immediately if finished. */
  changed(): Promise<void> {
    if (this.isFinished()) return Promise.resolve();
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /**
   * Run every selected node with at most `concurrency` workers at once.
   * `worker` resolves true for success, false for failure; a throw counts
   * as failure and is kept in `errors`. Descendants of failures are skipped.
   *
   * `ahead` (with concurrency 1): while one node runs, the node that would
   * follow it anyway (see nextAfter) is launched too, with `early` true, when
   * `ahead(running, candidate)` allows; the worker queues it behind the running one, so
   * nodes run in exactly the order of a plain concurrency-1 run without the
   * round trip between them.
   *
   * `extra`: how many more may be in flight just now (workers that only wait
   * for another's outcome, which should not keep ready nodes from starting).
   */
  async run(concurrency: number, worker: (id: string, early: boolean) => Promise<boolean>, ahead?: (running: string, candidate: string) => boolean, extra?: () => number): Promise<QueueRunSummary> {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TsdbtError('USAGE', `Invalid concurrency ${concurrency}: it must be a whole number of at least 1.`, {
        hint: 'Set threads to 1 or more.',
      });
    }
    const summary: QueueRunSummary = { started: [], done: [], failed: [], skipped: new Map(), errors: new Map() };
    const inFlight = new Set<Promise<void>>();
    /** The node launched last and still running: what an early node would queue behind. */
    let last: string | undefined;
    const launch = (id: string, early: boolean): void => {
      summary.started.push(id);
      last = id;
      const p = (async () => {
        let ok = false;
        try {
          ok = await worker(id, early);
        } catch (e) {
          summary.errors.set(id, e);
        }
        if (ok) {
          this.markDone(id);
          summary.done.push(id);
        } else {
          summary.failed.push(id);
          for (const s of this.markFailed(id)) summary.skipped.set(s, id);
        }
      })();
      inFlight.add(p);
      void p.finally(() => {
        inFlight.delete(p);
        if (last === id) last = undefined;
      });
    };
    const lookahead = ahead !== undefined && concurrency === 1;
    while (!this.isFinished()) {
      while (inFlight.size < concurrency + (extra?.() ?? 0)) {
        const id = this.next();
        if (id === undefined) break;
        launch(id, false);
      }
      const running = last;
      if (lookahead && inFlight.size === 1 && running !== undefined) {
        const id = this.nextAfter(running, (candidate) => ahead(running, candidate));
        if (id !== undefined) launch(id, true);
      }
      if (inFlight.size === 0) {
        throw new TsdbtError('INTERNAL', `Scheduler stalled with ${this.remaining} node(s) left and none ready.`);
      }
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return summary;
  }

  private finish(id: string, to: typeof DONE | typeof FAILED): number {
    const i = this.index.get(id);
    if (i === undefined || this.state[i] !== RUNNING) {
      const now = i === undefined ? 'not selected' : STATE_NAMES[this.state[i]!];
      throw new TsdbtError('INTERNAL', `Cannot mark '${id}' ${STATE_NAMES[to]}: it is ${now}, not running.`);
    }
    this.state[i] = to;
    this.running -= 1;
    this.remaining -= 1;
    return i;
  }

  private notify(): void {
    const waiting = this.listeners;
    this.listeners = [];
    for (const resolve of waiting) resolve();
  }

  /** Edges of the selected subgraph, bridging unselected nodes. `order` is the full graph's topological order. */
  private linkSubset(order: readonly string[]): void {
    // For each unselected node: the nearest selected ancestors reaching it (as indices).
    const carry = new Map<string, number[]>();
    // stamp[j] === k marks j as already linked to node k (dedupes without a Set per node).
    const stamp = new Int32Array(this.ids.length).fill(-1);
    let token = 0;
    for (const id of order) {
      const parents = this.graph.parents(id);
      if (parents.length === 0) continue;
      const self = this.index.get(id);
      token += 1;
      const acc: number[] = [];
      for (const p of parents) {
        const pi = this.index.get(p);
        const ups = pi !== undefined ? [pi] : carry.get(p);
        if (ups === undefined) continue;
        for (const u of ups) {
          if (stamp[u] === token) continue;
          stamp[u] = token;
          acc.push(u);
        }
      }
      if (self !== undefined) for (const u of acc) this.addEdge(u, self);
      else if (acc.length > 0) carry.set(id, acc);
    }
  }

  private linkTestEdges(): void {
    const isTest = (id: string): boolean => {
      const t = this.graph.member(id)?.resource_type;
      return t === 'test' || t === 'unit_test';
    };
    const ancestorCache = new Map<string, Set<string>>();
    const ancestorsOf = (id: string): Set<string> => {
      let a = ancestorCache.get(id);
      if (a === undefined) ancestorCache.set(id, (a = this.graph.ancestors(id)));
      return a;
    };
    this.ids.forEach((test, ti) => {
      if (this.graph.member(test)!.resource_type !== 'test') return;
      const tested = this.graph.parents(test);
      for (const p of tested) {
        for (const child of this.graph.children(p)) {
          const ci = this.index.get(child);
          if (ci === undefined || isTest(child)) continue;
          // A relationships test only blocks children downstream of everything it tests.
          if (tested.length > 1 && !tested.every((t) => t === p || ancestorsOf(child).has(t))) continue;
          if (!this.children[ti]!.includes(ci)) this.addEdge(ti, ci);
        }
      }
    });
  }

  private addEdge(from: number, to: number): void {
    this.children[from]!.push(to);
    this.waitingOn[to] += 1;
  }

  private computeScores(priority: QueuePriority): void {
    // Test edges may point "backwards" in the full order, so derive a subset order first.
    const order = this.subsetOrder();
    order.forEach((i, pos) => (this.position[i] = pos));
    if (priority === 'level') {
      for (const i of order) {
        const next = this.scores[i]! + 1;
        for (const c of this.children[i]!) if (this.scores[c]! < next) this.scores[c] = next;
      }
    } else {
      for (let k = order.length - 1; k >= 0; k -= 1) {
        const i = order[k]!;
        let best = 0;
        for (const c of this.children[i]!) best = Math.max(best, -this.scores[c]!);
        this.scores[i] = -(best + 1);
      }
    }
  }

  private subsetOrder(): number[] {
    const indeg = Int32Array.from(this.waitingOn);
    const out: number[] = [];
    for (let i = 0; i < indeg.length; i += 1) if (indeg[i] === 0) out.push(i);
    for (let k = 0; k < out.length; k += 1) {
      for (const c of this.children[out[k]!]!) {
        indeg[c] -= 1;
        if (indeg[c] === 0) out.push(c);
      }
    }
    return out;
  }

  // Binary min-heap on (score, unique id).
  private less(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa !== sb ? sa < sb : this.rank[a]! < this.rank[b]!;
  }

  private push(i: number): void {
    this.state[i] = READY;
    const h = this.heap;
    h.push(i);
    let k = h.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.less(h[k]!, h[parent]!)) break;
      [h[k], h[parent]] = [h[parent]!, h[k]!];
      k = parent;
    }
  }

  private pop(): number | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m]!, h[k]!];
        k = m;
      }
    }
    return top;
  }
}
