import * as crypto from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The input files' states when they were last looked at, as columns (one
 * row a file: its absolute path, size, modification time and a hash of its
 * bytes), in listing order: each root's files sorted, roots in the order
 * given, a path listed twice kept where it came first. Columns, not an
 * object of 10,000 small objects: a parse cache header holding them parses
 * ~3x faster, and comparing them allocates nothing per unchanged file.
 */
export interface FileTable {
  paths: string[];
  size: number[];
  mtimeMs: number[];
  hash: string[];
}

/** The size and modification time of every regular file under some folders (statFolders), in FileTable's order. */
export interface StatRows {
  paths: string[];
  size: number[];
  mtimeMs: number[];
}

/**
 * A modification time this close to when the states were taken (or later)
 * cannot prove a file unchanged: a write in the same clock tick keeps it.
 * Such files are hashed again (git's "racily clean" rule).
 */
const RACY_MS = 2000;

const NO_THROW = { throwIfNoEntry: false } as const;

/** Every file (any extension) under `folders` of `root` (a folder may name a file), absolute, sorted; hidden entries and missing folders skipped. */
export function listFiles(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') out.push(dir);
      return;
    }
    // join(dir, name) without its normalising (5x the cost at 10,000 files): dir is normal, a name is one plain segment.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const e of entries) {
      const name = e.name;
      if (name.startsWith('.')) continue;
      if (e.isDirectory()) walk(prefix + name);
      else if (e.isFile() || e.isSymbolicLink()) out.push(prefix + name);
    }
  };
  for (const f of folders) walk(join(root, f));
  out.sort();
  return out.filter((p, i) => i === 0 || p !== out[i - 1]);
}

/** crypto.hash (Node 20.12+): the same digest as createHash's, a quarter of the cost for a small input (no Hash object); one per input file at a cold parse. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;

export const hashText = oneShot ? (text: string | Buffer): string => oneShot('sha256', text, 'hex') : (text: string | Buffer): string => crypto.createHash('sha256').update(text).digest('hex');

const emptyTable = (): FileTable => ({ paths: [], size: [], mtimeMs: [], hash: [] });

/**
 * The states of the files listFiles finds under `folders` with nothing known
 * (a cold parse): each regular file opened once, its stat and bytes taken
 * from the same open file. A file that cannot be read makes no row.
 */
export function coldFileTable(folders: RootFolders): FileTable {
  return coldFileTableDeferring(folders, NONE_DEFERRED).table;
}

const NONE_DEFERRED: ReadonlySet<string> = new Set();

/**
 * coldFileTable, except that the files in `deferred` are not read: their rows
 * (`pending`, indices into the table) hold placeholders (size and time -1,
 * no hash) until withReadStates fills them from the reads a parse makes of
 * them (a cold parse reads each model file anyway: 10,000 files opened,
 * read and hashed once instead of twice). The other files are read now,
 * before the parse reads them, as coldFileTable reads them.
 */
export function coldFileTableDeferring(folders: RootFolders, deferred: ReadonlySet<string>): { table: FileTable; pending: number[] } {
  const table = emptyTable();
  const pending: number[] = [];
  const seen = new Set<string>();
  for (const { root, folders: under } of folders) {
    for (const path of listFiles(root, under)) {
      if (seen.has(path)) continue;
      seen.add(path);
      if (deferred.has(path)) {
        pending.push(table.paths.length);
        table.paths.push(path);
        table.size.push(-1);
        table.mtimeMs.push(-1);
        table.hash.push('');
        continue;
      }
      const read = readWithStat(path);
      if (!read) continue;
      table.paths.push(path);
      table.size.push(read.st.size);
      table.mtimeMs.push(read.st.mtimeMs);
      table.hash.push(hashText(read.bytes));
    }
  }
  return { table, pending };
}

/** A file's state as one read of it found it (util/read-text.ts readTextWithState): a file table row's values. */
export interface ReadState {
  size: number;
  mtimeMs: number;
  hash: string;
}

/**
 * `table` with its `pending` rows (coldFileTableDeferring's) filled from
 * `states`, the states of the files as a parse read them (the stat and the
 * hash of the very bytes it used). A pending file the parse did not read
 * keeps its placeholder (size and time -1, no hash): no stat matches it and
 * no hash equals it, so the next check reads it and counts it as changed
 * (or as deleted, when it is gone).
 */
