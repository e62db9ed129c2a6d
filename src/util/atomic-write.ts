import { close, closeSync, copyFileSync, fstat, fstatSync, fsync, fsyncSync, ftruncateSync, mkdirSync, open, openSync, read, rename, renameSync, rmSync, write, writeSync, type BigIntStats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * Every file tsdbt writes as a result (artifacts, compiled SQL, catalog,
 * extract state, lock files) is written here: to a temp file in the same
 * folder, then renamed over the old file. A reader never sees half a file,
 * a full disk or a failed command leaves the previous file as it was, and
 * the temp file is removed whatever happens. A failure is a TARGET_WRITE
 * error naming the path and what was being written.
 */
export interface AtomicWriteOptions {
  /**
   * fsync the file before the rename and its folder after it, so the file
   * outlives a power cut. Default true, for what tsdbt cannot make again
   * (extract output and state, lock files, package lists, run results, the
   * catalog). Files any later command regenerates skip it, as dbt fsyncs
   * none of its artifacts: manifest.json, semantic_manifest.json, the parse
   * cache and its side files, compiled SQL (an fsync costs ~1 ms a small
   * file; the 90 MB manifest.json's kept a 10,000-model `parse` waiting
   * ~140 ms). The rename keeps them all-or-nothing all the same; after a
   * power cut one may be cut short or empty, which its reader takes as no
   * file (the parse cache and the splice map: a full parse; manifest.json:
   * written again).
   */
  durable?: boolean;
}

/** The temp name of `path` while it is written: `<path>.tmp-<pid>-<random>`, in the same folder (a rename never crosses file systems). */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Write `data` to `path` atomically (parent folders created). `what` says what the file is, for the error: 'run results', 'the manifest'. */
export function writeFileAtomic(path: string, data: string | Uint8Array, what: string, options: AtomicWriteOptions = {}): void {
  writeChunksAtomic(path, what, (write) => write(data), options);
}

/**
 * As writeFileAtomic, for content too large to hold as one string: `produce`
 * calls `write` with the file's contents piece by piece (the streamed manifest).
 */
export function writeChunksAtomic(path: string, what: string, produce: (write: (data: string | Uint8Array) => void) => void, options: AtomicWriteOptions = {}): void {
  replaceAtomically(path, what, options, (tmp, durable) => {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      produce((data) => writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data, path));
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * The frame both writers share: `fill` makes the temp file (fsync'd when
 * durable), which is then renamed over `path` (and the folder fsync'd); on
 * any failure the temp file is removed and the error names `path`.
 */
function replaceAtomically(path: string, what: string, options: AtomicWriteOptions, fill: (tmp: string, durable: boolean) => void): void {
  const durable = options.durable ?? true;
  const tmp = tempPathFor(path);
  try {
    fill(tmp, durable);
    renameSync(tmp, path);
    if (durable) syncFolder(dirname(path));
  } catch (e) {
    removeQuietly(tmp);
    throw fileWriteError(path, what, e);
  }
}

/**
 * As writeChunksAtomic (durable), with the file's fsync on libuv's thread
 * pool while `meanwhile` runs on this thread; the rename waits for both.
 * When `meanwhile` throws, the write is abandoned (temp file removed) and
 * its error thrown as it is.
 */
export async function writeChunksAtomicWhile<T>(path: string, what: string, produce: (write: (data: string | Uint8Array) => void) => void, meanwhile: () => T): Promise<T> {
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  const abandon = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    removeQuietly(tmp);
  };
  let synced: Promise<void>;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const out = (fd = openSync(tmp, 'w'));
    produce((data) => writeAll(out, typeof data === 'string' ? Buffer.from(data) : data, path));
    synced = new Promise((resolve, reject) => fsync(out, (e) => (e ? reject(e) : resolve())));
  } catch (e) {
    abandon();
    throw fileWriteError(path, what, e);
  }
  let result: T;
  try {
    result = meanwhile();
  } catch (e) {
    await synced.catch(() => undefined);
    abandon();
    throw e;
  }
  try {
    await synced;
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    syncFolder(dirname(path));
  } catch (e) {
    abandon();
    throw fileWriteError(path, what, e);
  }
  return result;
}

/** A part of a file written by startPiecesWrite: `length` bytes of open file `fd` from offset `at`, or these bytes. */
export type FilePiece = { fd: number; at: number; length: number } | Uint8Array;

/** A write startPiecesWrite began. */
export interface PiecesWrite {
  /** Every byte written (the temp file's fstat: its size, time and inode are the file's once renamed; the fsync, if durable, is then under way). */
  readonly written: Promise<BigIntStats>;
  /**
   * After `written`: the fsync awaited (durable), then the file renamed over `path` and (durable) its folder
   * fsync'd. Called once `written` has resolved on a write that is not durable, it has handed the rename to the
   * thread pool by the time it returns.
   */
  commit(): Promise<void>;
  /** Give up (what is in flight awaited first): the temp file is removed, `path` left as it was. */
  abandon(): Promise<void>;
}

/** Bytes a copy lane moves at once: 8 MB buffers cost twice the CPU of 1 MB ones (the second copy misses the caches). */
const PIECE_CHUNK = 1 << 20;
/** Chunks in flight at once (libuv's pool has 4 threads). */
const PIECE_LANES = 3;

/**
 * Write `path` atomically, as writeChunksAtomic does, as `pieces` one
 * after another, on libuv's thread pool while this thread goes on: ranges
 * of other files are read and written a chunk at a time, a few chunks at
 * once (parse-splice.ts's 90 MB copy of manifest.json with a few bytes
 * changed), then (when durable) the file is fsync'd. `written` resolves
 * when every byte is written; commit() renames the file into place once
 * the fsync is done. Failures reject as TARGET_WRITE errors naming `path`
 * (call abandon() then); the test fault (setWriteFaultForTests) applies.
 */
export function startPiecesWrite(path: string, what: string, pieces: readonly FilePiece[], options: AtomicWriteOptions = {}): PiecesWrite {
  const durable = options.durable ?? true;
  const tmp = tempPathFor(path);
  let out: number | undefined;
  let synced: Promise<void> | undefined;
  const fail = (e: unknown) => fileWriteError(path, what, e);
  const jobs: { fd?: number; at: number; length: number; bytes?: Uint8Array; to: number }[] = [];
  let to = 0;
  for (const p of pieces) {
    if (p instanceof Uint8Array) {
      if (p.length > 0) jobs.push({ bytes: p, at: 0, length: p.length, to });
      to += p.length;
      continue;
    }
    for (let at = 0; at < p.length; at += PIECE_CHUNK) jobs.push({ fd: p.fd, at: p.at + at, length: Math.min(PIECE_CHUNK, p.length - at), to: to + at });
    to += p.length;
  }
  const lane = async (fd: number) => {
    const buffer = Buffer.allocUnsafe(PIECE_CHUNK);
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      if (job.bytes) await writeAllAtAsync(fd, job.bytes, job.to, path);
      else await writeAllAtAsync(fd, await readExactlyAsync(job.fd!, buffer, job.length, job.at), job.to, path);
    }
  };
  let allWritten = false;
  const written = (async () => {
    mkdirSync(dirname(path), { recursive: true });
    const fd = (out = await new Promise<number>((resolve, reject) => open(tmp, 'w', (e, fd) => (e ? reject(e) : resolve(fd)))));
    await Promise.all(Array.from({ length: PIECE_LANES }, () => lane(fd)));
    const st = await new Promise<BigIntStats>((resolve, reject) => fstat(fd, { bigint: true }, (e, st) => (e ? reject(e) : resolve(st))));
    synced = durable ? new Promise((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve()))) : Promise.resolve();
    synced.catch(() => undefined);
    allWritten = true;
    return st;
  })().catch((e: unknown) => {
    throw fail(e);
  });
  written.catch(() => undefined);
  const settle = async () => {
    jobs.length = 0;
    await written.catch(() => undefined);
    await synced?.catch(() => undefined);
  };
  return {
    written,
    commit() {
      // Not durable, every byte written: the rename goes to the thread pool before commit returns, so the caller's
      // next work overlaps it (ext4 starts the file's writeback in a rename over another file: 10-50 ms at 90 MB).
      if (allWritten && !durable) {
        try {
          closeSync(out!);
          out = undefined;
        } catch (e) {
          return Promise.reject(fail(e));
        }
        return new Promise<void>((resolve, reject) => rename(tmp, path, (e) => (e ? reject(fail(e)) : resolve())));
      }
      return (async () => {
        await written;
        try {
          await synced;
          await new Promise<void>((resolve, reject) => close(out!, (e) => (e ? reject(e) : resolve())));
          out = undefined;
          await new Promise<void>((resolve, reject) => rename(tmp, path, (e) => (e ? reject(e) : resolve())));
        } catch (e) {
          throw fail(e);
        }
        if (durable) syncFolder(dirname(path));
      })();
    },
    async abandon() {
      await settle();
      if (out !== undefined) closeSync(out);
      out = undefined;
      removeQuietly(tmp);
    },
  };
}

