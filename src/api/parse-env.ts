import type { LoadedProject } from './load-project.js';

/**
 * The name under which a parse records reading `target.threads`, among the
 * environment variables it read (no variable can be named so). `--threads`
 * is left out of the parse cache's key (dbt's partial parsing ignores it
 * too): a template that reads target.threads while parsing reads it through
 * parseTarget, so the cache records it as read, and a run with other
 * threads re-parses just the files that read it, as for a changed env var.
 */
export const TARGET_THREADS = '\0target.threads';

/** The environment a parse reads through (recordingEnv), with TARGET_THREADS holding the invocation's threads. */
export function parseEnv(loaded: Pick<LoadedProject, 'env' | 'threads'>): Record<string, string | undefined> {
  return { ...loaded.env, [TARGET_THREADS]: String(loaded.threads) };
}

/** `target` as a parse sees it: the same keys, `threads` read through `osEnv` (so a recording env notes the read). */
export function parseTarget(target: Record<string, unknown>, osEnv: Record<string, string | undefined>): Record<string, unknown> {
  if (!('threads' in target)) return target;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(target)) {
    if (k !== 'threads') out[k] = v;
    else Object.defineProperty(out, k, { enumerable: true, configurable: true, get: () => (void osEnv[TARGET_THREADS], v), set: (x: unknown) => Object.defineProperty(out, k, { value: x, enumerable: true, configurable: true, writable: true }) });
  }
  return out;
}

/** `target` as the parse cache's key hashes it: without threads. */
export function keyedTarget(target: Record<string, unknown>): Record<string, unknown> {
  const { threads: _threads, ...rest } = target;
  return rest;
}
