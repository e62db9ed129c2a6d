import { describe, expect, it } from 'vitest';
import { cutMembers, deferMembers, deferredReads, deferredSpan, memberUnread } from '../../src/api/deferred-members.js';
import { keyHash } from '../../src/api/splice-map.js';

/** A body laid out as the parse cache's (a prefix before it, as the header and index are), with its containers' member spans in file offsets. */
function cacheBody(body: Record<string, unknown>, prefix = 'HEADER\nINDEX\n') {
  const text = JSON.stringify(body);
  const file = Buffer.from(prefix + text);
  const bodyStart = prefix.length;
  const spansOf = (container: string, keys: string[]) => {
    const hashes = new Uint32Array(keys.length);
    const at = new Uint32Array(2 * keys.length);
    let path: unknown = body;
    for (const part of container.split('/')) path = (path as Record<string, unknown>)[part];
    keys.forEach((key, i) => {
      const json = JSON.stringify((path as Record<string, unknown>)[key]);
      const start = file.indexOf(`${JSON.stringify(key)}:${json}`) + JSON.stringify(key).length + 1;
      hashes[i] = keyHash(key);
      at[2 * i] = start;
      at[2 * i + 1] = start + Buffer.byteLength(json);
    });
    return { hashes, at };
  };
  const spans = new Map([
    ['parse', spansOf('parse', Object.keys((body.parse as object) ?? {}))],
    ['parse/manifest', spansOf('parse/manifest', Object.keys(((body.parse as Record<string, object>).manifest) ?? {}))],
  ]);
  return { file, bodyStart, text, spans };
}

const BODY = {
  parse: {
    manifest: { nodes: { 'model.p.a': { name: 'a' } }, parent_map: { 'model.p.a': [], 'model.p.b': ['model.p.a'] }, child_map: { 'model.p.a': ['model.p.b'], 'model.p.b': [] }, semantic_models: {} },
    nodeFiles: [{ uniqueId: 'model.p.a', file: '/p/models/a.sql', reads: { macros: [], env: [] } }],
    warnings: [],
  },
  macroFiles: [],
};

describe('parse cache body members read on first use (api/deferred-members.ts)', () => {
  it('cut out, parsed when read (once), in their place: the body stringifies to the same bytes', () => {
    const { file, bodyStart, text, spans } = cacheBody(BODY);
    const bytes = Buffer.from(file.subarray(bodyStart));
    const cut = cutMembers(bytes, bodyStart, (c) => spans.get(c));
    expect(cut.map((c) => `${c.container}/${c.key}`)).toEqual(['parse/manifest/parent_map', 'parse/manifest/child_map', 'parse/nodeFiles']);
    // The cut bytes are spaces after an empty object or list: the body's length and other offsets are unchanged.
    expect(bytes.length).toBe(Buffer.byteLength(text));
    expect(bytes.toString()).toContain('"parent_map":{}   ');
    expect(bytes.toString()).toContain('"nodeFiles":[]   ');
    const body = JSON.parse(bytes.toString()) as typeof BODY;
    deferMembers(body, cut);
    const manifest = body.parse.manifest;
    expect(memberUnread(manifest, 'parent_map')).toBe(true);
    expect(deferredSpan(manifest, 'parent_map')).toEqual({ start: spans.get('parse/manifest')!.at[2], end: spans.get('parse/manifest')!.at[3] });
    const reads = deferredReads();
    expect(file.subarray(deferredSpan(manifest, 'child_map')!.start, deferredSpan(manifest, 'child_map')!.end).toString()).toBe(JSON.stringify(BODY.parse.manifest.child_map));
    expect(deferredReads()).toBe(reads);
    expect(JSON.stringify(body)).toBe(text);
    expect(deferredReads()).toBe(reads + 3);
    expect(manifest.parent_map).toEqual(BODY.parse.manifest.parent_map);
    expect(deferredReads()).toBe(reads + 3);
    // Read, and still the value parsed from the cache's bytes: its span still describes it.
    expect(memberUnread(manifest, 'parent_map')).toBe(false);
    expect(deferredSpan(manifest, 'parent_map')).toBeDefined();
    expect(Object.keys(manifest)).toEqual(Object.keys(BODY.parse.manifest));
  });

  it('a member assigned before it was read no longer has a span in the cache, and is not parsed', () => {
    const { file, bodyStart, spans } = cacheBody(BODY);
    const bytes = Buffer.from(file.subarray(bodyStart));
    const body = JSON.parse(bytes.toString()) as typeof BODY;
    deferMembers(body, cutMembers(bytes, bodyStart, (c) => spans.get(c)));
    const reads = deferredReads();
    (body.parse.manifest as { child_map: unknown }).child_map = { x: [] };
    expect(deferredSpan(body.parse.manifest, 'child_map')).toBeUndefined();
    expect(body.parse.manifest.child_map).toEqual({ x: [] });
    expect(Object.keys(body.parse.manifest)).toEqual(Object.keys(BODY.parse.manifest));
    expect(deferredReads()).toBe(reads);
    // A member not deferred has no span.
    expect(deferredSpan(body.parse.manifest, 'nodes')).toBeUndefined();
  });

  it('spans that do not land on the members (moved by a byte, or another key) cut nothing', () => {
    const { file, bodyStart, text, spans } = cacheBody(BODY);
    const moved = (c: string) => {
      const s = spans.get(c);
      return s && { hashes: s.hashes, at: s.at.map((x) => x + 1) };
    };
    const bytes = Buffer.from(file.subarray(bodyStart));
    expect(cutMembers(bytes, bodyStart, moved)).toEqual([]);
    expect(bytes.toString()).toBe(text);
    // The hashes name other members: the bytes before each span are not its key.
    const swapped = (c: string) => {
      const s = spans.get(c);
      return s && { hashes: s.hashes.map((_, i) => s.hashes[(i + 1) % s.hashes.length]!), at: s.at };
    };
    expect(cutMembers(bytes, bodyStart, swapped)).toEqual([]);
    expect(bytes.toString()).toBe(text);
  });
});
