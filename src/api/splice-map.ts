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

/**
 * Write the map for the manifest.json just written in `targetDir` (or, without spans, remove the old one).
 * Without `manifestSpans` (a command other than `parse` wrote the cache), the map holds the cache's half only:
 * its manifest.json identity matches no file, so no `parse` splices with it.
 */
export function writeSpliceMap(targetDir: string, cache: string | undefined, body: JsonSpans | undefined, manifestSpans: JsonSpans | undefined): void {
  const path = join(targetDir, SPLICE_MAP_FILE);
  const manifest = manifestSpans ? manifestIdentity(targetDir) : NO_MANIFEST;
  try {
    // The cache reused, not written (nothing changed, manifest.json written again): its spans are the ones the map holds.
    const prior = !body && cache ? readMap(path) : undefined;
    const bodyParts = body ? encode(body) : prior?.meta.cache === cache ? prior?.parts.filter((p) => p.file === 'body') : undefined;
    if (!cache || !bodyParts?.some((p) => p.container === CACHE_NODES) || !manifest) {
      removeMap(path);
      return;
    }
    const parts = [...bodyParts, ...(manifestSpans ? encode(manifestSpans).map((p) => ({ ...p, file: 'manifest' as const })) : [])];
    writePieces(path, serialise({ cache, manifest }, parts));
  } catch {
    // No map is only a longer parse next time (and a stale one must not stay).
    removeMap(path);
  }
}

/** The identity of no file (a map without manifest.json's half). */
export const NO_MANIFEST: FileIdentity = { size: '-1', mtimeNs: '-1', ino: '-1' };

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

  /**
   * The spans of member `key` of `container`: every member whose key hashes
   * as `key` does (keyHash), so the caller must prove each one (an object
   * member's span follows `"key":`; an array element holds its key).
   */
  spans(file: SplicedFile, container: string, key: string): [number, number][] {
    const part = this.stored.parts.find((p) => p.file === file && p.container === container);
    if (!part) return [];
    const out: [number, number][] = [];
    const want = keyHash(key);
    for (let i = part.hashes.indexOf(want); i >= 0; i = part.hashes.indexOf(want, i + 1)) out.push([part.at[2 * i]!, part.at[2 * i + 1]!]);
    return out;
  }

  /** Every member of `container` in `file`, in order: key hashes (hints, as for spans()) and [start, end) pairs. */
  members(file: SplicedFile, container: string): { hashes: Uint32Array; at: Uint32Array } | undefined {
    const part = this.stored.parts.find((p) => p.file === file && p.container === container);
    return part ? { hashes: part.hashes, at: part.at } : undefined;
  }

  /**
   * The map's parts for the files written with these edits (the cache's
   * bytes also all moved by `bodyShift`, its new header's length less the
   * old's): an offset moves by each edit that ends at or before it. A part
   * no edit moves (the cache's, edited in place) is kept as it is.
   */
  editedParts(bodyEdits: readonly Edit[], bodyShift: number, manifestEdits: readonly Edit[]): readonly StoredPart[] {
    const move = (at: Uint32Array, edits: readonly Edit[], shift: number): Uint32Array => {
      const sorted = [...edits].sort((a, b) => a.end - b.end);
      const ends = sorted.map((e) => e.end);
      const deltas = sorted.map((e) => e.bytes.length - (e.end - e.start));
      if (shift === 0 && deltas.every((d) => d === 0)) return at;
      const out = new Uint32Array(at.length);
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
        if (x + d > MAX_OFFSET) throw new Error('an offset past 4 GiB');
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

/** Write a map of SpliceMap.editedParts (serialiseSpliceMap). */
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
 * index and write again than the splice's own work; the keys themselves,
 * 4 MB at 10,000 models, were most of the rest): the magic line, a JSON
 * line (the cache id, manifest.json's identity, each container's file,
 * path and count), then per container, 4-byte aligned, each member's key
 * hash (keyHash, uint32) unless it repeats an earlier container's (keysOf)
 * and each member's [start, end) in its file (uint32: a file past 4 GiB
 * gets no map).
 */
