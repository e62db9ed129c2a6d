import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFiles, withListingScope } from '../../src/util/files.js';
import { recordValues } from '../../src/util/record-values.js';

const root = mkdtempSync(join(tmpdir(), 'tsdbt-find-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findFiles', () => {
  it('gives each file its paths relative to the root and to the folder, however the folder is written', () => {
    const project = join(root, 'project');
    for (const f of ['models/a.sql', 'models/sub/deep/b.sql', 'models/.hidden/c.sql', 'models/notes.md', 'shared/s.sql']) {
      mkdirSync(join(project, f, '..'), { recursive: true });
      writeFileSync(join(project, f), 'select 1');
    }
    symlinkSync(join(project, 'models/a.sql'), join(project, 'models/linked.sql'));
    const folders = ['models', './models/', 'x/../models', '../project/shared', '.'];
    const found = findFiles(project, folders, ['.sql']);
    // What path.relative gives for each file (the way these paths were computed before).
    const expected = found.map((f) => ({ ...f, relativeToRoot: relative(project, f.absolute), relativeToFolder: relative(join(project, f.folder), f.absolute) }));
    expect(found).toEqual(expected);
    expect(found.filter((f) => f.folder === './models').map((f) => [f.relativeToRoot, f.relativeToFolder])).toEqual([
      ['models/a.sql', 'a.sql'],
      ['models/linked.sql', 'linked.sql'],
      ['models/sub/deep/b.sql', 'sub/deep/b.sql'],
    ]);
    expect(found.filter((f) => f.folder === '.').map((f) => f.relativeToRoot)).toEqual(['models/a.sql', 'models/linked.sql', 'models/sub/deep/b.sql', 'shared/s.sql']);
    expect(found.find((f) => f.folder === '../project/shared')!.relativeToRoot).toBe('shared/s.sql');
  });
});

describe('withListingScope', () => {
  const project = join(root, 'scoped');
  for (const f of ['models/a.sql', 'models/a.yml', 'models/sub/b.sql', 'models/sub/b.md', 'seeds/s.csv', 'seeds/s.yml', 'macros/m.sql']) {
    mkdirSync(join(project, f, '..'), { recursive: true });
    writeFileSync(join(project, f), 'x');
  }
  const looks: [string[], string[]][] = [
    [['models'], ['.sql']],
    [['models', 'seeds', 'macros'], ['.yml', '.yaml']],
    [['./models/', 'seeds'], ['.md']],
    [['seeds'], ['.csv']],
    [['.'], ['.sql', '.csv']],
    [['missing', 'models/sub'], ['.sql']],
  ];

  it('finds the same files in a scope as without one, each look as it was asked', () => {
    const outside = looks.map(([folders, exts]) => findFiles(project, folders, exts));
    const inside = withListingScope(() => looks.map(([folders, exts]) => findFiles(project, folders, exts)));
    expect(inside).toEqual(outside);
    expect(inside[1]!.map((f) => f.relativeToRoot)).toEqual(['models/a.yml', 'seeds/s.yml']);
  });

  it('lists a folder once while the scope is open (nested scopes too), and afresh after it closes, even when it threw', () => {
    const later = join(project, 'models/later.sql');
    const names = () => findFiles(project, ['models'], ['.sql']).map((f) => f.relativeToFolder);
    const seen = withListingScope(() => {
      const first = names();
      writeFileSync(later, 'x');
      return [first, names(), withListingScope(names)];
    });
    expect(seen).toEqual([['a.sql', 'sub/b.sql'], ['a.sql', 'sub/b.sql'], ['a.sql', 'sub/b.sql']]);
    expect(names()).toEqual(['a.sql', 'later.sql', 'sub/b.sql']);
    expect(() =>
      withListingScope(() => {
        names();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    rmSync(later);
    expect(names()).toEqual(['a.sql', 'sub/b.sql']);
  });
});

describe('recordValues', () => {
  it('lists what Object.values lists, in the same order, on a large record too', () => {
    const big: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) big[`model.p.m${(i * 7919) % 5000}`] = i;
    big['10'] = -1; // an integer key comes first, as Object.values puts it
    expect(recordValues(big)).toEqual(Object.values(big));
    expect(recordValues({})).toEqual([]);
  });
});
