import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setWriteFaultForTests, startPiecesWrite, type FilePiece } from '../../src/util/atomic-write.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';

/**
 * startPiecesWrite (util/atomic-write.ts): a file made of ranges of another
 * file and bytes given, copied on the thread pool a chunk at a time, several
 * chunks at once; parse-splice.ts writes manifest.json's copy with it.
 */
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tsdbt-pieces-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => setWriteFaultForTests(null));

/** A source of `size` bytes no two 1 MB chunks of which are alike (a chunk written to the wrong place shows). */
function source(dir: string, size: number): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) bytes.writeUInt32LE(i, i);
  const path = join(dir, 'source.json');
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** The pieces and the bytes they make: the source with `edits` ([start, end, bytes]) in place. */
function edited(fd: number, src: Buffer, edits: [number, number, Buffer][]): { pieces: FilePiece[]; want: Buffer } {
  const pieces: FilePiece[] = [];
  const parts: Buffer[] = [];
  let at = 0;
  for (const [start, end, bytes] of edits) {
    if (start > at) pieces.push({ fd, at, length: start - at });
    parts.push(src.subarray(at, start), bytes);
    pieces.push(bytes);
    at = end;
  }
  pieces.push({ fd, at, length: src.length - at });
  parts.push(src.subarray(at));
  return { pieces, want: Buffer.concat(parts) };
}

describe('startPiecesWrite', () => {
  const size = 5 * (1 << 20) + 12_345;
  const cases: [string, (n: number) => [number, number, Buffer][]][] = [
    ['nothing changed', () => []],
    ['a longer span near the start', () => [[100, 140, Buffer.alloc(90, 0x61)]]],
    ['a shorter span in the middle', (n) => [[n >> 1, (n >> 1) + 5000, Buffer.from('short')]]],
    ['a longer span at the very end', (n) => [[n - 10, n, Buffer.alloc(3 << 20, 0x62)]]],
    ['spans at the start, across a chunk boundary and at the end', (n) => [[0, 3, Buffer.from('{"x"')], [(1 << 20) - 7, (1 << 20) + 9, Buffer.from('across')], [n - 1, n, Buffer.from('}\n')]]],
  ];
  for (const [name, edits] of cases) for (const durable of [true, false]) {
    it(`${name}${durable ? '' : ' (not durable)'}: the file is exactly the source with the edits, its identity resolved before the rename`, async () => {
      const dir = freshDir();
      const src = source(dir, size);
      const fd = openSync(src.path, 'r');
      try {
        const { pieces, want } = edited(fd, src.bytes, edits(size));
        const path = join(dir, 'manifest.json');
        writeFileSync(path, 'old');
        const write = startPiecesWrite(path, 'the manifest', pieces, { durable });
        const st = await write.written;
        expect(readFileSync(path, 'utf8')).toBe('old');
        await write.commit();
        expect(readFileSync(path).equals(want)).toBe(true);
        const now = statSync(path, { bigint: true });
        expect([now.ino, now.size, now.mtimeNs]).toEqual([st.ino, st.size, st.mtimeNs]);
        expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'source.json']);
      } finally {
        closeSync(fd);
      }
    });
  }

  it('a full disk half way through: TARGET_WRITE naming the path, the old file intact, no temp file once abandoned', async () => {
    const dir = freshDir();
    const src = source(dir, size);
    const fd = openSync(src.path, 'r');
    try {
      const path = join(dir, 'manifest.json');
      writeFileSync(path, 'old');
      setWriteFaultForTests('manifest.json');
      const write = startPiecesWrite(path, 'the manifest', [{ fd, at: 0, length: size }]);
      const e = (await write.written.then(() => undefined, (x: unknown) => x)) as TsdbtError;
      expect(e).toBeInstanceOf(TsdbtError);
      expect(e.code).toBe('TARGET_WRITE');
      expect(e.message).toBe(`Could not write the manifest to ${path}: ENOSPC: no space left on device, write`);
      await expect(write.commit()).rejects.toBe(e);
      await write.abandon();
      expect(readFileSync(path, 'utf8')).toBe('old');
      expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'source.json']);
    } finally {
      closeSync(fd);
    }
  });

  it('abandoned while the copy is under way (the caller failed meanwhile): the old file intact, no temp file', async () => {
    const dir = freshDir();
    const src = source(dir, size);
    const fd = openSync(src.path, 'r');
    try {
      const path = join(dir, 'manifest.json');
      writeFileSync(path, 'old');
      const write = startPiecesWrite(path, 'the manifest', [{ fd, at: 0, length: size }]);
      await write.abandon();
      expect(readFileSync(path, 'utf8')).toBe('old');
      expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'source.json']);
    } finally {
      closeSync(fd);
    }
  });

  it('a source shorter than its pieces say: TARGET_WRITE, nothing renamed', async () => {
    const dir = freshDir();
    const src = source(dir, 1000);
    const fd = openSync(src.path, 'r');
    try {
      const path = join(dir, 'manifest.json');
      writeFileSync(path, 'old');
      const write = startPiecesWrite(path, 'the manifest', [{ fd, at: 0, length: 2000 }]);
      await expect(write.written).rejects.toThrow(`Could not write the manifest to ${path}: the file being copied was cut short`);
      await write.abandon();
      expect(readFileSync(path, 'utf8')).toBe('old');
      expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'source.json']);
    } finally {
      closeSync(fd);
    }
  });
});

describe('startPiecesWrite, not durable', () => {
  it('commit() after written hands the rename to the thread pool before it returns: it lands while this thread is still busy', async () => {
    const dir = freshDir();
    const src = source(dir, 3 * (1 << 20));
    const fd = openSync(src.path, 'r');
    try {
      const path = join(dir, 'manifest.json');
      writeFileSync(path, 'old');
      const write = startPiecesWrite(path, 'the manifest', [{ fd, at: 0, length: src.bytes.length }], { durable: false });
      await write.written;
      const committed = write.commit();
      // This thread does not yield until the new file is in place (or 10 s pass).
      const until = Date.now() + 10_000;
      let renamed = false;
      while (!renamed && Date.now() < until) renamed = statSync(path).size === src.bytes.length;
      expect(renamed).toBe(true);
      await committed;
      expect(readFileSync(path).equals(src.bytes)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'source.json']);
    } finally {
      closeSync(fd);
    }
  });
});
