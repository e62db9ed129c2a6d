import { readFileSync, statSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { coreLikelySpare } from './worker-boot.js';
import { parseBlockYaml } from './yaml-block.js';
import { KeyLineList, tableEntries, type BlockYaml, type DuplicateKey, type KeyLines } from './yaml-result.js';

/**
 * YAML files read and parsed by the block reader (yaml-block.ts) on a worker
 * thread while this thread does other work (a parse reads macros, then the
 * properties files: 2 MB of YAML in a 10,000-model project or in the Tuva
 * Project). `take(path)` gives what parseBlockYaml gives for the file's text,
 * values and lines, or undefined: then the caller reads and parses the file
 * itself, as without a worker, so every error and every file the block
 * reader declines (handed to `yaml`) comes out as it always did.
 *
 * Work is shared: each file is claimed, by the worker or by this thread, in
 * a shared array; the worker starts from the last file, this thread from the
 * first. `take` parses nothing itself; it waits only for a file the
 * worker is well into, and a file it has not reached is claimed here
 * (undefined: parse it yourself). A file the worker has only just begun is
 * parsed here too (then both parse it, the worker's result unused): waiting
 * would take longer.
 */
export class PrefetchedYaml {
  private readonly results = new Map<number, EncodedYaml | null>();
  private closed = false;

  private constructor(
    private readonly index: Map<string, number>,
    private readonly port: MessagePort,
    /** Per file FREE, HERE, BUSY or POSTED; the last entry is the stop flag. */
    private readonly state: Int32Array,
    /** Per file when the worker claimed it (ms after `base`; 0: not yet known). */
    private readonly claimedAt: Int32Array,
    private readonly base: number,
    private readonly sizes: readonly number[],
    private readonly worker: Worker,
  ) {}

  /**
   * Starts parsing `paths` (absolute), the last first, on a worker `spawn` starts
   * (the caller knows where the worker module, running serveYamlParses, is).
   * Undefined when the worker cannot start or, unless `evenWhenBusy`, when
   * it would not pay: this is itself a worker thread, no core is likely to
   * be spare (the last minute's load average is at least the cores; started
   * whatever the load with TSDBT_YAML_WORKER=always), or the
   * files hold less than `yamlWorkerAtLeast` bytes (the worker's start-up
   * and the copy of its results back cost more than parsing them here).
   */
  static start(paths: readonly string[], spawn: YamlWorkerSpawn, evenWhenBusy = evenWhenBusyForTests): PrefetchedYaml | undefined {
    if (paths.length === 0) return undefined;
    if (!evenWhenBusy && !coreLikelySpare() && process.env.TSDBT_YAML_WORKER !== 'always') return undefined;
    const sizes = paths.map((p) => statSync(p, { throwIfNoEntry: false })?.size ?? 0);
    if (!evenWhenBusy && sizes.reduce((a, b) => a + b, 0) < yamlWorkerAtLeast) return undefined;
    try {
      const { port1, port2 } = new MessageChannel();
      const state = new Int32Array(new SharedArrayBuffer(4 * (paths.length + 1)));
      const claimedAt = new Int32Array(new SharedArrayBuffer(4 * paths.length));
      const base = Date.now();
      const worker = spawn({ paths: [...paths], port: port2, state: state.buffer as SharedArrayBuffer, claimedAt: claimedAt.buffer as SharedArrayBuffer, base }, [port2]);
      // Never keeps the process alive: what was not taken is not needed.
      worker.unref();
      port1.unref();
      worker.on('error', () => undefined);
      return new PrefetchedYaml(new Map(paths.map((p, i) => [p, i])), port1, state, claimedAt, base, sizes, worker);
    } catch {
      return undefined;
    }
  }

  /**
   * parseBlockYaml's result for the text of `path`, when the worker parsed
   * it (waiting, if it is parsing it now); undefined when the caller is to
   * read and parse the file itself (not given, not reached, unreadable,
   * declined by the block reader, or the worker stalled).
   */
  take(path: string): BlockYaml | undefined {
    if (this.closed) return undefined;
    const i = this.index.get(path);
    if (i === undefined) return undefined;
    // At most twice the file's own parse time (a worker slowed down, say by a busy machine), then it is parsed here.
    const until = Date.now() + (evenWhenBusyForTests ? WAIT_MS : Math.min(WAIT_MS, Math.max(MIN_WAIT_MS, (2 * this.sizes[i]!) / BYTES_PER_MS)));
    if (evenWhenBusyForTests) while (Atomics.load(this.state, i) === FREE && Date.now() < until) Atomics.wait(this.state, i, FREE, until - Date.now());
    if (Atomics.compareExchange(this.state, i, FREE, HERE) === FREE) return undefined;
    // Just begun there: parsing it here is sooner than its parse there, its copy and its decoding here.
    const claimed = Atomics.load(this.claimedAt, i);
    const soon = claimed === 0 || Date.now() - this.base - claimed < WORTH_WAITING * (this.sizes[i]! / BYTES_PER_MS);
    if (!evenWhenBusyForTests && soon && Atomics.load(this.state, i) === BUSY) {
      // Where the two sides meet (nothing is left for the worker after this file), its parse of it would go
      // unused: it stops now, leaving the core to other work; what it posted before is still taken.
      if (!this.state.subarray(0, -1).includes(FREE)) this.stopWorker();
      return undefined;
    }
    while (Atomics.load(this.state, i) === BUSY) {
      const left = until - Date.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.state, i, BUSY, left);
    }
    while (!this.results.has(i)) {
      const m = receiveMessageOnPort(this.port);
      if (!m) return undefined;
      const { i: at, block } = m.message as Posted;
      this.results.set(at, block ?? null);
    }
    const encoded = this.results.get(i);
    this.results.delete(i);
    return encoded ? decode(encoded) : undefined;
  }

  /** Take no more: the worker stops, even inside a file (one this thread parsed itself, say), leaving the core to other work. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.results.clear();
    this.stopWorker();
    this.port.close();
  }

  /** The worker stops, even inside a file; what it posted stays on the port. */
  private stopWorker(): void {
    Atomics.store(this.state, this.state.length - 1, 1);
    this.worker.terminate().catch(() => undefined);
  }
}

