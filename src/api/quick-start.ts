import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fastPaths } from '../util/fast-paths.js';
import { readAt, withOpenFile } from '../util/file-bytes.js';
import { envHash, inputsUnchanged, type InputLog } from '../util/input-log.js';
import { hashText, rowsSignature, type RootFolders } from '../util/file-states.js';
import { statHere } from '../util/pre-stat.js';
import { tsdbtBuild } from '../util/tsdbt-version.js';
import { pathUnder } from '../util/files.js';

/**
 * The quick start: `parse` and `ls` with nothing changed, proved without
 * loading the project (no Jinja, YAML, profile or adapter code is imported).
 *
 * Whenever a command finds the parse cache valid for its load (or writes
 * it), it also writes `target/partial_parse.start.json` (quick-start-record.ts):
 * the load's options and everything the load read (files by hash, paths
 * probed, folders listed, environment variables by name, every DBT_*
 * variable), the cache key that load gave, the parse cache's header
 * (by hash), the input files' sizes and modification times, the env vars
 * the parse read and the warnings it would print. A later command with the
 * same options, whose load would read the same, gets the same project and
 * key (a load is a function of those); when the input files also still have
 * the sizes and times the cache recorded, nothing changed, exactly as the
 * parse cache's own check would find (parse-cache.ts, file-states.ts).
 */
export const QUICK_START_FILE = 'partial_parse.start.json';
export const QUICK_START_FORMAT = 3;

export interface QuickStartRecord {
  format: number;
  build: string;
  /** The process's working folder (relative paths in the options resolve against it). */
  cwd: string;
  /** The load's options (loadOptionsKey). */
  options: string;
  /** What the load read: inputs, env vars by name (hash; null: unset). */
  files: InputLog;
  env: Record<string, string | null>;
  /** Hash of every DBT_* variable (the loaders' and the cache key's scans by prefix). */
  dbtEnv: string;
  /** The load's warnings. */
  loadWarnings: string[];
  /** The parse cache this record vouches for: its key, the hash and length of its header line, the length of its index line. */
  cache: { id: string; key: string; headerBytes: number; headerHash: string; indexBytes: number };
  /** The parse's env reads and warnings, from the cache header. */
  parseEnv: Record<string, string | null>;
  parseWarnings: string[];
  /** Where the parse's input files are (parse-cache.ts parseInputFolders) and the signature of their stat rows (util/file-states.ts rowsSignature). */
  folders: { root: string; folders: string[] }[];
  signature: string;
  /**
   * Input files modified too close to when their states were taken for
   * their size and time to prove them unchanged (the racily clean rule of
   * util/file-states.ts): each must still hash as the parse cache's header
   * says, as the cache's own check would find.
   */
  racy: { path: string; hash: string }[];
  targetDir: string;
  /** The debug lines the full path would log (after the load's secret redaction). */
  messages: { refreshed: string; indexed: string };
}

/** The debug lines of the unchanged paths (unchanged-parse.ts logs the same). */
export const REFRESHED_MESSAGE = 'Partial parsing: nothing changed; manifest.json brought up to date in place';
export const INDEXED_MESSAGE = 'Partial parsing: nothing changed; selecting from the selection index';

/** The load options (load-project.ts GlobalOptions) a load depends on; declared here so this module imports no loader. */
export interface LoadOptions {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  vars?: string | Record<string, unknown>;
  threads?: number;
  profile?: string;
  targetPath?: string;
  logPath?: string;
  partialParse?: boolean;
}

/** The options a load depends on, as one string (the logger and env are not options). */
export function loadOptionsKey(opts: LoadOptions, cwd: string): string {
  return JSON.stringify({
    projectDir: resolve(opts.projectDir ?? cwd),
    profilesDir: opts.profilesDir ?? null,
    target: opts.target ?? null,
    vars: opts.vars ?? null,
    threads: opts.threads ?? null,
    profile: opts.profile ?? null,
    targetPath: opts.targetPath ?? null,
    logPath: opts.logPath ?? null,
  });
}

/** Every DBT_* variable, hashed (name order). */
export function dbtEnvHash(env: Record<string, string | undefined>): string {
  const entries = Object.keys(env).filter((k) => k.startsWith('DBT_') && env[k] !== undefined).sort().map((k) => `${k}=${env[k]}`);
  return hashText(entries.join('\0'));
}

/**
 * Where the load would put target/: `--target-path`, else dbt_project.yml's
 * plain `target-path:` or the default. Only where to look: the record says
 * where it was written, and is used only when that is here.
 */
