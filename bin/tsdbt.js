#!/usr/bin/env node
// Entry point. `--version` is answered here, before any module loads, so it
// stays fast; everything else runs the compiled CLI in dist/: the bundle in
// dist/bundle/ (scripts/bundle.mjs, part of `npm run build`) when it was made
// after the last `tsc` run, else tsc's modules in dist/cli/ as they are.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lowerHelperThreads } from './helper-threads.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`tsdbt ${pkg.version} (dbt-core 1.10.15 compatible)\n`);
  process.exit(0);
}
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
// Before any worker starts: only Node's own threads are lowered (bin/helper-threads.js).
lowerHelperThreads();

/** dist/bundle/ when it is at least as new as tsc's dist/cli/main.js (a later tsc-only build makes it stale); else dist/cli/. */
function cliDir() {
  if (process.env.TSDBT_BUNDLE === '0') return '../dist/cli/';
  const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime('../dist/bundle/main.js');
  if (bundled === undefined) return '../dist/cli/';
  const compiled = mtime('../dist/cli/main.js');
  return compiled === undefined || bundled >= compiled ? '../dist/bundle/' : '../dist/cli/';
}

/** Commands that check the parse cache (not `serve`: a long-lived process checks again later). */
const CHECKING = new Set(['parse', 'ls', 'list', 'compile', 'run', 'build', 'test', 'seed', 'snapshot', 'show', 'docs', 'retry', 'run-operation', 'source', 'clone', 'sl']);

/** The value of flag `name` in argv (`--name value` or `--name=value`). */
function flagValue(name) {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** Partial parsing turned off: `--no-partial-parse`, or DBT_PARTIAL_PARSE false (0, no, off). */
function partialParseOff() {
  const env = process.env.DBT_PARTIAL_PARSE;
  return argv.includes('--no-partial-parse') || (env !== undefined && /^(0|false|no|off)$/i.test(env));
}

/** The project's target folder, as the CLI will resolve it (flag, env var, default). */
function targetDir() {
  const env = process.env;
  const projectDir = resolve(flagValue('--project-dir') ?? env.DBT_PROJECT_DIR ?? '.');
  return resolve(projectDir, flagValue('--target-path') ?? env.DBT_TARGET_PATH ?? 'target');
}

/**
 * The pre-stat (src/util/pre-stat.ts): when the last parse cache check left
 * its input folders in target/, a worker stats the files under them while
 * the CLI's modules load here; the check takes its rows when its folders
 * are the same. Only a head start: nothing depends on it being right. Only
 * when asked (TSDBT_PRESTAT=1): on the 2-vCPU machines we measure on, even
 * idle, the worker's start cost more than the walk it takes off this thread
 * (10,000 models: nothing changed 0.34 s with it, 0.28 s without; one model
 * changed 0.70-1.06 s with it, 0.59-0.72 s without).
 */
async function startPrestat(dir) {
  const env = process.env;
  if (env.TSDBT_FAST_PATHS === '0' || env.TSDBT_PRESTAT !== '1' || partialParseOff() || !argv.some((a) => CHECKING.has(a))) return undefined;
  try {
    const { folders } = JSON.parse(readFileSync(resolve(targetDir(), 'partial_parse.folders.json'), 'utf8'));
    const script = new URL(`${dir}${dir.includes('bundle') ? '' : '../util/'}prestat-worker.js`, import.meta.url);
    if (!Array.isArray(folders) || !statSync(script, { throwIfNoEntry: false })) return undefined;
    // Loaded only here: a command without a pre-stat never loads node:worker_threads.
    const { MessageChannel, Worker, receiveMessageOnPort } = await import('node:worker_threads');
    const done = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { folders, done, port: port2 }, transferList: [port2] });
    worker.unref();
    worker.on('error', () => undefined);
    port1.unref();
    return { folders: JSON.stringify(folders), done, port: port1, receive: receiveMessageOnPort };
  } catch {
    return undefined;
  }
}

/**
 * Whether this command is a `parse` or `ls` likely to end in the quick start
 * (src/api/quick-start.ts: a parse cache is there to check): it loads a few
 * small modules, which the ES modules load faster than the whole bundle
 * comes from the code cache (the Tuva Project, nothing changed: 0.23 s
 * against 0.27 s).
 */
function quickStartLikely() {
  if (!['parse', 'ls', 'list'].some((c) => argv.includes(c)) || partialParseOff()) return false;
  return parseCacheThere();
}

let cacheThere;
/** Whether the target path holds a parse cache (src/api/parse-cache.ts's file), stat'ed once. */
function parseCacheThere() {
  cacheThere ??= statSync(resolve(targetDir(), 'partial_parse.json'), { throwIfNoEntry: false }) !== undefined;
  return cacheThere;
}

/**
 * The bundle as one CommonJS file run through V8's code cache
 * (src/cli/code-cache.ts): when it is there and current, the cache is not
 * turned off (TSDBT_CODE_CACHE=0).
 * Undefined: the ES modules in `dir`.
 */
async function cachedCli(dir) {
  if (!dir.includes('bundle') || quickStartLikely()) return undefined;
  const bundle = new URL(`${dir}cli.cjs`, import.meta.url);
  const main = statSync(new URL(`${dir}main.js`, import.meta.url), { throwIfNoEntry: false });
  const cjs = statSync(bundle, { throwIfNoEntry: false });
  if (!cjs || !main || cjs.mtimeMs < main.mtimeMs) return undefined;
  const cache = await import(`${dir}code-cache.js`);
  if (cache.codeCacheDir(process.env) === undefined) return undefined;
  const load = cache.loadWithCodeCache(fileURLToPath(bundle), argv, process.env);
  load.exports.offerCodeCacheNote?.(cache.codeCacheNote(load));
  return load.exports;
}

