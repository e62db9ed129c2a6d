import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { capsInlining } from './full-parse-inlining.js';

/**
 * The CLI loaded from one CommonJS bundle (dist/bundle/cli.cjs, scripts/bundle.mjs)
 * through V8's code cache: the bytecode V8 compiled for the functions a run
 * used, kept in a file, so a command deserialises it instead of compiling
 * those functions again (Node 22 has module.enableCompileCache for this;
 * Node 20 only vm.Script's cachedData, for scripts, not ES modules). The
 * Tuva Project's first parse: ~0.1 s less.
 *
 * Two caches. `npm run build` makes one beside the bundle
 * (dist/bundle/cli.v8cache, scripts/warm-code-cache.mjs: a small project
 * parsed, built, compiled and documented). Under a Node other than the
 * build's V8 rejects it, and the user's own is written instead at the end
 * of the run, one per command (a `parse` and a `run` run different code),
 * in a folder of the user's ($TSDBT_CODE_CACHE_DIR, else
 * $XDG_CACHE_HOME/tsdbt or ~/.cache/tsdbt), named for what makes bytecode
 * differ: the bundle (path, size, mtime), Node's version and arch. V8
 * checks the rest (its version, the source's length, its flags) and
 * rejects what does not match: the bundle is then compiled as without a
 * cache and the user's written again. Written atomically (a reader never
 * sees half a file); never read from a folder another user owns or may
 * write (bytecode is code). TSDBT_CODE_CACHE=0 turns both off.
 */

/**
 * V8 rejects a cache made under other flags than the run's. The flag the
 * CLI sets as its modules load (jinja/python/modules/re-guard.ts) is set
 * before the bundle is compiled; the one a full parse sets
 * (full-parse-inlining.ts) is set back to V8's default before the cache is
 * made, unless the user set it themselves (then it is as it was at load).
 */
const FLAGS_AT_LOAD = ['--enable-experimental-regexp-engine-on-excessive-backtracks'];
const FLAGS_RESET = ['--max-inlined-bytecode-size-cumulative=920'];

/** Commands that get a cache of their own; any other argv shares 'other'. */
const COMMANDS = new Set(['parse', 'ls', 'list', 'compile', 'run', 'build', 'test', 'seed', 'snapshot', 'show', 'docs', 'retry', 'run-operation', 'source', 'clone', 'sl', 'debug', 'deps', 'clean', 'init', 'extract', 'serve', 'demo']);

/** What loading did with the cache: for `--debug` and the tests. */
export type CodeCacheStatus = 'used' | 'rejected' | 'none' | 'off';

export interface CodeCacheLoad {
  /** The bundle's module.exports. */
  exports: Record<string, unknown>;
  /** The cache file (undefined when there is no folder to keep it in). */
  file: string | undefined;
  /** used: accepted by V8; rejected: not (written again at exit); none: no file yet (written at exit); off: none kept. */
  status: CodeCacheStatus;
}

/** The folder caches are kept in, or undefined when turned off. */
export function codeCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.TSDBT_CODE_CACHE === '0' || env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  if (env.TSDBT_CODE_CACHE_DIR) return env.TSDBT_CODE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (() => {
    try {
      return join(homedir(), '.cache');
    } catch {
      return undefined;
    }
  })();
  return base ? join(base, 'tsdbt') : undefined;
}

