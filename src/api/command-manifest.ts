import { join } from 'node:path';
import { mutatorsBoundCount } from '../jinja/python/collection-methods.js';
import { writeCompiledManifest } from './compiled-manifest.js';
import type { Execution } from './execution.js';
import { parseCacheOf } from './parse-phase.js';
import { refreshWrittenArtifacts } from './written-artifacts.js';

/**
 * target/manifest.json for a command that compiles no node (source
 * freshness, run-operation, show), as dbt writes it for every command that
 * loads the manifest (its `requires.manifest`), before the command runs:
 * the parse's nodes, no compiled members. When target/manifest.json is still
 * the file `parse` wrote from this parse cache (written-artifacts.ts), only
 * its generated_at and invocation_id are rewritten in place; otherwise it is
 * written, the nodes copied from the cache unread (compiled-manifest.ts),
 * or serialised when a node changed since the parse (nodesAsParsed).
 * Nothing with --no-write-json (undefined).
 */
export function writeCommandManifest(exec: Pick<Execution, 'targetDir' | 'parsed' | 'asParsedMutators' | 'loaded'>): string | undefined {
  const { targetDir } = exec;
  if (!exec.loaded.writeJson) return undefined;
  const manifest = exec.parsed.manifest;
  const path = join(targetDir, 'manifest.json');
  const cache = parseCacheOf(manifest);
  const id = cache === undefined ? undefined : 'written' in cache ? cache.written.id : cache.id;
  if (refreshWrittenArtifacts(targetDir, id, manifest.metadata.generated_at, manifest.metadata.invocation_id)) return path;
  return writeCompiledManifest(targetDir, manifest, nodesAsParsed(exec), () => undefined);
}

/**
 * Whether the execution's nodes are still as parsed but for the compiled members rendering appends: no
 * template mutated one since the execution opened (the fast paths only). Its manifest.json can then copy
 * the parse cache's node bytes.
 */
export function nodesAsParsed(exec: Pick<Execution, 'asParsedMutators'>): boolean {
  return exec.asParsedMutators !== undefined && mutatorsBoundCount() === exec.asParsedMutators;
}
