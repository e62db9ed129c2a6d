import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSpans } from '../artifacts/json-byte-writer.js';
import { writeChunksAtomic } from '../util/atomic-write.js';

/**
 * `target/partial_parse.splice` (binary, see StoredMap): where each node's JSON sits in the
 * parse cache's body and in manifest.json, as the last `parse` wrote them
 * (the cache's id and manifest.json's identity say which files). With it,
 * parse-splice.ts replaces a changed node's bytes in both files without
 * parsing or writing the rest as JSON. Anything missing or not matching is
 * no map: the next `parse` goes the whole way and writes a new one.
 */
export const SPLICE_MAP_FILE = 'partial_parse.splice';

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
    const bodyParts = body ? encode(body) : prior?.meta.cache === cache ? prior?.parts.filter((p) => p.file === 'body') : undefined;
    if (!cache || !bodyParts?.some((p) => p.container === CACHE_NODES) || !manifestSpans || !manifest) {
      removeMap(path);
      return;
    }
    const parts = [...bodyParts, ...encode(manifestSpans).map((p) => ({ ...p, file: 'manifest' as const }))];
    writePieces(path, serialise({ cache, manifest }, parts));
  } catch {
    // No map is only a longer parse next time (and a stale one must not stay).
    removeMap(path);
  }
}

/** The map, when it was written for cache `cacheId` (check `manifest` against manifest.json: sameIdentity). */
export function readSpliceMap(targetDir: string, cacheId: string): SpliceMap | undefined {
  const stored = readMap(join(targetDir, SPLICE_MAP_FILE));
  if (!stored || stored.meta.cache !== cacheId || !stored.meta.manifest || !stored.parts.some((p) => p.file === 'body' && p.container === CACHE_NODES)) return undefined;
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
  constructor(private readonly stored: StoredMap) {}

  get cache(): string {
    return this.stored.meta.cache;
  }

  get manifest(): FileIdentity {
    return this.stored.meta.manifest;
  }

  /** The spans of member `key` of `container` (several for array elements sharing a key). */
  spans(file: SplicedFile, container: string, key: string): [number, number][] {
    const part = this.stored.parts.find((p) => p.file === file && p.container === container);
    if (!part) return [];
    const out: [number, number][] = [];
    const want = Buffer.from(`\n${key}\n`);
    // Keys are a newline-separated list: found by a byte search, their index by where they start.
    for (let at = part.keys.indexOf(want); at >= 0; at = part.keys.indexOf(want, at + 1)) {
      const i = indexAt(part.keyStarts, at + 1);
      if (i >= 0) out.push([part.at[2 * i]!, part.at[2 * i + 1]!]);
    }
    return out;
  }

  /**
   * The map's parts for the files written with these edits (the cache's
   * bytes also all moved by `bodyShift`, its new header's length less the
   * old's): an offset moves by each edit that ends at or before it. A part
   * no edit moves (the cache's, edited in place) is kept as it is.
   */
  editedParts(bodyEdits: readonly Edit[], bodyShift: number, manifestEdits: readonly Edit[]): readonly StoredPart[] {
    const move = (at: Float64Array, edits: readonly Edit[], shift: number): Float64Array => {
      const sorted = [...edits].sort((a, b) => a.end - b.end);
      const ends = sorted.map((e) => e.end);
      const deltas = sorted.map((e) => e.bytes.length - (e.end - e.start));
      if (shift === 0 && deltas.every((d) => d === 0)) return at;
      const out = new Float64Array(at.length);
      // Offsets ascend (spans are recorded as written): the edits passed so far are walked once.
      let k = 0;
      let d = shift;
      let last = -Infinity;
      for (let i = 0; i < at.length; i++) {
        const x = at[i]!;
        if (x < last) {
          k = 0;
          d = shift;
        }
        last = x;
        while (k < ends.length && ends[k]! <= x) d += deltas[k++]!;
        out[i] = x + d;
      }
      return out;
    };
    return this.stored.parts.map((p) => ({ ...p, at: p.file === 'body' ? move(p.at, bodyEdits, bodyShift) : move(p.at, manifestEdits, 0) }));
  }
}

/** The map of SpliceMap.editedParts for cache `cache` and the manifest.json written with them, as pieces to write. */
export function serialiseSpliceMap(cache: string, manifest: FileIdentity, parts: readonly StoredPart[]): Uint8Array[] {
  return serialise({ cache, manifest }, parts);
}

/** The index of the key starting at byte `at` (binary search of the ascending starts), or -1. */
function indexAt(starts: Uint32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = starts[mid]!;
    if (v === at) return mid;
    if (v < at) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Write a map edited by SpliceMap.edited. */
export function writeEditedSpliceMap(targetDir: string, pieces: readonly Uint8Array[]): void {
  const path = join(targetDir, SPLICE_MAP_FILE);
  try {
    writePieces(path, pieces);
  } catch {
    removeMap(path);
  }
}

/** The map's pieces written one after another (no concatenated copy). */
function writePieces(path: string, pieces: readonly Uint8Array[]): void {
  writeChunksAtomic(path, 'the splice map', (write) => {
    for (const p of pieces) if (p.length > 0) write(p);
  }, { durable: false });
}

function removeMap(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Unreadable folder: nothing to read next time either.
  }
}

