import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackgroundWriter } from '../../src/compile/background-writer.js';
import { writeCarried } from '../../src/util/carried-writes.js';

// Its own file: BackgroundWriter.shared() is one writer per thread, and this checks when that writer's thread starts.
describe('BackgroundWriter: the writer thread starts with the first write posted to it', () => {
  it('a writer whose writes are all carried never starts it; a write waited for without a carrier does, and lands', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-writer-lazy-'));
    const writer = BackgroundWriter.shared()!;
    writer.holdForCarrier();
    const tickets = writer.writeMany([
      { path: join(dir, 'a.sql'), text: 'select 1' },
      { path: join(dir, 'b.sql'), text: 'select 2' },
    ]);
    writer.carriedDone(writeCarried(writer.takeCarried()!));
    writer.wait(tickets[1]!);
    writer.settle();
    expect(writer.threadStarted).toBe(false);
    expect([readFileSync(join(dir, 'a.sql'), 'utf8'), readFileSync(join(dir, 'b.sql'), 'utf8')]).toEqual(['select 1', 'select 2']);
    const t = writer.write(join(dir, 'c', 'd.sql'), 'select 3');
    writer.wait(t);
    expect(writer.threadStarted).toBe(true);
    expect(readFileSync(join(dir, 'c', 'd.sql'), 'utf8')).toBe('select 3');
  });
});
