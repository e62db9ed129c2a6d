import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SyncBridge } from '../../src/adapters/base/sync-bridge.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';
import { BackgroundWriter } from '../../src/compile/background-writer.js';
import { writeCarried, type CarriedAck, type CarriedWrites } from '../../src/util/carried-writes.js';

/**
 * A render worker's compiled SQL rides with its next statement to the
 * connection worker, which writes it (util/carried-writes.ts) while the
 * database runs it. The files must come out as the background writer's
 * worker makes them, and a write that fails must still reach its waiter.
 */

/** Every file under `dir` (relative path → text), and no temp file left. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out[r] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

let seq = 0;
const message = (files: [string, string][]): CarriedWrites => {
  const m: CarriedWrites = [0];
  for (const [path, text] of files) m.push(++seq, path, text);
  return m;
};

describe('writeCarried writes as the background writer does', () => {
  it('same files, same inodes kept or replaced, the same failures, step by step', () => {
    const roots = [mkdtempSync(join(tmpdir(), 'tsdbt-carried-a-')), mkdtempSync(join(tmpdir(), 'tsdbt-carried-b-'))];
    for (const root of roots) {
      mkdirSync(join(root, 'old'));
      writeFileSync(join(root, 'old', 'same.sql'), 'select 1');
      writeFileSync(join(root, 'old', 'changed.sql'), 'select 1');
      writeFileSync(join(root, 'blocker'), 'a file where a folder should be');
    }
    const steps: [string, string][][] = [
      [['old/same.sql', 'select 1'], ['old/changed.sql', 'select 2'], ['made/a.sql', 'select 3'], ['blocker/c.sql', 'select 4']],
      [['made/a.sql', 'select 3'], ['made/b.sql', 'select 5']],
      [['made/a.sql', 'select 6']],
      ['remove made' as unknown as [string, string]],
      [['made/a.sql', 'select 7']],
    ];
    const writer = BackgroundWriter.shared()!;
    const inodes = (root: string) => Object.fromEntries(Object.keys(tree(root)).map((f) => [f, statSync(join(root, f)).ino]));
    for (const step of steps) {
      if ((step[0] as unknown) === 'remove made') {
        for (const root of roots) rmSync(join(root, 'made'), { recursive: true });
        continue;
      }
      const before = roots.map(inodes);
      // a: the background writer's worker; b: carried.
      const tickets = writer.writeMany(step.map(([f, text]) => ({ path: join(roots[0]!, f), text })));
      const failedA: string[] = [];
      for (const [i, t] of tickets.entries()) {
        try {
          writer.wait(t);
        } catch {
          failedA.push(step[i]![0]);
        }
      }
      const m = message(step.map(([f, text]) => [join(roots[1]!, f), text]));
      const ack = writeCarried(m);
      const failedB = ack.failed.map(([s]) => step[m.indexOf(s) / 3 | 0]![0]);
      expect(failedB).toEqual(failedA);
      for (const [s, reason] of ack.failed) expect([s, reason]).toEqual([expect.any(Number), expect.stringMatching(/EEXIST|ENOTDIR/)]);
      expect(tree(roots[1]!)).toEqual(tree(roots[0]!));
      const after = roots.map(inodes);
      const kept = (i: number) => Object.fromEntries(Object.keys(after[i]!).map((f) => [f, after[i]![f] === before[i]![f]]));
      expect(kept(1)).toEqual(kept(0));
    }
    expect(tree(roots[1]!)['made/a.sql']).toBe('select 7');
    expect(tree(roots[1]!)['old/same.sql']).toBe('select 1');
  });
});

describe('BackgroundWriter holding writes for a carrier', () => {
  const writer = BackgroundWriter.shared()!;
  writer.holdForCarrier();
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-carrier-'));

  it('holds writes until the carrier takes them, in one message; carried and answered, wait returns at once', () => {
    const tickets = writer.writeMany([
      { path: join(dir, 'x', 'a.sql'), text: 'select 1' },
      { path: join(dir, 'x', 'b.sql'), text: 'select 2' },
    ]);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    const taken = writer.takeCarried()!;
    expect(taken).toEqual([0, tickets[0], join(dir, 'x', 'a.sql'), 'select 1', tickets[1], join(dir, 'x', 'b.sql'), 'select 2']);
    expect(writer.takeCarried()).toBeUndefined();
    writer.carriedDone(writeCarried(taken));
    writer.wait(tickets[1]!);
    expect(tree(join(dir, 'x'))).toEqual({ 'a.sql': 'select 1', 'b.sql': 'select 2' });
  });

  it('a carried write that failed is redone by its waiter, which gets the TARGET_WRITE error naming the file', () => {
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const [bad, good] = writer.writeMany([
      { path: join(dir, 'blocker', 'c.sql'), text: 'select 3' },
      { path: join(dir, 'y', 'd.sql'), text: 'select 4' },
    ]);
    const ack: CarriedAck = writeCarried(writer.takeCarried()!);
    expect(ack.failed.map(([s]) => s)).toEqual([bad]);
    writer.carriedDone(ack);
    expect(() => writer.wait(bad!)).toThrow(/^Could not write compiled SQL to .*blocker\/c\.sql: (EEXIST|ENOTDIR): /);
    writer.wait(good!);
    expect(readFileSync(join(dir, 'y', 'd.sql'), 'utf8')).toBe('select 4');
  });

  it('a write no carrier took goes to the writer thread when waited for', () => {
    const t = writer.write(join(dir, 'z', 'e.sql'), 'select 5');
    writer.wait(t);
    expect(readFileSync(join(dir, 'z', 'e.sql'), 'utf8')).toBe('select 5');
    expect(writer.takeCarried()).toBeUndefined();
  });

  it('a write taken by a carrier that never answered is written by its waiter', () => {
    const t = writer.write(join(dir, 'w', 'f.sql'), 'select 6');
    expect(writer.takeCarried()).toBeDefined();
    writer.wait(t);
    expect(readFileSync(join(dir, 'w', 'f.sql'), 'utf8')).toBe('select 6');
  });

  it("a staged tree's files (fresh) are never held", () => {
    const [t] = writer.writeMany([{ path: join(dir, 'fresh', 'g.sql'), text: 'select 7' }], true);
    expect(writer.takeCarried()).toBeUndefined();
    writer.wait(t!);
    expect(readFileSync(join(dir, 'fresh', 'g.sql'), 'utf8')).toBe('select 7');
  });
});

describe('SyncBridge carrying files', () => {
  const bridges: SyncBridge[] = [];
  afterAll(async () => {
    for (const b of bridges) await b.close();
  });

  it('the connection worker writes them with the statement, and answers how that went, also when the statement fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bridge-carry-'));
    writeFileSync(join(dir, 'blocker'), 'x');
    let next: CarriedWrites | undefined;
    const acks: CarriedAck[] = [];
    const b = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: ':memory:' }, projectDir: dir }), {
      carry: () => {
        const m = next;
        next = undefined;
        return m;
      },
      carried: (ack) => acks.push(ack),
    });
    bridges.push(b);
    next = message([[join(dir, 'm', 'a.sql'), 'select 1']]);
    expect(b.executeSync('select 42 as v').rows).toEqual([[42]]);
    expect(readFileSync(join(dir, 'm', 'a.sql'), 'utf8')).toBe('select 1');
    expect(acks).toEqual([{ failed: [] }]);
    next = message([[join(dir, 'm', 'b.sql'), 'select 2'], [join(dir, 'blocker', 'c.sql'), 'select 3']]);
    expect(() => b.executeSync('select * from no_such_table')).toThrow(/no_such_table/);
    expect(readFileSync(join(dir, 'm', 'b.sql'), 'utf8')).toBe('select 2');
    expect(acks[1]!.failed).toEqual([[seq, expect.stringMatching(/EEXIST|ENOTDIR/)]]);
    // Nothing to carry: no answer about it.
    expect(b.executeSync('select 1 as v').rows).toEqual([[1]]);
    next = message([[join(dir, 'm', 'd.sql'), 'select 4']]);
    b.beginSync();
    b.commitSync();
    expect(readFileSync(join(dir, 'm', 'd.sql'), 'utf8')).toBe('select 4');
    expect(acks).toHaveLength(3);
  });
});
