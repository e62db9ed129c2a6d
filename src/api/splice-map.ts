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

/** Write the map for the manifest.json just written in `targetDir` (or, without spans, remove the old one). */
export function writeSpliceMap(targetDir: string, cache: string | undefined, body: JsonSpans | undefined, manifestSpans: JsonSpans | undefined): void {
  const path = join(targetDir, SPLICE_MAP_FILE);
  const manifest = manifestIdentity(targetDir);
  try {
    if (!cache || !body || !manifestSpans || !manifest) writeFileAtomic(path, '{}', 'the splice map', { durable: false });
    else writeFileAtomic(path, JSON.stringify({ cache, manifest, body, manifestSpans } satisfies SpliceMap), 'the splice map', { durable: false });
  } catch {
    // No map is only a longer parse next time.
  }
}

/** The map, when it was written for cache `cacheId` and manifest.json is still the file it describes. */
export function readSpliceMap(targetDir: string, cacheId: string): SpliceMap | undefined {
  try {
    const map = JSON.parse(readFileSync(join(targetDir, SPLICE_MAP_FILE), 'utf8')) as SpliceMap;
    if (!map || map.cache !== cacheId || !map.body || !map.manifestSpans) return undefined;
    const now = manifestIdentity(targetDir);
    if (!now || now.size !== map.manifest.size || now.mtimeNs !== map.manifest.mtimeNs || now.ino !== map.manifest.ino) return undefined;
    return map;
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
