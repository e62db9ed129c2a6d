import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { NotAsWritten, type CopiedMembers, type WrittenValues } from '../artifacts/json-byte-writer.js';
import type { Manifest } from '../manifest/types.js';
import { readAt } from '../util/file-bytes.js';
import { UNREAD, unreadMember } from '../util/lazy-members.js';
import { PARSE_CACHE_FILE } from './parse-cache.js';
import { CACHE_NODES, keyHash, readSpliceMap } from './splice-map.js';

/**
 * The parse cache's nodes (and parent and child maps) as byte spans a
 * JsonByteWriter copies into manifest.json (json-byte-writer.ts
 * WrittenValues), where `parse`'s splice map (splice-map.ts) says they sit
 * in the cache the manifest was read from with nothing changed. Used by
 * compile's manifest (compiled-manifest.ts, each node with its compiled
 * members appended) and by `parse` after another command rewrote
 * manifest.json (parse-phase.ts writeParseArtifacts).
 */

/** The cache body's manifest: the container of its top-level members (nodes, parent_map, ...). */
const CACHE_MANIFEST = 'parse/manifest';

/** The bytes of the cache's header read to find its id, and compared before and after a copy (its format, build, key and id are first). */
const HEAD = 1024;

export interface NodesSource {
  values: WrittenValues;
  close(): void;
}

/** The parent and child maps as a cache read them (UNREAD: still lazy members, not read). */
export type MapsAsRead = Record<'parent_map' | 'child_map', Manifest['parent_map'] | typeof UNREAD>;

let mapCopies = 0;
let copies = 0;

/** How many manifests writeCopying wrote by copying from a cache (tests: which way a command went). */
export function cacheCopies(): number {
  return copies;
}

/**
 * `write(source.values)`, copying from the cache; when a copy cannot be
 * made as written (a key not proved, the file shorter) or the cache's
 * header changed meanwhile (another command edited or replaced it),
 * `write()` again without copying. `copied` says which way it went. The
 * source is closed either way.
 */
export function writeCopying<T>(source: NodesSource | undefined, write: (values?: WrittenValues) => T): { wrote: T; copied: boolean } {
  if (!source) return { wrote: write(), copied: false };
  try {
    // The header holds the cache's id, and an in-place edit (parse-cache-edit.ts) marks it first: the same header after the copy, the same bytes.
    const head = source.values.read(0, HEAD, Buffer.alloc(HEAD));
    const wrote = write(source.values);
    if (source.values.read(0, HEAD, Buffer.alloc(HEAD)).equals(head)) {
      copies++;
      return { wrote, copied: true };
    }
  } catch (e) {
    if (!(e instanceof NotAsWritten) && !(e instanceof Error && e.message === 'truncated')) throw e;
  } finally {
    source.close();
  }
  return { wrote: write(), copied: false };
}

/** How many parent or child maps were copied from the cache (tests). */
export function cachedMapCopies(): number {
  return mapCopies;
}

/** The nodes of cache `id` where `parse`'s splice map says they are; every key is proved while copying. */
export function nodesFromSpliceMap(targetDir: string, manifest: Manifest, id: string, members: CopiedMembers, read?: MapsAsRead): NodesSource | undefined {
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
