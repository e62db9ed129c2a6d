import { writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';

/**
 * Write target/manifest.json atomically (util/atomic-write), so a reader never
 * sees half a file and a failed write keeps the previous manifest. Ref call locations (`at`) are non-enumerable (parse.ts), so
 * they stay out of the JSON without copying nodes.
 */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  const path = join(targetDir, 'manifest.json');
  writeFileAtomic(path, JSON.stringify(manifest), 'the manifest');
  return path;
}
