/**
 * util/prefetched-yaml.ts: a block YAML result encoded on the worker and
 * decoded here must answer every line lookup as the reader's own tables do,
 * and values JSON would not give back as they were are never encoded (the
 * file is then parsed here).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { decode, encode, PrefetchedYaml, serveYamlParses, type YamlWorkerSpawn } from '../../src/util/prefetched-yaml.js';
import { parseBlockYaml } from '../../src/util/yaml-block.js';
import { KeyLineList, LineTable, tableEntries, type BlockYaml } from '../../src/util/yaml-result.js';

const TEXTS = [
  'version: 2\nmodels:\n  - name: a\n    description: "x"\n    columns:\n      - name: id\n        tests: [unique, not_null]\n      - name: b\n        data_tests:\n          - accepted_values:\n              values: [1, 2]\n',
  'a: 1\na: 2\nb:\n  c: {x: 1, y: [1, 2, {z: 3}], x: 4}\n  d: |\n    text\n    more\n',
  '# comment\n\n- one\n-\n  - nested\n  -   two\n- {k: v}\n- [ ]\n- {}\n- null\n- ~\n- 1.5\n- true\n- "quoted: x"\n',
  'list:\n- a\n- b: 1\n  c: 2\n- - x\n  - y\nempty_map: {}\nempty_list: []\nnum: 0x1F\nfl: 1e3\n',
  'key with spaces: v\n"quoted key": w\n? no\n',
  '',
  '# only a comment\n',
  'scalar',
  '1: one\n0: zero\nb: bee\n10: ten\n',
  'multi: >\n  folded\n  lines\nplain: over\n  two lines\n',
];

/** Every lookup the tables answer, for each map and list of the value. */
function lookups(b: BlockYaml): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    out.push([path, 'line', b.lines.get(v)]);
    if (Array.isArray(v)) {
      out.push([path, 'items', b.itemLines.get(v) ?? 'none']);
      v.forEach((x, i) => visit(x, `${path}[${i}]`));
      return;
    }
    const keyLines = b.keyLines.get(v);
    for (const k of [...Object.keys(v), 'not-a-key']) out.push([path, 'key', k, keyLines === undefined ? 'none' : keyLines.get(k)]);
    for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
  };
  visit(b.value, '');
  return out;
}

describe('encode/decode of block YAML', () => {
  it('gives the same values, lines, key lines, item lines and duplicates after a structured clone', () => {
    let read = 0;
    for (const text of TEXTS) {
      const b = parseBlockYaml(text);
      if (!b) continue;
      read++;
      const e = encode(b);
      expect(e, text).toBeDefined();
      const back = decode(structuredClone(e!));
      expect(back.value, text).toEqual(b.value);
      expect(JSON.stringify(back.value), text).toBe(JSON.stringify(b.value));
      expect(lookups(back), text).toEqual(lookups(b));
      expect(back.duplicates, text).toEqual(b.duplicates);
      // Objects not from the value have no lines.
      expect(back.lines.get({})).toBeUndefined();
      expect(back.keyLines.get([])).toBeUndefined();
    }
    expect(read).toBeGreaterThanOrEqual(7);
  });

  it('encodes the same through the reader table (one lookup a collection) as through the three tables', () => {
    for (const text of TEXTS) {
      const b = parseBlockYaml(text);
      if (!b) continue;
      // The reader's result has a LineTable behind it; the same tables behind another `lines` hide it, and encode then reads the three one by one.
      expect(tableEntries(b), text).toBeDefined();
      const hidden: BlockYaml = { ...b, lines: { get: (obj) => b.lines.get(obj), set: () => undefined } };
      expect(tableEntries(hidden), text).toBeUndefined();
      expect(encode(hidden), text).toEqual(encode(b));
      // A table's `lines` with another's key lines is not read through the table either.
      const mixed: BlockYaml = { ...b, keyLines: { get: (obj) => b.keyLines.get(obj), set: () => undefined } };
      expect(tableEntries(mixed), text).toBeUndefined();
    }
    // And a table whose entries were set through its tables (a list's entry made a CollectionLines) encodes as they read.
    const table = new LineTable();
    const list = [1, { k: 'v' }];
    const map = list[1] as object;
    table.lines.set(list, 3);
    table.itemLines.set(list, [3, undefined]);
    table.keyLines.set(map, new KeyLineList(['k', 4]));
    table.lines.set(map, 4);
    const made = decode(structuredClone(encode({ value: list, lines: table.lines, keyLines: table.keyLines, itemLines: table.itemLines })!));
    expect([made.lines.get(made.value as object), made.itemLines.get(made.value as object), made.lines.get((made.value as object[])[1]!), made.keyLines.get((made.value as object[])[1]!)?.get('k')]).toEqual([3, [3, undefined], 4, 4]);
  });

  it('reports the duplicate keys of a mapping as the reader does', () => {
    const b = parseBlockYaml('m:\n  k: 1\n  k: 2\n')!;
    const back = decode(structuredClone(encode(b)!));
    expect(back.duplicates).toEqual([{ key: 'k', line: 3, first: 2 }]);
    expect(back.keyLines.get((back.value as { m: object }).m)?.get('k')).toBe(b.keyLines.get((b.value as { m: object }).m)?.get('k'));
  });

  it('declines values JSON would change: non-finite numbers, -0, a __proto__ key', () => {
    for (const text of ['a: .inf\n', 'a: [-.inf]\n', 'a: .nan\n', 'a: -0.0\n', '__proto__: 1\n', 'a:\n  __proto__: {b: 1}\n']) {
      const b = parseBlockYaml(text);
      expect(b, text).toBeDefined();
      expect(encode(b!), text).toBeUndefined();
    }
    expect(encode(parseBlockYaml('a: 0\nb: -1\nc: 1.5e300\n')!)).toBeDefined();
  });
});

