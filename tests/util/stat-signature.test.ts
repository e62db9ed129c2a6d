import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awkwardTree } from '../support/awkward-tree.js';
import { coldFileTable, rowsSignature, statesSignature, statFolders } from '../../src/util/file-states.js';
import { statSignatureInWorker } from '../../src/api/quick-start-stats.js';

describe('stat signatures', () => {
  it('the signature of stat rows equals statesSignature of their states, in any order, repeats ignored; a changed time or size changes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-sig-'));
    const paths = ['b.sql', 'a.sql', 'c.sql'].map((p) => join(dir, p));
    paths.forEach((p, i) => writeFileSync(p, 'x'.repeat(i + 1)));
    const old = Date.now() / 1000 - 3600;
    paths.forEach((p, i) => utimesSync(p, old + i + 0.25, old + i + 0.125));
    const states = { paths, size: paths.map((p) => statSync(p).size), mtimeMs: paths.map((p) => statSync(p).mtimeMs), hash: paths.map(() => '') };
    const want = statesSignature(states, Date.now());
    expect(want).toBeDefined();
    const now = () => rowsSignature(statFolders([{ root: dir, folders: ['.'] }]));
    expect(now()).toBe(want);
    const twice = [...paths, paths[0]!].reverse();
    expect(rowsSignature({ paths: twice, size: twice.map((p) => statSync(p).size), mtimeMs: twice.map((p) => statSync(p).mtimeMs) })).toBe(want);
    utimesSync(paths[1]!, old, old + 7);
    expect(now()).not.toBe(want);
    utimesSync(paths[1]!, old, old + 1 + 0.125);
    expect(now()).toBe(want);
    writeFileSync(paths[1]!, 'yyy');
    utimesSync(paths[1]!, old, old + 1 + 0.125);
    expect(now()).not.toBe(want);
    // A state modified too recently proves nothing.
    expect(statesSignature(states, states.mtimeMs[2]! + 1000)).toBeUndefined();
  });

  it('of statFolders equals that of the cold read: links, hidden entries, a fifo, a file as folder, overlapping folders, two roots; on a worker too', async () => {
    const { a, b } = awkwardTree('tsdbt-sig', (i) => i);
    const cases = [
      [{ root: a, folders: ['dbt_project.yml', 'models', 'macros', 'seeds'] }, { root: b, folders: ['dbt_project.yml', 'models'] }],
      [{ root: a, folders: ['models', 'models/sub', 'macros'] }],
      [{ root: b, folders: ['models'] }, { root: a, folders: ['models'] }],
      [{ root: a, folders: ['models'] }, { root: a, folders: ['models/sub'] }],
    ];
    for (const folders of cases) expect(rowsSignature(statFolders(folders)), JSON.stringify(folders)).toBe(rowsSignature(coldFileTable(folders)));
    // Here (tests run the sources) the worker file is absent, so this is the same computed on this thread.
    const before = rowsSignature(statFolders(cases[0]!));
    expect(await statSignatureInWorker(cases[0]!)).toBe(before);
    writeFileSync(join(a, 'elsewhere/target.sql'), 'changed through the link');
    expect(rowsSignature(statFolders(cases[0]!))).not.toBe(before);
  });
});
