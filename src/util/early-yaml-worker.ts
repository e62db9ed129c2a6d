import type { MessagePort, Worker } from 'node:worker_threads';

/**
 * A YAML worker (api/yaml-parse-worker.ts) bin/tsdbt.js started before the
 * CLI's modules loaded, when the command is about to parse the whole
 * project (partial parsing off, or no parse cache in the target path): it
 * boots and loads its module on another core while the main thread loads
 * the CLI and the project, then waits for its files (the first message on
 * `port`: the YamlWorkerData a worker started then is given). A worker
 * started at the parse spent ~0.1-0.2 s of the parse booting.
 *
 * Kept apart from the spawner so that the CLI's entry can take the offer
 * without loading it.
 */
export interface EarlyYamlWorker {
  worker: Worker;
  port: MessagePort;
  /** It stopped before it was taken: passed over. */
  failed?: boolean;
}

let early: EarlyYamlWorker | undefined;
/** The offer was taken, and no one has asked since (tookEarlyYamlWorker). */
let taken = false;

/** bin/tsdbt.js's early worker, for the first properties prefetch of this process. */
export function offerEarlyYamlWorker(offer: EarlyYamlWorker | undefined): void {
  early = offer;
}

/** The early worker, once (undefined when none was offered, it was taken, or it stopped). */
export function takeEarlyYamlWorker(): EarlyYamlWorker | undefined {
  const offer = early;
  early = undefined;
  if (offer?.failed) return undefined;
  taken ||= offer !== undefined;
  return offer;
}

/** Whether a prefetch took the early worker since the last call (for the parse's debug line). */
export function tookEarlyYamlWorker(): boolean {
  const was = taken;
  taken = false;
  return was;
}

/** A parse that did not take the early worker ends it (a small project's YAML is parsed on the main thread). */
export function releaseEarlyYamlWorker(): void {
  const offer = early;
  early = undefined;
  offer?.worker.terminate().catch(() => undefined);
}
