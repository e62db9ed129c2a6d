import * as crypto from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

/** What a file was when it was last looked at: size, modification time and a hash of its bytes. */
export interface FileState {
  size: number;
  mtimeMs: number;
  hash: string;
}

/** Absolute path → state. */
export type FileStates = Record<string, FileState>;

/**
 * A modification time this close to when the states were taken (or later)
 * cannot prove a file unchanged: a write in the same clock tick keeps it.
 * Such files are hashed again (git's "racily clean" rule).
 */
const RACY_MS = 2000;

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

/**
 * The states of `paths`. A file whose size and modification time equal its
 * state in `known`, taken at `knownAt` well after that modification, keeps
 * its known hash without being read; every other file is read and hashed.
 */
export function fileStates(paths: readonly string[], known: FileStates = {}, knownAt = 0): FileStates {
  const out: FileStates = {};
  for (const path of paths) {
    const prev = known[path];
    if (!prev) {
      // Nothing known (a cold parse): one open, fstat and read, where a stat then readFileSync opens and stats twice.
      const read = readWithStat(path);
      if (read) out[path] = { size: read.st.size, mtimeMs: read.st.mtimeMs, hash: hashText(read.bytes) };
      continue;
    }
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (prev.size === st.size && prev.mtimeMs === st.mtimeMs && st.mtimeMs < knownAt - RACY_MS) {
      out[path] = prev;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    out[path] = { size: st.size, mtimeMs: st.mtimeMs, hash: hashText(bytes) };
  }
  return out;
}

/** A file's bytes and its stat from the same open file (undefined: it cannot be opened or read, or is not a file). */
function readWithStat(path: string): { st: Stats; bytes: Buffer } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
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

/** Files added, deleted and changed (by hash) between two sets of states. */
export function diffFileStates(before: FileStates, after: FileStates): { added: string[]; deleted: string[]; changed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [path, s] of Object.entries(after)) {
    const b = before[path];
    if (!b) added.push(path);
    else if (b.hash !== s.hash) changed.push(path);
  }
  const deleted = Object.keys(before).filter((p) => !(p in after));
  return { added, deleted, changed };
}

/** One line per file, in path order: path, size, modification time (what proves a file unchanged without reading it). */
const signatureOf = (rows: [string, number, number][]) => hashText(rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((r) => `${r[0]}\t${r[1]}\t${r[2]}`).join('\n'));

/**
 * A hash of `paths`' sizes and modification times as they are now (a path
 * that cannot be stat'ed makes no row). Equal to statesSignature of states
 * taken of the same files when none has changed size or time since.
 */
export function statSignature(paths: readonly string[]): string {
  const rows: [string, number, number][] = [];
  for (const path of new Set(paths)) {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st) rows.push([path, st.size, st.mtimeMs]);
  }
  return signatureOf(rows);
}

/**
 * statSignature of the files `states` describes, or undefined when one was
 * modified too close to `statesAt` for its size and time to prove it
 * unchanged later (the racily clean rule of fileStates).
 */
export function statesSignature(states: FileStates, statesAt: number): string | undefined {
  const rows: [string, number, number][] = [];
  for (const [path, s] of Object.entries(states)) {
    if (!(s.mtimeMs < statesAt - RACY_MS)) return undefined;
    rows.push([path, s.size, s.mtimeMs]);
  }
  return signatureOf(rows);
}
