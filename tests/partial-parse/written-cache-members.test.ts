import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writtenCacheMembers, type WrittenCache } from '../../src/api/parse-cache.js';

/**
 * writtenCacheMembers hands manifest.json's writer the cache just written, or
 * undefined when the file on disk is not that cache: then the members are
 * serialised again. A file that opens but cannot be read (here a folder)
 * is such a case, and leaves no descriptor open.
 */
const openFds = () => readdirSync('/proc/self/fd').length;

function written(path: string): WrittenCache {
  return { id: 'abc', path, spans: { 'parse/manifest': { keys: ['nodes'], at: [0, 2] } } as unknown as WrittenCache['spans'], file: { size: 0n, mtimeNs: 0n, ino: 0n }, members: new Map() };
}

describe('writtenCacheMembers', () => {
  it('is undefined for a path that opens but cannot be read, and closes what it opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-written-'));
    const before = openFds();
    expect(writtenCacheMembers(written(dir))).toBeUndefined();
    expect(openFds()).toBe(before);
  });

  it('is undefined, with nothing left open, for a file that is not the cache written (another id, size and inode)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-written-'));
    const file = join(dir, 'partial_parse.json');
    writeFileSync(file, '{"format":2,"id":"other"}\n{}\n{}\n');
    const before = openFds();
    expect(writtenCacheMembers(written(file))).toBeUndefined();
    expect(openFds()).toBe(before);
  });

  it('is undefined for a missing file', () => {
    expect(writtenCacheMembers(written(join(tmpdir(), 'tsdbt-no-such-cache', 'partial_parse.json')))).toBeUndefined();
  });
});
