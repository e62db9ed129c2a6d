import { writeChunksAtomic, writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { writtenManifest, writtenNode, writtenNodeJson, writtenOtherwise, writtenUnitTests } from '../manifest/written-node.js';
import { fastPaths } from '../util/fast-paths.js';
import { JsonByteWriter, type JsonSpans, type MemberRewrite, type WrittenValues } from './json-byte-writer.js';

/**
 * Write target/manifest.json atomically (util/atomic-write), so a reader never
 * sees half a file and a failed write keeps the previous manifest; not
 * fsync'd, as any later parse writes it again (util/atomic-write.ts durable). Ref call locations (`at`) are non-enumerable (parse.ts), so
 * they stay out of the JSON without copying nodes.
 */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  return writeManifestSpans(targetDir, manifest).path;
}

/**
 * What manifest.json holds otherwise than as tsdbt keeps it (manifest/written-node.ts): seeds and
 * unit tests as dbt writes them. A seed copied from the parse cache is rewritten from its bytes there.
 */
const WRITTEN_OTHERWISE: ReadonlyMap<string, MemberRewrite> = new Map<string, MemberRewrite>([
  ['', { applies: (key) => key === 'unit_tests', value: writtenUnitTests, json: (text) => JSON.stringify(writtenUnitTests(JSON.parse(text) as unknown)) }],
  ['nodes', { applies: writtenOtherwise, value: (v) => writtenNode(v as CompiledNode), json: writtenNodeJson }],
]);

/**
 * writeManifest, also returning where the members of `spansOf`'s containers
 * ('' for the top level, 'nodes' for each node) were written (with the fast
 * paths on; off, no spans). Members `written` has are copied from there.
 */
export function writeManifestSpans(targetDir: string, manifest: Manifest, spansOf?: ReadonlySet<string>, written?: WrittenValues): { path: string; spans?: JsonSpans } {
  const path = join(targetDir, 'manifest.json');
  if (!fastPaths()) {
    writeFileAtomic(path, JSON.stringify(writtenManifest(manifest)), 'the manifest', { durable: false });
    return { path };
  }
  let spans: JsonSpans | undefined;
  writeChunksAtomic(path, 'the manifest', (write) => {
    // Its top-level members, and each entry of one that is a plain object (nodes, macros, parent_map...), stringified on their own.
    const out = new JsonByteWriter(write, spansOf, undefined, { written, rewrites: WRITTEN_OTHERWISE, sharedMember: 'config' });
    out.json(manifest, 2);
    out.flush();
    spans = out.spans;
  }, { durable: false });
  return { path, spans };
}
