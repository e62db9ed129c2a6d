import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackgroundWriter } from '../../src/compile/background-writer.js';

describe('BackgroundWriter.settle', () => {
  it('forgets finished writes without blocking, and a failed one is still reported by its wait', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-writer-'));
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const writer = BackgroundWriter.shared()!;
    const bad = writer.write(join(dir, 'blocker', 'c.sql'), 'select 2');
    const ok = writer.write(join(dir, 'a', 'b.sql'), 'select 1');
    // The worker writes in order: once b.sql is there, the failed write is done too.
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(dir, 'a', 'b.sql')) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    writer.settle();
    expect(() => writer.wait(bad)).toThrow(/^Could not write compiled SQL to .*blocker\/c\.sql: (EEXIST|ENOTDIR): /);
    writer.wait(ok);
    expect(readFileSync(join(dir, 'a', 'b.sql'), 'utf8')).toBe('select 1');
  });
});

describe('BackgroundWriter, a file that already holds the text', () => {
  it('is left as it is (same inode, no temp file); a changed one is replaced with the new text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-writer-same-'));
    const [same, changed, longer] = ['same.sql', 'changed.sql', 'longer.sql'].map((f) => join(dir, f));
    writeFileSync(same, 'select 1');
    writeFileSync(changed, 'select 1');
    writeFileSync(longer, 'select 1');
    const inode = (f: string) => statSync(f).ino;
    const before = [inode(same), inode(changed), inode(longer)];
    const writer = BackgroundWriter.shared()!;
    const tickets = [writer.write(same, 'select 1'), writer.write(changed, 'select 2'), writer.write(longer, 'select 1 -- more')];
    writer.wait(tickets[2]!);
    expect([readFileSync(same, 'utf8'), readFileSync(changed, 'utf8'), readFileSync(longer, 'utf8')]).toEqual(['select 1', 'select 2', 'select 1 -- more']);
    expect(inode(same)).toBe(before[0]);
    // Replaced through a temp file renamed over the old one: a new inode.
    expect([inode(changed) === before[1], inode(longer) === before[2]]).toEqual([false, false]);
    expect(readdirSync(dir).sort()).toEqual(['changed.sql', 'longer.sql', 'same.sql']);
  });
});

describe('BackgroundWriter: files already as wanted', () => {
  it('leaves a file holding the same text as it is (same inode), replaces one that differs, and makes a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-writer-'));
    const same = join(dir, 'same.sql');
    const changed = join(dir, 'changed.sql');
    writeFileSync(same, 'select 1');
    writeFileSync(changed, 'select 1');
    const inodes = [statSync(same).ino, statSync(changed).ino];
    const writer = BackgroundWriter.shared()!;
    const tickets = writer.writeMany([
      { path: same, text: 'select 1' },
      { path: changed, text: 'select 1 ' },
      { path: join(dir, 'new.sql'), text: 'select 3' },
    ]);
    writer.wait(tickets[2]!);
    expect(statSync(same).ino).toBe(inodes[0]);
    expect(statSync(changed).ino).not.toBe(inodes[1]);
    expect([readFileSync(same, 'utf8'), readFileSync(changed, 'utf8'), readFileSync(join(dir, 'new.sql'), 'utf8')]).toEqual(['select 1', 'select 1 ', 'select 3']);
    expect(readdirSync(dir).sort()).toEqual(['changed.sql', 'new.sql', 'same.sql']);
  });

  it('in a folder it made: the second write of a path is compared with the first; a folder removed meanwhile is made again', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tsdbt-writer-')), 'made');
    const file = join(dir, 'a.sql');
    const writer = BackgroundWriter.shared()!;
    writer.wait(writer.write(file, 'select 1'));
    const ino = statSync(file).ino;
    writer.wait(writer.write(file, 'select 1'));
    expect(statSync(file).ino).toBe(ino);
    writer.wait(writer.write(file, 'select 2'));
    expect(readFileSync(file, 'utf8')).toBe('select 2');
    rmSync(dir, { recursive: true });
    writer.wait(writer.write(file, 'select 3'));
    expect(readFileSync(file, 'utf8')).toBe('select 3');
    expect(readdirSync(dir)).toEqual(['a.sql']);
  });
});
