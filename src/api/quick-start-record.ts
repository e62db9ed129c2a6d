import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readAt, readFirstLine, withOpenFile } from '../util/file-bytes.js';
import { hashText, racyRows, rowsSignature, type FileTable } from '../util/file-states.js';
import { tsdbtBuild } from '../util/tsdbt-version.js';
import { fastPaths } from '../util/fast-paths.js';
import type { LoadedProject } from './load-project.js';
import { replayedWarnings } from './replayed-warnings.js';
import { parseInputFolders, PARSE_CACHE_FILE, type ParseCacheHeader } from './parse-cache.js';
import { dbtEnvHash, INDEXED_MESSAGE, QUICK_START_FILE, QUICK_START_FORMAT, REFRESHED_MESSAGE, type QuickStartRecord } from './quick-start.js';
import { targetDirOf } from './target-dir.js';

/** At most this many racily clean input files are vouched for by hash in a record (quick-start.ts QuickStartRecord.racy). */
const MAX_RACY = 32;

/** The input files' states a command found equal (by hash) to the cache's, taken at `statesAt` (else the header's own are used). */
export interface CheckedStates {
  id: string;
  files: FileTable;
  statesAt: number;
}

/**
 * Write the quick start record (quick-start.ts) for `loaded`, whose parse
 * cache key is `key`: called when a command found that
 * cache valid or wrote it. Writes nothing when it cannot vouch for the
 * cache (another key, a file modified too recently, a load whose templates
 * are not a function of their inputs), removing an older record then.
 * Never fails the command.
 */
export function recordQuickStart(loaded: LoadedProject, key: string, checked?: CheckedStates): void {
  if (!fastPaths()) return;
  const targetDir = targetDirOf(loaded);
  const path = join(targetDir, QUICK_START_FILE);
  try {
    const record = recordFor(loaded, key, targetDir, checked);
    if (record) writeFileAtomic(path, JSON.stringify(record), 'the quick start record', { durable: false });
    else rmSync(path, { force: true });
  } catch {
    try {
      rmSync(path, { force: true });
    } catch {
      // no record is a full start next time, nothing worse
    }
  }
}

function recordFor(loaded: LoadedProject, key: string, targetDir: string, checked?: CheckedStates): QuickStartRecord | undefined {
  if (loaded.reads.impure || !loaded.partialParse) return undefined;
  const path = join(targetDir, PARSE_CACHE_FILE);
  const known = justWritten?.path === path && startsWith(path, justWritten.prefix) ? justWritten : undefined;
  const head = known ? known.line : readHeaderLine(path);
  if (!head) return undefined;
  const header = known ? known.header : (JSON.parse(head.toString('utf8')) as ParseCacheHeader);
  if (header.key !== key || header.build !== tsdbtBuild()) return undefined;
  const states = checked && checked.id === header.id ? checked : header;
  // A file modified just before the states were taken (racily clean: a parse right after an edit) is vouched
  // for by its hash, read again by each quick start; more than a few, and the quick start would be a full check.
  const racy = racyRows(states.files, states.statesAt);
  if (racy.length > MAX_RACY) return undefined;
  const signature = rowsSignature(states.files);
  return {
    format: QUICK_START_FORMAT,
    build: tsdbtBuild(),
    cwd: process.cwd(),
    options: loaded.reads.options,
    files: loaded.reads.files,
    env: loaded.reads.env,
    dbtEnv: dbtEnvHash(loaded.env),
    loadWarnings: loaded.warnings,
    cache: { id: header.id, key, headerBytes: head.length, headerHash: hashText(head), indexBytes: header.indexBytes },
    parseEnv: header.envRead,
    // What a nothing-changed parse shows: duplicate-key warnings only when their file is read again.
    parseWarnings: replayedWarnings(header.warnings, []),
    folders: parseInputFolders(loaded),
    signature,
    racy: racy.map((i) => ({ path: states.files.paths[i]!, hash: states.files.hash[i]! })),
    targetDir,
    messages: { refreshed: redacted(loaded, REFRESHED_MESSAGE), indexed: redacted(loaded, INDEXED_MESSAGE) },
  };
}

/** `message` as the load's logger passes it on (secret values removed). */
function redacted(loaded: LoadedProject, message: string): string {
  return loaded.secrets.redact(message);
}

/** The header line a splice just wrote (rememberCacheHeader). */
let justWritten: { path: string; line: Buffer; header: ParseCacheHeader; prefix: Buffer } | undefined;

/**
 * The header line (without its newline) just written to the parse cache at
 * `path` (parse-splice.ts), so that recording the quick start need not read
 * and parse it again: it is used only while the file still opens with the
 * same bytes up to the header's id (a cache written since has another id;
 * one being edited, zeroed format digits).
 */
export function rememberCacheHeader(path: string, line: Buffer, header: ParseCacheHeader): void {
  const id = Buffer.from(`"id":${JSON.stringify(header.id)}`);
  const at = line.indexOf(id);
  justWritten = at < 0 ? undefined : { path, line, header, prefix: line.subarray(0, at + id.length) };
}

/** True when the file at `path` starts with `prefix`. */
function startsWith(path: string, prefix: Buffer): boolean {
  return withOpenFile(path, (fd) => {
    try {
      return readAt(fd, 0, prefix.length).equals(prefix);
    } catch {
      return false;
    }
  }) ?? false;
}

/** The parse cache's first line (its header), without the newline. */
function readHeaderLine(path: string): Buffer | undefined {
  return withOpenFile(path, (fd) => readFirstLine(fd)?.line);
}
