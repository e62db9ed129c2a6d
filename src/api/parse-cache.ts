import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JsonByteWriter, type JsonSpans, type WrittenValues } from '../artifacts/json-byte-writer.js';
import { jinjaFlags, metadataEnvs } from '../context/flags.js';
import type { MacroFile } from '../context/macro-registry.js';
import type { CompiledNode, Manifest, RefCall, SourceLocation } from '../manifest/types.js';
import type { CachedParse } from '../project/partial-parse.js';
import type { SemanticManifest } from '../semantic/types.js';
import { writeChunksAtomic, writeFileAtomic } from '../util/atomic-write.js';
import { readAt, readFirstLine } from '../util/file-bytes.js';
import { coldFileTable, coldFileTableDeferring, diffFileStates, hashText, isFileTable, statFolders, tableStates, type FileTable, type RootFolders } from '../util/file-states.js';
import { nodeFilePaths } from '../project/sql-node-files.js';
import { fastPaths } from '../util/fast-paths.js';
import { PRESTAT_HINT_FILE, takePrestat } from '../util/pre-stat.js';
import { tsdbtBuild } from '../util/tsdbt-version.js';
import type { LoadedProject } from './load-project.js';
import { keyedTarget, parseEnv } from './parse-env.js';
import { isSelectionIndex, selectionIndex, type SelectionIndex } from './selection-index.js';
import { processAlive } from '../util/process-alive.js';
import { takeProvedHeaderLine } from './quick-start.js';
import { selectorsCacheKey } from './project-selectors.js';
import { targetDirOf } from './target-dir.js';

/**
 * The parse cache, `target/partial_parse.json`, three lines of JSON:
 *   1. the header (format, tsdbt build, key, this cache's id, the input file
 *      states, the env vars read, the parse's warnings, the index's length):
 *      enough to tell whether anything changed;
 *   2. the selection index (selection-index.ts): what `ls` selects and prints with;
 *   3. the body: the parse itself.
 * A command reads the header first and the rest only when it needs it
 * (`parse` with nothing changed reads nothing else, `ls` only the index).
 * JSON.parse loaded a 10,000-model body 2-3x faster than v8.deserialize of
 * the same body at the same size (v8's format repeats property names as
 * JSON does); see bench/partial-parse.bench.mjs.
 */
export const PARSE_CACHE_FILE = 'partial_parse.json';
const FORMAT = 4;

export const CHANGED_WHILE_READ = 'another parse changed it while it was read';

/**
 * The header's format digits, or with `busy` zeros of the same width: an
 * in-place edit (parse-cache-edit.ts) writes these first and the real ones
 * last, so an edit under way or cut short reads as no cache (format 0).
 */
export function formatMark(busy: boolean): { at: number; bytes: Buffer } {
  return { at: '{"format":'.length, bytes: Buffer.from(busy ? '0'.repeat(String(FORMAT).length) : String(FORMAT)) };
}

export interface ParseCacheHeader {
  format: number;
  build: string;
  key: string;
  /** Names this cache: what the artifacts record (written-artifacts.ts) says it was written from. */
  id: string;
  /** Every input file's state when the parse began. */
  files: FileTable;
  statesAt: number;
  /** Environment variables the parse read: name → hash of the value (null: unset). Never the value. */
  envRead: Record<string, string | null>;
  /** The parse's own warnings (the body's parse.warnings). */
  warnings: string[];
  /** Bytes of the selection index line. */
  indexBytes: number;
}

export interface ParseCacheBody {
  parse: CachedParse;
  macroFiles: readonly MacroFile[];
  semantic: SemanticManifest;
  /**
   * Where each ref call was written (`at` is not enumerable, so serialization
   * drops it): node key → per ref, its line when in the node's own file, else [file, line].
   */
  refAt: Record<string, RefAt[]>;
}

/** What a cache holds besides its header, as writeParseCache takes it. */
export type ParseCacheContents = Pick<ParseCacheHeader, 'files' | 'statesAt' | 'envRead'> & Omit<ParseCacheBody, 'refAt'>;

