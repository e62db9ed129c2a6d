import { closeSync, openSync } from 'node:fs';
import { readAt } from '../util/file-bytes.js';
import { defineLazyMember } from '../util/lazy-members.js';
import { hasKeyBefore, lazyNodes } from './lazy-cache-body.js';
import { applyRefAt, restoreRefLocations, type OpenParseCache, type ParseCacheBody, type RefAt } from './parse-cache.js';
import type { CompiledNode } from '../manifest/types.js';
import type { SelectionIndex } from './selection-index.js';
import { SharedTestConfigs } from './shared-test-configs.js';
import { CACHE_NODES, keyHash, type SpliceMap } from './splice-map.js';

/**
 * The large members of the body besides the nodes, each read and parsed
 * when first used: a command acting on a few nodes of many reads none of
 * them (the parent and child maps go into manifest.json as the cache's
 * bytes; see compiled-manifest.ts). At 10,000 models they are 17 MB of the
 * body's 98.
 */
const LAZY_MEMBERS: readonly [container: string, key: string][] = [
  ['parse/manifest', 'parent_map'],
  ['parse/manifest', 'child_map'],
  ['parse', 'nodeFiles'],
];

const CONTAINERS: Record<string, (body: ParseCacheBody) => object> = {
  'parse/manifest': (b) => b.parse.manifest,
  parse: (b) => b.parse,
};

/** The error of a read from a cache another command has changed or replaced since this one began reading it. */
export class CacheChangedWhileUsed extends Error {}

/**
 * Bytes of one parse cache, read by offset while a command uses it: each
 * read is followed by a check that the file still opens with the header
 * prefix it had (an in-place edit, parse-cache-edit.ts, marks the header
 * first and ends with a new id). The file is opened again after close()
 * (a later read of a node not read yet): a cache replaced meanwhile has
 * another id, and the read throws CacheChangedWhileUsed.
 */
export class CacheBytes {
  private fd: number | undefined;
  /** `keepOpen` false: the file is opened for each read and closed after it (a render worker, which may be stopped without notice). */
  constructor(private readonly path: string, private readonly prefix: Buffer, private readonly keepOpen = true) {}

