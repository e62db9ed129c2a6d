import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { genericTestHash } from '../../src/project/generic-test-names.js';
import { blankNode, defaultConfig, finaliseConfig } from '../../src/project/node-defaults.js';
import { pyRepr, pyReprString, pyStr } from '../../src/project/py-repr.js';
import { makeProject } from '../support/project-fixture.js';

// Key order is manifest.json's byte order: these shapes are built as literals
// for speed, and must keep the order the manifest has always had.
const COMMON = ['enabled', 'materialized', 'tags', 'meta', 'pre_hook', 'post_hook', 'persist_docs', 'docs', 'contract', 'grants', 'quoting', 'column_types', 'alias', 'schema', 'database', 'full_refresh', 'unique_key'];

describe('node and config shapes', () => {
  it('default configs per resource type: keys in manifest order, test defaults, fresh objects each call', () => {
    expect(Object.keys(defaultConfig('model'))).toEqual([...COMMON, 'on_schema_change', 'on_configuration_change', 'packages', 'incremental_strategy']);
    expect(Object.keys(defaultConfig('seed'))).toEqual([...COMMON, 'on_schema_change', 'on_configuration_change', 'packages', 'incremental_strategy', 'quote_columns', 'delimiter']);
    expect(Object.keys(defaultConfig('snapshot')).slice(-5)).toEqual(['strategy', 'target_schema', 'target_database', 'updated_at', 'check_cols']);
    const test = defaultConfig('test');
    expect(Object.keys(test)).toEqual([...COMMON, 'on_configuration_change', 'packages', 'incremental_strategy', 'severity', 'warn_if', 'error_if', 'fail_calc', 'where', 'limit', 'store_failures', 'store_failures_as']);
    expect([test.schema, test.severity, test.materialized]).toEqual(['dbt_test__audit', 'ERROR', 'test']);
    const a = defaultConfig('model');
    a.tags.push('x');
    (a.meta as Record<string, unknown>).k = 1;
    expect([defaultConfig('model').tags, defaultConfig('model').meta]).toEqual([[], {}]);
  });

  it('finaliseConfig keeps the layer order after the defaults, like a spread, and normalises', () => {
    const c = finaliseConfig('test', { custom: 1, severity: 'warn', tags: 'one', enabled: 'false', pre_hook: 'select 1', materialized: 3, skipped: undefined });
    expect(Object.keys(c).slice(-2)).toEqual(['custom', 'skipped']);
    expect(Object.keys(c).indexOf('severity')).toBe(Object.keys(defaultConfig('test')).indexOf('severity'));
    expect([c.severity, c.tags, c.enabled, c.pre_hook, c.materialized, c.custom]).toEqual(['warn', ['one'], false, [{ sql: 'select 1', transaction: true, index: 0 }], 'test', 1]);
    expect(JSON.stringify(c)).toBe(JSON.stringify({ ...defaultConfig('test'), custom: 1, severity: 'warn', tags: ['one'], enabled: false, pre_hook: [{ sql: 'select 1', transaction: true, index: 0 }], materialized: 'test', skipped: undefined }));
  });

  it('blankNode writes its keys in manifest order', () => {
    const n = blankNode({ unique_id: 'model.p.m', resource_type: 'model', package_name: 'p', name: 'm', path: 'm.sql', original_file_path: 'models/m.sql', fqn: ['p', 'm'], raw_code: 'select 1' });
    expect(Object.keys(n)).toEqual(['unique_id', 'resource_type', 'package_name', 'name', 'path', 'original_file_path', 'fqn', 'raw_code', 'description', 'tags', 'meta', 'alias', 'schema', 'database', 'relation_name', 'config', 'unrendered_config', 'language', 'refs', 'sources', 'depends_on', 'columns', 'patch_path', 'docs', 'checksum']);
    expect(n.checksum).toEqual({ name: 'sha256', checksum: createHash('sha256').update('select 1').digest('hex') });
  });

  it('generic test hashes: mappings sorted (integer-like keys first, as the ids have always been), scalars as str()', () => {
    // The reference: build the sorted copy as objects, then repr it.
    const sortedCopy = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sortedCopy);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedCopy((v as Record<string, unknown>)[k])]));
      return pyStr(v);
    };
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const metas = [
      { name: 'unique', namespace: null, kwargs: { column_name: 'id', model: "{{ get_where_subquery(ref('m')) }}" } },
      { name: 'accepted_values', namespace: null, kwargs: { values: ['a', "it's", 'say "hi"', 1, 2.5, true, null], quote: false } },
      { name: 'custom', namespace: 'pkg', kwargs: { '10': 'x', '9': 'y', b: { z: 1, '2': [{ k: 'v\\n' }] }, a: 'tab\there' } },
    ];
    for (const m of metas) expect(genericTestHash('t', m)).toBe(md5(`t${pyRepr(sortedCopy(m))}`).slice(-10));
    expect(genericTestHash('unique_orders_id', metas[0]!)).toBe(md5(`unique_orders_id${pyRepr(sortedCopy(metas[0]))}`).slice(-10));
  });

  it("pyReprString's fast path agrees with the escaping path", () => {
    expect(['plain', '', 'with space', 'é ü', "it's", 'a"b', `both ' and "`, 'back\\slash', 'new\nline', '\x7f', 'tab\tcr\r\x01', "ref('m') \\ x"].map(pyReprString)).toEqual([
      "'plain'", "''", "'with space'", "'é ü'", `"it's"`, `'a"b'`, `'both \\' and "'`, "'back\\\\slash'", "'new\\nline'", "'\\x7f'", "'tab\\tcr\\r\\x01'", `"ref('m') \\\\ x"`,
    ]);
  });

  it('models carry access, group, constraints, deprecation_date, time_spine and contract, in that order', () => {
    const dir = makeProject({
      'models/m.sql': "{{ config(access='public') }}\nselect 1 as id",
      'models/v_v2.sql': 'select 1 as id',
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    group: core',
        '    constraints: [{type: check, expression: "id > 0"}]',
        '    deprecation_date: 2030-01-01',
        '  - name: v',
        '    deprecation_date: 2030-01-01',
        '    versions:',
        '      - v: 2',
        '        deprecation_date: 2031-06-30',
      ].join('\n'),
    });
    const { manifest } = parseLoaded(loadProject({ projectDir: dir, env: {} }));
    const m = manifest.nodes['model.test_project.m'] ?? Object.values(manifest.nodes).find((n) => n.name === 'm')!;
    const keys = Object.keys(m);
    expect(keys.slice(keys.indexOf('access'), keys.indexOf('access') + 6)).toEqual(['access', 'group', 'constraints', 'deprecation_date', 'time_spine', 'contract']);
    expect([m.access, m.group, m.constraints, m.deprecation_date, m.time_spine, m.contract]).toEqual([
      'public', 'core', [{ type: 'check', expression: 'id > 0' }], '2030-01-01', null, { enforced: false, alias_types: true, checksum: null },
    ]);
    const v = Object.values(manifest.nodes).find((n) => n.name === 'v')!;
    expect([v.version, v.deprecation_date, v.access]).toEqual([2, '2031-06-30', 'protected']);
    // applyModelVersion sets the version's date first, so the key comes before access.
    expect(Object.keys(v).indexOf('deprecation_date')).toBeLessThan(Object.keys(v).indexOf('access'));
  });
});