/**
 * Commands that open the database through the connection worker, with the subcommand that does when only one
 * does (`docs serve` is a long-lived server that opens none). A stray match, e.g. a flag's value, only starts a
 * worker for nothing.
 */
const OPENING = new Map([['compile'], ['run'], ['build'], ['test'], ['seed'], ['snapshot'], ['show'], ['run-operation'], ['retry'], ['clone'], ['source', 'freshness'], ['docs', 'generate']]);

/** Whether argv names a command (and subcommand) of OPENING. */
function opensDatabase() {
  return argv.some((a, i) => OPENING.has(a) && (OPENING.get(a) === undefined || argv[i + 1] === OPENING.get(a)));
}

/**
 * A worker started here, as the CLI is offered it: it never keeps the process
 * alive before it is taken, and `failed` says it stopped before then (the
 * taker starts one of its own).
 */
function workerOffer(worker, port, more = {}) {
  worker.unref();
  port.unref();
  const offer = { worker, port, ...more, failed: false };
  const stopped = () => void (offer.failed = true);
  worker.on('error', stopped);
  worker.on('exit', stopped);
  return offer;
}

/** The early worker's bootstrap (CommonJS, eval): import the entry; a failure is its open's answer, as src/util/worker-boot.ts's. */
const EARLY_BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.entry).catch((e) => {
  workerData.port.postMessage({ ok: false, error: { message: 'connection worker failed to start: ' + ((e && e.message) || e) } });
  Atomics.store(new Int32Array(workerData.flag), 0, 1);
  Atomics.notify(new Int32Array(workerData.flag), 0);
});`;

/**
 * The connection worker, started before the CLI's modules load when the
 * command opens the database (src/adapters/base/early-connection-worker.ts):
 * it boots and loads DuckDB's driver on the other core meanwhile, and the
 * first bridge the command opens sends it its opener. Only from the bundle;
 * off with TSDBT_FAST_PATHS=0 or TSDBT_EARLY_CONNECTION=0.
 */
async function startEarlyConnection(dir) {
  const env = process.env;
  if (!dir.includes('bundle') || env.TSDBT_FAST_PATHS === '0' || env.TSDBT_EARLY_CONNECTION === '0' || !opensDatabase()) return undefined;
  try {
    const entry = new URL(`${dir}sync-bridge-worker.js`, import.meta.url);
    const preload = new URL(`${dir}duckdb-open.js`, import.meta.url);
    if (!statSync(entry, { throwIfNoEntry: false })) return undefined;
    const { MessageChannel, Worker } = await import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const worker = new Worker(EARLY_BOOT, { eval: true, workerData: { port: port2, flag, entry: entry.href, preload: preload.href }, transferList: [port2] });
    // (The bridge that takes it refs it while it opens.)
    return workerOffer(worker, port1, { flag });
  } catch {
    return undefined;
  }
}

/** The early YAML worker's bootstrap (CommonJS, eval): import the entry; a failure only ends it (the parse starts its own). */
const EARLY_YAML_BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.entry).catch(() => process.exit());`;

/**
 * The YAML worker, started before the CLI's modules load when the command
 * is about to parse the whole project: partial parsing off, or no parse
 * cache in the target path (src/util/early-yaml-worker.ts). It boots on the
 * other core meanwhile and waits for the properties files. Only from the
 * bundle, with a core likely spare (as the parse's own start of it, and
 * whatever the load with TSDBT_YAML_WORKER=always); off with
 * TSDBT_FAST_PATHS=0 or TSDBT_EARLY_YAML=0.
 */
async function startEarlyYaml(dir) {
  const env = process.env;
  if (!dir.includes('bundle') || env.TSDBT_FAST_PATHS === '0' || env.TSDBT_EARLY_YAML === '0' || !argv.some((a) => CHECKING.has(a))) return undefined;
  if (!partialParseOff() && parseCacheThere()) return undefined;
  try {
    const { availableParallelism, loadavg } = await import('node:os');
    if (loadavg()[0] >= availableParallelism() && env.TSDBT_YAML_WORKER !== 'always') return undefined;
    const entry = new URL(`${dir}yaml-parse-worker.js`, import.meta.url);
    if (!statSync(entry, { throwIfNoEntry: false })) return undefined;
    const { MessageChannel, Worker } = await import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(EARLY_YAML_BOOT, { eval: true, workerData: { waitOn: port2, entry: entry.href }, transferList: [port2] });
    // (A parse that takes it refs it no more than one it starts.)
    return workerOffer(worker, port1);
  } catch {
    return undefined;
  }
}

const dir = cliDir();
const prestat = await startPrestat(dir);
const early = await startEarlyConnection(dir);
const earlyYaml = await startEarlyYaml(dir);
const main = (await cachedCli(dir)) ?? (await import(`${dir}main.js`));
main.offerPrestat?.(prestat);
main.offerEarlyConnectionWorker?.(early);
main.offerEarlyYamlWorker?.(earlyYaml);
const { runCli } = main;
const { processStreams } = main.processStreams ? main : await import(`${dir}process-streams.js`);
// A closed pipe (`tsdbt ls | head -1`) stops quietly; a full disk or /dev/full on stdout is reported once at the end.
const io = processStreams(process.stdout, process.stderr, () => process.exit(process.exitCode ?? 0));
const code = await runCli(argv, io.streams);
// Let a write error still in flight (a pipe) arrive before the exit code is decided.
await new Promise((resolve) => setImmediate(resolve));
process.exitCode = io.finish(code);
// parse, ls and compile: ended by process.exit() once nothing is left to do, not by Node's slower teardown (src/cli/quick-exit.ts).
if (main.exitsAtOnce?.(argv)) process.once('beforeExit', () => process.exit());
