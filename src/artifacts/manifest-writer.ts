import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';

/**
 * The manifest as written to target/manifest.json. Ref call locations (`at`)
 * are non-enumerable (see parse.ts), so they stay out without copying nodes.
 */
export function manifestJson(manifest: Manifest): Manifest {
  return manifest;
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
