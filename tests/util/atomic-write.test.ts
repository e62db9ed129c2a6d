import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appendFileWhole, commitTempFile, setWriteFaultForTests, writeFileAtomic } from '../../src/util/atomic-write.js';
import { installPackages } from '../../src/deps/installer.js';
import type { FetchedPackage } from '../../src/deps/package-fetcher.js';
import { useTinyFs } from '../support/tiny-fs.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tsdbt-atomic-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => setWriteFaultForTests(null));

function caught(f: () => unknown): TsdbtError {
  try {
    f();
  } catch (e) {
    return e as TsdbtError;
  }
  throw new Error('expected an error');
}

describe('writeFileAtomic', () => {
  it('writes the file (parent folders made) and leaves nothing else', () => {
    const dir = freshDir();
    writeFileAtomic(join(dir, 'a/b/run_results.json'), '{"x":1}', 'run results');
    expect(readFileSync(join(dir, 'a/b/run_results.json'), 'utf8')).toBe('{"x":1}');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['run_results.json']);
  });

  it('a full disk half way through: TARGET_WRITE naming the path and what, the old file intact, no temp file', () => {
    const dir = freshDir();
    const path = join(dir, 'manifest.json');
    writeFileSync(path, '{"old":true}');
    setWriteFaultForTests(path);
    const e = caught(() => writeFileAtomic(path, JSON.stringify({ nodes: 'x'.repeat(10_000) }), 'the manifest'));
    expect(e).toBeInstanceOf(TsdbtError);
    expect(e.code).toBe('TARGET_WRITE');
    expect(e.message).toBe(`Could not write the manifest to ${path}: ENOSPC: no space left on device, write`);
    expect(e.detail).toEqual({ path });
    expect(e.hint).toBe('The disk is full: free space there and run again. The previous file at that path is unchanged.');
    expect(readFileSync(path, 'utf8')).toBe('{"old":true}');
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('a folder that cannot be made is named too', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'target'), 'a file where the folder should be');
    const e = caught(() => writeFileAtomic(join(dir, 'target', 'catalog.json'), '{}', 'the catalog'));
    expect(e.code).toBe('TARGET_WRITE');
    expect(e.message).toMatch(new RegExp(`^Could not write the catalog to ${join(dir, 'target', 'catalog.json')}: (EEXIST|ENOTDIR)`));
    expect(e.hint).toMatch(/^Check that the folder exists and is writable/);
    expect(readdirSync(dir)).toEqual(['target']);
  });
});

describe('commitTempFile', () => {
  it('renames a finished file into place; on failure removes it and keeps the old one', () => {
    const dir = freshDir();
    const final = join(dir, 'commits.parquet');
    writeFileSync(final, 'old');
    writeFileSync(join(dir, '.commits.1.parquet'), 'new');
    commitTempFile(join(dir, '.commits.1.parquet'), final, 'the Parquet file');
    expect(readFileSync(final, 'utf8')).toBe('new');
    writeFileSync(join(dir, '.commits.2.parquet'), 'newer');
    setWriteFaultForTests('commits.parquet');
    const e = caught(() => commitTempFile(join(dir, '.commits.2.parquet'), final, 'the Parquet file'));
    expect(e.message).toBe(`Could not write the Parquet file to ${final}: ENOSPC: no space left on device, rename`);
    expect(readFileSync(final, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['commits.parquet']);
  });
});

describe('appendFileWhole', () => {
  it('appends; a failed append is cut back to the previous length (no half line)', () => {
    const dir = freshDir();
    const path = join(dir, 'dbt.log');
    appendFileWhole(path, 'line 1\n', 'the debug log');
    appendFileWhole(path, 'line 2\n', 'the debug log');
    setWriteFaultForTests('dbt.log');
    const e = caught(() => appendFileWhole(path, 'line 3 is long enough to be cut in half\n', 'the debug log'));
    expect(e.message).toBe(`Could not write the debug log to ${path}: ENOSPC: no space left on device, write`);
    expect(readFileSync(path, 'utf8')).toBe('line 1\nline 2\n');
  });
});

/** A real full disk: a 1 MB tmpfs (root can mount one here; elsewhere these tests say they cannot run). */
describe('on a real full file system', () => {
  const fs = useTinyFs('1m');
  const mountPoint = fs.path;
  const fill = () => fs.fill();
  const unfill = () => fs.unfill();

  it('writeFileAtomic: ENOSPC from the kernel, the old file kept, no temp file', (ctx) => {
    if (!fs.mounted) ctx.skip(); // needs root to mount a tmpfs
    const dir = join(mountPoint, 'w');
    mkdirSync(dir);
    writeFileAtomic(join(dir, 'run_results.json'), '{"v":1}', 'run results');
    fill();
    try {
      const e = caught(() => writeFileAtomic(join(dir, 'run_results.json'), JSON.stringify({ v: 2, pad: 'x'.repeat(64 * 1024) }), 'run results'));
      expect(e.message).toBe(`Could not write run results to ${join(dir, 'run_results.json')}: ENOSPC: no space left on device, write`);
      expect(readFileSync(join(dir, 'run_results.json'), 'utf8')).toBe('{"v":1}');
      expect(readdirSync(dir)).toEqual(['run_results.json']);
    } finally {
      unfill();
    }
  });

  it('deps: a package that does not fit is named, the staging folder is gone, the previous dbt_packages kept', (ctx) => {
    if (!fs.mounted) ctx.skip();
    const src = join(freshDir(), 'big_pkg');
    mkdirSync(join(src, 'macros'), { recursive: true });
    writeFileSync(join(src, 'dbt_project.yml'), 'name: big_pkg\n');
    writeFileSync(join(src, 'macros', 'big.sql'), 'x'.repeat(2 * 1024 * 1024));
    const project = join(mountPoint, 'proj');
    mkdirSync(join(project, 'dbt_packages', 'old_pkg'), { recursive: true });
    writeFileSync(join(project, 'dbt_packages', 'old_pkg', 'dbt_project.yml'), 'name: old_pkg\n');
    const pkg = { name: 'big_pkg', dir: src, link: false, dependencies: [], pinned: { kind: 'local', local: src } } as unknown as FetchedPackage;
    const e = caught(() => installPackages([pkg], join(project, 'dbt_packages')));
    expect(e.code).toBe('TARGET_WRITE');
    expect(e.message).toMatch(new RegExp(`^Could not write package 'big_pkg' to ${join(project, 'dbt_packages', 'big_pkg')}: ENOSPC: no space left on device`));
    expect(readdirSync(project)).toEqual(['dbt_packages']);
    expect(readdirSync(join(project, 'dbt_packages'))).toEqual(['old_pkg']);
  });

  it('a log append that does not fit leaves the log as it was', (ctx) => {
    if (!fs.mounted) ctx.skip();
    const path = join(mountPoint, 'dbt.log');
    appendFileWhole(path, 'first run\n', 'the debug log');
    fill();
    try {
      caught(() => appendFileWhole(path, 'y'.repeat(256 * 1024), 'the debug log'));
      expect(readFileSync(path, 'utf8')).toBe('first run\n');
    } finally {
      unfill();
    }
  });
});

describe('/dev/full', () => {
  it('is a device that fails every write with ENOSPC (what the CLI stream tests rely on)', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      expect(() => writeFileSync(fd, 'x')).toThrow(/ENOSPC/);
    } finally {
      closeSync(fd);
    }
  });
});
