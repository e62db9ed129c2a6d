import { writeChunksAtomic, writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { JsonByteWriter } from './json-byte-writer.js';

/**
 * Write target/manifest.json atomically (util/atomic-write), so a reader never
 * sees half a file and a failed write keeps the previous manifest. Ref call locations (`at`) are non-enumerable (parse.ts), so
 * they stay out of the JSON without copying nodes.
 */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  const path = join(targetDir, 'manifest.json');
  if (!fastPaths()) {
    writeFileAtomic(path, JSON.stringify(manifest), 'the manifest');
    return path;
  }
  writeChunksAtomic(path, 'the manifest', (write) => writeJsonStreamed(write, manifest));
  return path;
}

/** The manifest's bytes: its top-level members, and each entry of one that is a plain object (nodes, macros, parent_map...), stringified on their own. */
function writeJsonStreamed(write: (bytes: Uint8Array) => void, value: object): void {
  const out = new JsonByteWriter(write);
  out.json(value, 2);
  out.flush();
}