/**
 * What must be equal for a cached parse to be reused at all, hashed: the
 * tsdbt build, every package's rendered dbt_project.yml (project vars and
 * env_var() calls in it included), --vars, the profile and target, the
 * adapter, selectors.yml (the manifest keeps its selectors), and the flags
 * templates see at parse. dbt keys on no flag at
 * all; here WHICH is left out (`ls` reuses what `parse` wrote), as is
 * WRITE_JSON (which artifacts a command writes: a run with --no-write-json
 * reuses the cache), and an unset flag counts as false (`parse` leaves
 * FULL_REFRESH unset, `run` sets it false).
 */
export function parseCacheKey(loaded: LoadedProject, flags: Record<string, unknown>): string {
  const seen: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jinjaFlags({ ...loaded.pathFlags, ...flags }))) if (k !== 'WHICH' && k !== 'WRITE_JSON') seen[k] = v === null || v === undefined ? false : v;
  const a = loaded.adapter;
  return hashText(JSON.stringify({
    format: FORMAT,
    build: tsdbtBuild(),
    projectDir: loaded.projectDir,
    packages: loaded.packages.map((p) => ({ kind: p.kind, config: p.config })),
    vars: loaded.cliVars,
    target: keyedTarget(loaded.target),
    profile: { name: loaded.profile.profileName, target: loaded.profile.targetName, type: loaded.profile.type, credentials: loaded.profile.credentials },
    adapter: { type: a.type, chain: a.adapterChain, quoteChar: a.quoteChar, quotePolicy: a.quotePolicy, capabilities: a.capabilities, database: a.database, schema: a.schema },
    flags: seen,
    customEnv: metadataEnvs(loaded.env),
    selectors: selectorsCacheKey(loaded.projectDir, loaded.selectorsText),
  }));
}

/** The folders of every package whose files can change a parse, with its dbt_project.yml. */
export function parseInputFolders(loaded: LoadedProject): { root: string; folders: string[] }[] {
  return loaded.packages.map((p) => {
    const c = p.config;
    return { root: c.root, folders: [...new Set(['dbt_project.yml', ...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.analysisPaths, ...c.macroPaths, ...c.testPaths, ...(c.docsPaths ?? [])])] };
  });
}

/**
 * An open parse cache whose header was read: the index and body are read
 * from the same open file, so a cache another process writes meanwhile
 * (renamed over this one) is never mixed with it. Close it when done.
 */
export class OpenParseCache {
  private fd: number | undefined;

  /**
   * `line`: the header line as read (its padding included, not its newline; a splice makes the new one from it,
   * cache-header-patch.ts); `prefix`: its bytes up to and including the id (what unchanged() compares).
   */
  constructor(fd: number, readonly header: ParseCacheHeader, readonly indexStart: number, private readonly prefix: Buffer, readonly line: Buffer) {
    this.fd = fd;
  }

  /**
   * True while the file still opens with the header read at open: no
   * in-place edit (parse-cache-edit.ts) began since, for an edit first
   * marks the header (formatMark) and ends with a new id. Call it after
   * reading: what was read is then the cache the header describes.
   */
  unchanged(): boolean {
    if (this.fd === undefined) return false;
    try {
      return readAt(this.fd, 0, this.prefix.length).equals(this.prefix);
    } catch {
      return false;
    }
  }

  /** The header's bytes up to and including its id: what unchanged() compares (mapped-cache-body.ts CacheBytes too). */
  get idPrefix(): Buffer {
    return this.prefix;
  }

  /** The selection index (line 2), or why it cannot be read. */
  index(): { index: SelectionIndex } | { reason: string } {
    try {
      const text = this.read(this.indexStart, this.header.indexBytes);
      if (!this.unchanged()) return { reason: CHANGED_WHILE_READ };
      const index = JSON.parse(text) as unknown;
      if (!isSelectionIndex(index)) return { reason: 'the saved selection index is incomplete' };
      return { index };
    } catch (e) {
      return { reason: `the saved selection index could not be read (${(e as Error).message.split('\n')[0]})` };
    }
  }

