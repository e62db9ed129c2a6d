import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { NotAsWritten, type CopiedMembers, type WrittenValues } from '../artifacts/json-byte-writer.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { nodesRead } from './lazy-cache-body.js';
import { readAt } from '../util/file-bytes.js';
import { fastPaths } from '../util/fast-paths.js';
import { PARSE_CACHE_FILE, writtenCacheMembers } from './parse-cache.js';
import { parseCacheOf, writeManifests, writeManifestsFrom, type MapsAsRead } from './parse-phase.js';
import { UNREAD, unreadMember } from '../util/lazy-members.js';
import { CACHE_NODES, keyHash, readSpliceMap } from './splice-map.js';

/** The cache body's manifest: the container of its top-level members (nodes, parent_map, ...). */
const CACHE_MANIFEST = 'parse/manifest';

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
  if (!source) return writeManifests(targetDir, manifest);
  try {
    // The header holds the cache's id, and an in-place edit (parse-cache-edit.ts) marks it first: the same header after the copy, the same bytes.
    const head = source.values.read(0, HEAD, Buffer.alloc(HEAD));
    const path = writeManifestsFrom(targetDir, manifest, source.values);
    if (source.values.read(0, HEAD, Buffer.alloc(HEAD)).equals(head)) {
      copies++;
      return path;
    }
  } catch (e) {
    if (!(e instanceof NotAsWritten) && !(e instanceof Error && e.message === 'truncated')) throw e;
  } finally {
    source.close();
  }
  return writeManifests(targetDir, manifest);
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

let mapCopies = 0;

/** How many parent or child maps writeCompiledManifest copied from the cache (tests). */
export function compiledManifestMapCopies(): number {
  return mapCopies;
}

/** How many manifests writeCompiledManifest wrote by copying nodes (tests: which way a compile went). */
export function compiledManifestCopies(): number {
  return copies;
}

/** The bytes of the cache's header compared before and after a copy (its format, build, key and id are first). */
const HEAD = 1024;

interface NodesSource {
  values: WrittenValues;
  close(): void;
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

/** The nodes of cache `id` where `parse`'s splice map says they are; every key is proved while copying. */
function nodesFromSpliceMap(targetDir: string, manifest: Manifest, id: string, members: CopiedMembers, read?: MapsAsRead): NodesSource | undefined {
  const map = readSpliceMap(targetDir, id);
  const spans = map?.members('body', CACHE_NODES);
  const keys = Object.keys(manifest.nodes);
  if (!spans || keys.length === 0 || spans.hashes.length !== keys.length || spans.at.length !== 2 * keys.length) return undefined;
  for (let i = 0; i < keys.length; i++) if (spans.hashes[i] !== keyHash(keys[i]!)) return undefined;
  let fd: number;
  try {
    fd = openSync(join(targetDir, PARSE_CACHE_FILE), 'r');
  } catch {
    return undefined;
  }
  const close = () => closeSync(fd);
  try {
    // The header holds the cache's id: this file is the cache the manifest was read from (an in-place edit gives it another id).
    const head = readAt(fd, 0, HEAD, Buffer.alloc(HEAD)).toString('latin1');
    const last = spans.at[spans.at.length - 1]!;
    // The span of the last node ends in the padding before the nodes object's closing brace.
    if (!head.includes(`"id":${JSON.stringify(id)}`) || readAt(fd, last, 1).toString('latin1') !== '}') {
      close();
      return undefined;
    }
    // The nodes object opens just before its first key (proved while copying).
    const start = spans.at[0]! - Buffer.byteLength(`{${JSON.stringify(keys[0])}:`);
    const found = { start, end: last + 1, padded: { keys, at: Array.from(spans.at) }, members: { ...members, proveKeys: true } };
    const maps = mapsInCache(fd, manifest, read, map!.members('body', CACHE_MANIFEST));
    const values: WrittenValues = {
      read: (at, length, into) => readAt(fd, at, length, into),
      find: (path, value) => (path === 'nodes' ? (value === manifest.nodes ? found : undefined) : maps.get(path)?.(value)),
    };
    return { values, close };
  } catch {
    close();
    return undefined;
  }
}

/**
 * The manifest's parent and child maps are the parse's as the cache holds
 * them (compile reads them, never changes them): where the splice map says
 * each sits in the cache, as long as it is still the object the cache was
 * read into and the bytes before its span are its key (the map's key hashes
 * are hints). Serialising both cost ~0.5 s at 10,000 models. Each lookup
 * gives the span only for the very object the cache was read into.
 */
function mapsInCache(fd: number, manifest: Manifest, read: MapsAsRead | undefined, top: { hashes: Uint32Array; at: Uint32Array } | undefined): Map<string, (value: unknown) => { start: number; end: number } | undefined> {
  const out = new Map<string, (value: unknown) => { start: number; end: number } | undefined>();
  if (!top || !read) return out;
  for (const key of COPIED_MAPS) {
    // Still a lazy member not read (api/mapped-cache-body.ts): the cache's bytes, unchanged; the writer offers it as UNREAD.
    const value = read[key] === UNREAD && unreadMember(manifest, key) ? UNREAD : manifest[key];
    if (value !== read[key]) continue;
    const i = top.hashes.indexOf(keyHash(key));
    if (i < 0 || !value || (typeof value !== 'object' && value !== UNREAD) || top.hashes.indexOf(keyHash(key), i + 1) >= 0) continue;
    const start = top.at[2 * i]!;
    const end = top.at[2 * i + 1]!;
    const prefix = Buffer.from(`,${JSON.stringify(key)}:`);
    if (start < prefix.length || end <= start) continue;
    try {
      if (!readAt(fd, start - prefix.length, prefix.length).equals(prefix) || readAt(fd, start, 1)[0] !== 0x7b || readAt(fd, end - 1, 1)[0] !== 0x7d) continue;
    } catch {
      continue;
    }
    out.set(key, (v) => {
      if (v !== value) return undefined;
      mapCopies++;
      return { start, end };
    });
  }
  return out;
}

/** The top-level members of the manifest copied from the cache with its nodes (see mapsInCache). */
const COPIED_MAPS = ['parent_map', 'child_map'] as const;
