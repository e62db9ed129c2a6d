import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSpans, MemberSpans } from '../artifacts/json-byte-writer.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * `target/partial_parse.splice.json`: where each node's JSON sits in the
 * parse cache's body and in manifest.json, as the last `parse` wrote them
 * (the cache's id and manifest.json's identity say which files). With it,
 * parse-splice.ts replaces a changed node's bytes in both files without
 * parsing or writing the rest as JSON. Anything missing or not matching is
 * no map: the next `parse` goes the whole way and writes a new one.
 */
export const SPLICE_MAP_FILE = 'partial_parse.splice.json';

export interface SpliceMap {
  /** The parse cache's id the body spans belong to. */
  cache: string;
  /** manifest.json's size, modification time (ns) and inode when written. */
  manifest: { size: string; mtimeNs: string; ino: string };
  /** BODY_SPANS' containers, offsets in the whole cache file. */
  body: JsonSpans;
  /** manifest.json's top level ('') and its nodes ('nodes'). */
  manifestSpans: JsonSpans;
}

/** The containers of manifest.json whose member spans are kept. */
export const MANIFEST_SPANS: ReadonlySet<string> = new Set(['', 'nodes']);

/** manifest.json's identity now (undefined: no such file). */
export function manifestIdentity(targetDir: string): SpliceMap['manifest'] | undefined {
  try {
    const st = statSync(join(targetDir, 'manifest.json'), { bigint: true });
    return { size: String(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) };
  } catch {
    return undefined;
  }
}

export function sameIdentity(a: SpliceMap['manifest'] | undefined, b: SpliceMap['manifest'] | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino;
}

/** Write the map for the manifest.json just written in `targetDir` (or, without spans, remove the old one). */
export function writeSpliceMap(targetDir: string, cache: string | undefined, body: JsonSpans | undefined, manifestSpans: JsonSpans | undefined): void {
  const path = join(targetDir, SPLICE_MAP_FILE);
  const manifest = manifestIdentity(targetDir);
  try {
    // The cache reused, not written (nothing changed, manifest.json written again): its spans are the ones the map holds.
    if (!body && cache) {
      const prior = decodeMap(readMap(path));
      body = prior?.cache === cache ? prior.body : undefined;
    }
    if (!cache || !body || !manifestSpans || !manifest) writeFileAtomic(path, '{}', 'the splice map', { durable: false });
    else writeFileAtomic(path, JSON.stringify(encodeMap({ cache, manifest, body, manifestSpans })), 'the splice map', { durable: false });
  } catch {
    // No map is only a longer parse next time.
  }
}

/** The map, when it was written for cache `cacheId` (check `manifest` against manifest.json: sameIdentity). */
export function readSpliceMap(targetDir: string, cacheId: string): SpliceMap | undefined {
  try {
    const stored = readMap(join(targetDir, SPLICE_MAP_FILE));
    if (!stored || stored.cache !== cacheId || !stored.manifest) return undefined;
    return decodeMap(stored);
  } catch {
    return undefined;
  }
}

/**
 * The map on disk, a third of its size in memory: a key that is a cache
 * node's unique id (after the container's prefix: 'n:' in refAt) is that
 * node's index, and offsets are each the difference from the one before.
 */
interface StoredMap {
  cache: string;
  manifest: SpliceMap['manifest'];
  body: Record<string, StoredSpans>;
  manifestSpans: Record<string, StoredSpans>;
}

interface StoredSpans {
  keys: (string | number)[];
  steps: number[];
  prefix?: string;
}

const CACHE_NODES = 'parse/manifest/nodes';
/** Containers whose keys are cache node ids after a prefix. */
const NODE_KEYED: Record<string, Record<string, string>> = { body: { refAt: 'n:' }, manifestSpans: { nodes: '' } };

function encodeMap(map: SpliceMap): StoredMap {
  const nodeIndex = new Map((map.body[CACHE_NODES]?.keys ?? []).map((k, i) => [k, i]));
  const encode = (spans: JsonSpans, keyed: Record<string, string>): Record<string, StoredSpans> => Object.fromEntries(Object.entries(spans).map(([container, { keys, at }]) => {
    const prefix = keyed[container];
    const stored: StoredSpans = {
      keys: prefix === undefined ? keys : keys.map((k) => (k.startsWith(prefix) ? nodeIndex.get(k.slice(prefix.length)) ?? k : k)),
      steps: at.map((p, i) => (i === 0 ? p : p - at[i - 1]!)),
    };
    if (prefix !== undefined) stored.prefix = prefix;
    return [container, stored];
  }));
  return { cache: map.cache, manifest: map.manifest, body: encode(map.body, NODE_KEYED.body!), manifestSpans: encode(map.manifestSpans, NODE_KEYED.manifestSpans!) };
}

function decodeMap(stored: StoredMap | undefined): SpliceMap | undefined {
  if (!stored?.body?.[CACHE_NODES] || !stored.manifestSpans) return undefined;
  const decode = (spans: Record<string, StoredSpans>, nodeKeys: readonly string[]): JsonSpans => Object.fromEntries(Object.entries(spans).map(([container, { keys, steps, prefix }]) => {
    const at = new Array<number>(steps.length);
    let p = 0;
    steps.forEach((d, i) => (at[i] = p += d));
    return [container, { keys: keys.map((k) => (typeof k === 'number' ? `${prefix ?? ''}${nodeKeys[k]}` : k)), at }];
  }));
  const nodeKeys = stored.body[CACHE_NODES].keys as string[];
  const body = decode(stored.body, nodeKeys);
  return { cache: stored.cache, manifest: stored.manifest, body, manifestSpans: decode(stored.manifestSpans, nodeKeys) };
}

function readMap(path: string): StoredMap | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StoredMap;
  } catch {
    return undefined;
  }
}

/** [start, end) of member `key` of a container, or undefined. */
export function spanOf(spans: MemberSpans | undefined, key: string): [number, number] | undefined {
  if (!spans) return undefined;
  const i = spans.keys.indexOf(key);
  return i < 0 ? undefined : [spans.at[2 * i]!, spans.at[2 * i + 1]!];
}