  /** The body (line 3), or why it cannot be read. */
  body(): { body: ParseCacheBody } | { reason: string } {
    try {
      const start = this.indexStart + this.header.indexBytes + 1;
      const text = this.read(start, fstatSync(this.fd!).size - start);
      if (!this.unchanged()) return { reason: CHANGED_WHILE_READ };
      const body = JSON.parse(text) as ParseCacheBody;
      if (!body || typeof body !== 'object' || !body.parse?.manifest || !body.macroFiles) return { reason: 'the saved manifest is incomplete' };
      restoreRefLocations(body.parse.manifest, body.refAt ?? {});
      return { body };
    } catch (e) {
      return { reason: `the saved manifest could not be read (${(e as Error).message.split('\n')[0]})` };
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private read(at: number, length: number): string {
    return this.bytes(at, length).toString('utf8');
  }

  /** `length` bytes of the file from `at` (parse-splice.ts reads single entries of the body). */
  bytes(at: number, length: number, into?: Buffer): Buffer {
    if (this.fd === undefined) throw new Error('the parse cache is closed');
    return readAt(this.fd, at, length, into);
  }

  /** The file's inode (parse-cache-edit.ts edits only the file opened here). */
  ino(): bigint {
    if (this.fd === undefined) throw new Error('the parse cache is closed');
    return fstatSync(this.fd, { bigint: true }).ino;
  }

  /** The file's size in bytes. */
  size(): number {
    if (this.fd === undefined) throw new Error('the parse cache is closed');
    return fstatSync(this.fd).size;
  }
}

/** The cache at `path`, its header read, if it was written by this build under `key`; otherwise why not (dbt's "Unable to do partial parsing because ..."). */
export function openParseCache(path: string, key: string): { cache: OpenParseCache } | { reason: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { reason: 'saved manifest not found. Starting full parse.' };
  }
  try {
    const first = provedFirstLine(fd, path) ?? readFirstLine(fd);
    if (!first) throw new Error('no end of header');
    const header = JSON.parse(first.line.toString('utf8')) as Partial<ParseCacheHeader>;
    let reason: string | undefined;
    if (header.format === 0) reason = 'another parse is updating it';
    else if (header.format !== FORMAT || header.build !== tsdbtBuild()) reason = 'of a version mismatch';
    else if (header.key !== key) reason = 'config vars, config profile, config target, flags or a project config have changed';
    else if (typeof header.id !== 'string' || !isFileTable(header.files) || !header.envRead || !Array.isArray(header.warnings) || typeof header.indexBytes !== 'number') reason = 'the saved manifest is incomplete';
    if (reason) {
      closeSync(fd);
      return { reason };
    }
    // The header up to its id (JSON.stringify keeps format, build, key and id first): what an in-place edit changes first and last.
    const id = Buffer.from(`"id":${JSON.stringify(header.id)}`);
    const idAt = first.line.indexOf(id);
    const prefix = first.line.subarray(0, idAt < 0 ? first.line.length : idAt + id.length);
    return { cache: new OpenParseCache(fd, header as ParseCacheHeader, first.next, Buffer.from(prefix), first.line) };
  } catch (e) {
    closeSync(fd);
    return { reason: `the saved manifest could not be read (${(e as Error).message.split('\n')[0]})` };
  }
}

/** Bytes of a header line compared with the open file by provedFirstLine: its id ends well within them. */
const PROVED_PREFIX = 4096;

/**
 * The header line the quick start of this command read and proved
 * (quick-start.ts takeProvedHeaderLine), when open file `fd` still starts
 * with it: its first bytes (format, build, key and id) and a newline where
 * it ends. As OpenParseCache.unchanged() trusts, a header with the same id
 * is the same header: every write of the cache, and every edit in place,
 * makes a new id (and an edit zeroes the format first).
 */
function provedFirstLine(fd: number, path: string): { line: Buffer; next: number } | undefined {
  const line = takeProvedHeaderLine(path);
  if (!line) return undefined;
  try {
    const length = Math.min(line.length, PROVED_PREFIX);
    if (!readAt(fd, 0, length).equals(line.subarray(0, length)) || readAt(fd, line.length, 1)[0] !== 0x0a) return undefined;
    return { line, next: line.length + 1 };
  } catch {
    return undefined;
  }
}

/** The debug line of a check that took the rows bin/tsdbt.js's worker stat'ed while the CLI loaded (util/pre-stat.ts). */
export const PRESTAT_USED = 'Partial parsing: input files stat\'ed on a worker while the CLI loaded';

/** A parse cache checked against the project as it is now. */
export interface ParseCacheCheck {
  path: string;
  key: string;
  /** Every input file's state now, taken at `statesAt`. */
  files: FileTable;
  statesAt: number;
  /** The cache, open, when it was written under this key and every env var it read still holds (close it). */
  cache?: OpenParseCache;
  /** With `cache`: the input files added, deleted and changed since. */
  diff?: { added: string[]; deleted: string[]; changed: string[] };
  /** With `cache`: the env vars it read whose value changed since. */
  changedEnv?: string[];
  /** Without `cache`: why it cannot be used. */
  reason?: string;
  /**
   * Without a cache header, when the check was asked to defer them: the rows
   * of `files` (indices) left for the parse's own reads of the model,
   * analysis, singular test and snapshot files (util/file-states.ts
   * coldFileTableDeferring; parse-phase.ts fills them with withReadStates
   * before the cache is written), placeholders until then.
   */
  pendingRows?: number[];
}

/** Open the project's parse cache and compare what it read with the files and environment now. */
export function checkParseCache(loaded: LoadedProject, flags: Record<string, unknown>, deferNodeFiles = false): ParseCacheCheck {
  const path = targetDirOf(loaded, PARSE_CACHE_FILE);
  const key = parseCacheKey(loaded, flags);
  const opened = openParseCache(path, key);
  const folders = parseInputFolders(loaded);
  noteFolders(dirname(path), folders);
  const header = 'cache' in opened ? opened.cache.header : undefined;
  // With a cache, a stat a file (taken earlier in the command when it stat'ed these folders, util/pre-stat.ts: the
  // states are then as of when that began) and a read of those changed; without one, a read each.
  const pre = header ? takePrestat(folders) : undefined;
  const statesAt = pre ? pre.at : Date.now();
  // Logged for the worker's rows only: the quick start's own (the same command's) leave the output as the quick path's.
  if (pre?.worker) loaded.logger.debug(PRESTAT_USED);
  let files: FileTable;
  let pendingRows: number[] | undefined;
  if (header) files = tableStates(pre ? pre.rows : statFolders(folders), header.files, header.statesAt);
  else if (deferNodeFiles && fastPaths()) {
    // A full parse to come, which reads every model file: their rows taken from those reads (withReadStates).
    const userPackages = loaded.packages.filter((p) => p.kind !== 'internal').map((p) => p.config);
    ({ table: files, pending: pendingRows } = coldFileTableDeferring(folders, new Set(nodeFilePaths(userPackages))));
  } else files = coldFileTable(folders);
  if (!('cache' in opened)) return { path, key, files, statesAt, reason: opened.reason, ...(pendingRows && { pendingRows }) };
  // Changed env vars are partial parsing's to follow (it re-parses the files that read them).
  const changedEnv = changedEnvVars(opened.cache.header.envRead, parseEnv(loaded));
  return { path, key, files, statesAt, cache: opened.cache, diff: diffFileStates(opened.cache.header.files, files), changedEnv };
}

/** A usable cache (`check.cache`) some of whose input files changed since it was written: what a splice (parse-splice.ts) may bring up to date. */
export function filesChangedSince(check: ParseCacheCheck): boolean {
  const { cache, diff, reason } = check;
  return cache !== undefined && diff !== undefined && !reason && diff.changed.length > 0;
}

/** A current cache (`check.cache`) and no input file or env var it read changed since it was written. */
export function nothingChangedSince(check: ParseCacheCheck): boolean {
  const { cache, diff, changedEnv } = check;
  return cache !== undefined && diff !== undefined && diff.added.length + diff.deleted.length + diff.changed.length + (changedEnv?.length ?? 0) === 0;
}

/**
 * `check` again once a splice (parse-splice.ts spliceChangedCache) wrote its
 * file states into the cache: the cache opened anew, nothing changed since
 * those states, without stating and comparing every input file a second
 * time. Without a cache to open under the key, why not.
 */
export function checkAfterSplice(check: ParseCacheCheck): ParseCacheCheck {
  const { path, key, files, statesAt } = check;
  const opened = openParseCache(path, key);
  if (!('cache' in opened)) return { path, key, files, statesAt, reason: opened.reason };
  return { path, key, files, statesAt, cache: opened.cache, diff: { added: [], deleted: [], changed: [] }, changedEnv: [] };
}

/**
 * Leaves the parse's input folders in target/ (PRESTAT_HINT_FILE) for the
 * next CLI process to stat while it loads (bin/tsdbt.js); rewritten only
 * when they changed. A failure only costs the next process that head start.
 */
function noteFolders(targetDir: string, folders: RootFolders): void {
  if (!fastPaths()) return;
  const text = JSON.stringify({ folders });
  const path = join(targetDir, PRESTAT_HINT_FILE);
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    // none yet
  }
  try {
    writeFileAtomic(path, text, 'the pre-stat hint', { durable: false });
  } catch {
    // target/ not writable: the cache write reports it
  }
}