/** Starts a worker thread that runs serveYamlParses(workerData), `transferList` transferred. */
export type YamlWorkerSpawn = (workerData: YamlWorkerData, transferList: MessagePort[]) => Worker;

export interface YamlWorkerData {
  paths: string[];
  port: MessagePort;
  state: SharedArrayBuffer;
  /** Int32 per file: ms after `base` (Date.now()) when the worker began it. */
  claimedAt: SharedArrayBuffer;
  base: number;
}

/** File states: not claimed; claimed by the caller; being parsed by the worker; its result posted. */
const FREE = 0;
const HERE = 1;
const BUSY = 2;
const POSTED = 3;

/** The longest `take` waits for a file the worker is on before parsing it itself (a stalled worker; tests wait this long for any file). */
const WAIT_MS = 30_000;

/** The least `take` waits for a file the worker is well into, however small. */
const MIN_WAIT_MS = 20;

/** The block reader's pace, roughly (2 MB of properties in ~250 ms), to judge how far the worker is with a file. */
const BYTES_PER_MS = 8 * 1024;

/**
 * `take` waits for a file the worker is parsing once it has been at it this
 * share of the file's parse time; sooner, it parses the file itself (the
 * copy back and its decoding cost ~40% of a parse).
 */
const WORTH_WAITING = 0.4;

/** Below this many bytes of YAML the files are parsed here: 2 MB take ~250 ms to parse, the worker ~50 ms to start. */
let yamlWorkerAtLeast = 256 * 1024;
/** Tests: the worker started whatever the load and size, and `take` waits for it to reach each file (from the TypeScript sources it starts slowly). */
let evenWhenBusyForTests = false;

