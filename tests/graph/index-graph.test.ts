import { describe, expect, it } from 'vitest';
import { selectOnGraph, selectWith } from '../../src/api/select-graph.js';
import { indexAnswers, indexGraph, indexManifest, isSelectionIndex, selectionIndex } from '../../src/api/selection-index.js';
import { buildGraph, type DependencyGraph } from '../../src/graph/dependency-graph.js';
import type { SelectOptions } from '../../src/graph/select-nodes.js';
import { fuzzSelectors } from '../support/fuzz/selector-grammar.js';
import { ManifestBuilder } from './manifest-builder.js';
import { projectManifest } from './project-fixture.js';

/** The graph as plain data: members (id → the fields `ls` and the selector methods read), parents, children, order. */
function shape(g: DependencyGraph) {
  const fields = ['unique_id', 'resource_type', 'name', 'package_name', 'original_file_path', 'patch_path', 'fqn', 'tags', 'version', 'latest_version', 'source_name', 'access', 'test_metadata', 'config'] as const;
  return {
    members: g.nodeIds().map((id) => {
      const m = g.member(id) as unknown as Record<string, unknown>;
      return Object.fromEntries(fields.map((f) => [f, m[f]]));
    }),
    parents: g.nodeIds().map((id) => [...g.parents(id)]),
    children: g.nodeIds().map((id) => [...g.children(id)]),
    order: g.topologicalOrder(),
  };
}

const outcome = (f: () => { selected: Set<string>; warnings: string[] }) => {
  try {
    const { selected, warnings } = f();
    return { selected: [...selected].sort(), warnings };
  } catch (e) {
    return { error: (e as Error).message, thrown: e };
  }
};

describe('the selection graph built from the index rows (indexGraph)', () => {
  const manifest = projectManifest();
  const index = JSON.parse(JSON.stringify(selectionIndex(manifest)));

  it('equals buildGraph of the index as a manifest: members, edges, order', () => {
    expect(shape(indexGraph(index))).toEqual(shape(buildGraph(indexManifest(index))));
    expect(shape(indexGraph(index)).order).toEqual(buildGraph(manifest).topologicalOrder());
  });

  it('selects what the manifest path selects, for 1,500 generated selections the index answers', () => {
    const graph = indexGraph(index);
    let compared = 0;
    const types = ['model', 'snapshot', 'seed', 'test', 'source', 'exposure', 'metric', 'saved_query', 'semantic_model', 'unit_test'];
    fuzzSelectors((opts: SelectOptions) => {
      let answers = false;
      try {
        answers = indexAnswers(opts.select, opts.exclude);
      } catch {
        // a bad selector: both paths must reject it, compared below
      }
      if (!answers && opts.select === undefined) return;
      const flags = { select: opts.select, exclude: opts.exclude, indirectSelection: opts.indirectSelection };
      const want = outcome(() => selectWith(manifest, flags, opts.resourceTypes ?? types, () => undefined));
      const got = outcome(() => selectOnGraph(graph, undefined, flags, opts.resourceTypes ?? types, () => undefined));
      const plain = (o: typeof want) => ('error' in o ? { error: o.error } : o);
      if (answers || 'error' in want) {
        expect(plain(got), JSON.stringify(opts)).toEqual(plain(want));
        compared++;
      }
      if ('thrown' in want) throw want.thrown;
    }, 1500, 20261205, 2000);
    expect(compared).toBeGreaterThan(300);
  });

  it('a cycle is the same located error; a parent missing from the index and a unique id given twice are refused', () => {
    const cyclic = new ManifestBuilder('proj').model('b').model('a', { refs: ['b'] }).build();
    (cyclic.nodes['model.proj.b'] as { depends_on: { nodes: string[] } }).depends_on.nodes = ['model.proj.a'];
    const cyclicIndex = selectionIndex(cyclic);
    const want = (() => {
      try {
        buildGraph(indexManifest(cyclicIndex));
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(want).toMatch(/Cycle/);
    expect(() => indexGraph(cyclicIndex)).toThrow(want!);
    const broken = JSON.parse(JSON.stringify(index));
    const row = broken.members.find((r: unknown[]) => Array.isArray(r[9]) && (r[9] as unknown[]).length > 0);
    row[9] = ['model.proj.gone'];
    expect(() => indexGraph(broken)).toThrow();
    const twice = JSON.parse(JSON.stringify(index));
    twice.members.push(twice.members[0]);
    expect(() => indexGraph(twice)).toThrow();
  });
});

describe('the index keeps each distinct rest of a row once (selectionIndex rests)', () => {
  it('members with equal rests share one entry; unequal ones (a value, a type, absent against null) do not; read back, they are frozen', () => {
    const m = new ManifestBuilder('proj').model('a').model('b').model('c').model('d').model('e').build();
    const config = (id: string) => (m.nodes[`model.proj.${id}`] as unknown as { config: Record<string, unknown> }).config;
    config('c').materialized = 'table';
    config('d').group = null;
    delete config('e').group;
    config('e').materialized = 1;
    const index = selectionIndex(m);
    const restOf = (id: string) => index.members.find((r) => r[1] === `model.proj.${id}`)![10];
    expect(restOf('a')).toBe(restOf('b'));
    expect(new Set(['a', 'c', 'd', 'e'].map(restOf)).size).toBe(4);
    expect(index.rests[restOf('c') - 1]!.config).toEqual({ group: config('c').group, access: config('c').access, materialized: 'table' });
    expect(index.rests.length).toBe(4);
    // JSON drops undefined: a group absent and a group undefined are one rest.
    config('d').group = undefined;
    const again = selectionIndex(m);
    expect(again.rests.length).toBe(3);
    expect(again.members.find((r) => r[1] === 'model.proj.d')![10]).toBe(again.members.find((r) => r[1] === 'model.proj.a')![10]);
    const read = JSON.parse(JSON.stringify(index)) as unknown;
    expect(isSelectionIndex(read)).toBe(true);
    const rests = (read as typeof index).rests;
    expect(Object.isFrozen(rests[0]!.config)).toBe(true);
    expect(isSelectionIndex({ ...(read as object), rests: undefined })).toBe(false);
    expect(shape(indexGraph(read as typeof index))).toEqual(shape(buildGraph(indexManifest(read as typeof index))));
    expect(shape(indexGraph(read as typeof index)).members.map((x) => x.config)).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => index.rests[restOf(id) - 1]!.config));
  });
});
