import { describe, expect, it } from 'vitest';
import { buildGraph, ReadyQueue, selectNodes, type ReadyQueueOptions } from '../../src/graph/index.js';
import { ManifestBuilder } from './manifest-builder.js';
import { graph, manifest, shortName } from './project-fixture.js';

function selectIds(select: string[] | undefined, types: string[]): Set<string> {
  return selectNodes(manifest, graph, { select, defaultResourceTypes: types }).selected;
}

/** Drain with a single worker that succeeds, returning the hand-out order. */
function drain(q: ReadyQueue): string[] {
  const order: string[] = [];
  for (let id = q.next(); id !== undefined; id = q.next()) {
    order.push(shortName(id));
    q.markDone(id);
  }
  return order;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ReadyQueue', () => {
  it('hands out shallow levels first, ties by unique id (dbt 1.x)', () => {
    const q = new ReadyQueue(graph, selectIds(undefined, ['model']));
    expect(q.size).toBe(6);
    expect(drain(q)).toEqual(['helper', 'stg_commits', 'stg_users', 'int_activity', 'mart_users', 'mart_velocity']);
    expect(q.isFinished()).toBe(true);
  });

  it('can put the longest downstream chain first', () => {
    const q = new ReadyQueue(graph, selectIds(undefined, ['model']), { priority: 'critical-path' });
    expect(q.score('model.proj.stg_commits')).toBe(-3);
    expect(q.score('model.pkg2.helper')).toBe(-1);
    expect(drain(q)).toEqual(['stg_commits', 'stg_users', 'int_activity', 'helper', 'mart_users', 'mart_velocity']);
  });

  it('keeps dependencies that pass through unselected nodes', () => {
    const q = new ReadyQueue(graph, ['model.proj.stg_commits', 'model.proj.mart_velocity']);
    expect(q.next()).toBe('model.proj.stg_commits');
    expect(q.next()).toBeUndefined();
    expect(q.readyCount).toBe(0);
    expect(q.markDone('model.proj.stg_commits')).toEqual(['model.proj.mart_velocity']);
    expect(q.score('model.proj.mart_velocity')).toBe(1);
  });

  it('skips the selected descendants of a failed node and runs the rest', async () => {
    const q = new ReadyQueue(graph, selectIds(undefined, ['model', 'snapshot']));
    const summary = await q.run(2, async (id) => id !== 'model.proj.stg_users');
    expect(summary.failed.map(shortName)).toEqual(['stg_users']);
    expect([...summary.skipped].map(([s, cause]) => [shortName(s), shortName(cause)])).toEqual([
      ['int_activity', 'stg_users'],
      ['mart_users', 'stg_users'],
      ['snap_users', 'stg_users'],
      ['mart_velocity', 'stg_users'],
    ]);
    expect(summary.done.map(shortName).sort()).toEqual(['helper', 'stg_commits']);
    expect(q.isFinished()).toBe(true);
  });

  it('returns the skipped nodes from markFailed', () => {
    const q = new ReadyQueue(graph, selectIds(['stg_commits+'], ['model']));
    const first = q.next()!;
    expect(shortName(first)).toBe('stg_commits');
    expect(q.markFailed(first).map(shortName)).toEqual(['int_activity', 'mart_velocity']);
    expect(q.isFinished()).toBe(true);
  });

  it('counts a throwing worker as a failure and keeps the error', async () => {
    const q = new ReadyQueue(graph, selectIds(['+int_activity'], ['model']));
    const boom = new Error('boom');
    const summary = await q.run(1, async (id) => {
      if (id === 'model.proj.stg_commits') throw boom;
      return true;
    });
    expect(summary.errors.get('model.proj.stg_commits')).toBe(boom);
    expect(summary.skipped.get('model.proj.int_activity')).toBe('model.proj.stg_commits');
    expect(summary.done.map(shortName)).toEqual(['stg_users']);
  });

  it('runs up to N workers at once and never starts a node before its parents finish', async () => {
    const b = new ManifestBuilder().seed('root');
    for (let i = 0; i < 10; i += 1) b.model(`m${i}`, { refs: ['root'] });
    b.model('last', { refs: Array.from({ length: 10 }, (_, i) => `m${i}`) });
    const g = buildGraph(b.build());
    const q = new ReadyQueue(g, g.nodeIds());
    let running = 0;
    let peak = 0;
    const finished = new Set<string>();
    const summary = await q.run(3, async (id) => {
      for (const p of g.parents(id)) expect(finished.has(p)).toBe(true);
      running += 1;
      peak = Math.max(peak, running);
      await tick(2);
      running -= 1;
      finished.add(id);
      return true;
    });
    expect(peak).toBe(3);
    expect(summary.done).toHaveLength(12);
    expect(summary.started[0]).toBe('seed.proj.root');
    expect(summary.started[11]).toBe('model.proj.last');
  });

  it('lets an external pool wait for progress with changed()', async () => {
    const q = new ReadyQueue(graph, selectIds(['+int_activity'], ['model']));
    const a = q.next()!;
    const c = q.next()!;
    expect(q.next()).toBeUndefined();
    const waited = q.changed();
    q.markDone(a);
    await waited;
    expect(q.next()).toBeUndefined(); // int_activity still waits for the other parent
    q.markDone(c);
    expect(shortName(q.next()!)).toBe('int_activity');
  });

  it('with test edges, a failing test skips the models downstream of what it tests', () => {
    const opts: ReadyQueueOptions = { testEdges: true };
    const q = new ReadyQueue(graph, selectIds(['+mart_velocity'], ['model', 'test']), opts);
    const order: string[] = [];
    const skipped: string[] = [];
    for (let id = q.next(); id !== undefined; id = q.next()) {
      order.push(shortName(id));
      if (shortName(id) === 'not_null_stg_commits_id') skipped.push(...q.markFailed(id).map(shortName));
      else q.markDone(id);
    }
    expect(skipped).toEqual(['int_activity', 'relationships_activity_commits', 'mart_velocity', 'assert_velocity_positive']);
    // the source test blocks stg_commits too, so stg_commits sits one level down
    expect(order).toEqual([
      'stg_users',
      'source_not_null_raw_commits_id',
      'stg_commits',
      'unique_stg_users_id',
      'not_null_stg_commits_id',
      'relationships_commits_users',
    ]);
  });

  it('rejects scheduling an id that is not in the graph', () => {
    expect(() => new ReadyQueue(graph, ['model.proj.ghost'])).toThrowError(
      expect.objectContaining({ code: 'INTERNAL', message: "Cannot schedule 'model.proj.ghost': it is not in the dependency graph." }),
    );
  });

  it('rejects marking a node that is not running', () => {
    const q = new ReadyQueue(graph, ['model.proj.stg_commits']);
    expect(() => q.markDone('model.proj.stg_commits')).toThrowError(
      expect.objectContaining({ code: 'INTERNAL', message: "Cannot mark 'model.proj.stg_commits' done: it is ready, not running." }),
    );
  });

  describe('nodes queued ahead (threads 1 on a render worker)', () => {
    const short = (id: string) => id.split('.').pop()!;

    /** A random DAG: each node refs up to 3 earlier ones, with failures at `fails`. */
    function randomDag(seed: number, n: number) {
      let x = seed;
      const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const b = new ManifestBuilder();
      for (let i = 0; i < n; i += 1) {
        const refs = i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => `n${Math.floor(rand() * i)}`))];
        b.model(`n${i}`, { refs });
      }
      return buildGraph(b.build());
    }

    /** Run like a lone worker: one node at a time, in the order handed over; returns the order nodes ran in. */
    async function runOrder(g: ReturnType<typeof buildGraph>, fails: Set<string>, ahead: boolean) {
      const q = new ReadyQueue(g, g.nodeIds());
      const ran: string[] = [];
      let worker = Promise.resolve();
      let early = 0;
      const summary = await q.run(
        1,
        (id, isEarly) => {
          if (isEarly) early += 1;
          // The worker runs what it was given in order, each after the one before.
          const done = worker.then(async () => {
            ran.push(short(id));
            await tick(0);
          });
          worker = done;
          return done.then(() => !fails.has(short(id)));
        },
        ahead ? () => true : undefined,
      );
      return { ran, early, skipped: [...summary.skipped.keys()].map(short).sort() };
    }

    it('run in exactly the order of a plain run, failures and skips included', async () => {
      for (let seed = 1; seed <= 20; seed += 1) {
        const g = randomDag(seed, 40);
        const fails = new Set(seed % 3 === 0 ? ['n5', 'n17'] : []);
        const plain = await runOrder(g, fails, false);
        const ahead = await runOrder(g, fails, true);
        expect(ahead.ran).toEqual(plain.ran);
        expect(ahead.skipped).toEqual(plain.skipped);
        expect(plain.early).toBe(0);
        // Independent nodes do get queued ahead.
        if (seed === 1) expect(ahead.early).toBeGreaterThan(5);
      }
    });

    it('nextAfter declines when a child of the running node would go first', () => {
      const b = new ManifestBuilder().model('a').model('z');
      b.model('b', { refs: ['a'] });
      const g = buildGraph(b.build());
      const q = new ReadyQueue(g, g.nodeIds());
      expect(short(q.next()!)).toBe('a');
      // z (level 0) is ready and outranks b (level 1), a's child: z follows a either way.
      expect(short(q.nextAfter('model.proj.a')!)).toBe('z');
      const q2 = new ReadyQueue(g, g.nodeIds());
      q2.next();
      q2.next();
      // a's child b would be the only choice after a; nothing is queued ahead of it.
      expect(q2.nextAfter('model.proj.z')).toBeUndefined();
    });
  });
});