/** A stand-in worker (plain CommonJS) that claims file 0 as begun `claimedMsAgo` ms before the start, then posts `posted` after `delay` ms. */
function standIn(claimedMsAgo: number | 'unknown', delay: number, posted: unknown): YamlWorkerSpawn {
  const source = `
const { workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
const claimedAt = new Int32Array(workerData.claimedAt);
Atomics.store(state, 0, 2);
${claimedMsAgo === 'unknown' ? '' : `Atomics.store(claimedAt, 0, Date.now() - workerData.base - ${claimedMsAgo} || 1);`}
workerData.ready[0] = 1;
setTimeout(() => {
  workerData.port.postMessage({ i: 0, block: workerData.posted });
  Atomics.store(state, 0, 3);
  Atomics.notify(state, 0);
}, ${delay});
`;
  return (data, transferList) => {
    const w = new Worker(source, { eval: true, workerData: { ...data, posted, ready: readyFlag }, transferList });
    return w;
  };
}
const readyFlag = new Int32Array(new SharedArrayBuffer(4));

describe('PrefetchedYaml.take', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-yaml-take-'));
  const path = join(dir, 'big.yml');
  // 4.2 MB: ~510 ms of parse by the pace take assumes, so "well into it" is ~200 ms, and it waits ~1 s at most.
  writeFileSync(path, `models:\n${'  - name: m\n'.repeat(350_000)}`);
  const encoded = encode(parseBlockYaml('a: [1, 2]\n')!);

  async function started(spawn: YamlWorkerSpawn): Promise<PrefetchedYaml> {
    readyFlag[0] = 0;
    const p = PrefetchedYaml.start([path], spawn, true)!;
    expect(p).toBeDefined();
    for (let i = 0; i < 500 && Atomics.load(readyFlag, 0) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    return p;
  }

  it('parses here at once a file the worker has only just begun (or not said when)', async () => {
    for (const claimed of [0, 'unknown'] as const) {
      const p = await started(standIn(claimed, 2000, encoded));
      const t = Date.now();
      expect(p.take(path)).toBeUndefined();
      expect(Date.now() - t).toBeLessThan(1000);
      p.close();
    }
  });

  it('stops the worker when it has just begun the one file left to it: its parse would go unused (not while others wait for it)', async () => {
    const exited = (p: PrefetchedYaml, ms: number) =>
      new Promise<boolean>((done) => {
        const worker = (p as unknown as { worker: Worker }).worker;
        const timer = setTimeout(() => done(false), ms);
        worker.once('exit', () => {
          clearTimeout(timer);
          done(true);
        });
      });
    const alone = await started(standIn(0, 5000, encoded));
    const aloneExit = exited(alone, 2000);
    expect(alone.take(path)).toBeUndefined();
    expect(await aloneExit).toBe(true);
    alone.close();
    // A second file nobody has claimed: the worker goes on to it.
    const other = join(dir, 'other.yml');
    writeFileSync(other, 'models: []\n');
    readyFlag[0] = 0;
    const two = PrefetchedYaml.start([path, other], standIn(0, 5000, encoded), true)!;
    for (let i = 0; i < 500 && Atomics.load(readyFlag, 0) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const twoExit = exited(two, 500);
    expect(two.take(path)).toBeUndefined();
    expect(await twoExit).toBe(false);
    two.close();
  });

  it('waits for a file the worker is well into, and takes its result', async () => {
    const p = await started(standIn(60_000, 100, encoded));
    const b = p.take(path);
    expect(b?.value).toEqual({ a: [1, 2] });
    expect(b?.keyLines.get(b.value as object)?.get('a')).toBe(1);
    p.close();
  });

  it("waits at most about twice the file's own parse time, then has it parsed here", async () => {
    const p = await started(standIn(60_000, 10_000, encoded));
    const t = Date.now();
    expect(p.take(path)).toBeUndefined();
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t).toBeLessThan(5000);
    p.close();
  });
});

describe('serveYamlParses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-yaml-serve-'));
  const paths = ['a', 'b', 'c', 'd'].map((name, i) => {
    const path = join(dir, `${name}.yml`);
    writeFileSync(path, `n: ${i}\n`);
    return path;
  });

  /** The files the worker side posts, in the order it posts them, with file `here` (if any) claimed by the caller first. */
  function served(here?: number): { i: number; value: unknown }[] {
    const { port1, port2 } = new MessageChannel();
    const state = new Int32Array(new SharedArrayBuffer(4 * (paths.length + 1)));
    if (here !== undefined) state[here] = 1;
    serveYamlParses({ paths, port: port2, state: state.buffer as SharedArrayBuffer, claimedAt: new SharedArrayBuffer(4 * paths.length), base: Date.now() });
    const posted: { i: number; value: unknown }[] = [];
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
      const { i, block } = m.message as { i: number; block: Parameters<typeof decode>[0] };
      posted.push({ i, value: decode(block).value });
    }
    port1.close();
    for (let i = 0; i < paths.length; i++) expect(state[i]).toBe(i === here ? 1 : 3);
    return posted;
  }

  it('parses the files from the last one back (the caller takes them from the first), skipping those the caller claimed', () => {
    expect(served()).toEqual([3, 2, 1, 0].map((i) => ({ i, value: { n: i } })));
    expect(served(2).map((p) => p.i)).toEqual([3, 1, 0]);
  });
});
