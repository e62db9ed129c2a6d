import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jinjaFlags, metadataEnvs } from '../context/flags.js';
import type { MacroFile } from '../context/macro-registry.js';
import type { CompiledNode, Manifest, RefCall, SourceLocation } from '../manifest/types.js';
import type { CachedParse } from '../project/partial-parse.js';
import type { SemanticManifest } from '../semantic/types.js';
import { hashText, type FileStates } from '../util/file-states.js';
import { tsdbtBuild } from '../util/tsdbt-version.js';
import type { LoadedProject } from './load-project.js';

/**
 * The parse cache, `target/partial_parse.json`: a one-line JSON header
 * (format, tsdbt build, key) then the JSON body. JSON.parse loaded a
 * 10,000-model cache 2-3x faster than v8.deserialize of the same body at the
 * same size (v8's format repeats property names as JSON does); see
 * bench/partial-parse.bench.mjs.
 */
export const PARSE_CACHE_FILE = 'partial_parse.json';
const FORMAT = 1;

export interface ParseCacheBody {
  /** Every input file's state when the parse began. */
  files: FileStates;
  statesAt: number;
  /** Environment variables the parse read: name → hash of the value (null: unset). Never the value. */
  envRead: Record<string, string | null>;
  parse: CachedParse;
  macroFiles: readonly MacroFile[];
  semantic: SemanticManifest;
  /**
   * Where each ref call was written (`at` is not enumerable, so serialization
   * drops it): node key → per ref, its line when in the node's own file, else [file, line].
   */
  refAt: Record<string, RefAt[]>;
}

/**
 * What must be equal for a cached parse to be reused at all, hashed: the
 * tsdbt build, every package's rendered dbt_project.yml (project vars and
 * env_var() calls in it included), --vars, the profile and target, the
 * adapter, and the flags templates see at parse. dbt keys on no flag at
 * all; here WHICH is left out (`ls` reuses what `parse` wrote), and an unset
 * flag counts as false (`parse` leaves FULL_REFRESH unset, `run` sets it false).
 */
export function parseCacheKey(loaded: LoadedProject, flags: Record<string, unknown>): string {
  const seen: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jinjaFlags(flags))) if (k !== 'WHICH') seen[k] = v === null || v === undefined ? false : v;
  const a = loaded.adapter;
  return hashText(JSON.stringify({
    format: FORMAT,
    build: tsdbtBuild(),
    projectDir: loaded.projectDir,
    packages: loaded.packages.map((p) => ({ kind: p.kind, config: p.config })),
    vars: loaded.cliVars,
    target: loaded.target,
    profile: { name: loaded.profile.profileName, target: loaded.profile.targetName, type: loaded.profile.type, credentials: loaded.profile.credentials },
    adapter: { type: a.type, chain: a.adapterChain, quoteChar: a.quoteChar, quotePolicy: a.quotePolicy, capabilities: a.capabilities, database: a.database, schema: a.schema },
    flags: seen,
    customEnv: metadataEnvs(loaded.env),
  }));
}

/** The folders of every package whose files can change a parse, with its dbt_project.yml. */
export function parseInputFolders(loaded: LoadedProject): { root: string; folders: string[] }[] {
  return loaded.packages.map((p) => {
    const c = p.config;
    return { root: c.root, folders: [...new Set(['dbt_project.yml', ...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.analysisPaths, ...c.macroPaths, ...c.testPaths, ...(c.docsPaths ?? [])])] };
  });
}

/** The cache at `path` if it was written by this build under `key`; otherwise why not (dbt's "Unable to do partial parsing because ..."). */
export function readParseCache(path: string, key: string): { body: ParseCacheBody } | { reason: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { reason: 'saved manifest not found. Starting full parse.' };
  }
  try {
    const eol = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, eol)) as { format?: unknown; build?: unknown; key?: unknown };
    if (header.format !== FORMAT || header.build !== tsdbtBuild()) return { reason: 'of a version mismatch' };
    if (header.key !== key) return { reason: 'config vars, config profile, config target, flags or a project config have changed' };
    const body = JSON.parse(text.slice(eol + 1)) as ParseCacheBody;
    if (!body || typeof body !== 'object' || !body.parse?.manifest || !body.files) return { reason: 'the saved manifest is incomplete' };
    restoreRefLocations(body.parse.manifest, body.refAt);
    return { body };
  } catch (e) {
    return { reason: `the saved manifest could not be read (${(e as Error).message.split('\n')[0]})` };
  }
}

/**
 * Writes the cache atomically (a reader never sees half a file). Returns why
 * it could not be written, having removed any older cache (it is stale).
 */
export function writeParseCache(path: string, key: string, body: Omit<ParseCacheBody, 'refAt'>): string | undefined {
  try {
    const full: ParseCacheBody = { ...body, refAt: refLocations(body.parse.manifest) };
    const text = `${JSON.stringify({ format: FORMAT, build: tsdbtBuild(), key })}\n${JSON.stringify(full)}`;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
    return undefined;
  } catch (e) {
    rmSync(path, { force: true });
    return (e as Error).message.split('\n')[0];
  }
}

/** True when every environment variable the cached parse read still has the value it had. */
export function envUnchanged(read: Record<string, string | null>, env: Record<string, string | undefined>): boolean {
  return changedEnvVars(read, env).length === 0;
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

type RefAt = number | [string, number] | null;

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
    const refs = (n as { refs?: RefCall[] }).refs;
    if (!Array.isArray(refs) || !refs.some((r) => r.at)) continue;
    out[key] = refs.map((r) => (!r.at ? null : r.at.file === n.original_file_path ? r.at.line : [r.at.file, r.at.line]));
  }
  return out;
}

function restoreRefLocations(m: Manifest, refAt: Record<string, RefAt[]>): void {
  for (const [key, n] of refHolders(m)) {
    const at = refAt[key];
    const refs = (n as { refs?: RefCall[] }).refs;
    if (!at || !Array.isArray(refs)) continue;
    refs.forEach((r, i) => {
      const where = at[i];
      if (where === null || where === undefined) return;
      const value: SourceLocation = typeof where === 'number' ? { file: n.original_file_path, line: where } : { file: where[0], line: where[1] };
      Object.defineProperty(r, 'at', { value, enumerable: false, writable: true, configurable: true });
    });
  }
}
