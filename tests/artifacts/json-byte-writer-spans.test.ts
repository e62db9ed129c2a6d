import { describe, expect, it } from 'vitest';
import { JsonByteWriter } from '../../src/artifacts/json-byte-writer.js';

describe('JsonByteWriter records where members and elements were written', () => {
  it('writes JSON.stringify bytes; each recorded span holds that member or element, as JSON.stringify writes it', () => {
    const value = {
      head: 'é\u2028"quoted"',
      nodes: { 'model.a.x': { name: 'x', refs: [['y']], big: 'ü'.repeat(600_000) }, 'model.a.y': { name: 'y', skip: undefined }, gone: undefined },
      list: [{ file: 'a.sql', n: 1 }, { file: 'b.sql', n: 2 }, { file: 'a.sql', n: 3 }, undefined],
      nested: { deeper: { n: 1 } },
    };
    const chunks: Buffer[] = [];
    const out = new JsonByteWriter((b) => chunks.push(Buffer.from(b)), new Set(['', 'nodes']), new Map([['list', (e: unknown) => (e as { file?: string } | undefined)?.file ?? '-']]));
    out.text('header\n');
    out.json(value, 3);
    out.flush();
    const bytes = Buffer.concat(chunks);
    expect(bytes.toString('utf8')).toBe(`header\n${JSON.stringify(value)}`);
    expect(out.position).toBe(bytes.length);
    const at = (container: string, i: number) => bytes.subarray(out.spans[container]!.at[2 * i]!, out.spans[container]!.at[2 * i + 1]!).toString('utf8');
    expect(out.spans['']!.keys).toEqual(['head', 'nodes', 'list', 'nested']);
    out.spans['']!.keys.forEach((k, i) => expect(at('', i)).toBe(JSON.stringify((value as Record<string, unknown>)[k])));
    expect(out.spans.nodes!.keys).toEqual(['model.a.x', 'model.a.y']);
    expect(at('nodes', 0)).toBe(JSON.stringify(value.nodes['model.a.x']));
    expect(at('nodes', 1)).toBe('{"name":"y"}');
    expect(out.spans.list!.keys).toEqual(['a.sql', 'b.sql', 'a.sql', '-']);
    expect([0, 1, 2, 3].map((i) => at('list', i))).toEqual([...value.list.slice(0, 3).map((e) => JSON.stringify(e)), 'null']);
    expect(out.spans.nested).toBeUndefined();
  });

  it('keys as JSON.stringify writes them: plain ones copied between quotes, the rest (escapes, surrogates, long) stringified; at a buffer edge too', () => {
    const keys = ['plain', 'é ü ∑', '\u2028x', 'q"uote', 'back\\slash', 'tab\tnl\n\u0001', 'pair 😀', 'lone \ud800 x', 'lone \udfff', '', 'k'.repeat(300), '😀'.repeat(200)];
    const value: Record<string, unknown> = {};
    for (const k of keys) value[k] = { [k]: k };
    // Keys written at the 1 MB buffer's end: 60,000 short members (~2 MB) before each of them, twice over.
    const padded: Record<string, unknown> = {};
    for (let i = 0; i < 60_000; i++) padded[`m${i}`] = i % 7 === 0 ? value : 'abcdefghijklmnopqrstuvwxyz';
    for (const v of [value, padded]) {
      const chunks: Buffer[] = [];
      const out = new JsonByteWriter((b) => chunks.push(Buffer.from(b)));
      out.json(v, 2);
      out.flush();
      expect(Buffer.concat(chunks).toString('utf8')).toBe(JSON.stringify(v));
    }
  });

  it('writes an array of pieceByPiece an element at a time: the same bytes, no spans for it', () => {
    const fn = () => 1;
    const value = {
      files: [{ path: 'a.sql', source: 'select 1' }, undefined, { path: 'b.sql', source: 'é ∑ 😀 \ud800'.repeat(100_000) }, fn, null, 'x', [1, { y: undefined }]],
      empty: [],
      other: [{ source: 'not ' + 'pieces' }],
    };
    const chunks: Buffer[] = [];
    const out = new JsonByteWriter((b) => chunks.push(Buffer.from(b)), new Set(['']), undefined, { pieceByPiece: new Set(['files', 'empty']) });
    out.json(value, 2);
    out.flush();
    const bytes = Buffer.concat(chunks);
    expect(bytes.toString('utf8')).toBe(JSON.stringify(value));
    expect(Object.keys(out.spans)).toEqual(['']);
    expect(bytes.subarray(out.spans['']!.at[0]!, out.spans['']!.at[1]!).toString('utf8')).toBe(JSON.stringify(value.files));
  });
});
