import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
