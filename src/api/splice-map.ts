import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSpans } from '../artifacts/json-byte-writer.js';
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

/** manifest.json's size, modification time (ns) and inode. */
export interface FileIdentity {
  size: string;
  mtimeNs: string;
  ino: string;
}

/** The containers of manifest.json whose member spans are kept. */
export const MANIFEST_SPANS: ReadonlySet<string> = new Set(['', 'nodes']);

/** manifest.json's (or another target file's) identity now (undefined: no such file). */
export function manifestIdentity(targetDir: string, file = 'manifest.json'): FileIdentity | undefined {
  try {
    const st = statSync(join(targetDir, file), { bigint: true });
    return { size: String(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino) };
  } catch {
    return undefined;
  }
}

/** The same file written once (its inode and size), though modified in place since (the metadata refresh). */
export function sameWrittenFile(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.ino === b.ino;
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino;
}

/** Write the map for the manifest.json just written in `targetDir` (or, without spans, remove the old one). */
export function writeSpliceMap(targetDir: string, cache: string | undefined, body: JsonSpans | undefined, manifestSpans: JsonSpans | undefined): void {
  const path = join(targetDir, SPLICE_MAP_FILE);
  const manifest = manifestIdentity(targetDir);
  try {
    // The cache reused, not written (nothing changed, manifest.json written again): its spans are the ones the map holds.
    const prior = !body && cache ? readMap(path) : undefined;
    const storedBody = body ? encode(body, BODY_KEYED, new Map()) : prior?.cache === cache ? prior?.body : undefined;
    if (!cache || !storedBody?.[CACHE_NODES] || !manifestSpans || !manifest) {
      writeFileAtomic(path, '{}', 'the splice map', { durable: false });
      return;
    }
    const nodeIndex = new Map((storedBody[CACHE_NODES].keys as string[]).map((k, i) => [k, i]));
    const stored: StoredMap = { cache, manifest, body: storedBody, manifestSpans: encode(manifestSpans, MANIFEST_KEYED, nodeIndex) };
    writeFileAtomic(path, JSON.stringify(stored), 'the splice map', { durable: false });
  } catch {
    // No map is only a longer parse next time.
  }
}

/** The map, when it was written for cache `cacheId` (check `manifest` against manifest.json: sameIdentity). */
export function readSpliceMap(targetDir: string, cacheId: string): SpliceMap | undefined {
  const stored = readMap(join(targetDir, SPLICE_MAP_FILE));
  if (!stored || stored.cache !== cacheId || !stored.manifest || !stored.body?.[CACHE_NODES] || !stored.manifestSpans) return undefined;
  return new SpliceMap(stored);
}

/** Bytes [start, end) of a file replaced by `bytes`. */
export interface Edit {
  start: number;
  end: number;
  bytes: Buffer;
}

/** Which file a span is in: the parse cache ('body') or manifest.json ('manifest'). */
export type SplicedFile = 'body' | 'manifest';

/** A splice map as read: spans looked up by key, and the map after edits. */
export class SpliceMap {
  private nodeIndex: Map<string, number> | undefined;
  private readonly positions = new Map<StoredSpans, Float64Array>();

  constructor(private readonly stored: StoredMap) {}

  get cache(): string {
    return this.stored.cache;
  }

  get manifest(): FileIdentity {
    return this.stored.manifest;
  }

  /** The spans of member `key` of `container` (several for array elements sharing a key). */
  spans(file: SplicedFile, container: string, key: string): [number, number][] {
    const spans = this.part(file)[container];
    if (!spans) return [];
    const prefix = spans.prefix;
    const node = prefix !== undefined && key.startsWith(prefix) ? this.nodes().get(key.slice(prefix.length)) : undefined;
    const at = this.absolute(spans);
    const out: [number, number][] = [];
    spans.keys.forEach((k, i) => {
      if (k === key || (node !== undefined && k === node)) out.push([at[2 * i]!, at[2 * i + 1]!]);
    });
    return out;
  }

