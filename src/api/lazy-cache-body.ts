import type { CompiledNode, Manifest } from '../manifest/types.js';
import type { SelectionIndex } from './selection-index.js';
import { defineLazyMember, lazyMembersRead } from '../util/lazy-members.js';
import { applyRefAt, CHANGED_WHILE_READ, restoreRefLocations, type OpenParseCache, type ParseCacheBody, type RefAt } from './parse-cache.js';

/**
 * The parse cache's body with its nodes read on demand: everything but
 * `parse.manifest.nodes` is parsed at once, and each node's JSON when it is
 * first read (its ref locations put back then). A render worker reads a
 * current cache this way: it runs a share of the nodes, and parsing all of
 * them (most of the body) cost each worker most of its setup. The nodes
 * object has every key from the start, in the body's order; reading a
 * member (Object.values, a spread, JSON.stringify) parses it, so any reader
 * gets what body() gives. Undefined when the body is not laid out as
 * expected (the caller reads it whole).
 */
export function readBodyLazily(cache: OpenParseCache): { body: ParseCacheBody; index: SelectionIndex } | { reason: string } | undefined {
  const index = cache.index();
  if (!('index' in index)) return undefined;
  // The index lists the enabled nodes in the manifest's order (map 0 is `nodes`); checked against parent_map below.
  const ids = index.index.members.filter((row) => row[0] === 0).map((row) => row[1]);
  const start = cache.indexStart + cache.header.indexBytes + 1;
  let bytes: Buffer;
  try {
    bytes = cache.bytes(start, cache.size() - start);
  } catch (e) {
    return { reason: `the saved manifest could not be read (${(e as Error).message.split('\n')[0]})` };
  }
  // An in-place edit (parse-cache-edit.ts) that began while the bytes were read: they may mix two caches.
  if (!cache.unchanged()) return { reason: CHANGED_WHILE_READ };
  const nodes = nodeSpans(bytes, ids);
  if (!nodes) return undefined;
  let body: ParseCacheBody;
  try {
    const rest = Buffer.concat([bytes.subarray(0, nodes.start), EMPTY, bytes.subarray(nodes.end)]);
    body = JSON.parse(rest.toString('utf8')) as ParseCacheBody;
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || !body.parse?.manifest || !body.macroFiles) return { reason: 'the saved manifest is incomplete' };
  if (!sameNodes(body.parse.manifest, ids)) return undefined;
  const refAt = body.refAt ?? {};
  const others: Record<string, RefAt[]> = {};
  for (const key in refAt) if (!key.startsWith('n:')) others[key] = refAt[key]!;
  body.parse.manifest.nodes = lazyNodes(textsOf(bytes, nodes.spans), ids, refAt);
  restoreRefLocations(body.parse.manifest, others);
  return { body, index: index.index };
}

/** Whether `ids` are the manifest's nodes, in order: parent_map has a key per node, then per source, exposure and unit test. */
function sameNodes(m: Manifest, ids: readonly string[]): boolean {
  const keys = Object.keys(m.parent_map ?? {});
  let k = 0;
  for (const key of keys) {
    if (Object.hasOwn(m.sources, key) || Object.hasOwn(m.exposures, key) || Object.hasOwn(m.unit_tests, key)) continue;
    if (ids[k++] !== key) return false;
  }
  return k === ids.length;
}

const EMPTY = Buffer.from('{}');

/** Where lazyNodes reads: node i's JSON text (undefined: not where the spans say), and the whole body's. */
export interface NodeTexts {
  node(i: number, key: string): string | undefined;
  whole(): string;
}

/** NodeTexts of a body read whole, its nodes' spans found in it (nodeSpans). */
const textsOf = (bytes: Buffer, spans: Float64Array): NodeTexts => ({
  node: (i) => bytes.toString('utf8', spans[2 * i], spans[2 * i + 1]),
  whole: () => bytes.toString('utf8'),
});

/**
 * The nodes object of `ids`, each node parsed from `texts` when first read
 * (its ref locations put back then).
 */
