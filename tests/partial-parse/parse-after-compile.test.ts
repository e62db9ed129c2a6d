import { afterEach, describe, expect, it } from 'vitest';
import { cacheCopies } from '../../src/api/cached-nodes-source.js';
import { mappedReadCounts } from '../../src/api/mapped-cache-body.js';
import { indexGraph, indexIsAcyclic, selectionIndex } from '../../src/api/selection-index.js';
import type { Manifest } from '../../src/manifest/types.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { bothWays, cli, fileProfile, generatedProject } from '../support/fast-and-plain.js';
import { makeProject } from '../support/project-fixture.js';

afterEach(() => setFastPaths(true));

/** dbt_project.yml of a project named `bench` on fileProfile's profile. */
const BENCH_PROJECT = 'name: bench\nversion: "1.0.0"\nconfig-version: 2\nprofile: bench\n';

describe('parse with nothing changed after a compile or run rewrote manifest.json', () => {
  it('copies the nodes from the parse cache, reads none of them, and writes what the plain path writes', async () => {
    const dir = generatedProject(12);
    for (const steps of [[['parse'], ['compile'], ['parse']], [['compile'], ['run', '--select', 'model_0'], ['parse']]]) {
      const before = cacheCopies();
      const { fast, plain } = await bothWays(dir, steps);
      expect(fast.codes).toEqual([0, 0, 0]);
      expect(fast.out).toContain('Found 12 models, 36 data tests');
      // A parse's manifest: no compiled members.
      const nodes = Object.values((JSON.parse(fast.manifest!) as Manifest).nodes);
      expect(nodes.length).toBe(48);
      expect(nodes.filter((n) => 'compiled_code' in n)).toEqual([]);
      expect(fast.lazily).toEqual({ bodies: 1, nodes: 0 });
      expect(cacheCopies() - before).toBeGreaterThanOrEqual(steps.length - 1);
      expect(fast.manifest).toBe(plain.manifest);
      expect(fast.out).toBe(plain.out);
    }
  }, 180_000);

  it('with on-run-end hooks: they follow the copied nodes, as the plain path writes them', async () => {
    const dir = makeProject({ 'dbt_project.yml': `${BENCH_PROJECT}on-run-end: ["select 1"]\n`, 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    fileProfile(dir);
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile'], ['parse']]);
    expect(fast.codes).toEqual([0, 0, 0]);
    expect(fast.lazily).toEqual({ bodies: 1, nodes: 0 });
    expect(fast.manifest).toContain('"operation.bench.bench-on-run-end-0"');
    expect(fast.manifest).toBe(plain.manifest);
  }, 120_000);

  it('a cycle the cache holds (the compile that wrote it failed) is still the parse error, as the plain path gives it', async () => {
    const dir = makeProject({ 'dbt_project.yml': BENCH_PROJECT, 'models/a.sql': "select * from {{ ref('b') }}", 'models/b.sql': "select * from {{ ref('a') }}" });
    fileProfile(dir);
    const { fast, plain } = await bothWays(dir, [['compile'], ['parse']]);
    expect(fast.codes).toEqual([2, 2]);
    expect(fast.out).toMatch(/cycle/i);
    expect(fast.out).toBe(plain.out);
    // The cache was written and found unchanged: read as used, the cycle found from the index, the error from the nodes.
    expect(fast.lazily.bodies).toBe(1);
  }, 120_000);

  it('a parse after a parse still only refreshes the files (no body read)', async () => {
    const dir = generatedProject(4);
    await cli(dir, ['compile']);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const before = mappedReadCounts();
    expect((await cli(dir, ['parse'])).code).toBe(0);
    expect(mappedReadCounts()).toEqual(before);
  }, 60_000);
});

describe('indexIsAcyclic', () => {
  /** A manifest of models m0..m(n-1), each depending on the listed others (positions), and one source. */
  const manifestOf = (deps: number[][]): Manifest => {
    const node = (i: number) => ({ unique_id: `model.p.m${i}`, resource_type: 'model', name: `m${i}`, package_name: 'p', original_file_path: `m${i}.sql`, fqn: ['p', `m${i}`], tags: [], config: {}, depends_on: { nodes: deps[i]!.map((d) => (d < 0 ? 'source.p.s.t' : `model.p.m${d}`)) } });
    const source = { unique_id: 'source.p.s.t', resource_type: 'source', name: 't', source_name: 's', package_name: 'p', original_file_path: 's.yml', fqn: ['p', 's', 't'], tags: [], config: {} };
    return { metadata: { project_name: 'p' }, nodes: Object.fromEntries(deps.map((_, i) => [`model.p.m${i}`, node(i)])), sources: { 'source.p.s.t': source }, exposures: {}, unit_tests: {}, semantic_models: {}, metrics: {}, saved_queries: {}, macros: {}, docs: {}, groups: {}, selectors: {}, disabled: {}, parent_map: {}, child_map: {} } as unknown as Manifest;
  };
  const graphAccepts = (index: ReturnType<typeof selectionIndex>) => {
    try {
      indexGraph(index);
      return true;
    } catch {
      return false;
    }
  };

  it('agrees with indexGraph on chains, diamonds, self-references, cycles and random graphs', () => {
    const cases: number[][][] = [
      [[], [0], [1]],
      [[-1], [0], [0], [1, 2]],
      [[0]],
      [[1], [0]],
      [[], [0, 2], [1]],
      [[], [0, 0]],
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 200; k++) {
      const n = 2 + Math.floor(random() * 12);
      // Mostly earlier parents (a DAG); sometimes a later one, which may close a cycle.
      cases.push(Array.from({ length: n }, (_, i) => Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.9 ? Math.floor(random() * Math.max(i, 1)) - (i === 0 ? 1 : 0) : Math.floor(random() * n)))));
    }
    const verdicts = cases.map((deps) => {
      const index = selectionIndex(manifestOf(deps));
      expect(indexIsAcyclic(index)).toBe(graphAccepts(index));
      return indexIsAcyclic(index);
    });
    expect(verdicts.slice(0, 6)).toEqual([true, true, false, false, false, true]);
    // Both kinds among the random ones.
    expect(new Set(verdicts.slice(6))).toEqual(new Set([true, false]));
  });
});
