import { moduleWorkerBoot, type WorkerBoot } from '../../util/worker-boot.js';

export { BOOTSTRAP_SOURCE, siblingModule, type WorkerBoot } from '../../util/worker-boot.js';

/**
 * The boot data for a worker entry (util/worker-boot.ts): by default the
 * connection worker, `sync-bridge-worker` next to this file; any other
 * module URL (e.g. the render worker, from siblingModule) boots the same way.
 */
export function workerBoot(entryUrl?: string): WorkerBoot {
  const here = import.meta.url;
  return moduleWorkerBoot(entryUrl ?? new URL(`./sync-bridge-worker${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href);
}
