import { Worker } from 'node:worker_threads';
import { takeEarlyYamlWorker } from '../util/early-yaml-worker.js';
import { BOOTSTRAP_SOURCE, moduleWorkerBoot, siblingModule } from '../util/worker-boot.js';
import type { YamlWorkerSpawn } from '../util/prefetched-yaml.js';

/**
 * Starts yaml-parse-worker.ts, the worker a parse hands its properties files
 * to (ParseInput.yamlWorker); from the TypeScript sources (tests) through the
 * same bootstrap as the render workers. The worker bin/tsdbt.js started
 * early (util/early-yaml-worker.ts) is sent the files instead, once.
 */
export const spawnYamlWorker: YamlWorkerSpawn = (data, transferList) => {
  const early = takeEarlyYamlWorker();
  if (early) {
    early.port.postMessage(data, transferList);
    return early.worker;
  }
  // siblingModule's literal form is how scripts/bundle.mjs finds worker entry points to bundle.
  const boot = moduleWorkerBoot(siblingModule(import.meta.url, 'yaml-parse-worker'));
  return new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { ...data, entry: boot.entry, hooks: boot.hooks }, transferList });
};
