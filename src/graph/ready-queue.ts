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

type State = 'waiting' | 'ready' | 'running' | 'done' | 'failed' | 'skipped';

/**
 * Schedules a selected subset of the DAG: hands out nodes whose selected
 * upstream is done, best priority first, for any number of concurrent
 * workers. Dependencies through unselected nodes still count (`a -> x -> b`
 * with `x` unselected: `b` waits for `a`), as dbt's subset graph keeps them.
 *
 * Not thread-safe in the JS sense it need not be: all calls happen on the
 * event loop; workers are promises.
 */
export class ReadyQueue {
  private readonly ids: string[];
  private readonly state = new Map<string, State>();
  private readonly children = new Map<string, string[]>();
  private readonly waitingOn = new Map<string, number>();
  private readonly scores = new Map<string, number>();
  private readonly heap: string[] = [];
  /** Index of each node in a topological order of the subset graph (test edges included). */
  private readonly position = new Map<string, number>();
  private remaining: number;
  private running = 0;
  private listeners: (() => void)[] = [];

  constructor(
    private readonly graph: DependencyGraph,
    selected: Iterable<string>,
    options: ReadyQueueOptions = {},
  ) {
    const chosen = new Set<string>();
    for (const id of selected) if (graph.has(id)) chosen.add(id);
    // Full-graph topological order restricted to the selection is an order of the subset graph too.
    this.ids = graph.topologicalOrder().filter((id) => chosen.has(id));
    for (const id of this.ids) {
      this.children.set(id, []);
      this.waitingOn.set(id, 0);
      this.state.set(id, 'waiting');
    }
    this.linkSubset(chosen);
    if (options.testEdges) this.linkTestEdges(chosen);
    this.computeScores(options.priority ?? 'level');
    this.remaining = this.ids.length;
    for (const id of this.ids) if (this.waitingOn.get(id) === 0) this.push(id);
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
    return this.scores.get(id);
  }

  /** Take the best ready node and mark it running, or undefined when nothing is ready right now. */
  next(): string | undefined {
    const id = this.pop();
    if (id === undefined) return undefined;
    this.state.set(id, 'running');
    this.running += 1;
    return id;
  }

  /** Record success; returns the nodes that became ready because of it. */
  markDone(id: string): string[] {
    this.finish(id, 'done');
    const ready: string[] = [];
    for (const child of this.children.get(id)!) {
      const left = this.waitingOn.get(child)! - 1;
      this.waitingOn.set(child, left);
      if (left === 0 && this.state.get(child) === 'waiting') {
        this.push(child);
        ready.push(child);
      }
    }
    this.notify();
    return ready;
  }