/**
 * The map on disk, binary (a JSON map of 40,000 nodes took longer to read,
 * index and write again than the splice's own work): the magic line, a
 * JSON line (the cache id, manifest.json's identity, each container's
 * file, path, count and byte lengths), then per container its keys, each
 * after a newline and the list ending with one, the start of each key in
 * that list (uint32) and each member's absolute [start, end) (float64).
 */
interface StoredMap {
  meta: { cache: string; manifest: FileIdentity };
  parts: StoredPart[];
}

export interface StoredPart {
  file: SplicedFile;
  container: string;
  keys: Buffer;
  keyStarts: Uint32Array;
  at: Float64Array;
}

const MAGIC = 'tsdbt-splice-map 1\n';
const CACHE_NODES = 'parse/manifest/nodes';

function encode(spans: JsonSpans): StoredPart[] {
  return Object.entries(spans).map(([container, { keys, at }]) => {
    // A key holding a newline would read as two: no map (the caller's catch removes it).
    if (keys.some((k) => k.includes('\n'))) throw new Error('a key holds a newline');
    const keyBytes = Buffer.from(`\n${keys.join('\n')}\n`);
    // Each key starts after a newline (found in the bytes: cheaper than measuring each key's UTF-8 length).
    const keyStarts = new Uint32Array(keys.length);
    for (let i = 0, p = 0; i < keys.length; i++) {
      keyStarts[i] = p + 1;
      p = keyBytes.indexOf(10, p + 1);
    }
    return { file: 'body' as SplicedFile, container, keys: keyBytes, keyStarts, at: Float64Array.from(at) };
  });
}

function serialise(meta: StoredMap['meta'], parts: readonly StoredPart[]): Uint8Array[] {
  // A part whose keys are an earlier part's (manifest.json's nodes are the cache's, hooks aside) names it instead of repeating them.
  const sameKeys = parts.map((p, i) => parts.findIndex((q, j) => j < i && q.keys.length === p.keys.length && q.keys.equals(p.keys)));
  const head = Buffer.from(`${MAGIC}${JSON.stringify({ ...meta, parts: parts.map((p, i) => ({ file: p.file, container: p.container, count: p.keyStarts.length, keyBytes: p.keys.length, keysOf: sameKeys[i]! >= 0 ? sameKeys[i] : undefined })) })}\n`);
  const pieces: Uint8Array[] = [head];
  // The typed arrays are 8-byte aligned from the file's start (a file read whole starts aligned: they are viewed in place).
  let at = head.length;
  for (const [i, p] of parts.entries()) {
    if (sameKeys[i]! < 0) {
      pieces.push(p.keys);
      at += p.keys.length;
    }
    // The typed arrays start 8-byte aligned, so reading can view them in place.
    const pad = (8 - (at % 8)) % 8;
    pieces.push(Buffer.alloc(pad));
    at += pad;
    pieces.push(new Uint8Array(p.at.buffer, p.at.byteOffset, p.at.byteLength));
    pieces.push(new Uint8Array(p.keyStarts.buffer, p.keyStarts.byteOffset, p.keyStarts.byteLength));
    at += p.at.byteLength + p.keyStarts.byteLength;
  }
  return pieces;
}

/** `bytes` in a buffer of their own, starting at offset 0 of it. */
function alignedCopy(bytes: Buffer): Buffer {
  const copy = new Uint8Array(bytes);
  return Buffer.from(copy.buffer, 0, copy.length);
}

function readMap(path: string): StoredMap | undefined {
  try {
    const bytes = readFileSync(path);
    if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return undefined;
    const eol = bytes.indexOf(10, MAGIC.length);
    if (eol < 0) return undefined;
    const meta = JSON.parse(bytes.subarray(MAGIC.length, eol).toString('utf8')) as StoredMap['meta'] & { parts: { file: SplicedFile; container: string; count: number; keyBytes: number; keysOf?: number }[] };
    if (typeof meta.cache !== 'string' || !meta.manifest || !Array.isArray(meta.parts)) return undefined;
    // The typed arrays below are views at 8-byte multiples from the file's start: in place when the bytes start aligned, else in a copy that does.
    const body = bytes.byteOffset % 8 === 0 ? bytes : alignedCopy(bytes);
    let at = eol + 1;
    const parts: StoredPart[] = [];
    for (const p of meta.parts) {
      const shared = p.keysOf === undefined ? undefined : parts[p.keysOf];
      if (p.keysOf !== undefined && (!shared || shared.keys.length !== p.keyBytes)) return undefined;
      if (!shared && at + p.keyBytes > body.length) return undefined;
      const keys = shared ? shared.keys : body.subarray(at, at + p.keyBytes);
      if (!shared) at += p.keyBytes;
      at += (8 - (at % 8)) % 8;
      const atBytes = p.count * 16;
      const starts = p.count * 4;
      if (at + atBytes + starts > body.length) return undefined;
      const spans = new Float64Array(body.buffer, body.byteOffset + at, 2 * p.count);
      at += atBytes;
      const keyStarts = new Uint32Array(body.buffer.slice(body.byteOffset + at, body.byteOffset + at + starts));
      at += starts;
      parts.push({ file: p.file, container: p.container, keys, keyStarts, at: spans });
    }
    if (at !== body.length) return undefined;
    return { meta: { cache: meta.cache, manifest: meta.manifest }, parts };
  } catch {
    return undefined;
  }
}
