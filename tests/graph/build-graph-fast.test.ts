import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph, type DependencyGraph } from '../../src/graph/dependency-graph.js';
import type { Manifest } from '../../src/manifest/types.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { ManifestBuilder } from './manifest-builder.js';
import { projectManifest } from './project-fixture.js';

/** The graph as plain data: members (with which object each is), parents, children, order. */
function shape(g: DependencyGraph, manifest: Manifest) {
  const all: unknown[] = [...Object.values(manifest.nodes), ...Object.values(manifest.sources), ...Object.values(manifest.exposures)];
  return {
    members: g.nodeIds().map((id) => [id, all.indexOf(g.member(id))]),
    parents: g.nodeIds().map((id) => [...g.parents(id)]),
    children: g.nodeIds().map((id) => [...g.children(id)]),
    order: g.topologicalOrder(),
    ancestors: g.nodeIds().map((id) => [...g.ancestors(id)].sort()),
    // By position (graph-summary.ts): kept from fromDependsOn, made from the id maps after addMember and addEdge.
    positional: ((p) => ({ members: p.members.map((m) => all.indexOf(m)), parents: Array.from(p.parents, (ps) => ps ?? []) }))(g.positional()),
  };
}

function outcome(manifest: Manifest, fast: boolean): unknown {
  const was = setFastPaths(fast);
  try {
    return shape(buildGraph(manifest), manifest);
  } catch (e) {
    return { error: (e as Error).message, code: (e as { code?: string }).code, detail: (e as { detail?: unknown }).detail };
  } finally {
    setFastPaths(was);
  }
}

/** A seeded random manifest: repeated and missing parents, disabled members, an id in both nodes and sources, cycles now and then. */
function randomManifest(seed: number): Manifest {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor((s / 2147483648) * n);
  };
  const b = new ManifestBuilder();
  b.source('raw', 'a');
  b.source('raw', 'b');
  const m = b.build();
  const n = 5 + rand(40);
  const ids: string[] = [...Object.keys(m.sources)];
  for (let i = 0; i < n; i++) ids.push(`model.proj.m${i}`);
  for (let i = 0; i < n; i++) {
    const id = `model.proj.m${i}`;
    const deps: string[] = [];
    const k = rand(4);
    for (let j = 0; j < k; j++) {
      // Mostly earlier members (a DAG); a later one sometimes (a cycle may form), a missing one rarely.
      const r = rand(100);
      if (r < 1) deps.push('model.proj.nowhere');
      else if (r < 12) deps.push(ids[rand(ids.length)]!);
      else deps.push(ids[rand(Math.min(ids.length, 2 + i))]!);
    }
    if (rand(10) === 0 && deps.length > 0) deps.push(deps[0]!);
    m.nodes[id] = {
      unique_id: id,
      resource_type: rand(5) === 0 ? 'test' : 'model',
      name: `m${i}`,
      package_name: 'proj',
      original_file_path: `models/m${i}.sql`,
      path: `m${i}.sql`,
      config: { enabled: rand(60) !== 0 },
      depends_on: { nodes: deps, macros: [] },
      refs: [],
    } as never;
  }
  // A node and a source under one id: the node's vertex (first), with the source's place kept.
  if (rand(4) === 0) {
    const src = Object.keys(m.sources)[0]!;
    m.nodes[src] = { ...m.nodes['model.proj.m0']!, unique_id: src, depends_on: { nodes: [], macros: [] } } as never;
  }
  return m;
}

describe('buildGraph over positions (the fast path) equals the graph built edge by edge', () => {
  afterEach(() => setFastPaths(true));

  it('on the project fixture', () => {
    const m = projectManifest();
    const fast = outcome(m, true);
    expect(fast).toEqual(outcome(m, false));
    expect((fast as { order: string[] }).order.length).toBeGreaterThan(10);
  });

  it('stays equal after members and edges are added to it (its edge lists read lazily, then set), and as a graphlib Graph', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const m = randomManifest(seed);
      const grown = (fast: boolean) => {
        const was = setFastPaths(fast);
        try {
          const g = buildGraph(m);
          const ids = g.nodeIds();
          // Read a few lists first (the fast graph makes those), then change the graph around them and others.
          for (const id of ids.slice(0, 3)) g.children(id);
          g.addMember({ unique_id: 'model.extra.new_one', resource_type: 'model' } as never);
          for (const [i, id] of ids.entries()) if (i % 7 === 0) g.addEdge(id, 'model.extra.new_one');
          if (ids.length > 2) g.addEdge(ids[0]!, ids[ids.length - 1]!);
          const lib = g.graph;
          return { ...shape(g, m), members: g.nodeIds(), positional: undefined, graphlib: { nodes: lib.nodes(), edges: lib.edges().map((e) => `${e.v}->${e.w}`) } };
        } catch (e) {
          return { error: (e as Error).message };
        } finally {
          setFastPaths(was);
        }
      };
      expect(grown(true), `seed ${seed}`).toEqual(grown(false));
    }
  });

  it('on 400 random manifests: members, edges, order, and the same error for cycles and missing parents', () => {
    const kinds = { ok: 0, cycle: 0, missing: 0 };
    for (let seed = 1; seed <= 400; seed++) {
      const m = randomManifest(seed);
      const fast = outcome(m, true);
      expect(fast, `seed ${seed}`).toEqual(outcome(m, false));
      const code = (fast as { code?: string }).code;
      if (code === 'CYCLE') kinds.cycle++;
      else if (code === 'REF_NOT_FOUND') kinds.missing++;
      else kinds.ok++;
    }
    // The generator reaches every outcome.
    expect(kinds.ok).toBeGreaterThan(40);
    expect(kinds.cycle).toBeGreaterThan(40);
    expect(kinds.missing).toBeGreaterThan(40);
  });
});
