import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

// dbt names a node (generate_schema_name, generate_alias_name, generate_database_name) before it sorts the disabled
// ones out, so manifest.disabled holds their relations: dbt-labs/jaffle-shop's seeds, disabled unless
// `--vars '{load_source_data: true}'`, are in schema raw by its own generate_schema_name.
describe('disabled nodes in manifest.json', () => {
  it("carry the schema, alias, database and relation name dbt's naming macros give them", async () => {
    const dir = makeProject({
      'dbt_project.yml': [
        'name: shop', 'profile: test_profile', 'config-version: 2',
        'seeds:', '  shop:', '    +schema: raw', '    jaffle-data:', `      +enabled: "{{ var('load_source_data', false) }}"`,
        'models:', '  shop:', '    legacy:', '      +enabled: false', '      +alias: old_orders',
      ].join('\n'),
      'macros/generate_schema_name.sql': "{% macro generate_schema_name(custom_schema_name, node) %}{% if node.resource_type == 'seed' %}{{ custom_schema_name | trim }}{% else %}{{ target.schema }}{% endif %}{% endmacro %}",
      'seeds/jaffle-data/raw_orders.csv': 'id\n1\n',
      'models/legacy/orders.sql': 'select 1 as id',
      'models/inline.sql': "{{ config(enabled=false, schema='x', database='other') }}select 1 as id",
      'models/live.sql': 'select 1 as id',
    }, 'shop');
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const names = (id: string) => {
      const [n] = manifest.disabled[id];
      return { database: n.database, schema: n.schema, alias: n.alias, relation_name: n.relation_name };
    };
    expect(Object.keys(manifest.nodes)).toEqual(['model.shop.live']);
    expect(names('seed.shop.raw_orders')).toEqual({ database: 'memory', schema: 'raw', alias: 'raw_orders', relation_name: '"memory"."raw"."raw_orders"' });
    expect(names('model.shop.orders')).toEqual({ database: 'memory', schema: 'main', alias: 'old_orders', relation_name: '"memory"."main"."old_orders"' });
    expect(names('model.shop.inline')).toEqual({ database: 'other', schema: 'main', alias: 'inline', relation_name: '"other"."main"."inline"' });
  });
});

describe('disabled generic tests', () => {
  it('are kept in manifest.disabled, named and tagged, as dbt adds them there', async () => {
    const dir = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/a.yml': 'models:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n                enabled: false\n                tags: [nightly]\n          - unique\n',
    });
    const io = captureStreams();
    expect(await runCli(['parse', '--project-dir', dir], io.streams, {})).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.nodes).filter((k) => k.startsWith('test.'))).toEqual(['test.test_project.unique_a_id.f6a5f640da']);
    const ids = Object.keys(manifest.disabled);
    expect(ids).toEqual([expect.stringMatching(/^test\.test_project\.not_null_a_id\.[0-9a-f]{10}$/)]);
    const [t] = manifest.disabled[ids[0]!];
    // (dbt resolves refs into depends_on.nodes only for the manifest's enabled nodes.)
    expect({ enabled: t.config.enabled, tags: t.tags, schema: t.schema, depends_on: t.depends_on.nodes }).toEqual({ enabled: false, tags: ['nightly'], schema: 'main_dbt_test__audit', depends_on: [] });
    expect(io.stdout.join('')).toMatch(/Found 1 model, 1 test, \d+ macros/);
  });
});
