import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrefetchedTexts } from '../../src/util/prefetched-texts.js';

const root = mkdtempSync(join(tmpdir(), 'tsdbt-prefetch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `path`'s text once the worker has read it (take never waits: poll), taken. */
async function untilRead(texts: PrefetchedTexts, path: string): Promise<string | undefined> {
  for (let i = 0; i < 500; i++) {
    const text = texts.take(path);
    if (text !== undefined) return text;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

describe('PrefetchedTexts', () => {
  it('hands over each file as readFileSync reads it (small, larger than its buffer, multi-byte, invalid UTF-8, empty), once', async () => {
    const files: Record<string, string | Buffer> = {
      'a.sql': "select 1 -- é ü 日本 🎉\n",
      'empty.sql': '',
      'big.sql': `select '${'x'.repeat(70_000)}' as long_one, 'ü' as tail`,
      'exact.sql': 'y'.repeat(1 << 16),
      'bad.sql': Buffer.from([0x73, 0xff, 0xfe, 0x0a, 0xc3]),
    };
    const paths = Object.keys(files).map((name) => join(root, 'one', name));
    mkdirSync(join(root, 'one'), { recursive: true });
    for (const [name, body] of Object.entries(files)) writeFileSync(join(root, 'one', name), body);
    // Listed last so that once it is there every other file is too.
    const last = join(root, 'one', 'zz.sql');
    writeFileSync(last, 'last');
    const texts = PrefetchedTexts.start([...paths, last], true)!;
    expect(texts).toBeDefined();
    expect(await untilRead(texts, last)).toBe('last');
    for (const p of paths) expect(texts.take(p)).toBe(readFileSync(p, 'utf8'));
    // Taken once: the slot is freed, so a second take sends the caller to the disk.
    expect(texts.take(paths[0]!)).toBeUndefined();
    texts.close();
  });

  it('leaves to the caller a file it cannot read, a path it was not given, and everything after close', async () => {
    mkdirSync(join(root, 'two'), { recursive: true });
    const ok = join(root, 'two', 'ok.sql');
    const other = join(root, 'two', 'other.sql');
    writeFileSync(ok, 'select 1');
    writeFileSync(other, 'select 2');
    const missing = join(root, 'two', 'missing.sql');
    const folder = join(root, 'two');
    const texts = PrefetchedTexts.start([missing, folder, ok, other], true)!;
    expect(await untilRead(texts, ok)).toBe('select 1');
    // Read before ok.sql was, and failed: the caller reads them (and meets the error) itself.
    expect(texts.take(missing)).toBeUndefined();
    expect(texts.take(folder)).toBeUndefined();
    expect(texts.take(join(root, 'two', 'not-listed.sql'))).toBeUndefined();
    texts.close();
    expect(texts.take(other)).toBeUndefined();
  });
});
