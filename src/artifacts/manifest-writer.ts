import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';

/**
 * Write target/manifest.json atomically (temp file + rename), so a reader never
 * sees half a file. Ref call locations (`at`) are non-enumerable (parse.ts), so
 * they stay out of the JSON without copying nodes.
 */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  mkdirSync(targetDir, { recursive: true });
  const path = join(targetDir, 'manifest.json');
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, path);
  return path;
}
