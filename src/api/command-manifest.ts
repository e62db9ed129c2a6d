import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { writeCompiledManifest } from './compiled-manifest.js';
import { parseCacheOf } from './parse-phase.js';
import { readWrittenArtifacts, refreshArtifacts } from './written-artifacts.js';

/**
 * target/manifest.json for a command that compiles no node (source
 * freshness, run-operation, show), as dbt writes it for every command that
 * loads the manifest (its `requires.manifest`), before the command runs:
 * the parse's nodes, no compiled members. When target/manifest.json is still
 * the file `parse` wrote from this parse cache (written-artifacts.ts), only
 * its generated_at and invocation_id are rewritten in place; otherwise it is
 * written, the nodes copied from the cache unread (compiled-manifest.ts),
 * or serialised when `unchanged` is false (a node changed since the parse).
 */
export function writeCommandManifest(targetDir: string, manifest: Manifest, unchanged: boolean): string {
  const path = join(targetDir, 'manifest.json');
  const cache = parseCacheOf(manifest);
  const id = cache === undefined ? undefined : 'written' in cache ? cache.written.id : cache.id;
  const record = id === undefined ? undefined : readWrittenArtifacts(targetDir, id);
  if (record && refreshArtifacts(targetDir, record, manifest.metadata.generated_at, manifest.metadata.invocation_id)) return path;
  return writeCompiledManifest(targetDir, manifest, unchanged, () => undefined);
}
