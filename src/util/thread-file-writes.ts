import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Compiled-SQL files as a helper thread writes them for another (the
 * background writer's worker, compile/background-writer-worker.ts, and a
 * carrier of carried writes, carried-writes.ts): no fsync, and the folders
 * this thread made remembered, so a file in one of them that this thread has
 * not written yet is known absent without a read. Each thread that imports
 * this module has its own memory of them.
 */

// Folders this thread made (once each), and of those the ones that did not exist before.
const made = new Set<string>();
const fresh = new Set<string>();
// Files written in a fresh folder: only these can be there to compare with.
const wrote = new Set<string>();

/** Make `dir` once per thread; remembers whether this call created it. */
function ensureFolder(dir: string): void {
  if (made.has(dir)) return;
  if (mkdirSync(dir, { recursive: true }) !== undefined) fresh.add(dir);
  made.add(dir);
}

/**
 * Replace `path` with `text` through a temp file renamed over it (never a half
 * file, no temp file left on failure); a file already holding exactly `text`
 * is left as it is. A folder removed since it was made (a clean between
 * commands) is made again, once.
 */
export function writeReplacing(path: string, text: string): void {
  const dir = dirname(path);
  ensureFolder(dir);
  if (!(fresh.has(dir) && !wrote.has(path)) && holds(path, text)) return;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    try {
      writeFileSync(tmp, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') throw e;
      fresh.delete(dir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, text);
    }
    renameSync(tmp, path);
    if (fresh.has(dir)) wrote.add(path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Create `path` (which must not exist: a staged folder no reader looks at
 * yet) and write `text` in place, without a temp file; a file left half
 * written by a failure is removed.
 */
export function writeNew(path: string, text: string): void {
  const dir = dirname(path);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const fd = openSync(path, 'wx');
  try {
    writeFileSync(fd, text);
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw e;
  }
  closeSync(fd);
}

/** The file already holds exactly this text: reading it costs less than replacing it (a new file, a rename, the old blocks freed). */
function holds(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}
