import { Worker } from 'node:worker_threads';
import { BOOTSTRAP_SOURCE, moduleWorkerBoot, siblingModule } from '../util/worker-boot.js';
import type { YamlWorkerSpawn } from '../util/prefetched-yaml.js';

/**
 * Starts yaml-parse-worker.ts, the worker a parse hands its properties files
 * to (ParseInput.yamlWorker); from the TypeScript sources (tests) through the
 * same bootstrap as the render workers.
 */
export const spawnYamlWorker: YamlWorkerSpawn = (data, transferList) => {
  // siblingModule's literal form is how scripts/bundle.mjs finds worker entry points to bundle.
  const boot = moduleWorkerBoot(siblingModule(import.meta.url, 'yaml-parse-worker'));
  return new Worker(BOOTSTRAP_SOURCE, { eval: true, workerData: { ...data, entry: boot.entry, hooks: boot.hooks }, transferList });
};
