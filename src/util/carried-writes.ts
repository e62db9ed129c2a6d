import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Files a thread hands to another along with a message it sends anyway
 * (compile/background-writer.ts's carried writes: a render worker's
 * compiled SQL rides with its next statement to the database connection's
 * worker, which writes it while the database runs the statement), in the
 * background writer's message form: `[0, seq, path, text, seq, path, text, …]`.
 */
export type CarriedWrites = (number | string)[];

/** What became of carried writes: every one was tried; these failed (sequence number, the error's message). */
export interface CarriedAck {
  failed: [number, string][];
}

// Folders this thread made (once each), and of those the ones that did not exist before: a file in one exists
// only if this thread wrote it, so it is written without reading what is there first.
const made = new Set<string>();
const fresh = new Set<string>();
const wrote = new Set<string>();

/**
 * Write carried files here, in order, exactly as the background writer's
 * worker writes a message's files (a temp file renamed over the old one, no
 * fsync, a file that already holds the text left alone); a failure is
 * reported by sequence number for the waiting side to redo (and report).
 */
export function writeCarried(message: CarriedWrites): CarriedAck {
  const failed: [number, string][] = [];
  for (let i = 1; i + 2 < message.length; i += 3) {
    const seq = message[i] as number;
    try {
      writeOne(message[i + 1] as string, message[i + 2] as string);
    } catch (e) {
      failed.push([seq, String((e as Error | undefined)?.message ?? e)]);
    }
  }
  return { failed };
}

function writeOne(path: string, text: string): void {
  const dir = dirname(path);
  if (!made.has(dir)) {
    if (mkdirSync(dir, { recursive: true }) !== undefined) fresh.add(dir);
    made.add(dir);
  }
  // In a folder this thread made, a file it has not written yet is not there to compare with.
  if (!(fresh.has(dir) && !wrote.has(path)) && unchanged(path, text)) return;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    try {
      writeFileSync(tmp, text);
    } catch (e) {
      // The folder went away since (a clean between commands): make it again, once.
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

/** The file already holds exactly this text: reading it costs less than replacing it. */
function unchanged(path: string, text: string): boolean {
  try {
    return readFileSync(path, 'utf8') === text;
  } catch {
    return false;
  }
}