  /**
   * The map for the files written with these edits (the cache's bytes also
   * all moved by `bodyShift`, its new header's length less the old's).
   * Stored as steps, each span moves only where an edit ends before it.
   */
  edited(cache: string, manifest: FileIdentity, bodyEdits: readonly Edit[], bodyShift: number, manifestEdits: readonly Edit[]): string {
    const move = (part: Record<string, StoredSpans>, edits: readonly Edit[], shift: number) => {
      const sorted = [...edits].sort((a, b) => a.end - b.end);
      const out: Record<string, StoredSpans> = {};
      for (const [container, spans] of Object.entries(part)) {
        const steps = spans.steps.slice();
        if (steps.length > 0) steps[0] += shift;
        let at = 0;
        let k = 0;
        for (let i = 0; i < spans.steps.length && k < sorted.length; i++) {
          at += spans.steps[i]!;
          while (k < sorted.length && sorted[k]!.end <= at) {
            const e = sorted[k++]!;
            steps[i] += e.bytes.length - (e.end - e.start);
          }
        }
        out[container] = { ...spans, steps };
      }
      return out;
    };
    return JSON.stringify({ cache, manifest, body: move(this.stored.body, bodyEdits, bodyShift), manifestSpans: move(this.stored.manifestSpans, manifestEdits, 0) } satisfies StoredMap);
  }

  private part(file: SplicedFile): Record<string, StoredSpans> {
    return file === 'body' ? this.stored.body : this.stored.manifestSpans;
  }

  private nodes(): Map<string, number> {
    this.nodeIndex ??= new Map((this.stored.body[CACHE_NODES]!.keys as string[]).map((k, i) => [k, i]));
    return this.nodeIndex;
  }

  private absolute(spans: StoredSpans): Float64Array {
    let at = this.positions.get(spans);
    if (!at) {
      at = new Float64Array(spans.steps.length);
      let p = 0;
      spans.steps.forEach((d, i) => (at![i] = p += d));
      this.positions.set(spans, at);
    }
    return at;
  }
}

/** Write a map edited by SpliceMap.edited. */
export function writeEditedSpliceMap(targetDir: string, text: string): void {
  try {
    writeFileAtomic(join(targetDir, SPLICE_MAP_FILE), text, 'the splice map', { durable: false });
  } catch {
    // No map is only a longer parse next time.
  }
}

/**
 * The map on disk: a key that is a cache node's unique id (after the
 * container's prefix: 'n:' in refAt) is that node's index, and offsets are
 * each the difference from the one before (half the size; an edit moves
 * one step per container).
 */
interface StoredMap {
  cache: string;
  manifest: FileIdentity;
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
const BODY_KEYED: Record<string, string> = { refAt: 'n:' };
const MANIFEST_KEYED: Record<string, string> = { nodes: '' };

function encode(spans: JsonSpans, keyed: Record<string, string>, nodeIndex: ReadonlyMap<string, number>): Record<string, StoredSpans> {
  const nodes = spans[CACHE_NODES] ? new Map(spans[CACHE_NODES].keys.map((k, i) => [k, i])) : nodeIndex;
  const out: Record<string, StoredSpans> = {};
  for (const [container, { keys, at }] of Object.entries(spans)) {
    const prefix = keyed[container];
    const steps = new Array<number>(at.length);
    for (let i = 0; i < at.length; i++) steps[i] = i === 0 ? at[0]! : at[i]! - at[i - 1]!;
    out[container] = prefix === undefined ? { keys, steps } : { keys: keys.map((k) => (k.startsWith(prefix) ? nodes.get(k.slice(prefix.length)) ?? k : k)), steps, prefix };
  }
  return out;
}

function readMap(path: string): StoredMap | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StoredMap;
  } catch {
    return undefined;
  }
}