/** `length` bytes of `fd` from `at` into `buffer` (a view of them), on the thread pool; rejects when the file ends first. */
function readExactlyAsync(fd: number, buffer: Buffer, length: number, at: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const next = (got: number) =>
      read(fd, buffer, got, length - got, at + got, (e, n) => {
        if (e) reject(e);
        else if (n === 0) reject(new Error('the file being copied was cut short'));
        else if (got + n < length) next(got + n);
        else resolve(buffer.subarray(0, length));
      });
    next(0);
  });
}

/** As writeAllAt, on the thread pool. */
function writeAllAtAsync(fd: number, bytes: Uint8Array, position: number, path: string): Promise<void> {
  const fault = faultFor(path);
  const stopAt = fault ? Math.floor(bytes.length / 2) : bytes.length;
  return new Promise((resolve, reject) => {
    const next = (at: number) => {
      if (at >= stopAt) {
        if (fault) reject(fault);
        else resolve();
        return;
      }
      write(fd, bytes, at, stopAt - at, position + at, (e, n) => (e ? reject(e) : next(at + n)));
    };
    next(0);
  });
}

/** Bytes to write at an offset of a file. */
export interface PositionedBytes {
  at: number;
  bytes: Uint8Array;
}

/**
 * Write `path` as a copy of file `source` with `edits` written over it at
 * their offsets (the file's length unchanged), atomically as
 * writeChunksAtomic does: the kernel copies `source` to a temp file (no
 * byte passes through JS), the edits go into the copy, the copy is renamed
 * over `path`. `check` runs after the copy and throws when the source may
 * no longer be the file meant (replaced meanwhile).
 */