/**
 * The body's containers whose members' byte spans writeParseCache returns
 * (offsets in the whole file): what parse-splice.ts reads and replaces.
 */
export const BODY_SPANS: ReadonlySet<string> = new Set(['', 'parse', 'parse/manifest', 'parse/manifest/nodes', 'parse/manifest/sources', 'refAt']);
/** And each node file record's, under its file. */
const BODY_ELEMENTS: ReadonlyMap<string, (element: unknown) => string> = new Map([['parse/nodeFiles', (r: unknown) => (r as { file: string }).file]]);
/** Body arrays written an element at a time (JsonByteWriter's pieceByPiece): the macro files, with their sources. */
const BODY_PIECES: ReadonlySet<string> = new Set(['macroFiles']);

/**
 * Room left after each node and ref-location entry of the body, and after
 * the header (spaces, which JSON allows): a splice whose new bytes fit is
 * written over the old ones in a copy the kernel makes (parse-splice.ts),
 * with no offset moving. An edit that does not fit rewrites the file, with
 * new room.
 */
const BODY_PADDED: ReadonlyMap<string, (length: number) => number> = new Map([
  ['parse/manifest/nodes', (length: number) => 32 + (length >> 4)],
  ['refAt', (length: number) => 8 + (length >> 2)],
]);

