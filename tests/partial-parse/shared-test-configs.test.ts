import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheBytes, readBodyByMap } from '../../src/api/mapped-cache-body.js';
import { openParseCache, PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { SharedTestConfigs } from '../../src/api/shared-test-configs.js';
import { readSpliceMap } from '../../src/api/splice-map.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { cli, generatedProject } from '../support/fast-and-plain.js';

const config = { enabled: true, materialized: 'test', tags: [], meta: {}, docs: { show: true, node_color: null }, severity: 'ERROR', where: null };

function testNode(name: string, macros: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unique_id: `test.p.${name}`,
    resource_type: 'test',
    name,
    meta: {},
    config,
    unrendered_config: {},
    depends_on: { nodes: ['model.p.m'], macros },
    test_metadata: { name: 'unique', namespace: null, kwargs: { column_name: 'id' } },
    ...extra,
  };
}

/** Each node's JSON as the cache writes it, in one buffer with padding between; then each parsed by `configs`. */
function parsedAll(nodes: Record<string, unknown>[], configs = new SharedTestConfigs()): CompiledNode[] {
  const texts = nodes.map((n) => JSON.stringify(n));
  const b = Buffer.from(texts.join('    '));
  let at = 0;
  return texts.map((t) => {
    const node = configs.parse(b, at, at + Buffer.byteLength(t));
    at += Buffer.byteLength(t) + 4;
    return node;
  });
}

describe('SharedTestConfigs: nodes read from the parse cache, built-in generic tests sharing one config', () => {
  it('tests of dbt`s own macros with the same config share one frozen object, equal to what JSON.parse makes', () => {
    const nodes = [testNode('a', ['macro.dbt.test_unique']), testNode('b', ['macro.dbt.test_not_null', 'macro.dbt.get_where_subquery'])];
    const [a, b] = parsedAll(nodes);
    expect([a, b]).toEqual(nodes);
    expect(a!.config).toBe(b!.config);
    expect(Object.isFrozen(a!.config)).toBe(true);
    expect(Object.isFrozen(a!.config.docs)).toBe(true);
    expect(Object.isFrozen(a!.config.tags)).toBe(true);
    // The rest of the node is its own, and stays writable.
    expect(a!.meta).not.toBe(b!.meta);
    a!.meta.x = 1;
    expect(b!.meta).toEqual({});
    // A change to a shared config fails where it is made.
    expect(() => {
      (a!.config as Record<string, unknown>).severity = 'WARN';
    }).toThrow(TypeError);
    expect(() => (a!.config.tags as string[]).push('x')).toThrow(TypeError);
    expect(b!.config.severity).toBe('ERROR');
  });

  it('a different config text is another object', () => {
    const [a, b] = parsedAll([testNode('a', ['macro.dbt.test_unique']), testNode('b', ['macro.dbt.test_unique'], { config: { ...config, severity: 'WARN' } })]);
    expect(a!.config).not.toBe(b!.config);
    expect(b!.config.severity).toBe('WARN');
  });

  it('tests of a package`s or the project`s macros, and models, keep a config of their own, not frozen', () => {
    const nodes = [
      testNode('a', ['macro.dbt_utils.test_expression_is_true', 'macro.dbt.get_where_subquery']),
      testNode('b', ['macro.dbt_utils.test_expression_is_true', 'macro.dbt.get_where_subquery']),
      testNode('c', ['macro.my_project.test_positive']),
      { unique_id: 'model.p.m', resource_type: 'model', config, unrendered_config: {}, depends_on: { nodes: [], macros: [] } },
      { unique_id: 'model.p.n', resource_type: 'model', config, unrendered_config: {}, depends_on: { nodes: [], macros: [] } },
      testNode('singular', ['macro.dbt.test_unique'], { test_metadata: undefined }),
    ];
    const parsed = parsedAll(nodes);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(nodes)));
    expect(parsed[0]!.config).not.toBe(parsed[1]!.config);
    expect(parsed[3]!.config).not.toBe(parsed[4]!.config);
    for (const n of parsed) expect(Object.isFrozen(n.config)).toBe(false);
  });

  it('keys named config and unrendered_config inside other members (meta, the config`s own meta) do not move the split', () => {
    const nodes = [
      testNode('a', ['macro.dbt.test_unique'], { meta: { a: 0, config: { x: 1 }, unrendered_config: { y: 2 } } }),
      testNode('b', ['macro.dbt.test_unique'], { config: { ...config, meta: { a: 0, unrendered_config: 'z', config: [1] } } }),
      testNode('c', ['macro.dbt.test_unique'], { description: 'a ,"config":{ and ,"unrendered_config": in a string' }),
      { unique_id: 'test.p.d', resource_type: 'test', config },
    ];
    const configs = new SharedTestConfigs();
    const parsed = parsedAll(nodes, configs);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(nodes)));
    // The first two are parsed whole (a key of the split's names in another member); the third shares.
    expect(parsed[0]!.config).not.toBe(parsed[2]!.config);
    expect(Object.isFrozen(parsed[0]!.config)).toBe(false);
    expect(Object.isFrozen(parsed[2]!.config)).toBe(true);
    expect((parsed[1]!.config.meta as Record<string, unknown>).unrendered_config).toBe('z');
    expect(JSON.parse(JSON.stringify(parsedAll([nodes[2]!], configs)[0]))).toEqual(nodes[2]);
    expect(parsedAll([nodes[2]!], configs)[0]!.config).toBe(parsed[2]!.config);
  });

  it('bytes that are not one node`s JSON still fail as JSON.parse fails', () => {
    const b = Buffer.from('{"config":{"a":1},"unrendered_config":{}');
    expect(() => new SharedTestConfigs().parse(b, 0, b.length)).toThrow(SyntaxError);
  });
});

describe('a whole compile`s read of a real parse cache (readBodyByMap, all nodes)', () => {
  it('gives the generated project`s unique/not_null tests one frozen config, its models their own; the nodes as the cache holds them', async () => {
    const dir = generatedProject(6);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const target = join(dir, 'target');
    const path = join(target, PARSE_CACHE_FILE);
    const key = (JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!) as { key: string }).key;
    const opened = openParseCache(path, key);
    if (!('cache' in opened)) throw new Error(opened.reason);
    const { cache } = opened;
    const map = readSpliceMap(target, cache.header.id)!;
    const bytes = new CacheBytes(path, Buffer.from(cache.idPrefix));
    try {
      const read = readBodyByMap(cache, map, bytes, true);
      if (!read || !('body' in read)) throw new Error(`not read by the map: ${JSON.stringify(read)}`);
      const nodes = Object.values(read.body.parse.manifest.nodes);
      const tests = nodes.filter((n) => n.resource_type === 'test');
      const models = nodes.filter((n) => n.resource_type === 'model');
      expect(tests.length).toBeGreaterThan(6);
      expect(new Set(tests.map((t) => t.config)).size).toBe(1);
      expect(Object.isFrozen(tests[0]!.config)).toBe(true);
      expect(models.length).toBe(6);
      expect(new Set(models.map((m) => m.config)).size).toBe(6);
      expect(models.some((m) => Object.isFrozen(m.config))).toBe(false);
      // The same nodes as the manifest.json the parse wrote.
      const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as { nodes: Record<string, unknown> };
      expect(JSON.parse(JSON.stringify(read.body.parse.manifest.nodes))).toEqual(manifest.nodes);
    } finally {
      bytes.close();
      cache.close();
    }
  }, 60_000);
});