export function withReadStates(table: FileTable, pending: readonly number[], states: ReadonlyMap<string, ReadState>): FileTable {
  const out: FileTable = { paths: table.paths.slice(), size: table.size.slice(), mtimeMs: table.mtimeMs.slice(), hash: table.hash.slice() };
  for (const i of pending) {
    const state = states.get(table.paths[i]!);
    if (!state) continue;
    out.size[i] = state.size;
    out.mtimeMs[i] = state.mtimeMs;
    out.hash[i] = state.hash;
  }
  return out;
}

/**
 * The size and modification time of each regular file (links followed)
 * under `folders`, the rows coldFileTable would make, without reading any:
 * names listed, then one stat a name (it tells a file from a folder too; an
 * lstat only for a folder, which is walked unless it is a link, as
 * listFiles walks only real folders). Hidden entries and missing folders
 * skipped; a folder may name a file.
 */
export function statFolders(folders: RootFolders): StatRows {
  const out: StatRows = { paths: [], size: [], mtimeMs: [] };
  const seen = new Set<string>();
  for (const { root, folders: under } of folders) {
    const paths: string[] = [];
    const numbers: number[] = [];
    const walk = (dir: string) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') return;
        const st = statSync(dir, NO_THROW);
        if (st?.isFile()) {
          paths.push(dir);
          numbers.push(st.size, st.mtimeMs);
        }
        return;
      }
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const path = prefix + name;
        const st = statSync(path, NO_THROW);
        if (!st) continue;
        if (st.isFile()) {
          paths.push(path);
          numbers.push(st.size, st.mtimeMs);
        } else if (st.isDirectory() && !lstatSync(path, NO_THROW)?.isSymbolicLink()) walk(path);
      }
    };
    for (const f of under) walk(join(root, f));
    // listFiles' order: this root's paths sorted; a path of an earlier root (or listed twice) kept once, where it came first.
    const order = paths.map((_, i) => i).sort((a, b) => (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0));
    for (const i of order) {
      const path = paths[i]!;
      if (seen.has(path)) continue;
      seen.add(path);
      out.paths.push(path);
      out.size.push(numbers[2 * i]!);
      out.mtimeMs.push(numbers[2 * i + 1]!);
    }
  }
  return out;
}

/**
 * The states of the files `rows` describes. A file whose size and
 * modification time equal its row in `known`, taken at `knownAt` well after
 * that modification, keeps its known hash without being read; every other
 * file is read and hashed (and makes no row when it cannot be read).
 */
export function tableStates(rows: StatRows, known: FileTable, knownAt: number): FileTable {
  // Row i is usually known row i: looked up by path only past the first that is not.
  let at: Map<string, number> | undefined;
  const out = emptyTable();
  for (let i = 0; i < rows.paths.length; i++) {
    const path = rows.paths[i]!;
    const size = rows.size[i]!;
    const mtimeMs = rows.mtimeMs[i]!;
    let j: number | undefined = i;
    if (at !== undefined || known.paths[i] !== path) {
      at ??= indexOfPaths(known.paths);
      j = at.get(path);
    }
    let hash: string;
    if (j !== undefined && known.size[j] === size && known.mtimeMs[j] === mtimeMs && mtimeMs < knownAt - RACY_MS) hash = known.hash[j]!;
    else {
      try {
        hash = hashText(readFileSync(path));
      } catch {
        continue;
      }
    }
    out.paths.push(path);
    out.size.push(size);
    out.mtimeMs.push(mtimeMs);
    out.hash.push(hash);
  }
  return out;
}

/** Each path's row. */
function indexOfPaths(paths: readonly string[]): Map<string, number> {
  const at = new Map<string, number>();
  for (let j = 0; j < paths.length; j++) at.set(paths[j]!, j);
  return at;
}

/** True when `t` has the shape of a FileTable (a parse cache header's, which may be damaged). */
export function isFileTable(t: unknown): t is FileTable {
  const x = t as FileTable | null;
  if (!x || typeof x !== 'object' || !Array.isArray(x.paths) || !Array.isArray(x.size) || !Array.isArray(x.mtimeMs) || !Array.isArray(x.hash)) return false;
  const n = x.paths.length;
  return x.size.length === n && x.mtimeMs.length === n && x.hash.length === n;
}

