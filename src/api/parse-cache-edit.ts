import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, renameSync, rmSync } from 'node:fs';
import { tempPathFor, writeAllAt, type PositionedBytes } from '../util/atomic-write.js';
import { formatMark, type OpenParseCache } from './parse-cache.js';

/**
 * Writes `edits` (each exactly as long as the bytes it replaces: the new
 * header line and the nodes that fit their room) into the parse cache that
 * `cache` was opened from, in place, instead of writing a ~100 MB copy.
 *
 * The protocol, so that no run ever trusts a cache half edited:
 *   1. the file is renamed aside (a temp name in target/): while it is
 *      edited no other command finds it, and of two parses editing at once
 *      only one can rename it (the other copies instead, or parses in full);
 *   2. it must still be the file `cache` opened, with the header read then
 *      (OpenParseCache.unchanged), else it is put back untouched;
 *   3. the header's format digits are zeroed (formatMark): a command that
 *      opened the file before step 1 and reads it now finds it changed
 *      (unchanged() compares the header up to its id) or, opening the
 *      header afresh, no usable cache;
 *   4. the edits, the new header (new id) among them, zeroed too;
 *   5. fdatasync (on the thread pool: this thread goes on meanwhile, e.g.
 *      with manifest.json's copy): the edits are on disk before the file can
 *      read as valid;
 *   6. the format digits written back, and the file renamed into place.
 * Killed anywhere before 6 ends, the cache is gone from its name (or still
 * zeroed): the next parse is a full one. On a power loss the rename of
 * step 6 cannot outlive edits it depends on (step 5).
 *
 * Resolves false, having changed nothing, when the file is not the one
 * `cache` read (replaced, or edited by another parse since): the caller
 * then writes a copy as before. Rejects when writing fails midway (the
 * half-edited file is removed).
 */
export async function editCacheInPlace(path: string, cache: OpenParseCache, edits: readonly PositionedBytes[]): Promise<boolean> {
  const edit = takeAside(path, cache);
  if (!edit) return false;
  try {
    writeMarked(edit, edits);
    await new Promise<void>((resolve, reject) => fdatasync(edit.fd, (e) => (e ? reject(e) : resolve())));
    putBack(edit, path);
    return true;
  } catch (e) {
    discard(edit);
    throw e;
  }
}

/**
 * editCacheInPlace with step 5 on this thread: for a small edit (a header
 * line) made where the caller cannot wait for a promise.
 */
export function editCacheInPlaceSync(path: string, cache: OpenParseCache, edits: readonly PositionedBytes[]): boolean {
  const edit = takeAside(path, cache);
  if (!edit) return false;
  try {
    writeMarked(edit, edits);
    fdatasyncSync(edit.fd);
    putBack(edit, path);
    return true;
  } catch (e) {
    discard(edit);
    throw e;
  }
}

/** The cache renamed aside and open for writing, while edited. */
interface AsideEdit {
  aside: string;
  /** Open while edited; -1 once closed. */
  fd: number;
}

/** Steps 1 and 2: the file renamed aside, if it is still the one `cache` read (else put back); undefined when not. */
function takeAside(path: string, cache: OpenParseCache): AsideEdit | undefined {
  const aside = tempPathFor(path);
  try {
    renameSync(path, aside);
  } catch {
    return undefined;
  }
  let fd: number | undefined;
  try {
    fd = openSync(aside, 'r+');
    if (fstatSync(fd, { bigint: true }).ino === cache.ino() && cache.unchanged()) return { aside, fd };
    closeSync(fd);
    fd = undefined;
    renameSync(aside, path);
    return undefined;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(aside, { force: true });
    throw e;
  }
}

/** Steps 3 and 4: the format digits zeroed, then the edits (around the zeroed digits). */
function writeMarked(edit: AsideEdit, edits: readonly PositionedBytes[]): void {
  const size = fstatSync(edit.fd).size;
  const busy = formatMark(true);
  writeAllAt(edit.fd, busy.bytes, busy.at, edit.aside);
  testCrash('marked');
  for (const e of edits) {
    if (e.at < 0 || e.at + e.bytes.length > size) throw new Error(`an edit at ${e.at} runs past the end of the parse cache`);
    for (const part of aroundMark(e, busy)) writeAllAt(edit.fd, part.bytes, part.at, edit.aside);
  }
  testCrash('edited');
}

/** Step 6, once the edits are on disk: the format digits back, the file renamed into place. */
function putBack(edit: AsideEdit, path: string): void {
  const ready = formatMark(false);
  writeAllAt(edit.fd, ready.bytes, ready.at, edit.aside);
  closeSync(edit.fd);
  edit.fd = -1;
  renameSync(edit.aside, path);
}

/** A failed edit: the half-edited file removed (the next parse is a full one). */
function discard(edit: AsideEdit): void {
  if (edit.fd >= 0) closeSync(edit.fd);
  rmSync(edit.aside, { force: true });
}

/**
 * An edit's bytes less the part of them `mark` covers (the new header keeps
 * the zeroed format written before it until the end): views, no copy of
 * the 1.3 MB header line.
 */
function aroundMark(e: PositionedBytes, mark: { at: number; bytes: Buffer }): PositionedBytes[] {
  const from = Math.max(e.at, mark.at);
  const to = Math.min(e.at + e.bytes.length, mark.at + mark.bytes.length);
  if (from >= to) return [e];
  return [
    { at: e.at, bytes: e.bytes.subarray(0, from - e.at) },
    { at: to, bytes: e.bytes.subarray(to - e.at) },
  ].filter((p) => p.bytes.length > 0);
}

/**
 * Tests only: TSDBT_TEST_CACHE_EDIT_KILL=marked|edited kills the process
 * (SIGKILL: no cleanup runs) at that step, as a crash or power cut would.
 */
function testCrash(step: string): void {
  if (process.env.TSDBT_TEST_CACHE_EDIT_KILL === step) process.kill(process.pid, 'SIGKILL');
}
