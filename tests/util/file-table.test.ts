import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awkwardTree } from '../support/awkward-tree.js';
import { coldFileTable, coldFileTableDeferring, diffFileStates, hashText, isFileTable, statFolders, tableStates, withReadStates, type FileTable, type ReadState } from '../../src/util/file-states.js';
import { readText, readTextWithState } from '../../src/util/read-text.js';

/** A project with links, hidden entries, a fifo (and a link to it), a folder naming a file, overlapping folders and two roots. */
function layout(): { a: string; b: string; folders: { root: string; folders: string[] }[] } {
  const { a, b, files } = awkwardTree('tsdbt-table', (i) => i + 1);
  // Old enough for their sizes and times to prove them unchanged.
  const old = Date.now() / 1000 - 3600;
  for (const f of [...files.map((f) => join(a, f)), join(b, 'models/p.sql')]) utimesSync(f, old, old);
  const folders = [
    { root: a, folders: ['dbt_project.yml', 'models', 'models/sub', 'macros', 'seeds'] },
    { root: b, folders: ['dbt_project.yml', 'models'] },
    { root: a, folders: ['macros'] },
  ];
  return { a, b, folders };
}

const rowsOf = (t: FileTable) => ({ paths: t.paths, size: t.size, mtimeMs: t.mtimeMs });

describe('file tables (the parse cache header\'s input file states)', () => {
  it('statFolders makes the rows coldFileTable reads: regular files through links, in listing order, no repeats', () => {
    const { a, b, folders } = layout();
    const cold = coldFileTable(folders);
    expect(statFolders(folders)).toEqual(rowsOf(cold));
    expect(cold.paths).toEqual([
      join(a, 'dbt_project.yml'),
      join(a, 'macros/m.sql'),
      join(a, 'models/link_file.sql'),
      join(a, 'models/m1.sql'),
      join(a, 'models/sub/deeper/m3.sql'),
      join(a, 'models/sub/m2.sql'),
      join(b, 'models/p.sql'),
    ]);
    expect(cold.hash[3]).toBe(hashText('xx'));
    expect(isFileTable(cold)).toBe(true);
    expect(isFileTable({ ...cold, hash: cold.hash.slice(1) })).toBe(false);
  });

  it('tableStates keeps a known hash only while size and time match and are not racy; reads the rest; drops the gone', () => {
    const { a, folders } = layout();
    const cold = coldFileTable(folders);
    const later = Date.now();
    // A known hash no read could give: kept means not read.
    const known: FileTable = { ...cold, hash: cold.paths.map((p) => `known:${p}`) };
    const same = tableStates(statFolders(folders), known, later);
    expect(same.hash).toEqual(known.hash);
    // Taken too soon after the files' times (racily clean): every file is read again.
    expect(tableStates(statFolders(folders), known, cold.mtimeMs[0]! + 1000).hash).toEqual(cold.hash);

    const m1 = join(a, 'models/m1.sql');
    const t = statSync(m1).mtimeMs / 1000;
    writeFileSync(m1, 'yy'); // same size, read again for its time
    utimesSync(m1, t, t + 5);
    writeFileSync(join(a, 'models/new.sql'), 'new');
    rmSync(join(a, 'models/sub/m2.sql'));
    const now = tableStates(statFolders(folders), known, later);
    const row = (p: string) => now.paths.indexOf(p);
    expect(now.hash[row(m1)]).toBe(hashText('yy'));
    expect(now.hash[row(join(a, 'models/new.sql'))]).toBe(hashText('new'));
    expect(row(join(a, 'models/sub/m2.sql'))).toBe(-1);
    expect(now.hash[row(join(a, 'macros/m.sql'))]).toBe(`known:${join(a, 'macros/m.sql')}`);
    expect(diffFileStates(known, now)).toEqual({ added: [join(a, 'models/new.sql')], deleted: [join(a, 'models/sub/m2.sql')], changed: [m1] });
  });

  it('coldFileTableDeferring leaves the deferred rows for withReadStates, which fills them from reads as coldFileTable reads them', () => {
    const { a, b, folders } = layout();
    const cold = coldFileTable(folders);
    const m1 = join(a, 'models/m1.sql');
    const link = join(a, 'models/link_file.sql');
    const p = join(b, 'models/p.sql');
    // (A path no folder lists is no row.)
    const { table, pending } = coldFileTableDeferring(folders, new Set([m1, link, p, join(a, 'elsewhere.sql')]));
    expect(table.paths).toEqual(cold.paths);
    expect(pending.map((i) => table.paths[i])).toEqual([link, m1, p]);
    expect(pending.map((i) => [table.size[i], table.mtimeMs[i], table.hash[i]])).toEqual([[-1, -1, ''], [-1, -1, ''], [-1, -1, '']]);
    // Every other row as coldFileTable's.
    for (let i = 0; i < cold.paths.length; i++) if (!pending.includes(i)) expect([table.size[i], table.mtimeMs[i], table.hash[i]]).toEqual([cold.size[i], cold.mtimeMs[i], cold.hash[i]]);
    const states = new Map<string, ReadState>();
    for (const path of [m1, link, p]) {
      const read = readTextWithState(path);
      expect(read.text).toBe(readText(path));
      states.set(path, read.state!);
    }
    expect(withReadStates(table, pending, states)).toEqual(cold);

    // A deferred file the parse did not read keeps its placeholder: the next check reads it and counts it as changed
    // (or deleted, when it is gone), whatever its size and time.
    states.delete(m1);
    states.delete(p);
    rmSync(p);
    const filled = withReadStates(table, pending, states);
    const at = filled.paths.indexOf(m1);
    expect([filled.size[at], filled.mtimeMs[at], filled.hash[at]]).toEqual([-1, -1, '']);
    expect(filled.paths).toEqual(cold.paths);
    expect(diffFileStates(filled, tableStates(statFolders(folders), filled, Date.now()))).toEqual({ added: [], deleted: [p], changed: [m1] });
  });

  it('readTextWithState: readText\'s text, and the stat and hash of the bytes read (a file larger than its buffer too)', () => {
    const { a } = layout();
    const big = join(a, 'models/big.sql');
    writeFileSync(big, `select '${'é'.repeat(70_000)}'`);
    for (const path of [join(a, 'models/m1.sql'), big]) {
      const { text, state } = readTextWithState(path);
      expect(text).toBe(readText(path));
      const st = statSync(path);
      expect(state).toEqual({ size: st.size, mtimeMs: st.mtimeMs, hash: hashText(readFileSync(path)) });
    }
  });

  it('diffFileStates lists by hash: a touched file with the same bytes is no change', () => {
    const { a, folders } = layout();
    const before = coldFileTable(folders);
    const m1 = join(a, 'models/m1.sql');
    utimesSync(m1, Date.now() / 1000 - 60, Date.now() / 1000 - 60);
    const after = tableStates(statFolders(folders), before, Date.now());
    expect(after.mtimeMs).not.toEqual(before.mtimeMs);
    expect(diffFileStates(before, after)).toEqual({ added: [], deleted: [], changed: [] });
  });
});
