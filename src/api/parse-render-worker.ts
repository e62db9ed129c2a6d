/**
 * The worker thread of RenderShare (project/render-share.ts): loads the
 * project as the parsing thread did (same options, invocation id and start
 * time) and renders a share of its node files (project/render-share-work.ts).
 *
 * Loaded through the bootstrap in sync-bridge-bootstrap.ts (so it runs from
 * `.ts` sources in tests); never imported by the main thread.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Logger } from '../context/base-context.js';
import { ParseObserver } from '../project/partial-parse-reads.js';
import { GAVE_UP, POSTED, type ShareJob } from '../project/render-share.js';
import { renderShareWork } from '../project/render-share-work.js';
import { loadProject, type GlobalOptions } from './load-project.js';
import { recordingEnv } from './parse-cache.js';
import { parseEnv } from './parse-env.js';
import { parseInput } from './parse-phase.js';

const { job, port, state } = workerData as { job: ShareJob; port: MessagePort; state: SharedArrayBuffer };
let lines = 0;
const logger: Logger = { info: () => void lines++, debug: () => void lines++, warn: () => void lines++ };
const stateView = new Int32Array(state);
try {
  const loaded = loadProject({ ...(job.options as GlobalOptions), logger });
  loaded.invocationId = job.invocationId;
  loaded.runStartedAt = new Date(job.runStartedAt);
  const observer = new ParseObserver();
  // The parsing thread's osEnv: the recording env of a parse through the cache, else the load's env (read the same).
  const env = recordingEnv(job.recordedEnv ? parseEnv(loaded) : loaded.env, observer.envVar).env;
  const input = parseInput(loaded, job.flags, env, observer);
  lines = 0; // what the load logged, the parsing thread logged too
  renderShareWork(input, observer, () => lines, port, stateView);
} catch {
  Atomics.store(stateView, GAVE_UP, 1);
  Atomics.notify(stateView, POSTED);
}
port.close();
