import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';

/** The manifest as written to target/manifest.json: ref call locations are internal and left out. */
export function manifestJson(manifest: Manifest): Record<string, unknown> {
  const strip = <T extends { refs?: unknown[] }>(n: T): T =>
    n.refs ? { ...n, refs: n.refs.map((r) => { const { at: _at, ...rest } = r as { at?: unknown }; return rest; }) } : n;
  return {
    ...manifest,
    nodes: Object.fromEntries(Object.entries(manifest.nodes).map(([k, n]) => [k, strip(n)])),
    exposures: Object.fromEntries(Object.entries(manifest.exposures).map(([k, n]) => [k, strip(n)])),
  };
}

/** Write target/manifest.json atomically (temp file + rename), so a reader never sees half a file. */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  mkdirSync(targetDir, { recursive: true });
  const path = join(targetDir, 'manifest.json');
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(manifestJson(manifest)));
  renameSync(tmp, path);
  return path;
}