/** The header line's text with room after it (BODY_PADDED's reason: a splice rewrites the header in place). */
export function paddedHeader(json: string, room = 256 + (json.length >> 6)): string {
  return json + ' '.repeat(room);
}

/** The room a padded body member of `container` gets after `length` bytes (0: none). */
export function bodyPadding(container: string, length: number): number {
  return BODY_PADDED.get(container)?.(length) ?? 0;
}

/**
 * Writes the cache atomically (a reader never sees half a file). Returns the
 * new cache's id and where BODY_SPANS' members were written, or why it could
 * not be written, having removed any older cache (it is stale).
 */
export function writeParseCache(path: string, key: string, contents: ParseCacheContents): WrittenCache | { error: string } {
  try {
    const { files, statesAt, envRead, ...rest } = contents;
    const body: ParseCacheBody = { ...rest, refAt: refLocations(rest.parse.manifest) };
    const index = JSON.stringify(selectionIndex(rest.parse.manifest));
    const id = randomUUID();
    const header: ParseCacheHeader = { format: FORMAT, build: tsdbtBuild(), key, id, files, statesAt, envRead, warnings: rest.parse.warnings, indexBytes: Buffer.byteLength(index) };
    let spans: JsonSpans = {};
    writeChunksAtomic(path, 'the parse cache', (write) => {
      const out = new JsonByteWriter(write, BODY_SPANS, BODY_ELEMENTS, { padded: BODY_PADDED, sharedMember: 'config', pieceByPiece: BODY_PIECES });
      out.text(`${paddedHeader(JSON.stringify(header))}\n`);
      // (The index and its newline apart: joined, a large index would be copied into one more string.)
      out.text(index);
      out.text('\n');
      // body.parse.manifest.nodes' entries one by one: as one string, a 10,000-model body cost 1 s more to write.
      out.json(body, 4);
      out.flush();
      spans = out.spans;
    }, { durable: false });
    const st = statSync(path, { bigint: true });
    removeAbandonedTemps(path);
    const manifest = rest.parse.manifest as unknown as Record<string, unknown>;
    return { id, spans, path, file: { size: st.size, mtimeNs: st.mtimeNs, ino: st.ino }, members: new Map(Object.keys(manifest).map((k) => [k, manifest[k]])) };
  } catch (e) {
    rmSync(path, { force: true });
    return { error: (e as Error).message.split('\n')[0]! };
  }
}