export function copyWithEditsAtomic(source: string, path: string, what: string, edits: readonly PositionedBytes[], check: () => void, options: AtomicWriteOptions = {}): void {
  replaceAtomically(path, what, options, (tmp, durable) => {
    copyFileSync(source, tmp);
    check();
    const fd = openSync(tmp, 'r+');
    try {
      const size = fstatSync(fd).size;
      for (const e of edits) {
        if (e.at < 0 || e.at + e.bytes.length > size) throw new Error(`an edit at ${e.at} runs past the end of ${what}`);
        writeAllAt(fd, e.bytes, e.at, path);
      }
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * Put a finished temp file (one another writer made, e.g. DuckDB's Parquet)
 * in place of `path`: fsync it, rename it, fsync the folder. On failure the
 * temp file is removed and the error names `path`.
 */
export function commitTempFile(tmp: string, path: string, what: string): void {
  try {
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    injectedFault(path);
    renameSync(tmp, path);
    syncFolder(dirname(path));
  } catch (e) {
    removeQuietly(tmp);
    throw fileWriteError(path, what, e);
  }
}

/**
 * Append `text` to a log file (logs/dbt.log grows across runs, so it is not
 * rewritten): all of it or none of it. A failed append is cut back to the
 * file's previous length, so the log never ends in half a line.
 */
export function appendFileWhole(path: string, text: string, what: string): void {
  let fd: number | undefined;
  let before = 0;
  try {
    fd = openSync(path, 'a');
    before = fstatSync(fd).size;
    writeAll(fd, Buffer.from(text), path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        ftruncateSync(fd, before);
      } catch {
        // Nothing more can be done: the error below still names the file.
      }
    }
    throw fileWriteError(path, what, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The error of a failed write: the path, what it held, the system's reason; the previous file is untouched. */
export function fileWriteError(path: string, what: string, e: unknown): TsdbtError {
  if (e instanceof TsdbtError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  const full = (e as { code?: string } | null)?.code === 'ENOSPC';
  // The path is in the message, not `file`: the error is about the file written, not a place in the project to fix.
  return new TsdbtError('TARGET_WRITE', `Could not write ${what} to ${path}: ${reason}`, {
    detail: { path },
    hint: full
      ? 'The disk is full: free space there and run again. The previous file at that path is unchanged.'
      : 'Check that the folder exists and is writable, and run again. The previous file at that path is unchanged.',
    cause: e,
  });
}

/** Remove a temp file if it is there; a failure here must not hide the write's own error. */
function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // The folder is gone or unreadable: there is no temp file to leave behind.
  }
}

function writeAll(fd: number, bytes: Uint8Array, path: string): void {
  writeAllAt(fd, bytes, null, path);
}

/**
 * All of `bytes` at offset `position` (null: at the file's current offset).
 * An injected fault for `path` writes half of them first, as a disk filling
 * mid-write does, then throws.
 */
export function writeAllAt(fd: number, bytes: Uint8Array, position: number | null, path: string): void {
  let at = 0;
  const fault = faultFor(path);
  const stopAt = fault ? Math.floor(bytes.length / 2) : bytes.length;
  while (at < stopAt) at += writeSync(fd, bytes, at, stopAt - at, position === null ? null : position + at);
  if (fault) throw fault;
}

/** fsync a folder so the rename itself survives a crash; some systems cannot open a folder, and then the rename stands as it is. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (Windows): the data is synced, the rename is the system's to keep.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// ---- Test seam -----------------------------------------------------------

/**
 * Tests only: writes to a path ending with this variable's value fail as a
 * full disk does (half the bytes written, then ENOSPC). An environment
 * variable, not a module setting, so the render workers and the compiled-SQL
 * writer of a run (other threads) see it too.
 */
const FAULT_ENV = 'TSDBT_TEST_WRITE_FAULT';

/** Tests only: make writes to paths ending with `pathSuffix` fail with ENOSPC; `null` clears it. */
export function setWriteFaultForTests(pathSuffix: string | null): void {
  if (pathSuffix === null) delete process.env[FAULT_ENV];
  else process.env[FAULT_ENV] = pathSuffix;
}

/** True while a test fault is set (BackgroundWriter then writes on the calling thread, through here). */
export function writeFaultActive(): boolean {
  return process.env[FAULT_ENV] !== undefined;
}

function faultFor(path: string, syscall = 'write'): NodeJS.ErrnoException | null {
  const suffix = process.env[FAULT_ENV];
  return suffix !== undefined && path.endsWith(suffix) ? enospc(syscall) : null;
}

function injectedFault(path: string): void {
  const f = faultFor(path, 'rename');
  if (f) throw f;
}

/** A full-disk error as Node raises it, for tests and the seam. */
export function enospc(syscall = 'write'): NodeJS.ErrnoException {
  const e = new Error(`ENOSPC: no space left on device, ${syscall}`) as NodeJS.ErrnoException;
  e.code = 'ENOSPC';
  e.errno = -28;
  e.syscall = syscall;
  return e;
}