  /** Record failure; skips and returns every selected node downstream of it (topological order). */
  markFailed(id: string): string[] {
    this.finish(id, 'failed');
    const skipped: string[] = [];
    const stack = [...this.children.get(id)!];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      if (this.state.get(c) !== 'waiting') continue;
      this.state.set(c, 'skipped');
      this.remaining -= 1;
      skipped.push(c);
      stack.push(...this.children.get(c)!);
    }
    this.notify();
    return skipped.sort((a, b) => this.position.get(a)! - this.position.get(b)!);
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
   */
  async run(concurrency: number, worker: (id: string) => Promise<boolean>): Promise<QueueRunSummary> {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TsdbtError('USAGE', `Invalid concurrency ${concurrency}: it must be a whole number of at least 1.`, {
        hint: 'Set threads to 1 or more.',
      });
    }
    const summary: QueueRunSummary = { started: [], done: [], failed: [], skipped: new Map(), errors: new Map() };
    const inFlight = new Set<Promise<void>>();
    const launch = (id: string): void => {
      summary.started.push(id);
      const p = (async () => {
        let ok = false;
        try {
          ok = await worker(id);
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
      void p.finally(() => inFlight.delete(p));
    };
    while (!this.isFinished()) {
      while (inFlight.size < concurrency) {
        const id = this.next();
        if (id === undefined) break;
        launch(id);
      }
      if (inFlight.size === 0) {
        throw new TsdbtError('INTERNAL', `Scheduler stalled with ${this.remaining} node(s) left and none ready.`);
      }
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return summary;
  }

  private finish(id: string, to: 'done' | 'failed'): void {
    if (this.state.get(id) !== 'running') {
      throw new TsdbtError('INTERNAL', `Cannot mark '${id}' ${to}: it is ${this.state.get(id) ?? 'not selected'}, not running.`);
    }
    this.state.set(id, to);
    this.running -= 1;
    this.remaining -= 1;
  }

  private notify(): void {
    const waiting = this.listeners;
    this.listeners = [];
    for (const resolve of waiting) resolve();
  }

  /** Edges of the selected subgraph, bridging unselected nodes. */
  private linkSubset(chosen: Set<string>): void {
    // For each unselected node: the nearest selected ancestors reaching it.
    const carry = new Map<string, Set<string>>();
    const upstream = (p: string): Iterable<string> => (chosen.has(p) ? [p] : carry.get(p) ?? []);
    for (const id of this.graph.topologicalOrder()) {
      const parents = this.graph.parents(id);
      if (chosen.has(id)) {
        const ups = new Set<string>();
        for (const p of parents) for (const u of upstream(p)) ups.add(u);
        for (const u of ups) this.addEdge(u, id);
      } else if (parents.length > 0) {
        let acc: Set<string> | undefined;
        for (const p of parents) {
          for (const u of upstream(p)) (acc ??= new Set()).add(u);
        }
        if (acc) carry.set(id, acc);
      }
    }
  }

  private linkTestEdges(chosen: Set<string>): void {
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
    for (const test of this.ids) {
      if (!isTest(test) || this.graph.member(test)!.resource_type !== 'test') continue;
      const tested = this.graph.parents(test);
      for (const p of tested) {
        for (const child of this.graph.children(p)) {
          if (!chosen.has(child) || isTest(child) || child === test) continue;
          // A relationships test only blocks children downstream of all it tests.
          if (tested.length > 1 && !tested.every((t) => t === p || ancestorsOf(child).has(t))) continue;
          this.addEdge(test, child);
        }
      }
    }
  }

  private readonly edgeSet = new Set<string>();
  private addEdge(from: string, to: string): void {
    const key = `${from}\u0000${to}`;
    if (this.edgeSet.has(key)) return;
    this.edgeSet.add(key);
    this.children.get(from)!.push(to);
    this.waitingOn.set(to, this.waitingOn.get(to)! + 1);
  }

  private computeScores(priority: QueuePriority): void {
    // Test edges may point "backwards" in the full order, so derive a subset order first.
    const order = this.subsetOrder();
    order.forEach((id, i) => this.position.set(id, i));
    if (priority === 'level') {
      const level = new Map<string, number>();
      for (const id of order) level.set(id, level.get(id) ?? 0);
      for (const id of order) {
        const l = level.get(id)!;
        for (const c of this.children.get(id)!) if ((level.get(c) ?? 0) < l + 1) level.set(c, l + 1);
      }
      for (const [id, l] of level) this.scores.set(id, l);
    } else {
      const chain = new Map<string, number>();
      for (let i = order.length - 1; i >= 0; i -= 1) {
        const id = order[i]!;
        let best = 0;
        for (const c of this.children.get(id)!) best = Math.max(best, chain.get(c)!);
        chain.set(id, best + 1);
      }
      for (const [id, n] of chain) this.scores.set(id, -n);
    }
  }

  private subsetOrder(): string[] {
    const indeg = new Map<string, number>(this.waitingOn);
    const out = this.ids.filter((id) => indeg.get(id) === 0);
    for (let i = 0; i < out.length; i += 1) {
      for (const c of this.children.get(out[i]!)!) {
        const d = indeg.get(c)! - 1;
        indeg.set(c, d);
        if (d === 0) out.push(c);
      }
    }
    return out;
  }

  // Binary min-heap on (score, id).
  private less(a: string, b: string): boolean {
    const sa = this.scores.get(a)!;
    const sb = this.scores.get(b)!;
    return sa !== sb ? sa < sb : a < b;
  }

  private push(id: string): void {
    this.state.set(id, 'ready');
    const h = this.heap;
    h.push(id);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): string | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