/**
 * Removes the temp files a killed process left in the cache's folder
 * (target/): `<name>.tmp-<pid>-<hex>` (util/atomic-write.ts tempPathFor: a
 * cache renamed aside to be edited in place, parse-cache-edit.ts, or a
 * copy of manifest.json or the cache half written) whose process is no
 * longer running.
 */
function removeAbandonedTemps(path: string): void {
  const dir = dirname(path);
  try {
    for (const name of readdirSync(dir)) {
      const pid = Number(/\.tmp-(\d+)-[0-9a-f]{8}$/.exec(name)?.[1]);
      if (pid > 0 && pid !== process.pid && !processAlive(pid)) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // Left for the next write: they are never read.
  }
}

/** A parse cache writeParseCache wrote: its id, where BODY_SPANS' members sit, and what its manifest's members were then. */
export interface WrittenCache {
  id: string;
  spans: JsonSpans;
  path: string;
  file: { size: bigint; mtimeNs: bigint; ino: bigint };
  /** The cached manifest's top-level members as written (the same objects, not copies). */
  members: ReadonlyMap<string, unknown>;
}

/**
 * The cache just written as a source of manifest.json's members
 * (JsonByteWriter's WrittenValues): the manifest.json of the same parse
 * holds the same nodes, parent and child maps as the cache's body, byte for
 * byte, so they are copied from the cache file instead of serialised again
 * (about half the writing of a cold `parse`). A member is copied only while
 * it is the very object the cache wrote (metadata, which each invocation
 * rewrites, never), and only from that file (size, mtime and inode as
 * written; a cache another process wrote meanwhile is not it). Undefined
 * when the file is not there as written. Close it when done.
 */
export function writtenCacheMembers(w: WrittenCache): { values: WrittenValues; close(): void } | undefined {
  let fd: number;
  try {
    fd = openSync(w.path, 'r');
  } catch {
    return undefined;
  }
  const top = w.spans['parse/manifest'];
  let same = false;
  try {
    const st = fstatSync(fd, { bigint: true });
    // The header opens with format, build, key and id: this cache's id there proves the file is the one written
    // (a cache another process renamed in between the write and its stat would carry another).
    const head = readAt(fd, 0, Math.min(Number(st.size), 1024), Buffer.alloc(1024)).toString('latin1');
    same = !!top && st.size === w.file.size && st.mtimeNs === w.file.mtimeNs && st.ino === w.file.ino && head.includes(`"id":${JSON.stringify(w.id)}`);
  } catch {
    // Unreadable now: manifest.json is serialised instead, as for a cache that is not the one written.
  }
  if (!same || !top) {
    closeSync(fd);
    return undefined;
  }
  const values: WrittenValues = {
    read: (at, length, into) => readAt(fd, at, length, into),
    find(path, value) {
      if (path === 'metadata' || path.includes('/') || w.members.get(path) !== value || value === undefined) return undefined;
      const i = top.keys.indexOf(path);
      if (i < 0) return undefined;
      // The nodes' spans end in BODY_PADDED's room, which manifest.json does not have.
      const nodes = path === 'nodes' ? w.spans['parse/manifest/nodes'] : undefined;
      if (path === 'nodes' && !nodes) return undefined;
      return { start: top.at[2 * i]!, end: top.at[2 * i + 1]!, padded: nodes };
    },
  };
  return { values, close: () => closeSync(fd) };
}

/** The environment variables the cached parse read whose value is no longer the one it read. */
export function changedEnvVars(read: Record<string, string | null>, env: Record<string, string | undefined>): string[] {
  return Object.entries(read).filter(([name, h]) => (env[name] === undefined ? null : hashText(env[name]!)) !== h).map(([name]) => name);
}

/**
 * The environment as parse sees it, recording each variable read (by name,
 * with a hash of its value) so a cached parse is reused only while they hold.
 * `onRead` hears every read by name (partial parsing: who read what).
 */
export function recordingEnv(env: Record<string, string | undefined>, onRead?: (name: string) => void): { env: Record<string, string | undefined>; read: Record<string, string | null> } {
  const read: Record<string, string | null> = {};
  const note = (name: string) => {
    onRead?.(name);
    if (!(name in read)) read[name] = env[name] === undefined ? null : hashText(env[name]!);
  };
  // Object.entries(env) (e.g. the DBT_ENV_CUSTOM_ENV_ scan, keyed apart) reads each variable
  // through getOwnPropertyDescriptor then get: that get is an enumeration, not a read by name.
  let described: string | symbol | undefined;
  const proxy = new Proxy(env, {
    get(target, prop) {
      if (prop === described) described = undefined;
      else if (typeof prop === 'string') note(prop);
      return Reflect.get(target, prop);
    },
    has(target, prop) {
      if (typeof prop === 'string') note(prop);
      return Reflect.has(target, prop);
    },
    getOwnPropertyDescriptor(target, prop) {
      described = prop;
      return Reflect.getOwnPropertyDescriptor(target, prop);
    },
  });
  return { env: proxy, read };
}

export type RefAt = number | [string, number] | null;

/** Nodes that carry ref calls, each under a stable key. */
function refHolders(m: Manifest): [string, CompiledNode][] {
  const out: [string, CompiledNode][] = [];
  for (const [id, n] of Object.entries(m.nodes)) out.push([`n:${id}`, n]);
  for (const [id, list] of Object.entries(m.disabled)) (list as CompiledNode[]).forEach((n, i) => out.push([`d:${id}:${i}`, n]));
  for (const [id, n] of Object.entries(m.unit_tests)) out.push([`u:${id}`, n as unknown as CompiledNode]);
  return out;
}

function refLocations(m: Manifest): Record<string, RefAt[]> {
  const out: Record<string, RefAt[]> = {};
  for (const [key, n] of refHolders(m)) {
    const at = refLocationsOf(n);
    if (at) out[key] = at;
  }
  return out;
}

/** The body's refAt entry of one node (under `n:<unique_id>`), or undefined when it has none. */
export function refLocationsOf(n: CompiledNode): RefAt[] | undefined {
  const refs = (n as { refs?: RefCall[] }).refs;
  if (!Array.isArray(refs) || !refs.some((r) => r.at)) return undefined;
  return refs.map((r) => (!r.at ? null : r.at.file === n.original_file_path ? r.at.line : [r.at.file, r.at.line]));
}

/**
 * Puts each ref call's location back. Walks refAt's entries (written only for
 * nodes with a located ref) and finds each node by its key, instead of
 * listing every holder under a new key (~0.3 s at 40,000 nodes).
 */
export function restoreRefLocations(m: Manifest, refAt: Record<string, RefAt[]>): void {
  for (const key in refAt) {
    const n = refHolder(m, key);
    if (n) applyRefAt(n, refAt[key]!);
  }
}

/** Put one node's ref call locations back from its refAt entry. */
export function applyRefAt(n: CompiledNode, at: RefAt[]): void {
  const refs = (n as { refs?: RefCall[] }).refs;
  if (!Array.isArray(at) || !Array.isArray(refs)) return;
  for (let i = 0; i < refs.length; i++) {
    const where = at[i];
    if (where === null || where === undefined) continue;
    const value: SourceLocation = typeof where === 'number' ? { file: n.original_file_path, line: where } : { file: where[0], line: where[1] };
    Object.defineProperty(refs[i], 'at', { value, enumerable: false, writable: true, configurable: true });
  }
}

/** The node refHolders lists under `key`, if any. */
function refHolder(m: Manifest, key: string): CompiledNode | undefined {
  const id = key.slice(2);
  if (key.startsWith('n:')) return Object.hasOwn(m.nodes, id) ? m.nodes[id] : undefined;
  if (key.startsWith('u:')) return Object.hasOwn(m.unit_tests, id) ? (m.unit_tests[id] as unknown as CompiledNode) : undefined;
  if (!key.startsWith('d:')) return undefined;
  // d:<unique id>:<index>; a unique id may hold ':' itself, the index never does.
  const colon = id.lastIndexOf(':');
  const list = colon < 0 || !Object.hasOwn(m.disabled, id.slice(0, colon)) ? undefined : (m.disabled[id.slice(0, colon)] as CompiledNode[]);
  const index = Number(id.slice(colon + 1));
  return Array.isArray(list) && Number.isInteger(index) && String(index) === id.slice(colon + 1) ? list[index] : undefined;
}
