import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeManifest } from '../../src/artifacts/manifest-writer.js';
import type { Manifest } from '../../src/manifest/types.js';
import { setFastPaths } from '../../src/util/fast-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'tsdbt-manifest-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeManifest streams the same bytes as JSON.stringify', () => {
  it('with members JSON leaves out, toJSON, arrays, nulls, non-ASCII text and non-enumerable fields', () => {
    const node: Record<string, unknown> = { name: 'ünïcode "quoted" \n', config: { a: undefined, b: [1, undefined, () => 1] }, when: new Date(0), big: 'x'.repeat(3 << 20) };
    Object.defineProperty(node, 'at', { value: { line: 3 }, enumerable: false });
    const manifest = {
      metadata: { dbt_version: '1.10.0', generated_at: 'now' },
      nodes: { 'model.p.a': node, 'model.p.skipped': undefined, 'model.p.fn': () => 1, 'model.p.b': { n: 1 } },
      sources: {},
      parent_map: Object.create(null, { x: { value: ['y'], enumerable: true } }),
      list: [1, { a: undefined }],
      nothing: null,
      skipped: undefined,
      dated: { toJSON: () => 'as json' },
    } as unknown as Manifest;
    const streamed = readFileSync(writeManifest(dir, manifest), 'utf8');
    setFastPaths(false);
    try {
      expect(readFileSync(writeManifest(dir, manifest), 'utf8')).toBe(streamed);
    } finally {
      setFastPaths(true);
    }
    expect(streamed).toBe(JSON.stringify(manifest));
    expect(streamed).toContain('"nodes":{"model.p.a":{"name":"ünïcode \\"quoted\\" \\n","config":{"b":[1,null,null]},"when":"1970-01-01T00:00:00.000Z"');
  });

  it('across many chunks of multi-byte text (each piece encoded into the reused buffer where the last one ended)', () => {
    const nodes: Record<string, unknown> = {};
    // 2-, 3- and 4-byte characters, pieces of every size around the chunk's and the bound's edges.
    for (let i = 0; i < 3000; i++) nodes[`model.p.m${i}_é`] = { i, text: 'aé€😀'.repeat(i % 97) + 'x'.repeat((i * 131) % 5000), big: i % 500 === 0 ? '€'.repeat(400_000 + i) : null };
    const manifest = { metadata: { n: 1 }, nodes, child_map: { a: ['b'] } } as unknown as Manifest;
    const streamed = readFileSync(writeManifest(dir, manifest));
    expect(streamed.equals(Buffer.from(JSON.stringify(manifest)))).toBe(true);
  });
});

