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
});
