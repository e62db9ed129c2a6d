import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, normaliseConfigKey } from '../../src/project/config-keys.js';
import { configFromTree, mergeConfig, type ConfigLayer } from '../../src/project/config-merge.js';
import { isRecord } from '../../src/util/yaml.js';

// The first implementations (fqn parts looked up by name, tags merged through a Set): configFromTree and
// mergeConfig must give what these give, key order included.
function firstMerge(base: ConfigLayer, patch: ConfigLayer): ConfigLayer {
  const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
  const out: ConfigLayer = { ...base };
  for (const rawKey of Object.keys(patch)) {
    const value = patch[rawKey];
    const key = normaliseConfigKey(rawKey);
    if (value === undefined) continue;
    if (key === 'tags' || key === 'pre_hook' || key === 'post_hook') {
      const prev = asList(out[key]);
      const next = asList(value);
      out[key] = key === 'tags' ? [...new Set([...prev, ...next])] : [...prev, ...next];
    } else if (['meta', 'persist_docs', 'quoting', 'column_types', 'grants', 'docs', 'contract', 'snapshot_meta_column_names'].includes(key) && isRecord(value) && isRecord(out[key])) {
      out[key] = { ...(out[key] as Record<string, unknown>), ...value };
    } else out[key] = value;
  }
  return out;
}

function firstFromTree(tree: Record<string, unknown> | undefined, resourceType: string, fqn: readonly string[]): ConfigLayer {
  if (!tree) return {};
  const known = CONFIG_KEYS[resourceType] ?? CONFIG_KEYS.models!;
  let result: ConfigLayer = {};
  let level: Record<string, unknown> | undefined = tree;
  for (let depth = 0; level !== undefined; depth++) {
    const layer: ConfigLayer = {};
    for (const [key, value] of Object.entries(level)) {
      // As dbt: a mapping without `+` is a path, never a config.
      if (key.startsWith('+') || (known.has(normaliseConfigKey(key)) && !isRecord(value))) layer[key] = value;
    }
    result = firstMerge(result, layer);
    const next: unknown = depth < fqn.length ? level[fqn[depth]!] : undefined;
    level = isRecord(next) ? next : undefined;
  }
  return result;
}

describe('config merging', () => {
  it('configFromTree gives what looking each fqn part up by name gave, for folders, configs named like folders and odd names', () => {
    const proto: Record<string, unknown> = {};
    Object.defineProperty(proto, '__proto__', { value: { '+tags': ['own proto'] }, enumerable: true, writable: true, configurable: true });
    const tree: Record<string, unknown> = {
      '+materialized': 'view',
      pkg: {
        '+tags': ['a', 'b'],
        tags: 'x',
        staging: { '+schema': 'stg', '+tags': 'b', materialized: 'table', '1': { '+alias': 'one' }, schema: { '+tags': 'folder named schema' } },
        meta: { owner: 'me' }, // a path (a seed or folder named meta), not a config: no `+`
        constructor: { '+tags': 'c' },
        odd: proto,
      },
    };
    const fqns = [
      ['pkg', 'staging', 'm'],
      ['pkg', 'staging', 'schema', 'm'],
      ['pkg', 'staging', '1', 'm'],
      ['pkg', 'meta'],
      ['pkg', 'constructor', 'm'],
      ['pkg', '__proto__', 'toString'],
      ['pkg', 'odd', '__proto__', 'm'],
      ['other', 'm'],
      [],
    ];
    for (const type of ['models', 'seeds', 'snapshots', 'data_tests']) {
      for (const fqn of fqns) {
        const got = configFromTree(tree, type, fqn);
        const want = firstFromTree(tree, type, fqn);
        expect(got).toEqual(want);
        expect(Object.keys(got)).toEqual(Object.keys(want));
      }
    }
    const deep = configFromTree(tree, 'models', ['pkg', 'staging', 'schema', 'm']);
    expect(Object.keys(deep)).toEqual(['materialized', 'tags', 'schema']);
    expect(deep).toEqual({ materialized: 'table', tags: ['a', 'b', 'x', 'folder named schema'], schema: 'stg' });
  });

  it('tags merge each value once, first places kept (SameValueZero, as a Set), short lists and long ones alike', () => {
    const cases: [unknown, unknown][] = [
      [undefined, 'a'],
      [['a', 'b'], ['b', 'c', 'a']],
      ['a', ['a']],
      [[NaN, 0], [NaN, -0, 1, '1']],
      [Array.from({ length: 10 }, (_, i) => `t${i % 7}`), Array.from({ length: 9 }, (_, i) => `t${i}`)],
      [[], []],
    ];
    for (const [a, b] of cases) {
      const base = a === undefined ? {} : { tags: a };
      const got = mergeConfig(base, { '+tags': b, pre_hook: 'x' });
      expect(got).toEqual(firstMerge(base, { '+tags': b, pre_hook: 'x' }));
      expect(got.tags).not.toBe(base.tags);
    }
  });
});