/** For tests: the worker started for any bytes of YAML and any load and waited for (true), or as in production (false); returns the previous setting. */
export function forceYamlWorkerForTests(on: boolean): boolean {
  const was = evenWhenBusyForTests;
  evenWhenBusyForTests = on;
  yamlWorkerAtLeast = on ? 0 : 256 * 1024;
  return was;
}

/** What the worker posts per file: its block YAML, encoded; none when it was unreadable or declined. */
interface Posted {
  i: number;
  block?: EncodedYaml;
}

/**
 * A BlockYaml as plain data a structured clone copies cheaply: the value as
 * JSON (only values JSON gives back as they were: finite numbers but -0,
 * no `__proto__` key), and its line tables flattened in the order of a depth-first walk
 * of the value: per map its line, its number of key lines (-1: none), then
 * for each its key (an index into `keys`, each key once) and line; per list
 * its line, its number of item lines (-1: none), then those; -1 for a
 * missing line. Maps keyed by
 * objects cost the clone far more, and building them again as many.
 */
interface EncodedYaml {
  /** The value as JSON: a string is copied whole, and JSON.parse builds the value faster than a clone of it. */
  json: string;
  nums: Int32Array;
  keys: string[];
  duplicates?: DuplicateKey[];
}

/**
 * The worker's side: claims the files from the last one back (skipping any
 * the caller claimed), reads and parses each with the block reader, and
 * posts its result, until all are done or the caller stops it. The caller
 * takes them from the first one on: each side works on its own end of the
 * list until they meet, where the caller finds the one file the worker may
 * be in. (In the same order the caller trailed the worker, waiting for
 * each file it was in: Tuva's parse spent 0.3-0.5 s of wall time in take()
 * on a busy box, against 0.06-0.11 s now.)
 */
export function serveYamlParses(data: YamlWorkerData): void {
  const state = new Int32Array(data.state);
  const claimedAt = new Int32Array(data.claimedAt);
  const stop = data.paths.length;
  for (let i = data.paths.length - 1; i >= 0 && Atomics.load(state, stop) === 0; i--) {
    if (Atomics.compareExchange(state, i, FREE, BUSY) !== FREE) continue;
    Atomics.store(claimedAt, i, Math.max(1, Date.now() - data.base));
    try {
      let block: EncodedYaml | undefined;
      try {
        const parsed = parseBlockYaml(readFileSync(data.paths[i]!, 'utf8'));
        block = parsed && encode(parsed);
      } catch {
        block = undefined;
      }
      try {
        data.port.postMessage({ i, block } satisfies Posted);
      } catch {
        data.port.postMessage({ i } satisfies Posted);
      }
    } finally {
      Atomics.store(state, i, POSTED);
      Atomics.notify(state, i);
    }
  }
  data.port.close();
}

/** `b` encoded for the copy; undefined when its value holds anything but plain maps, lists and scalars (the caller parses it itself). */
export function encode(b: BlockYaml): EncodedYaml | undefined {
  const nums: number[] = [];
  const keys: string[] = [];
  const keyAt = new Map<string, number>();
  const key = (k: string): number => {
    let i = keyAt.get(k);
    if (i === undefined) keyAt.set(k, (i = keys.push(k) - 1));
    return i;
  };
  const line = (n: unknown): boolean => {
    if (n === undefined) nums.push(-1);
    else if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0x7fffffff) nums.push(n);
    else return false;
    return true;
  };
  const entries = tableEntries(b);
  const visit = (v: unknown): boolean => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
    if (typeof v !== 'object') return false;
    // The collection's line and its keys' or items' lines: one lookup in the block reader's table where there is one.
    let at: number | undefined;
    let keyLines: KeyLines | undefined;
    let items: (number | undefined)[] | undefined;
    if (entries) {
      const e = entries.get(v);
      if (e !== undefined) {
        at = e.line;
        if (e instanceof KeyLineList) keyLines = e;
        else {
          keyLines = e.keys;
          items = e.items;
        }
      }
    } else {
      at = b.lines.get(v);
      if (Array.isArray(v)) items = b.itemLines.get(v);
      else keyLines = b.keyLines.get(v);
    }
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype || !line(at)) return false;
      if (items === undefined) nums.push(-1);
      else {
        nums.push(items.length);
        for (let k = 0; k < items.length; k++) if (!line(items[k])) return false;
      }
      for (let k = 0; k < v.length; k++) if (!(k in v) || !visit(v[k])) return false;
      return true;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype || !line(at)) return false;
    if (keyLines === undefined) nums.push(-1);
    else if (keyLines instanceof KeyLineList) {
      const pairs = keyLines.pairs;
      nums.push(pairs.length / 2);
      for (let k = 0; k < pairs.length; k += 2) {
        if (typeof pairs[k] !== 'string') return false;
        nums.push(key(pairs[k] as string));
        if (!line(pairs[k + 1])) return false;
      }
    } else if (keyLines instanceof Map) {
      nums.push(keyLines.size);
      for (const [k, n] of keyLines as Map<unknown, unknown>) {
        if (typeof k !== 'string') return false;
        nums.push(key(k));
        if (!line(n)) return false;
      }
    } else return false;
    for (const key of Object.keys(v)) if (key === '__proto__' || !visit((v as Record<string, unknown>)[key])) return false;
    return true;
  };
  if (!visit(b.value)) return undefined;
  return { json: JSON.stringify(b.value), nums: Int32Array.from(nums), keys, ...(b.duplicates && { duplicates: b.duplicates }) };
}