/** A file's bytes and its stat from the same open file (undefined: it cannot be opened or read, or is not a file). */
function readWithStat(path: string): { st: Stats; bytes: Buffer } | undefined {
  let fd: number;
  try {
    // Non-blocking: a link to a fifo opens at once (and is no regular file), instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const bytes = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    // A file written meanwhile has a later mtime than this fstat's: the next check reads it again.
    return { st, bytes: at === bytes.length ? bytes : bytes.subarray(0, at) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Files added, deleted and changed (by hash) between two tables of states (in `after`'s order; deleted in `before`'s). */
export function diffFileStates(before: FileTable, after: FileTable): { added: string[]; deleted: string[]; changed: string[] } {
  const changed: string[] = [];
  // The same paths in the same order (the usual case): compared row by row, nothing added or deleted.
  if (samePaths(before.paths, after.paths)) {
    for (let i = 0; i < after.paths.length; i++) if (before.hash[i] !== after.hash[i]) changed.push(after.paths[i]!);
    return { added: [], deleted: [], changed };
  }
  const at = indexOfPaths(before.paths);
  const added: string[] = [];
  const present = new Set<string>();
  for (let i = 0; i < after.paths.length; i++) {
    const path = after.paths[i]!;
    present.add(path);
    const j = at.get(path);
    if (j === undefined) added.push(path);
    else if (before.hash[j] !== after.hash[i]) changed.push(path);
  }
  const deleted = before.paths.filter((p) => !present.has(p));
  return { added, deleted, changed };
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The signature of files given in path order with their sizes and
 * modification times (what proves a file unchanged without reading it): a
 * hash of the paths, one a line, then of each file's size and time as
 * 64-bit floats (`numbers`, two a path; no number printed as text).
 */
function signatureOf(paths: readonly string[], numbers: Float64Array): string {
  return crypto.createHash('sha256').update(paths.join('\n')).update('\0').update(new Uint8Array(numbers.buffer, 0, paths.length * 16)).digest('hex');
}

/**
 * rowsSignature of the files `states` describes, or undefined when one was
 * modified too close to `statesAt` for its size and time to prove it
 * unchanged later (the racily clean rule of tableStates).
 */
export function statesSignature(states: FileTable, statesAt: number): string | undefined {
  return racyRows(states, statesAt).length > 0 ? undefined : rowsSignature(states);
}

/** The rows of `states` (taken at `statesAt`) whose size and time cannot prove them unchanged later: only their hash can. */
export function racyRows(states: FileTable, statesAt: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < states.mtimeMs.length; i++) if (!(states.mtimeMs[i]! < statesAt - RACY_MS)) out.push(i);
  return out;
}

/**
 * The signature of stat rows (statFolders'): statesSignature of a table
 * with the same rows, without the racily clean rule (the rows are the
 * files as they are now, not states to prove them by later).
 */
export function rowsSignature(rows: StatRows): string {
  // Rows in strictly ascending path order (statFolders' and a header's, with one root or roots in path order) need no sort.
  if (strictlyAscending(rows.paths)) {
    const numbers = new Float64Array(rows.paths.length * 2);
    for (let i = 0; i < rows.paths.length; i++) {
      numbers[2 * i] = rows.size[i]!;
      numbers[2 * i + 1] = rows.mtimeMs[i]!;
    }
    return signatureOf(rows.paths, numbers);
  }
  const order = rows.paths.map((_, i) => i).sort((a, b) => (rows.paths[a]! < rows.paths[b]! ? -1 : rows.paths[a]! > rows.paths[b]! ? 1 : 0));
  const paths: string[] = [];
  const numbers = new Float64Array(order.length * 2);
  for (const i of order) {
    const path = rows.paths[i]!;
    if (paths.length > 0 && paths[paths.length - 1] === path) continue;
    numbers[paths.length * 2] = rows.size[i]!;
    numbers[paths.length * 2 + 1] = rows.mtimeMs[i]!;
    paths.push(path);
  }
  return signatureOf(paths, numbers);
}

/** True when each path sorts after the one before it (no repeats). */
function strictlyAscending(paths: readonly string[]): boolean {
  for (let i = 1; i < paths.length; i++) if (!(paths[i - 1]! < paths[i]!)) return false;
  return true;
}

/** Folders of files under roots, as listFiles takes them. */
export type RootFolders = readonly { root: string; folders: readonly string[] }[];
