import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { buildGraph } from '../../src/graph/index.js';
import { ManifestBuilder } from './manifest-builder.js';

function chain(): ManifestBuilder {
  return new ManifestBuilder()
    .source('raw', 'commits')
    .seed('users')
    .model('stg_commits', { sources: ['raw.commits'], path: 'staging/stg_commits.sql' })
    .model('stg_users', { refs: ['users'], path: 'staging/stg_users.sql' })
    .model('int_joined', { refs: ['stg_commits', 'stg_users'] })
    .model('mart', { refs: ['int_joined'] })
    .test('not_null_mart_id', { on: ['mart'], generic: 'not_null' })
    .test('relationships_commits_users', { on: ['stg_commits', 'stg_users'], generic: 'relationships' })
    .exposure('dash', ['mart']);
}

function ids(b: ManifestBuilder, names: string[]): Set<string> {
  return new Set(names.map((n) => b.id(n)));
}

describe('buildGraph', () => {
  it('links nodes, sources, tests and exposures by depends_on', () => {
    const b = chain();
    const g = buildGraph(b.build());
    expect(g.size).toBe(9);
    expect([...g.parents(b.id('int_joined'))]).toEqual([b.id('stg_commits'), b.id('stg_users')]);
    expect([...g.children(b.id('source:raw.commits'))]).toEqual([b.id('stg_commits')]);
    // a relationships test has both models as parents
    expect([...g.parents(b.id('relationships_commits_users'))]).toEqual([b.id('stg_commits'), b.id('stg_users')]);
    expect(new Set(g.children(b.id('mart')))).toEqual(new Set([b.id('not_null_mart_id'), 'exposure.proj.dash']));
  });

  it('answers ancestors and descendants, optionally bounded by depth', () => {
    const b = chain();
    const g = buildGraph(b.build());
    expect(g.ancestors(b.id('mart'))).toEqual(ids(b, ['int_joined', 'stg_commits', 'stg_users', 'users', 'source:raw.commits']));
    expect(g.ancestors(b.id('mart'), 1)).toEqual(ids(b, ['int_joined']));
    expect(g.ancestors(b.id('mart'), 2)).toEqual(ids(b, ['int_joined', 'stg_commits', 'stg_users']));
    expect(g.descendants(b.id('users'), 2)).toEqual(ids(b, ['stg_users', 'int_joined', 'relationships_commits_users']));
    expect(g.descendants(b.id('mart'))).toEqual(new Set([b.id('not_null_mart_id'), 'exposure.proj.dash']));
    expect(g.ancestors(b.id('users'))).toEqual(new Set());
  });

  it('orders every parent before its children', () => {
    const b = chain();
    const g = buildGraph(b.build());
    const order = g.topologicalOrder();
    expect(order).toHaveLength(9);
    const pos = new Map(order.map((id, i) => [id, i]));
    for (const id of order) for (const p of g.parents(id)) expect(pos.get(p)!).toBeLessThan(pos.get(id)!);
    // graphlib holds the same edges
    expect(g.graph.edgeCount()).toBe(9);
  });

  it('leaves disabled nodes out of the graph', () => {
    const b = new ManifestBuilder().model('a').model('b', { config: { enabled: false } });
    const g = buildGraph(b.build());
    expect(g.nodeIds()).toEqual(['model.proj.a']);
  });

  it('reports a two-model cycle with the ref location of each edge', () => {
    const b = new ManifestBuilder()
      .model('stg_a', { refs: [] })
      .model('int_b', { refs: [{ name: 'stg_a', line: 4 }] })
      .addRef('stg_a', 'int_b', 2);
    let err: unknown;
    try {
      buildGraph(b.build());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TsdbtError);
    const e = err as TsdbtError;
    expect(e.code).toBe('CYCLE');
    expect(e.message).toBe('Cycle: stg_a -> int_b -> stg_a (models/int_b.sql:4 refs stg_a; models/stg_a.sql:2 refs int_b)');
    expect(e.file).toBe('models/int_b.sql');
    expect(e.line).toBe(4);
  });

  it('reports the whole path of a longer cycle hanging off acyclic parts', () => {
    const b = new ManifestBuilder()
      .seed('s')
      .model('a', { refs: [{ name: 's', line: 1 }] })
      .model('b', { refs: [{ name: 'a', line: 3 }] })
      .model('c', { refs: [{ name: 'b', line: 5 }] })
      .model('d', { refs: [{ name: 'c', line: 7 }] })
      .addRef('b', 'd', 9);
    expect(() => buildGraph(b.build())).toThrowError(
      'Cycle: b -> c -> d -> b (models/c.sql:5 refs b; models/d.sql:7 refs c; models/b.sql:9 refs d)',
    );
  });

  it('names the file without a line when the ref location is unknown', () => {
    const b = new ManifestBuilder().model('a').addRef('a', 'a');
    expect(() => buildGraph(b.build())).toThrowError('Cycle: a -> a (models/a.sql refs a)');
  });

  it('rejects a dependency on a node that is not in the manifest', () => {
    const b = new ManifestBuilder().model('a', { refs: ['ghost'] });
    expect(() => buildGraph(b.build())).toThrowError(
      expect.objectContaining({
        code: 'REF_NOT_FOUND',
        file: 'models/a.sql',
        message: "model 'a' depends on 'ghost', which is not an enabled node in the manifest.",
      }),
    );
  });
});
