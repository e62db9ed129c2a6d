import { describe, expect, it } from 'vitest';
import { selectOnGraph, selectWith } from '../../src/api/select-graph.js';
import { indexAnswers, indexGraph, indexManifest, selectionIndex } from '../../src/api/selection-index.js';
import { buildGraph, type DependencyGraph } from '../../src/graph/dependency-graph.js';
import type { SelectOptions } from '../../src/graph/select-nodes.js';
import { listFiles, statesSignature, statSignature, statSignatureOfFolders } from '../../src/util/file-states.js';
import { fuzzSelectors } from '../support/fuzz/selector-grammar.js';
import { ManifestBuilder } from './manifest-builder.js';
import { projectManifest } from './project-fixture.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

describe('stat signatures', () => {
  it('statSignature of files equals statesSignature of their states, in any order, repeats ignored; a changed time or size changes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-sig-'));
    const paths = ['b.sql', 'a.sql', 'c.sql'].map((p) => join(dir, p));
    paths.forEach((p, i) => writeFileSync(p, 'x'.repeat(i + 1)));
    const old = Date.now() / 1000 - 3600;
    paths.forEach((p, i) => utimesSync(p, old + i + 0.25, old + i + 0.125));
    const states = Object.fromEntries(paths.map((p) => [p, { size: statSync(p).size, mtimeMs: statSync(p).mtimeMs, hash: '' }]));
    const want = statesSignature(states, Date.now());
    expect(want).toBeDefined();
    expect(statSignature([...paths].sort())).toBe(want);
    expect(statSignature([...paths, paths[0]!])).toBe(want);
    expect(statSignature([...paths, join(dir, 'missing.sql')])).toBe(want);
    utimesSync(paths[1]!, old, old + 7);
    expect(statSignature(paths)).not.toBe(want);
    utimesSync(paths[1]!, old, old + 1 + 0.125);
    expect(statSignature(paths)).toBe(want);
    writeFileSync(paths[1]!, 'yyy');
    utimesSync(paths[1]!, old, old + 1 + 0.125);
    expect(statSignature(paths)).not.toBe(want);
    // A state modified too recently proves nothing.
    expect(statesSignature(states, states[paths[2]!]!.mtimeMs + 1000)).toBeUndefined();
  });

  it('statSignatureOfFolders equals statSignature of listFiles: links, hidden entries, a fifo, a file as folder, overlapping folders, two roots', () => {
    const a = mkdtempSync(join(tmpdir(), 'tsdbt-sig-a-'));
    const b = mkdtempSync(join(tmpdir(), 'tsdbt-sig-b-'));
    for (const d of ['models/sub/deeper', 'models/.hidden', 'macros', 'elsewhere']) mkdirSync(join(a, d), { recursive: true });
    const files = ['dbt_project.yml', 'models/m1.sql', 'models/sub/m2.sql', 'models/sub/deeper/m3.sql', 'models/.hidden/x.sql', 'models/.dot.sql', 'macros/m.sql', 'elsewhere/target.sql'];
    files.forEach((f, i) => writeFileSync(join(a, f), 'x'.repeat(i)));
    symlinkSync(join(a, 'elsewhere/target.sql'), join(a, 'models/link_file.sql'));
    symlinkSync(join(a, 'elsewhere'), join(a, 'models/link_dir'));
    symlinkSync(join(a, 'nothing_here.sql'), join(a, 'models/dangling.sql'));
    execFileSync('mkfifo', [join(a, 'models/a_fifo')]);
    symlinkSync(join(a, 'models/a_fifo'), join(a, 'macros/link_fifo'));
    mkdirSync(join(b, 'models'));
    writeFileSync(join(b, 'models/p.sql'), 'p');
    const cases = [
      [{ root: a, folders: ['dbt_project.yml', 'models', 'macros', 'seeds'] }, { root: b, folders: ['dbt_project.yml', 'models'] }],
      [{ root: a, folders: ['models', 'models/sub', 'macros'] }],
      [{ root: b, folders: ['models'] }, { root: a, folders: ['models'] }],
      [{ root: a, folders: ['models'] }, { root: a, folders: ['models/sub'] }],
    ];
    for (const folders of cases) {
      expect(statSignatureOfFolders(folders), JSON.stringify(folders)).toBe(statSignature(folders.flatMap((f) => listFiles(f.root, f.folders))));
    }
    const before = statSignatureOfFolders(cases[0]!);
    writeFileSync(join(a, 'elsewhere/target.sql'), 'changed through the link');
    expect(statSignatureOfFolders(cases[0]!)).not.toBe(before);
  });
});
