/**
 * Generic tests sharing one config object at parse (project/test-config-pool.ts)
 * and the writers taking its JSON as made once (util/shared-json.ts): which
 * tests share, that a shared config is frozen, and that manifest.json and the
 * parse cache are the same bytes as with a config made for each test.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { runCli } from '../../src/cli/main.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { finaliseConfig } from '../../src/project/node-defaults.js';
import { TestConfigPool } from '../../src/project/test-config-pool.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { jsonSharingMember, markShared, sharedJson } from '../../src/util/shared-json.js';
import { blankedArtifact } from '../support/blanked-artifact.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

afterEach(() => {
  setFastPaths(true);
});

const parse = (dir: string) => parseLoaded(loadProject({ projectDir: dir, env: {} })).manifest;

const testsOf = (nodes: Record<string, CompiledNode>): Record<string, CompiledNode> =>
  Object.fromEntries(Object.values(nodes).filter((n) => n.resource_type === 'test').map((n) => [n.name, n]));

const PROJECT: Record<string, string> = {
  'dbt_project.yml': 'name: shop\nprofile: test_profile\nconfig-version: 2\ndata_tests:\n  shop:\n    +meta: {owner: data}\n',
  'models/orders.sql': 'select 1 as id, 2 as amount, 3 as customer_id',
  'models/customers.sql': 'select 3 as id',
  'macros/positive.sql': '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}',
  'models/schema.yml': [
    'version: 2',
    'models:',
    '  - name: orders',
    '    columns:',
    '      - name: id',
    '        data_tests: [unique, not_null]',
    '      - name: amount',
    '        data_tests:',
    '          - not_null',
    '          - positive',
    '          - not_null:',
    '              name: amount_present_warn',
    '              config: {severity: warn}',
    '      - name: customer_id',
    '        data_tests:',
    '          - relationships: {to: ref(\'customers\'), field: id}',
    '  - name: customers',
    '    columns:',
    '      - name: id',
    '        data_tests: [unique]',
    '',
  ].join('\n'),
};

describe('generic tests share their config at parse', () => {
  it('built-in tests with the same config share one frozen object; others have their own', () => {
    const tests = testsOf(parse(makeProject(PROJECT)).nodes);
    const shared = tests.unique_orders_id!.config;
    expect(Object.isFrozen(shared)).toBe(true);
    expect(Object.isFrozen(shared.meta)).toBe(true);
    expect(shared.meta).toEqual({ owner: 'data' });
    for (const name of ['not_null_orders_id', 'not_null_orders_amount', 'unique_customers_id', 'relationships_orders_customer_id__id__ref_customers_']) {
      expect(tests[name]!.config).toBe(shared);
    }
    // Another config: its own shared object.
    const warn = tests.amount_present_warn!.config;
    expect(warn).not.toBe(shared);
    expect(warn.severity).toBe('warn');
    expect(Object.isFrozen(warn)).toBe(true);
    // The project's own test macro is rendered at parse and may change its node: a config of its own.
    const positive = tests.positive_orders_amount!.config;
    expect(positive).not.toBe(shared);
    expect(Object.isFrozen(positive)).toBe(false);
    expect(positive).toEqual(shared);
  });

  it('no test shares when the project names nodes with a macro of its own (it is given the node)', () => {
    const dir = makeProject({
      ...PROJECT,
      'macros/naming.sql': '{% macro generate_schema_name(custom_schema_name, node) %}{{ target.schema }}{% endmacro %}',
    });
    const tests = testsOf(parse(dir).nodes);
    expect(Object.isFrozen(tests.unique_orders_id!.config)).toBe(false);
    expect(tests.unique_orders_id!.config).not.toBe(tests.not_null_orders_id!.config);
    expect(tests.unique_orders_id!.config).toEqual(tests.not_null_orders_id!.config);
  });

  it('with the fast paths off every test has its own config', () => {
    setFastPaths(false);
    const tests = testsOf(parse(makeProject(PROJECT)).nodes);
    expect(Object.isFrozen(tests.unique_orders_id!.config)).toBe(false);
    expect(tests.unique_orders_id!.config).not.toBe(tests.not_null_orders_id!.config);
  });

  it('manifest.json and the parse cache are the same bytes as with a config for each test', async () => {
    const dir = makeProject(PROJECT);
    const artifacts = async (fast: boolean, args: string[]): Promise<{ manifest: string; cacheNodes?: unknown }> => {
      rmSync(join(dir, 'target'), { recursive: true, force: true });
      setFastPaths(fast);
      const io = captureStreams();
      expect(await runCli(['parse', ...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {})).toBe(0);
      const cache = join(dir, 'target/partial_parse.json');
      const body = existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8').split('\n')[2]!) as { parse: { manifest: { nodes: unknown } } }) : undefined;
      return { manifest: blankedArtifact(join(dir, 'target/manifest.json')), cacheNodes: body?.parse.manifest.nodes };
    };
    for (const args of [[], ['--no-partial-parse']]) {
      const fast = await artifacts(true, args);
      const plain = await artifacts(false, args);
      expect(fast.manifest).toBe(plain.manifest);
      expect(fast.cacheNodes).toEqual(plain.cacheNodes);
      expect(fast.manifest).toContain('"severity":"warn"');
    }
  });
});

describe('TestConfigPool', () => {
  it('gives one config per distinct layer, equal to finaliseConfig of it', () => {
    const pool = new TestConfigPool(true);
    const a = pool.config({ severity: 'warn', tags: ['x'], meta: { k: [1, 'two', null] } });
    expect(pool.config({ severity: 'warn', tags: ['x'], meta: { k: [1, 'two', null] } })).toBe(a);
    expect(a).toEqual(finaliseConfig('test', { severity: 'warn', tags: ['x'], meta: { k: [1, 'two', null] } }));
    expect(pool.config({ severity: 'error' })).not.toBe(a);
    expect(sharedJson(a)).toBe(JSON.stringify(a));
  });

  it('freezes a copy, never the layer it was given', () => {
    const meta = { owner: 'x' };
    const config = new TestConfigPool(true).config({ meta });
    expect(Object.isFrozen(config.meta)).toBe(true);
    expect(Object.isFrozen(meta)).toBe(false);
  });

  it('makes its own for a layer JSON would not give back as it is', () => {
    const pool = new TestConfigPool(true);
    for (const layer of [{ where: undefined }, { limit: Number.NaN }, { meta: { at: new Date(0) } }, { limit: -0 }, { tags: [, 'x'] }]) {
      const config = pool.config(layer);
      expect(Object.isFrozen(config)).toBe(false);
      expect(pool.config(layer)).not.toBe(config);
    }
  });
});

describe('jsonSharingMember', () => {
  const config = markShared({ severity: 'warn', meta: { a: 1 } });

  it('is JSON.stringify of the holder, the shared member taken from its text', () => {
    const node = { name: 'n', config, tags: ['t'], text: '"config":0,' };
    expect(jsonSharingMember(node, 'config')).toBe(JSON.stringify(node));
    expect(node.config).toBe(config);
  });

  it('serialises the holder as it is when the stand-in could be read elsewhere in it', () => {
    const node = { meta: { x: 1, config: 0, y: 2 }, config, last: 1 };
    expect(jsonSharingMember(node, 'config')).toBe(JSON.stringify(node));
    expect(node.config).toBe(config);
  });

  it('leaves holders it may not write and members that are not shared to JSON.stringify', () => {
    const frozen = Object.freeze({ a: 1, config, b: 2 });
    expect(jsonSharingMember(frozen, 'config')).toBe(JSON.stringify(frozen));
    const first = { config, b: 2 };
    expect(jsonSharingMember(first, 'config')).toBe(JSON.stringify(first));
    const plain = { a: 1, config: { severity: 'warn' }, b: 2 };
    expect(jsonSharingMember(plain, 'config')).toBe(JSON.stringify(plain));
    expect(jsonSharingMember([1, 2], 'config')).toBe('[1,2]');
    expect(jsonSharingMember(undefined, 'config')).toBeUndefined();
  });
});