export function lazyNodes(texts: NodeTexts, ids: readonly string[], refAt: Record<string, RefAt[]>): Record<string, CompiledNode> {
  const out: Record<string, CompiledNode> = {};
  // A span that does not parse (a key found inside the node before, as a key of its `meta`, say) is read from the whole body instead.
  let whole: Record<string, CompiledNode> | undefined;
  const fromWhole = (key: string): CompiledNode => {
    if (!whole) {
      const body = JSON.parse(texts.whole()) as ParseCacheBody;
      restoreRefLocations(body.parse.manifest, body.refAt ?? {});
      whole = body.parse.manifest.nodes;
    }
    return whole[key]!;
  };
  const parse = (key: string, i: number): CompiledNode => {
    const text = texts.node(i, key);
    if (text === undefined) return fromWhole(key);
    let node: CompiledNode;
    try {
      node = JSON.parse(text) as CompiledNode;
    } catch {
      return fromWhole(key);
    }
    const at = refAt[`n:${key}`];
    if (at) applyRefAt(node, at);
    return node;
  };
  // The node stays behind an accessor once read: redefining each as a data property cost 3 s at 1,000 nodes.
  ids.forEach((key, i) => defineLazyMember(out, key, () => parse(key, i)));
  return out;
}

/** The ids of a lazily read nodes object (readBodyLazily) read or set so far; undefined for any other object (every node is read). */
export function nodesRead(nodes: object): ReadonlySet<string> | undefined {
  return lazyMembersRead(nodes);
}

/** Whether the bytes before `at` are `lead` and `"key":` (JSON.stringify's key). */
export function hasKeyBefore(bytes: Buffer, at: number, key: string, lead: string): boolean {
  const want = Buffer.from(`${lead}${JSON.stringify(key)}:`);
  return at >= want.length && bytes.subarray(at - want.length, at).equals(want);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where `parse.manifest.nodes` sits in the body (its braces) and each node's
 * value [start, end) in `spans`, found by searching for each key in turn
 * (`"<id>":`, which only a key can be: inside a string its quotes would be
 * escaped) and checking the bytes around it are those between two members
 * (the previous value's `}`, a comma, spaces); only the last node is walked
 * byte by byte, to find its end. Undefined if anything is not as expected.
 * (A node holding another's id as a key of its own, in `meta` say, can
 * still be split there: both halves then fail to parse, and lazyNodes reads
 * those two from the whole body.)
 */
function nodeSpans(b: Buffer, ids: readonly string[]): { start: number; end: number; spans: Float64Array } | undefined {
  try {
    const spans = new Float64Array(2 * ids.length);
    const manifestKey = b.indexOf('{"parse":{"manifest":{');
    if (manifestKey !== 0) return undefined;
    let from = 0;
    let start = -1;
    for (let i = 0; i < ids.length; i++) {
      const key = Buffer.from(`${JSON.stringify(ids[i])}:`);
      const at = b.indexOf(key, from);
      if (at < 0) return undefined;
      const before = spaceBefore(b, at);
      if (i === 0) {
        if (b[before] !== 0x7b || !b.subarray(0, before).toString('latin1').endsWith('"nodes":')) return undefined;
        start = before;
      } else {
        // `},` (and the padding after the `}`) ends the node before.
        if (b[before] !== 0x2c) return undefined;
        const end = spaceBefore(b, before) + 1;
        if (b[end - 1] !== 0x7d) return undefined;
        spans[2 * i - 1] = end;
      }
      spans[2 * i] = skipSpace(b, at + key.length);
      from = at + key.length;
    }
    if (ids.length === 0) return undefined;
    const last = valueEnd(b, spans[2 * ids.length - 2]!);
    spans[2 * ids.length - 1] = last;
    const close = skipSpace(b, last);
    if (b[close] !== 0x7d) return undefined;
    return { start, end: close + 1, spans };
  } catch {
    return undefined;
  }
}

/** The index of the last byte before `at` that is not JSON whitespace. */
function spaceBefore(b: Buffer, at: number): number {
  let i = at - 1;
  while (i >= 0 && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i--;
  return i;
}

function skipSpace(b: Buffer, i: number): number {
  while (i < b.length) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The index after the string whose opening quote is at `i`. */
function stringEnd(b: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q < 0) throw new Error('an unterminated string');
    let slashes = 0;
    while (b[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** The index after the JSON value starting at `i`. */
function valueEnd(buf: Buffer, i: number): number {
  const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  const c = b[i];
  if (c === QUOTE) return stringEnd(buf, i);
  if (c !== 0x7b && c !== 0x5b) {
    // A number, true, false or null: up to the next delimiter.
    while (i < b.length) {
      const d = b[i]!;
      if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
      i++;
    }
    return i;
  }
  // One tight loop over the bytes (most of a node's are in strings, skipped inline: a call per string cost more).
  const n = b.length;
  let depth = 0;
  for (; i < n; i++) {
    const d = b[i]!;
    if (d === QUOTE) {
      for (i++; i < n; i++) {
        const e = b[i]!;
        if (e === QUOTE) break;
        if (e === BACKSLASH) i++;
      }
    } else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return i + 1;
  }
  throw new Error('an unterminated value');
}