export function quickTargetDir(opts: LoadOptions, cwd: string): string | undefined {
  const projectDir = resolve(opts.projectDir ?? cwd);
  if (opts.targetPath) return pathUnder(projectDir, opts.targetPath);
  let text: string;
  try {
    text = readFileSync(join(projectDir, 'dbt_project.yml'), 'utf8');
  } catch {
    return undefined;
  }
  const given = [...text.matchAll(/target-path/g)].length;
  if (given === 0) return join(projectDir, 'target');
  // One plain top-level `target-path: "dir"` (as dbt init writes it); anything else (Jinja, nested, twice) goes the full way.
  const plain = /^target-path:[ \t]*(["']?)([^"'#{}\s]+)\1[ \t]*(#.*)?$/m.exec(text);
  return given === 1 && plain ? join(projectDir, plain[2]!) : undefined;
}

/** A quick start proved valid: the record, and the parse cache it vouches for. */
export interface QuickStart {
  record: QuickStartRecord;
  cachePath: string;
}

/**
 * The quick start for a load with these options, when nothing changed since
 * the record was written; undefined when that cannot be proved (the caller
 * goes the full way, which finds the same or better).
 */
export function quickStart(opts: LoadOptions, env: Record<string, string | undefined>, cwd: string): QuickStart | undefined {
  const quick = quickStartBeforeStats(opts, env, cwd);
  return quick && foldersSignature(quick.record.folders) === quick.record.signature ? quick : undefined;
}

/**
 * The signature of the input files under `folders` as they are now: from
 * the rows bin/tsdbt.js's worker stat'ed while the CLI loaded when it was
 * given these folders (util/pre-stat.ts), else stat'ed here and kept for
 * the cache check when the quick start does not hold.
 */
export function foldersSignature(folders: RootFolders): string {
  return rowsSignature(statHere(folders).rows);
}

/**
 * Every check of quickStart but the input files' sizes and times: the
 * caller must still compare foldersSignature(record.folders) with
 * record.signature before using the answer (list.ts does it on a worker
 * thread while it selects).
 */
export function quickStartBeforeStats(opts: LoadOptions, env: Record<string, string | undefined>, cwd: string): QuickStart | undefined {
  if (!opts.partialParse || !fastPaths()) return undefined;
  const targetDir = quickTargetDir(opts, cwd);
  if (!targetDir) return undefined;
  let record: QuickStartRecord;
  try {
    record = JSON.parse(readFileSync(join(targetDir, QUICK_START_FILE), 'utf8')) as QuickStartRecord;
  } catch {
    return undefined;
  }
  if (!record || record.format !== QUICK_START_FORMAT || record.build !== tsdbtBuild() || record.targetDir !== targetDir) return undefined;
  if (record.cwd !== process.cwd() || record.options !== loadOptionsKey(opts, cwd)) return undefined;
  if (record.dbtEnv !== dbtEnvHash(env)) return undefined;
  for (const [name, h] of Object.entries(record.env)) if (envHash(env[name]) !== h) return undefined;
  for (const [name, h] of Object.entries(record.parseEnv)) if (envHash(env[name]) !== h) return undefined;
  if (!inputsUnchanged(record.files)) return undefined;
  if (!Array.isArray(record.racy) || !record.racy.every((r) => hashOf(r.path) === r.hash)) return undefined;
  const cachePath = join(targetDir, 'partial_parse.json');
  const header = readCacheLine(cachePath, record, 'header');
  if (header === undefined) return undefined;
  provedHeader = { cachePath, line: header };
  return { record, cachePath };
}

/** The parse cache's header line the quick start last read and proved by its hash (provedHeaderLine). */
let provedHeader: { cachePath: string; line: Buffer } | undefined;

/**
 * The header line (without its newline) this process's quick start read
 * from the parse cache at `cachePath` and found to hash as its record says,
 * handed over once: when the quick start does not hold (a file changed),
 * the cache check that follows (parse-cache.ts openParseCache) takes it
 * instead of reading and joining 1.3 MB again at 10,000 models, once the
 * file it opened proves to start as this line does (the header up to its
 * id, which every write and in-place edit of the cache changes).
 */
export function takeProvedHeaderLine(cachePath: string): Buffer | undefined {
  const proved = provedHeader;
  provedHeader = undefined;
  return proved?.cachePath === cachePath ? proved.line : undefined;
}

/** The hash of a file's bytes, or undefined when it cannot be read. */
function hashOf(path: string): string | undefined {
  try {
    return hashText(readFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * The parse cache's header or index line, when the file still holds the
 * header the record names (same bytes); undefined otherwise.
 */
export function readCacheLine(cachePath: string, record: QuickStartRecord, line: 'header' | 'index'): Buffer | undefined {
  const { headerBytes, headerHash, indexBytes } = record.cache;
  return withOpenFile(cachePath, (fd) => {
    const head = readExactly(fd, 0, headerBytes + 1);
    if (!head || head[headerBytes] !== 10 || hashText(head.subarray(0, headerBytes)) !== headerHash) return undefined;
    if (line === 'header') return head.subarray(0, headerBytes);
    const index = readExactly(fd, headerBytes + 1, indexBytes + 1);
    return index && index[indexBytes] === 10 ? index.subarray(0, indexBytes) : undefined;
  });
}

/** `length` bytes of `fd` from `at`, or undefined when the file ends first. */
function readExactly(fd: number, at: number, length: number): Buffer | undefined {
  try {
    return readAt(fd, at, length);
  } catch {
    return undefined;
  }
}
