import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

/**
 * How a module worker starts (the connection worker, render workers, the
 * file prefetcher). From the built package every module is
 * JavaScript and the worker imports its entry directly. Running from the
 * TypeScript sources (tests, development), a plain Node worker cannot load
 * `.ts`, so the bootstrap first registers module hooks that transpile `.ts`
 * with the `typescript` dev dependency and map `./x.js` imports to `./x.ts`.
 */

/** Worker code (CommonJS, run with `eval: true`): register hooks when asked, then import the entry. */
export const BOOTSTRAP_SOURCE = `
const { workerData } = require('node:worker_threads');
if (workerData.hooks) require('node:module').register(workerData.hooks.url, { data: workerData.hooks.data });
import(workerData.entry).catch((e) => {
  // Workers without a bridge flag (render workers) fail with an 'error' event.
  if (!workerData.flag) setTimeout(() => { throw e; });
  if (!workerData.flag) return;
  const flag = new Int32Array(workerData.flag);
  workerData.port.postMessage({ ok: false, error: { message: 'connection worker failed to start: ' + (e && e.message || e) } });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

// Transpiled output is cached on disk by content hash, so only the first
// worker after a source change pays for loading the TypeScript compiler.
const TS_HOOKS = `
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
let tsPath;
let ts;
const cacheDir = join(tmpdir(), 'tsdbt-worker-ts-cache');
export async function initialize(data) { tsPath = data.typescript; }
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const url = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const text = readFileSync(file, 'utf8');
  const cached = join(cacheDir, createHash('sha1').update(file + '\\0' + text).digest('hex') + '.js');
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  ts ??= (await import(tsPath)).default;
  const out = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
  mkdirSync(cacheDir, { recursive: true });
  // Several workers of one process may transpile the same file at once: each writes its own temporary file.
  const tmp = cached + '.' + process.pid + '.' + Math.random().toString(36).slice(2) + '.tmp';
  writeFileSync(tmp, out);
  renameSync(tmp, cached);
  return { format: 'module', source: out, shortCircuit: true };
}
`;

export interface WorkerBoot {
  /** URL of the worker's entry module. */
  entry: string;
  /** Module hooks to register first, when the entry is TypeScript. */
  hooks?: { url: string; data: { typescript: string } };
}

/**
 * The boot data for a worker entry module (a URL, e.g. from siblingModule):
 * with the TypeScript hooks when it is `.ts`.
 */
export function moduleWorkerBoot(entry: string): WorkerBoot {
  const here = import.meta.url;
  if (!entry.endsWith('.ts')) return { entry };
  const typescript = pathToFileURL(createRequire(here).resolve('typescript')).href;
  return { entry, hooks: { url: `data:text/javascript,${encodeURIComponent(TS_HOOKS)}`, data: { typescript } } };
}

/**
 * A module next to `importMetaUrl` (keeps `.ts` when running from sources):
 * a worker entry or a ConnectionOpener. Written literally as
 * siblingModule with import.meta.url and the stem in quotes, it is how scripts/bundle.mjs
 * finds the worker entry points to bundle.
 */
export function siblingModule(importMetaUrl: string, stem: string): string {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${stem}${ext}`, importMetaUrl).href;
}

/**
 * Whether a helper worker started now would likely find a core to itself:
 * this is the main thread (a worker's own siblings already use the cores) and
 * the last minute's load average is below the machine's cores.
 */
export function coreLikelySpare(): boolean {
  return isMainThread && loadavg()[0]! < availableParallelism();
}