/** The cache file of `command`'s runs of `bundle` under `dir`. */
export function codeCacheFile(dir: string, bundle: string, argv: readonly string[]): string {
  const st = statSync(bundle);
  const key = createHash('sha256').update(`${bundle}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  const command = argv.find((a) => COMMANDS.has(a)) ?? 'other';
  return join(dir, `${basename(bundle, '.cjs')}-${key}-${command}.v8cache`);
}

/** Whether `dir` is this user's alone (POSIX: owned by this uid, not writable by group or others); true where uids do not apply. */
function ownFolder(dir: string): boolean {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return false;
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The cache's bytes, when the file is there in a folder of this user's own. */
function readCache(file: string): Buffer | undefined {
  try {
    return ownFolder(dirname(file)) ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** How many caches a folder keeps: each build of each installation has its own, ~1.5 MB a command. */
export const CACHES_KEPT = 24;

/**
 * Writes `data` as `file` (folder made, mode 0700), whole or not at all,
 * then removes all but the CACHES_KEPT newest caches in its folder. A
 * failure leaves no cache, never an error.
 */
function writeCache(file: string, data: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!ownFolder(dirname(file))) return;
    replaceFile(file, data, 0o600);
    pruneCaches(dirname(file));
  } catch {
    // No cache: the next run compiles as this one did.
  }
}

/**
 * `file` replaced by `data` whole (a temp file beside it, renamed over it;
 * the temp file removed on failure, which is thrown). This module runs before
 * the CLI loads, so it does not import util/atomic-write.ts and what that brings.
 */
function replaceFile(file: string, data: Buffer, mode?: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Removes the caches of `dir` beyond the CACHES_KEPT most recently written. */
function pruneCaches(dir: string): void {
  const caches = readdirSync(dir)
    .filter((n) => /^cli-[0-9a-f]{16}-[a-z-]+\.v8cache$/.test(n))
    .map((n) => ({ path: join(dir, n), at: statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.at - a.at);
  for (const old of caches.slice(CACHES_KEPT)) rmSync(old.path, { force: true });
}

/** The cache `npm run build` makes beside the bundle (scripts/warm-code-cache.mjs, makeCodeCache). */
export function builtCodeCacheFile(bundle: string): string {
  return bundle.replace(/\.cjs$/, '.v8cache');
}

/**
 * The bundle's text. scripts/bundle.mjs makes it ASCII, and ASCII bytes are
 * the same text read as latin1: a copy of the bytes, where Node 20's UTF-8
 * decoding of the 2.2 MB took 15-35 ms of every command's start. Any other
 * bytes are decoded as UTF-8.
 */
export function bundleText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * The function a bundle's code runs in, as Node wraps a CommonJS module,
 * with the bundle's import() besides. scripts/bundle.mjs writes cli.cjs
 * inside it already: the text read is compiled as it is, where wrapping it
 * here copied its 2.2 MB (10-17 ms of every command's start).
 */
export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname, __tsdbtImport) {';
export const BUNDLE_TAIL = '\n})';

/** A bundle's text inside BUNDLE_HEAD and BUNDLE_TAIL (as it is when already so). */
export function wrappedBundle(source: string): string {
  return source.startsWith(BUNDLE_HEAD) && source.endsWith(BUNDLE_TAIL) ? source : `${BUNDLE_HEAD}${source}${BUNDLE_TAIL}`;
}

/** `bundle` compiled as a CommonJS module's function, with `cachedData` offered to V8. */
function compileBundle(bundle: string, cachedData: Buffer | undefined): vm.Script {
  for (const flag of FLAGS_AT_LOAD) v8.setFlagsFromString(flag);
  return new vm.Script(wrappedBundle(bundleText(readFileSync(bundle))), { filename: bundle, ...(cachedData && { cachedData }) });
}

/** The bundle's import() of a package (scripts/bundle.mjs writes each as __tsdbtImport): resolved from dist/bundle/, where this module sits, as from the bundle. */
const importPackage = (specifier: string): Promise<unknown> => import(specifier);

/** Runs the compiled bundle as Node would require() it: its module.exports. */
function runBundle(script: vm.Script, bundle: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle), importPackage);
  return module.exports;
}

/** The cache of what `script` compiled so far, made under the flags it was compiled under. */
function cacheOf(script: vm.Script, env: Record<string, string | undefined>): Buffer {
  if (capsInlining(process.execArgv, env.NODE_OPTIONS)) for (const flag of FLAGS_RESET) v8.setFlagsFromString(flag);
  return script.createCachedData();
}

/**
 * Runs the CommonJS `bundle` (as Node would require() it) with a code cache:
 * the user's cache of `argv`'s command when there is one (it is written only
 * where the built one is missing or V8 rejects it: a Node other than the
 * build's), else the one built beside the bundle. Without a cache V8 takes,
 * the user's is written when the process exits.
 */
export function loadWithCodeCache(bundle: string, argv: readonly string[], env: Record<string, string | undefined>): CodeCacheLoad {
  const dir = codeCacheDir(env);
  if (dir === undefined) return { exports: runBundle(compileBundle(bundle, undefined), bundle), file: undefined, status: 'off' };
  const own = codeCacheFile(dir, bundle, argv);
  const ownData = readCache(own);
  const built = builtCodeCacheFile(bundle);
  const data = ownData ?? readBuilt(built, bundle);
  const script = compileBundle(bundle, data);
  const exports = runBundle(script, bundle);
  if (data && !script.cachedDataRejected) return { exports, file: ownData ? own : built, status: 'used' };
  process.once('exit', () => writeCache(own, cacheOf(script, env)));
  return { exports, file: own, status: data ? 'rejected' : 'none' };
}

/**
 * The built cache's bytes, when there and made after `bundle` was written
 * (V8 checks only the source's length: a bundle edited since, even to the
 * same length, is never given it). It sits with the bundle's own code:
 * whoever could change one could change the other.
 */
function readBuilt(file: string, bundle: string): Buffer | undefined {
  try {
    if (statSync(file).mtimeMs < statSync(bundle).mtimeMs) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Makes the cache built beside `bundle` (builtCodeCacheFile): loads it
 * without one, lets `workload` run commands through its exports (what they
 * compile is what the cache holds), and writes the cache. Returns its path.
 */
export async function makeCodeCache(bundle: string, workload: (exports: Record<string, unknown>) => Promise<void>, env: Record<string, string | undefined> = process.env): Promise<string> {
  const script = compileBundle(bundle, undefined);
  await workload(runBundle(script, bundle));
  const file = builtCodeCacheFile(bundle);
  replaceFile(file, cacheOf(script, env));
  return file;
}

/** The `--debug` line for a load. */
export function codeCacheNote(load: CodeCacheLoad): string {
  if (load.status === 'off') return 'Code cache: off (TSDBT_CODE_CACHE=0, or no folder to keep it in)';
  const what = { used: 'used', rejected: 'rejected by V8 (written again at exit)', none: 'none yet (written at exit)' }[load.status];
  return `Code cache: ${what}: ${load.file}`;
}
