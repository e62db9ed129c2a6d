import type { CopiedMembers, WrittenValues } from '../artifacts/json-byte-writer.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { nodesRead } from './lazy-cache-body.js';
import { fastPaths } from '../util/fast-paths.js';
import { writtenCacheMembers } from './parse-cache.js';
import { nodesFromSpliceMap, writeCopying, type NodesSource } from './cached-nodes-source.js';
import { parseCacheOf, writeManifests, writeManifestsFrom } from './parse-phase.js';

/**
 * target/manifest.json after `compile`. Its nodes are the parse cache's, each
 * with the members compile added at its end (`extra`: compiled_code and
 * compiled_path, as JSON text): when the caller knows nothing else changed a
 * node since the parse (`unchanged`), each node's bytes are copied from the
 * cache with those members appended, instead of serialising 40,000 nodes
 * again (~1 s at 10,000 models). The cache must be the one the manifest
 * was read from or written to, with its nodes' spans known (written by this
 * process, or in the splice map `parse` left for it), and its keys are
 * proved against the copied bytes; anything else, or the cache changing
 * while it is read, writes manifest.json by serialising, as before.
 */
export function writeCompiledManifest(targetDir: string, manifest: Manifest, unchanged: boolean, extra: (id: string) => string | undefined): string {
  const source = unchanged && fastPaths() ? nodesSource(targetDir, manifest, { extra }) : undefined;
  const { wrote, copied } = writeCopying(source, (values) => (values ? writeManifestsFrom(targetDir, manifest, values) : writeManifests(targetDir, manifest)));
  if (copied) copies++;
  return wrote;
}

/**
 * True when no node has compiled members yet (a compile or run then adds them at each node's end, as
 * writeCompiledManifest's `extra` appends them). Nodes read from the parse cache as used (lazy-cache-body.ts)
 * and not read yet are as parsed.
 */
export function withoutCompiledMembers(manifest: Manifest): boolean {
  const { nodes } = manifest;
  for (const id of nodesRead(nodes) ?? Object.keys(nodes)) {
    const node = nodes[id]!;
    if (Object.hasOwn(node, 'compiled_code') || Object.hasOwn(node, 'compiled_path')) return false;
  }
  return true;
}

/** writeCompiledManifest's `extra` for `nodes`: each node's compiled members as JSON text (none for a node not read from the cache yet). */
export function compiledMembersOf(nodes: Record<string, CompiledNode>): (id: string) => string | undefined {
  const read = nodesRead(nodes);
  return (id) => (read && !read.has(id) ? undefined : compiledMembers(nodes[id]!));
}

/** The members a compile appended to a node, as JSON.stringify writes them after the node's others; undefined when none. */
function compiledMembers(node: CompiledNode): string | undefined {
  let text = '';
  if (node.compiled_code !== undefined) text += `,"compiled_code":${JSON.stringify(node.compiled_code)}`;
  if (node.compiled_path !== undefined) text += `,"compiled_path":${JSON.stringify(node.compiled_path)}`;
  return text === '' ? undefined : text;
}

let copies = 0;

/** How many manifests writeCompiledManifest wrote by copying nodes (tests: which way a compile went). */
export function compiledManifestCopies(): number {
  return copies;
}

function nodesSource(targetDir: string, manifest: Manifest, members: CopiedMembers): NodesSource | undefined {
  const cache = parseCacheOf(manifest);
  if (!cache) return undefined;
  if ('written' in cache) {
    const source = writtenCacheMembers(cache.written);
    if (!source) return undefined;
    const { read, find } = source.values;
    // The cache's spans were recorded as it was written: its keys need no proof. Other members are not copied (only nodes change).
    const values: WrittenValues = { read, find: (path, value) => (path === 'nodes' ? withMembers(find(path, value), members) : undefined) };
    return { values, close: source.close };
  }
  return nodesFromSpliceMap(targetDir, manifest, cache.id, members, cache.maps);
}

const withMembers = <T extends object>(found: T | undefined, members: CopiedMembers): (T & { members: CopiedMembers }) | undefined => (found ? { ...found, members } : undefined);
