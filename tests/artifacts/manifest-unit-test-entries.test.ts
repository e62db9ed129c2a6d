import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { bothWays, cli } from '../support/fast-and-plain.js';
import { makeProject, MEMORY_PROFILE } from '../support/project-fixture.js';

/** dbt-core 1.10's UnitTestDefinition as manifest.json writes it: every member, in dbt's order. */
const DBT_UNIT_TEST = [
  'model', 'given', 'expect', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'description', 'overrides',
  'depends_on', 'config', 'checksum', 'schema', 'created_at', 'versions', 'version',
];

const UNIT_YML = `version: 2
models:
  - name: versioned
    latest_version: 2
    versions: [{v: 1}, {v: 2}]
unit_tests:
  - name: counts_dict
    model: customer_counts
    description: Counts each id.
    config:
      tags: [nightly]
      meta: {owner: me}
      custom_key: 3
    given:
      - input: ref('stg_customers')
        rows:
          - {id: 1, name: null}
          - {id: 1, name: "b's"}
          - {id: 2, name: c}
    expect:
      rows:
        - {id: 1, n: 2}
        - {id: 2, n: 1}
  - name: counts_csv
    model: customer_counts
    overrides:
      macros: {is_incremental: false}
      vars: {a: 1}
    given:
      - input: ref('stg_customers')
        format: csv
        rows: |
          id,name
          1,
          2,"x,y"
    expect:
      format: csv
      fixture: counts
  - name: from_seed
    model: stg_customers
    given:
      - input: ref('raw_customers')
    expect:
      format: sql
      fixture: people
  - name: first_version
    model: versioned
    versions: {include: [1]}
    given: []
    expect: {rows: [{id: 1}]}
`;

const FILES = {
  'seeds/raw_customers.csv': 'id,name\n1,Ann\n2,\n',
  'models/stg_customers.sql': "select id, name from {{ ref('raw_customers') }}",
  'models/marts/customer_counts.sql': "select id, count(*) as n from {{ ref('stg_customers') }} group by id",
  'models/marts/versioned_v1.sql': 'select 1 as id',
  'models/marts/versioned_v2.sql': 'select 2 as id',
  'models/marts/_unit.yml': UNIT_YML,
  'tests/fixtures/counts.csv': 'id,n\n1,1\n2,1\n',
  'tests/fixtures/people.sql': '\n  select 1 as id, \'Ann\' as name\n\n',
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));

