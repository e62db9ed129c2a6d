import * as crypto from 'node:crypto';
import { fstatSync, lstatSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { withOpenFile } from './file-bytes.js';

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
  return withOpenFile(path, (fd) => {
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
    }
  });
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
 * A hash of `paths`' sizes and modification times as they are now (a path
 * that cannot be stat'ed makes no row). Equal to statesSignature of states
 * taken of the same files when none has changed size or time since.
 */
export function statSignature(paths: readonly string[]): string {
  // The paths are listFiles' (sorted, no repeats) unless proved otherwise.
  const ordered = sortedUnique(paths) ? paths : [...new Set(paths)].sort();
  const found: string[] = [];
  const numbers = new Float64Array(ordered.length * 2);
  for (const path of ordered) {
    const st = statSync(path, NO_THROW);
    if (!st) continue;
    numbers[found.length * 2] = st.size;
    numbers[found.length * 2 + 1] = st.mtimeMs;
    found.push(path);
  }
  return signatureOf(found, numbers);
}

const NO_THROW = { throwIfNoEntry: false } as const;

/** True when each path sorts strictly after the one before (sort()'s order). */
function sortedUnique(paths: readonly string[]): boolean {
  for (let i = 1; i < paths.length; i++) if (!(paths[i - 1]! < paths[i]!)) return false;
  return true;
}

/**
 * statSignature of the files `states` describes, or undefined when one was
 * modified too close to `statesAt` for its size and time to prove it
 * unchanged later (the racily clean rule of fileStates).
 */
export function statesSignature(states: FileStates, statesAt: number): string | undefined {
  const paths = Object.keys(states).sort();
  const numbers = new Float64Array(paths.length * 2);
  for (let i = 0; i < paths.length; i++) {
    const s = states[paths[i]!]!;
    if (!(s.mtimeMs < statesAt - RACY_MS)) return undefined;
    numbers[i * 2] = s.size;
    numbers[i * 2 + 1] = s.mtimeMs;
  }
  return signatureOf(paths, numbers);
}

/** Folders of files under roots, as listFiles takes them. */
export type RootFolders = readonly { root: string; folders: readonly string[] }[];

/**
 * statSignature of every file listFiles finds under `folders`, listing
 * names only and taking each entry's kind from the stat the signature
 * needs anyway (an lstat only where a stat cannot tell a link from what it
 * points to): one system call and no Dirent a file.
 */
export function statSignatureOfFolders(folders: RootFolders): string {
  const all: string[] = [];
  const allNumbers: number[] = [];
  for (const { root, folders: under } of folders) {
    const paths: string[] = [];
    const numbers: number[] = [];
    const row = (path: string, st: Stats) => {
      paths.push(path);
      numbers.push(st.size, st.mtimeMs);
    };
    const walk = (dir: string) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') return;
        // A folder naming a file: listFiles lists it.
        const st = statSync(dir, NO_THROW);
        if (st) row(dir, st);
        return;
      }
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const path = prefix + name;
        const st = statSync(path, NO_THROW);
        // Gone since the listing, or a link to nothing: listFiles may list it, statSignature makes no row of it.
        if (!st) continue;
        if (st.isFile()) row(path, st);
        else if (lstatSync(path, NO_THROW)?.isSymbolicLink()) row(path, st);
        else if (st.isDirectory()) walk(path);
      }
    };
    for (const f of under) walk(join(root, f));
    // listFiles' order (sorted, repeats dropped), then statSignature's over all roots.
    const order = paths.map((_, i) => i).sort((a, b) => (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0));
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      if (k > 0 && paths[i] === paths[order[k - 1]!]) continue;
      all.push(paths[i]!);
      allNumbers.push(numbers[2 * i]!, numbers[2 * i + 1]!);
    }
  }
  if (sortedUnique(all)) return signatureOf(all, Float64Array.from(allNumbers));
  const firstAt = new Map<string, number>();
  all.forEach((p, i) => firstAt.has(p) || firstAt.set(p, i));
  const ordered = [...firstAt.keys()].sort();
  const numbers = new Float64Array(ordered.length * 2);
  ordered.forEach((p, k) => {
    const i = firstAt.get(p)!;
    numbers[2 * k] = allNumbers[2 * i]!;
    numbers[2 * k + 1] = allNumbers[2 * i + 1]!;
  });
  return signatureOf(ordered, numbers);
}

