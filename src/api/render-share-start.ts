import { existsSync } from 'node:fs';
import { BOOTSTRAP_SOURCE, moduleWorkerBoot, siblingModule } from '../util/worker-boot.js';
import { RenderShare, type ShareJob } from '../project/render-share.js';
import { prefetchThreshold } from '../project/sql-node-files.js';
import { fastPaths } from '../util/fast-paths.js';
import { findFiles } from '../util/files.js';
import type { LoadedProject } from './load-project.js';
import { PARSE_CACHE_FILE } from './parse-cache.js';
import { targetDirOf } from './target-dir.js';

/**
 * Below this many model, analysis and singular test files, the worker's
 * start-up (loading the modules, the project and its macros: ~0.4 s of CPU
 * on another core) is not paid back by the renders it takes off the parsing
 * thread (the Tuva Project has ~1,300 such files, 1,111 of them rendered).
 */
let shareAtLeast = 500;
/** Tests: start however busy the machine is, and let the parse wait for the worker's list (see RenderShare.start). */
let forTests = false;

/** For tests: start the worker from `files` files, however busy the machine, the parse waiting for it; returns the previous threshold. */
export function setRenderShareForTests(files: number, on: boolean): number {
  const was = shareAtLeast;
  shareAtLeast = files;
  forTests = on;
  return was;
}

/**
 * A worker rendering a share of the node files of a full parse of `loaded`
 * (project/render-share.ts), when fast paths are on, the project has enough
 * model, analysis and singular test files and a core is likely spare; else undefined.
 */
export function startRenderShare(loaded: LoadedProject, flags: Record<string, unknown>, recordedEnv: boolean): RenderShare | undefined {
  // Only when asked (TSDBT_PARSE_WORKER=1), even on an idle machine: on the 2-vCPU machines we
  // measure on, Tuva's cold parse took longer with the worker (median 2.52 s against 2.22 s over
  // five alternating pairs, ~0.7 s more CPU), so it is not started by itself until a machine
  // with cores to spare shows it pays.
  const asked = process.env.TSDBT_PARSE_WORKER;
  if (!fastPaths() || !(forTests || asked === '1')) return undefined;
  const sqlFiles = loaded.packages.filter((p) => p.kind !== 'internal').reduce((n, p) => n + findFiles(p.config.root, [...p.config.modelPaths, ...p.config.analysisPaths, ...p.config.testPaths], ['.sql']).length, 0);
  if (sqlFiles < shareAtLeast || (sqlFiles >= prefetchThreshold() && !forTests)) return undefined;
  let job: ShareJob;
  try {
    const options = Object.fromEntries(Object.entries(JSON.parse(loaded.reads.options) as Record<string, unknown>).filter(([, v]) => v !== null));
    job = structuredClone({ options: { ...options, env: loaded.env }, invocationId: loaded.invocationId, runStartedAt: loaded.runStartedAt.toISOString(), flags, recordedEnv });
  } catch {
    return undefined; // flags a structured clone cannot carry
  }
  // siblingModule's literal form is how scripts/bundle.mjs finds worker entry points to bundle.
  return RenderShare.start(moduleWorkerBoot(siblingModule(import.meta.url, 'parse-render-worker')), BOOTSTRAP_SOURCE, job, forTests);
}

/**
 * startRenderShare as soon as the project is loaded, when the parse to come
 * is surely a full one with nothing to reuse (partial parsing off, or no
 * parse cache at all): the worker loads and reads while this thread checks
 * the cache's inputs. Hand it to parseLoaded (ParseOptions.renderShare).
 */
export function earlyRenderShare(loaded: LoadedProject, flags: Record<string, unknown>): RenderShare | undefined {
  if (loaded.partialParse && existsSync(targetDirOf(loaded, PARSE_CACHE_FILE))) return undefined;
  return startRenderShare(loaded, flags, loaded.partialParse);
}