interface StoredMap {
  meta: { cache: string; manifest: FileIdentity };
  parts: StoredPart[];
}

export interface StoredPart {
  file: SplicedFile;
  container: string;
  hashes: Uint32Array;
  at: Uint32Array;
}

const MAGIC = 'tsdbt-splice-map 2\n';
/** The cache body's container of nodes. */
export const CACHE_NODES = 'parse/manifest/nodes';
const MAX_OFFSET = 0xffffffff;

/** FNV-1a over the key's UTF-16 code units: equal keys, equal hashes; a hash is only a hint (see SpliceMap.spans). */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function encode(spans: JsonSpans): StoredPart[] {
  return Object.entries(spans).map(([container, { keys, at }]) => {
    const hashes = new Uint32Array(keys.length);
    for (let i = 0; i < keys.length; i++) hashes[i] = keyHash(keys[i]!);
    // An offset past 4 GiB has no uint32: no map (the caller's catch removes it).
    for (const x of at) if (x > MAX_OFFSET) throw new Error('an offset past 4 GiB');
    return { file: 'body' as SplicedFile, container, hashes, at: Uint32Array.from(at) };
  });
}

const bytesOf = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function serialise(meta: StoredMap['meta'], parts: readonly StoredPart[]): Uint8Array[] {
  // A part whose keys are an earlier part's (manifest.json's nodes are the cache's, hooks aside) names it instead of repeating them.
  const sameKeys = parts.map((p, i) => parts.findIndex((q, j) => j < i && q.hashes.length === p.hashes.length && bytesOf(q.hashes).equals(bytesOf(p.hashes))));
  const head = Buffer.from(`${MAGIC}${JSON.stringify({ ...meta, parts: parts.map((p, i) => ({ file: p.file, container: p.container, count: p.hashes.length, keysOf: sameKeys[i]! >= 0 ? sameKeys[i] : undefined })) })}\n`);
  // The arrays start 4-byte aligned from the file's start, so reading can view them in place.
  const pieces: Uint8Array[] = [head, Buffer.alloc((4 - (head.length % 4)) % 4)];
  for (const [i, p] of parts.entries()) {
    if (sameKeys[i]! < 0) pieces.push(bytesOf(p.hashes));
    pieces.push(bytesOf(p.at));
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
    const meta = JSON.parse(bytes.subarray(MAGIC.length, eol).toString('utf8')) as StoredMap['meta'] & { parts: { file: SplicedFile; container: string; count: number; keysOf?: number }[] };
    if (typeof meta.cache !== 'string' || !meta.manifest || !Array.isArray(meta.parts)) return undefined;
    // The arrays are views at 4-byte multiples from the file's start: in place when the bytes start aligned, else in a copy that does.
    const body = bytes.byteOffset % 4 === 0 ? bytes : alignedCopy(bytes);
    let at = eol + 1 + ((4 - ((eol + 1) % 4)) % 4);
    const view = (count: number): Uint32Array | undefined => {
      if (!Number.isInteger(count) || count < 0 || at + 4 * count > body.length) return undefined;
      const out = new Uint32Array(body.buffer, body.byteOffset + at, count);
      at += 4 * count;
      return out;
    };
    const parts: StoredPart[] = [];
    for (const p of meta.parts) {
      const shared = p.keysOf === undefined ? undefined : parts[p.keysOf];
      if (p.keysOf !== undefined && (!shared || shared.hashes.length !== p.count)) return undefined;
      const hashes = shared ? shared.hashes : view(p.count);
      const spans = view(2 * p.count);
      if (!hashes || !spans) return undefined;
      parts.push({ file: p.file, container: p.container, hashes, at: spans });
    }
    if (at !== body.length) return undefined;
    return { meta: { cache: meta.cache, manifest: meta.manifest }, parts };
  } catch {
    return undefined;
  }
}