/**
 * The BlockYaml `encode` encoded (its value parsed again: the tables are
 * keyed by the new objects). One walk maps each map and list to where its
 * entries start in `nums`; a table reads them from there when asked.
 */
export function decode(e: EncodedYaml): BlockYaml {
  const { nums, keys } = e;
  const value: unknown = JSON.parse(e.json);
  const at = new Map<object, number>();
  let n = 0;
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    at.set(v, n);
    const count = nums[n + 1]!;
    if (Array.isArray(v)) {
      n += 2 + Math.max(count, 0);
      for (let j = 0; j < v.length; j++) visit(v[j]);
      return;
    }
    n += 2 + 2 * Math.max(count, 0);
    for (const key in v) visit((v as Record<string, unknown>)[key]);
  };
  visit(value);
  const orUndefined = (x: number) => (x >= 0 ? x : undefined);
  const readOnly = () => {
    throw new Error('the line tables of a YAML file parsed on a worker are read-only');
  };
  return {
    value,
    lines: {
      get: (obj) => {
        const i = at.get(obj);
        return i === undefined ? undefined : orUndefined(nums[i]!);
      },
      set: readOnly,
    },
    keyLines: {
      get: (obj) => {
        const i = at.get(obj);
        return i === undefined || Array.isArray(obj) || nums[i + 1]! < 0 ? undefined : new KeyLineView(nums, keys, i);
      },
      set: readOnly,
    },
    itemLines: {
      get: (obj) => {
        const i = at.get(obj);
        if (i === undefined || !Array.isArray(obj) || nums[i + 1]! < 0) return undefined;
        // (A loop: Array.from over a subarray with a map function cost a parse of 10,000 models ~50 ms.)
        const items = new Array<number | undefined>(nums[i + 1]!);
        for (let k = 0; k < items.length; k++) items[k] = orUndefined(nums[i + 2 + k]!);
        return items;
      },
      set: readOnly,
    },
    ...(e.duplicates && { duplicates: e.duplicates }),
  };
}

/** The key lines of the map whose entries start at `i` in `nums` (see EncodedYaml), as KeyLineList finds them: the first of a key's. */
class KeyLineView implements KeyLines {
  constructor(
    private readonly nums: Int32Array,
    private readonly keys: readonly string[],
    private readonly i: number,
  ) {}

  get(key: string): number | undefined {
    const end = this.i + 2 + 2 * this.nums[this.i + 1]!;
    for (let j = this.i + 2; j < end; j += 2) {
      if (this.keys[this.nums[j]!] !== key) continue;
      const line = this.nums[j + 1]!;
      return line >= 0 ? line : undefined;
    }
    return undefined;
  }
}