  /** `length` bytes from `at` (into `into`, from its start, when given). */
  read(at: number, length: number, into?: Buffer): Buffer {
    this.fd ??= openSync(this.path, 'r');
    try {
      const out = readAt(this.fd, at, length, into);
      if (!readAt(this.fd, 0, this.prefix.length).equals(this.prefix)) {
        throw new CacheChangedWhileUsed(`${this.path} was changed by another command while this one used it: run this command again`);
      }
      return out;
    } finally {
      if (!this.keepOpen) this.close();
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The body of a current parse cache read as used, where the splice map
 * (splice-map.ts) says its nodes and the members of LAZY_MEMBERS sit: only
 * the rest of the body is read and parsed now (macros, sources, the
 * manifest's small members); each node is read from the file when first
 * used, its key proved against the bytes before its span, and so are the
 * maps and node file records. Undefined when the map does not describe
 * this cache's nodes (the caller reads the body another way); the caller
 * closes `bytes` when done with the manifest. `allNodes`: the caller reads
 * every node (a compile of the whole project): the nodes are read at once
 * instead (allNodesOf), into a plain object.
 */
export function readBodyByMap(cache: OpenParseCache, map: SpliceMap, bytes: CacheBytes, allNodes = false): { body: ParseCacheBody; index: SelectionIndex } | { reason: string } | undefined {
  const index = cache.index();
  if (!('index' in index)) return undefined;
  const ids = index.index.members.filter((row) => row[0] === 0).map((row) => row[1]);
  const nodes = map.members('body', CACHE_NODES);
  if (!nodes || ids.length === 0 || nodes.hashes.length !== ids.length || nodes.at.length !== 2 * ids.length) return undefined;
  for (let i = 0; i < ids.length; i++) if (nodes.hashes[i] !== keyHash(ids[i]!)) return undefined;
  const start = cache.indexStart + cache.header.indexBytes + 1;
  const size = cache.size();
  // The nodes object: its `{` just before the first key, its `}` where the last node's span (and padding) ends.
  const firstKey = Buffer.from(`{${JSON.stringify(ids[0])}:`);
  const nodesStart = nodes.at[0]! - firstKey.length;
  const nodesEnd = nodes.at[nodes.at.length - 1]! + 1;
  const cuts: { container: string; key: string; start: number; end: number }[] = [{ container: 'parse/manifest', key: 'nodes', start: nodesStart, end: nodesEnd }];
  for (const [container, key] of LAZY_MEMBERS) {
    const spans = map.spans('body', container, key).filter(([s, e]) => s > start && e <= size && e > s);
    if (spans.length === 1) cuts.push({ container, key, start: spans[0]![0], end: spans[0]![1] });
  }
  cuts.sort((a, b) => a.start - b.start);
  let body: ParseCacheBody;
  try {
    // The rest of the body, a placeholder for each cut member; each cut proved by its key before it and its value's ends.
    const pieces: Buffer[] = [];
    let at = start;
    for (const cut of cuts) {
      if (cut.start < at + 1) return undefined;
      const lead = cut.key === 'nodes' ? `"nodes":` : `${JSON.stringify(cut.key)}:`;
      const before = cache.bytes(at, cut.start - at);
      if (!before.toString('latin1').endsWith(lead)) return undefined;
      pieces.push(before, PLACEHOLDER);
      at = cut.end;
    }
    pieces.push(cache.bytes(at, size - at));
    const ends = cuts.map((c) => cache.bytes(c.start, 1)[0] === OPEN_OF[c.key] && cache.bytes(c.end - 1, 1)[0] === CLOSE_OF[c.key]);
    if (!cache.unchanged()) return { reason: 'another parse changed it while it was read' };
    if (ends.includes(false) || !cache.bytes(nodesStart, firstKey.length).equals(firstKey)) return undefined;
    body = JSON.parse(Buffer.concat(pieces).toString('utf8')) as ParseCacheBody;
  } catch (e) {
    return { reason: `the saved manifest could not be read (${(e as Error).message.split('\n')[0]})` };
  }
  if (!body || typeof body !== 'object' || !body.parse?.manifest || !body.macroFiles) return { reason: 'the saved manifest is incomplete' };
  const refAt = body.refAt ?? {};
  const others: Record<string, RefAt[]> = {};
  for (const key in refAt) if (!key.startsWith('n:')) others[key] = refAt[key]!;
  if (allNodes) {
    let all: Record<string, CompiledNode> | undefined;
    try {
      all = allNodesOf(bytes, nodesEnd, ids, nodes.at, refAt);
    } catch (e) {
      if (e instanceof CacheChangedWhileUsed) return { reason: 'another parse changed it while it was read' };
      return { reason: `the saved manifest could not be read (${(e as Error).message.split('\n')[0]})` };
    }
    if (!all) return undefined;
    nodesParsed += ids.length;
    body.parse.manifest.nodes = all;
  }
  const texts = {
    node: (i: number, key: string): string | undefined => {
      nodesParsed++;
      const s = nodes.at[2 * i]!;
      const lead = Buffer.byteLength(`${JSON.stringify(key)}:`) + 1;
      const b = bytes.read(s - lead, nodes.at[2 * i + 1]! - s + lead);
      return hasKeyBefore(b, lead, key, i === 0 ? '{' : ',') ? b.toString('utf8', lead) : undefined;
    },
    whole: () => bytes.read(start, size - start).toString('utf8'),
  };
  if (!allNodes) body.parse.manifest.nodes = lazyNodes(texts, ids, refAt);
  for (const cut of cuts) {
    if (cut.key === 'nodes') continue;
    defineLazyMember(CONTAINERS[cut.container]!(body), cut.key, () => JSON.parse(bytes.read(cut.start, cut.end - cut.start).toString('utf8')) as unknown);
  }
  restoreRefLocations(body.parse.manifest, others);
  bodies++;
  return { body, index: index.index };
}

/**
 * Every node of `ids`, parsed from the cache's bytes where `at` (the splice
 * map's spans, the last ending before `end`) says each value sits, each key
 * proved against the bytes before its value, with its ref locations put
 * back (as lazyNodes reads each). The bytes are read in order through one
 * window of NODES_WINDOW bytes: on this VM, reading the 80 MB of a
 * 10,000-model cache's nodes into fresh memory cost ~0.7-1 s under load
 * against ~0.05-0.1 s through a reused 4 MB buffer (the kernel faults in
 * every new page); nor is the whole body made one string, nor a node an
 * accessor. Built-in generic tests with the same config share it
 * (shared-test-configs.ts). Undefined when a key is not where the map says or a value does
 * not parse (a key found inside another node: the caller reads the body another way).
 */
function allNodesOf(bytes: CacheBytes, end: number, ids: readonly string[], at: ArrayLike<number>, refAt: Record<string, RefAt[]>): Record<string, CompiledNode> | undefined {
  const out: Record<string, CompiledNode> = {};
  const configs = new SharedTestConfigs();
  let window = Buffer.allocUnsafe(NODES_WINDOW);
  let from = 0;
  let filled = 0;
  for (let i = 0; i < ids.length; i++) {
    const key = ids[i]!;
    const valueStart = at[2 * i]!;
    const valueEnd = at[2 * i + 1]!;
    const plain = plainKey(key);
    // The key as JSON.stringify writes it, its lead byte (`{` or `,`) and colon.
    const keyStart = valueStart - (plain ? key.length + 2 : Buffer.byteLength(JSON.stringify(key))) - 2;
    if (keyStart < 0 || valueEnd > end || valueEnd < valueStart) return undefined;
    if (keyStart < from || valueEnd > from + filled) {
      const length = Math.min(Math.max(NODES_WINDOW, valueEnd - keyStart), end - keyStart);
      if (length > window.length) window = Buffer.allocUnsafe(length);
      bytes.read(keyStart, length, window);
      from = keyStart;
      filled = length;
    }
    if (!keyEndsAt(window, valueStart - from, key, plain, i === 0 ? 0x7b : 0x2c)) return undefined;
    let node: CompiledNode;
    try {
      node = configs.parse(window, valueStart - from, valueEnd - from);
    } catch {
      return undefined;
    }
    const where = refAt[`n:${key}`];
    if (where) applyRefAt(node, where);
    out[key] = node;
  }
  return out;
}

/** The window allNodesOf reads the nodes' bytes through (a node larger than it gets a buffer of its own size). */
const NODES_WINDOW = 4 << 20;

/** Whether JSON.stringify writes `key` as its own ASCII code units between quotes (no escapes, one byte a code unit). */
function plainKey(key: string): boolean {
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * Whether the bytes before `end` are `lead` (a byte: `{` or `,`) then `"key":`
 * as JSON.stringify writes the key (hasKeyBefore's test, without a Buffer
 * made per node: a `plain` key, plainKey, is compared a code unit a byte).
 */
function keyEndsAt(b: Buffer, end: number, key: string, plain: boolean, lead: number): boolean {
  if (!plain) return hasKeyBefore(b, end, key, String.fromCharCode(lead));
  const from = end - key.length - 4;
  if (from < 0 || b[from] !== lead || b[from + 1] !== 0x22 || b[end - 2] !== 0x22 || b[end - 1] !== 0x3a) return false;
  for (let k = 0; k < key.length; k++) if (b[from + 2 + k] !== key.charCodeAt(k)) return false;
  return true;
}

let bodies = 0;
let nodesParsed = 0;

/** How many bodies readBodyByMap read, and how many of their nodes were read since (tests: which way a command went, and how little it read). */
export function mappedReadCounts(): { bodies: number; nodes: number } {
  return { bodies, nodes: nodesParsed };
}

/** The placeholder a cut member's value is parsed as until its accessor is defined. */
const PLACEHOLDER = Buffer.from('0');

/** The first and last byte of each cut member's value. */
const OPEN_OF: Record<string, number> = { nodes: 0x7b, parent_map: 0x7b, child_map: 0x7b, nodeFiles: 0x5b };
const CLOSE_OF: Record<string, number> = { nodes: 0x7d, parent_map: 0x7d, child_map: 0x7d, nodeFiles: 0x5d };
