import { describe, expect, it } from 'vitest';
import { JsonByteWriter, type JsonSpans, type WrittenValues } from '../../src/artifacts/json-byte-writer.js';

/** Everything a writer wrote, with its spans. */
function written(value: unknown, depth: number, spansOf: string[], options: ConstructorParameters<typeof JsonByteWriter>[3] = {}): { bytes: Buffer; spans: JsonSpans } {
  const chunks: Buffer[] = [];
  const out = new JsonByteWriter((b) => chunks.push(Buffer.from(b)), new Set(spansOf), undefined, options);
  out.json(value, depth);
  out.flush();
  return { bytes: Buffer.concat(chunks), spans: out.spans };
}

const span = (bytes: Buffer, spans: JsonSpans, container: string, i: number) => bytes.subarray(spans[container]!.at[2 * i]!, spans[container]!.at[2 * i + 1]!).toString('utf8');

/** Values found in `source` (written with spans of '', 'nodes'), as parse-cache.ts's writtenCacheMembers finds them. */
function from(source: { bytes: Buffer; spans: JsonSpans }, value: Record<string, unknown>, padded: boolean, more?: [string, unknown][]): WrittenValues {
  return {
    read: (at, length, into) => {
      source.bytes.copy(into, 0, at, at + length);
      return into;
    },
    find(path, v) {
      const i = source.spans['']!.keys.indexOf(path);
      if (i < 0 || value[path] !== v || path === 'meta') return undefined;
      const [start, end] = [source.spans['']!.at[2 * i]!, source.spans['']!.at[2 * i + 1]!];
      if (path !== 'nodes') return { start, end };
      return padded ? { start, end, padded: source.spans.nodes!, more } : { start, end, spans: { '': source.spans.nodes! } };
    },
  };
}

describe('JsonByteWriter: padded members and values copied from another file', () => {
  // Large enough that copies cross the writer's 1 MB buffer and window.
  const nodes = Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`model.p.m${i}`, { name: `m${i}`, sql: `select ${i} -- ${'é'.repeat(i * 3)}`, spaces: ' '.repeat(i % 7) }]));
  const value = { meta: { at: 'now' }, nodes, parent_map: { a: ['b'], c: [] }, tail: 'z' };

  it('padded containers: each member ends in the spaces asked for, inside its span; the whole still parses as the value', () => {
    const { bytes, spans } = written(value, 3, ['', 'nodes'], { padded: new Map([['nodes', (n: number) => 3 + (n % 5)]]) });
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(value);
    spans.nodes!.keys.forEach((k, i) => {
      const json = JSON.stringify(nodes[k]);
      expect(span(bytes, spans, 'nodes', i)).toBe(json + ' '.repeat(3 + (Buffer.byteLength(json) % 5)));
    });
  });

  it('copied values (padding left out) give JSON.stringify bytes, and spans that hold each node as JSON.stringify writes it', () => {
    const cache = written({ other: 1, ...value }, 3, ['', 'nodes'], { padded: new Map([['nodes', (n: number) => 40 + (n >> 4)]]) });
    const manifest = { meta: value.meta, nodes: value.nodes, parent_map: value.parent_map, tail: value.tail };
    const copied = written(manifest, 2, ['', 'nodes'], { written: from(cache, manifest, true) });
    expect(copied.bytes.toString('utf8')).toBe(JSON.stringify(manifest));
    expect(copied.spans.nodes!.keys).toEqual(Object.keys(nodes));
    copied.spans.nodes!.keys.forEach((k, i) => expect(span(copied.bytes, copied.spans, 'nodes', i)).toBe(JSON.stringify(nodes[k])));
    copied.spans['']!.keys.forEach((k, i) => expect(span(copied.bytes, copied.spans, '', i)).toBe(JSON.stringify((manifest as Record<string, unknown>)[k])));
  });

  it('members written after a copied object (the hooks after the nodes), and an unpadded copy moving its spans along', () => {
    const cache = written(value, 3, ['', 'nodes'], { padded: new Map([['nodes', () => 9]]) });
    const hook = { name: 'on-run-end-0', sql: '{{ log("x") }}' };
    const all = { ...nodes, 'operation.p.on-run-end-0': hook };
    const manifest = { meta: value.meta, nodes: all, tail: value.tail };
    const withHooks = written(manifest, 2, ['', 'nodes'], { written: { ...from(cache, value, true, [['operation.p.on-run-end-0', hook]]), find: (path, v) => (v === all ? from(cache, value, true, [['operation.p.on-run-end-0', hook]]).find(path, nodes) : undefined) } });
    expect(withHooks.bytes.toString('utf8')).toBe(JSON.stringify(manifest));
    expect(span(withHooks.bytes, withHooks.spans, 'nodes', 900)).toBe(JSON.stringify(hook));

    const plain = written(value, 3, ['', 'nodes']);
    const copy = written(value, 2, ['', 'nodes'], { written: from(plain, value, false) });
    expect(copy.bytes.toString('utf8')).toBe(JSON.stringify(value));
    copy.spans.nodes!.keys.forEach((k, i) => expect(span(copy.bytes, copy.spans, 'nodes', i)).toBe(JSON.stringify(nodes[k])));
  });

  it('an empty copied object with members after it', () => {
    const empty = { nodes: {} };
    const cache = written(empty, 3, ['', 'nodes'], { padded: new Map([['nodes', () => 4]]) });
    const all = { 'operation.h': { n: 1 } };
    const out = written({ nodes: all }, 2, ['', 'nodes'], { written: { ...from(cache, empty, true), find: (path) => (path === 'nodes' ? { ...from(cache, empty, true).find('nodes', empty.nodes)!, more: [['operation.h', all['operation.h']]] } : undefined) } });
    expect(out.bytes.toString('utf8')).toBe(JSON.stringify({ nodes: all }));
  });
});