describe("manifest.json unit_tests, as dbt-core 1.10's UnitTestDefinition", () => {
  it('each entry: its fixtures as dbt reads them, its checksum, config, schema, path, versions and created_at', async () => {
    const dir = makeProject(FILES);
    const before = Date.now() / 1000;
    const r = await cli(dir, ['parse']);
    expect(r.code, r.out).toBe(0);
    const after = Date.now() / 1000;
    const entries = manifestOf(dir).unit_tests;
    expect(Object.keys(entries)).toEqual([
      'unit_test.test_project.customer_counts.counts_dict',
      'unit_test.test_project.customer_counts.counts_csv',
      'unit_test.test_project.stg_customers.from_seed',
      'unit_test.test_project.versioned.first_version_v1',
    ]);
    for (const e of Object.values(entries) as Record<string, unknown>[]) {
      expect(Object.keys(e)).toEqual(DBT_UNIT_TEST);
      expect(e.created_at).toBeGreaterThanOrEqual(before - 0.001);
      expect(e.created_at).toBeLessThanOrEqual(after);
    }
    const common = { resource_type: 'unit_test', package_name: 'test_project', path: 'marts/_unit.yml', original_file_path: 'models/marts/_unit.yml', schema: 'main', created_at: expect.any(Number) };
    const dict = "<UnitTestFormat.Dict: 'dict'>";
    const csv = "<UnitTestFormat.CSV: 'csv'>";
    const sql = "<UnitTestFormat.SQL: 'sql'>";

    // The first row with no None goes first; the description is not in the checksum.
    expect(entries['unit_test.test_project.customer_counts.counts_dict']).toEqual({
      ...common,
      model: 'customer_counts',
      given: [{ input: "ref('stg_customers')", rows: [{ id: 1, name: "b's" }, { id: 1, name: null }, { id: 2, name: 'c' }], format: 'dict', fixture: null }],
      expect: { rows: [{ id: 1, n: 2 }, { id: 2, n: 1 }], format: 'dict', fixture: null },
      name: 'counts_dict',
      unique_id: 'unit_test.test_project.customer_counts.counts_dict',
      fqn: ['test_project', 'marts', 'customer_counts', 'counts_dict'],
      description: 'Counts each id.',
      overrides: null,
      depends_on: { macros: [], nodes: ['model.test_project.customer_counts'] },
      config: { tags: ['nightly'], meta: { owner: 'me' }, enabled: true, custom_key: 3 },
      checksum: sha256(
        'customer_counts-None-' +
          `[UnitTestInputFixture(input="ref('stg_customers')", rows=[{'id': 1, 'name': "b's"}, {'id': 1, 'name': None}, {'id': 2, 'name': 'c'}], format=${dict}, fixture=None)]-` +
          `UnitTestOutputFixture(rows=[{'id': 1, 'n': 2}, {'id': 2, 'n': 1}], format=${dict}, fixture=None)-None`,
      ),
      versions: null,
      version: null,
    });

    // CSV rows and a CSV fixture file as rows of text (an empty value None), the fixture's rows once more at the end.
    const fixtureRows = "[{'id': '1', 'n': '1'}, {'id': '2', 'n': '1'}]";
    expect(entries['unit_test.test_project.customer_counts.counts_csv']).toEqual({
      ...common,
      model: 'customer_counts',
      given: [{ input: "ref('stg_customers')", rows: [{ id: '2', name: 'x,y' }, { id: '1', name: null }], format: 'csv', fixture: null }],
      expect: { rows: [{ id: '1', n: '1' }, { id: '2', n: '1' }], format: 'csv', fixture: 'counts' },
      name: 'counts_csv',
      unique_id: 'unit_test.test_project.customer_counts.counts_csv',
      fqn: ['test_project', 'marts', 'customer_counts', 'counts_csv'],
      description: '',
      overrides: { macros: { is_incremental: false }, vars: { a: 1 }, env_vars: {} },
      depends_on: { macros: [], nodes: ['model.test_project.customer_counts'] },
      config: { tags: [], meta: {}, enabled: true },
      checksum: sha256(
        'customer_counts-None-' +
          `[UnitTestInputFixture(input="ref('stg_customers')", rows=[{'id': '2', 'name': 'x,y'}, {'id': '1', 'name': None}], format=${csv}, fixture=None)]-` +
          `UnitTestOutputFixture(rows=${fixtureRows}, format=${csv}, fixture='counts')-` +
          "UnitTestOverrides(macros={'is_incremental': False}, vars={'a': 1}, env_vars={})",
      ),
      versions: null,
      version: null,
    });

    // A dict input without rows takes its seed's rows (text, an empty value kept); a SQL fixture file's text stripped.
    const fromSeed = entries['unit_test.test_project.stg_customers.from_seed'];
    expect(fromSeed.given).toEqual([{ input: "ref('raw_customers')", rows: [{ id: '1', name: 'Ann' }, { id: '2', name: '' }], format: 'dict', fixture: null }]);
    expect(fromSeed.expect).toEqual({ rows: "select 1 as id, 'Ann' as name", format: 'sql', fixture: 'people' });
    expect(fromSeed.checksum).toBe(sha256(
      'stg_customers-None-' +
        `[UnitTestInputFixture(input="ref('raw_customers')", rows=[{'id': '1', 'name': 'Ann'}, {'id': '2', 'name': ''}], format=${dict}, fixture=None)]-` +
        `UnitTestOutputFixture(rows="select 1 as id, 'Ann' as name", format=${sql}, fixture='people')-None`,
    ));

    // One entry per tested version: its id, its node, its version; the declaration's versions as written.
    const versioned = entries['unit_test.test_project.versioned.first_version_v1'];
    expect(versioned).toMatchObject({
      name: 'first_version',
      fqn: ['test_project', 'marts', 'versioned', 'first_version'],
      depends_on: { macros: [], nodes: ['model.test_project.versioned.v1'] },
      versions: { include: [1], exclude: null },
      version: 1,
      checksum: sha256(`versioned-UnitTestNodeVersions(include=[1], exclude=None)-[]-UnitTestOutputFixture(rows=[{'id': 1}], format=${dict}, fixture=None)-None`),
    });
  });

  it('the unit test nodes tsdbt runs are as before, and they still run', async () => {
    const dir = makeProject(FILES);
    const { manifest } = parseLoaded(loadProject({ projectDir: dir, env: {} }));
    const node = manifest.unit_tests['unit_test.test_project.customer_counts.counts_csv']!;
    expect(node.unit_test!.given[0]!.rows).toBe('id,name\n1,\n2,"x,y"\n');
    expect(node.unit_test!.expect.rows).toBe('id,n\n1,1\n2,1\n');
    expect([node.path, node.attached_node, node.depends_on, node.config.materialized]).toEqual(['models/marts/_unit.yml', 'model.test_project.customer_counts', { nodes: ['model.test_project.customer_counts'], macros: [] }, 'unit']);
    writeFileSync(join(dir, 'models/marts/_unit.yml'), UNIT_YML.replace('{id: 2, n: 1}', '{id: 2, n: 1}\n  - name: failing\n    model: customer_counts\n    given: [{input: "ref(\'stg_customers\')", rows: [{id: 1, name: a}]}]\n    expect: {rows: [{id: 1, n: 5}]}'));
    const r = await cli(dir, ['build', '--exclude', 'from_seed']);
    expect(r.out).toMatch(/PASS=\d+ WARN=0 ERROR=1 /);
    expect(r.out).toContain('Failure in unit_test failing');
  });

  it('state:modified compares the checksum (a changed description is not a change); an older tsdbt manifest, the definitions', async () => {
    const dir = makeProject(FILES);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    mkdirSync(join(dir, 'prod'));
    cpSync(join(dir, 'target/manifest.json'), join(dir, 'prod/manifest.json'));
    const modified = async () => {
      const r = await cli(dir, ['ls', '--select', 'state:modified', '--state', 'prod', '--resource-type', 'unit_test', '--output', 'name']);
      return r.out.split('\n').filter((l) => /^\w+$/.test(l));
    };
    expect(await modified()).toEqual([]);
    const yml = join(dir, 'models/marts/_unit.yml');
    writeFileSync(yml, UNIT_YML.replace('Counts each id.', 'Counts ids.'));
    expect(await modified()).toEqual([]);
    writeFileSync(yml, UNIT_YML.replace('{id: 2, n: 1}', '{id: 2, n: 3}'));
    expect(await modified()).toEqual(['counts_dict']);
    // A state manifest whose unit_tests entries are the nodes (as tsdbt wrote them before).
    const { manifest } = parseLoaded(loadProject({ projectDir: dir, env: {} }));
    const prod = JSON.parse(readFileSync(join(dir, 'prod/manifest.json'), 'utf8'));
    prod.unit_tests = JSON.parse(JSON.stringify(manifest.unit_tests, (k, v) => (k === 'manifest_entry' ? undefined : v)));
    writeFileSync(join(dir, 'prod/manifest.json'), JSON.stringify(prod));
    expect(await modified()).toEqual([]);
  });

  it('are the same bytes with and without the fast paths (created_at aside), after parse and build', async () => {
    const dir = makeProject(FILES);
    writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace(':memory:', join(dir, 'bench.duckdb')));
    for (const steps of [[['parse']], [['parse'], ['build', '--exclude', 'from_seed']], [['parse'], ['compile'], ['parse']]]) {
      const { fast, plain } = await bothWays(dir, steps);
      expect(fast.codes, fast.out).toEqual(steps.map(() => 0));
      expect(fast.manifest).toBe(plain.manifest);
      expect(Object.keys(JSON.parse(fast.manifest!).unit_tests['unit_test.test_project.customer_counts.counts_dict'])).toEqual(DBT_UNIT_TEST);
    }
  });
});
