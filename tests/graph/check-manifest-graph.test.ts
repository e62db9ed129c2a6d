import { afterEach, describe, expect, it } from 'vitest';
import { buildGraph, checkManifestGraph } from '../../src/graph/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import { fillParentChildMaps } from '../../src/project/parse.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { ManifestBuilder } from './manifest-builder.js';

/** What a call throws (its code and message), or 'ok'. */
function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    const err = e as { code?: string; message: string; file?: string; line?: number };
    return `${err.code} ${err.message} @${err.file}:${err.line}`;
  }
}

/** The manifest with parent_map/child_map filled as parse leaves them. */
function parsed(b: ManifestBuilder): Manifest {
  const m = b.build();
  fillParentChildMaps(m);
  return m;
}

/** A seeded random DAG of models over a source and a seed, with tests and an exposure; `back` extra edges may point forward (a cycle). */
function randomProject(seed: number, size: number, back: number): ManifestBuilder {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const b = new ManifestBuilder().source('raw', 'events').seed('users');
  for (let i = 0; i < size; i++) {
    const refs = i === 0 ? [] : [...new Set([rand(i), rand(i)])].map((p) => ({ name: `m${p}`, line: 1 + rand(9) }));
    b.model(`m${i}`, { refs: [...refs, ...(i % 7 === 0 ? ['users'] : [])], sources: i % 5 === 0 ? ['raw.events'] : [] });
    if (i % 3 === 0) b.test(`not_null_m${i}`, { on: [`m${i}`], generic: 'not_null' });
  }
  b.exposure('dash', [`m${size - 1}`]);
  for (let k = 0; k < back; k++) {
    const from = rand(size);
    const to = from + 1 + rand(Math.max(1, size - from - 1));
    if (to < size) b.addRef(`m${from}`, `m${to}`, 20 + k);
  }
  return b;
}

describe('checkManifestGraph', () => {
  afterEach(() => {
    setFastPaths(true);
  });

  it('accepts and rejects exactly what buildGraph does, with the same located error', () => {
    const cases: [string, () => ManifestBuilder][] = [
      ['acyclic', () => randomProject(1, 60, 0)],
      ['two-model cycle', () => new ManifestBuilder().model('stg_a').model('int_b', { refs: [{ name: 'stg_a', line: 4 }] }).addRef('stg_a', 'int_b', 2)],
      ['self ref', () => new ManifestBuilder().model('a').addRef('a', 'a')],
      ['unknown parent', () => new ManifestBuilder().model('a', { refs: ['ghost'] })],
      ['disabled parent', () => new ManifestBuilder().model('a', { config: { enabled: false } }).model('b', { refs: ['a'] })],
      ['repeated parent', () => new ManifestBuilder().model('a').model('b', { refs: ['a', 'a'] })],
    ];
    for (let seed = 2; seed < 16; seed++) cases.push([`random ${seed}`, () => randomProject(seed, 40, seed % 2 === 0 ? 0 : 4)]);
    let cycles = 0;
    for (const [name, make] of cases) {
      const expected = outcome(() => buildGraph(parsed(make())));
      if (expected.startsWith('CYCLE')) cycles += 1;
      expect(`${name}: ${outcome(() => checkManifestGraph(parsed(make())))}`).toBe(`${name}: ${expected}`);
      setFastPaths(false);
      expect(`${name}: ${outcome(() => checkManifestGraph(parsed(make())))}`).toBe(`${name}: ${expected}`);
      setFastPaths(true);
    }
    // The cases cover both answers.
    expect(cycles).toBeGreaterThan(3);
    expect(cases.filter(([, make]) => outcome(() => buildGraph(parsed(make()))) === 'ok').length).toBeGreaterThan(3);
  });

  it('names the cycle as buildGraph does', () => {
    const b = new ManifestBuilder().model('stg_a').model('int_b', { refs: [{ name: 'stg_a', line: 4 }] }).addRef('stg_a', 'int_b', 2);
    expect(() => checkManifestGraph(parsed(b))).toThrowError('Cycle: stg_a -> int_b -> stg_a (models/int_b.sql:4 refs stg_a; models/stg_a.sql:2 refs int_b)');
  });
});

describe('checkManifestGraph after the maps were made', () => {
  it('does not trust the mapping pass once a member, an edge or a map changed', () => {
    // Each edit makes stg_a and int_b refer to each other without the maps being made again.
    const edited: [string, (m: Manifest) => void][] = [
      ['edge added in place', (m) => m.nodes['model.proj.stg_a']!.depends_on.nodes.push('model.proj.int_b')],
      ['same edge count, maps replaced', (m) => {
        m.nodes['model.proj.stg_a']!.depends_on.nodes = ['model.proj.int_b'];
        m.nodes['model.proj.c']!.depends_on.nodes = [];
        m.parent_map = { ...m.parent_map };
      }],
      ['same edge count, collection replaced', (m) => {
        m.nodes = { ...m.nodes };
        m.nodes['model.proj.stg_a']!.depends_on.nodes = ['model.proj.int_b'];
        m.nodes['model.proj.c']!.depends_on.nodes = [];
      }],
    ];
    for (const [name, edit] of edited) {
      const m = parsed(new ManifestBuilder().model('stg_a').model('int_b', { refs: [{ name: 'stg_a', line: 4 }] }).model('c', { refs: ['int_b'] }));
      expect(outcome(() => checkManifestGraph(m))).toBe('ok');
      edit(m);
      const expected = outcome(() => buildGraph(m));
      expect(expected).toMatch(/^CYCLE/);
      expect(`${name}: ${outcome(() => checkManifestGraph(m))}`).toBe(`${name}: ${expected}`);
    }
  });
});
