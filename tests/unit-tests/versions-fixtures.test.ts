import { describe, expect, it } from 'vitest';
import { run, test } from '../../src/api/run.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { buildUnitTests } from '../../src/project/unit-tests.js';
import { makeProject } from '../execute/harness.js';

// my_model has versions 1, 2, 3: v1 doubles, v2 triples, v3 quadruples the input's n.
const versioned = {
  'models/src_numbers.sql': "{{ config(materialized='table') }}select 1 as n",
  'models/my_model_v1.sql': "select n * 2 as m from {{ ref('src_numbers') }}",
  'models/my_model_v2.sql': "select n * 3 as m from {{ ref('src_numbers') }}",
  'models/my_model_v3.sql': "select n * 4 as m from {{ ref('src_numbers') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: my_model\n    latest_version: 2\n    versions: [{v: 1}, {v: 2}, {v: 3}]\n',
};

const unitYaml = (versions: string) => `unit_tests:
  - name: doubles
    model: my_model
${versions}    given:
      - input: ref('src_numbers')
        rows: [{n: 5}]
    expect:
      rows: [{m: 10}]
`;

type R = { unique_id: string; status: string; compiled_path: string | null };
const outcome = (results: R[]) => Object.fromEntries(results.map((r) => [r.unique_id, r.status]));

describe('unit tests of versioned models', () => {
  it('run against every version by default, with dbt ids <name>_v<version>, each compiling its own version', async () => {
    const p = makeProject({ ...versioned, 'models/unit.yml': unitYaml('') });
    await run(p.opts);
    const r = await test({ ...p.opts, select: ['test_type:unit'] });
    // Only v1 doubles: the same test fails on v2 and v3, so each ran its own version's SQL.
    expect(outcome(r.results as R[])).toEqual({
      'unit_test.proj.my_model.doubles_v1': 'pass',
      'unit_test.proj.my_model.doubles_v2': 'fail',
      'unit_test.proj.my_model.doubles_v3': 'fail',
    });
    const paths = (r.results as R[]).map((x) => x.compiled_path).sort();
    expect(paths).toEqual([1, 2, 3].map((v) => `target/compiled/proj/models/unit.yml/models/doubles_v${v}.sql`));
    const v3 = r.results.find((x) => x.unique_id.endsWith('_v3'))!;
    expect(v3.node.depends_on.nodes).toEqual(['model.proj.my_model.v3']);
    expect(v3.node.name).toBe('doubles');
    expect(v3.node.fqn).toEqual(['proj', 'my_model', 'doubles']);
    expect(v3.compiled_code).toContain('n * 4 as m');
    // Selecting one version of the model selects its unit test only.
    const one = await test({ ...p.opts, select: ['my_model.v2'] });
    expect(outcome(one.results as R[])).toEqual({ 'unit_test.proj.my_model.doubles_v2': 'fail' });
  });

  it('versions: include keeps only the listed versions; exclude leaves them out', async () => {
    const p = makeProject({ ...versioned, 'models/unit.yml': unitYaml('    versions:\n      include: [1]\n') });
    await run(p.opts);
    expect(outcome((await test(p.opts)).results as R[])).toEqual({ 'unit_test.proj.my_model.doubles_v1': 'pass' });
    p.write({ 'models/unit.yml': unitYaml('    versions:\n      exclude: [1, 3]\n') });
    expect(outcome((await test(p.opts)).results as R[])).toEqual({ 'unit_test.proj.my_model.doubles_v2': 'fail' });
  });

  it('errors: include and exclude together, a version that does not exist, versions on an unversioned model', async () => {
    const parseError = (files: Record<string, string>) => {
      const p = makeProject(files);
      try {
        parseLoaded(loadProject(p.opts), {});
      } catch (e) {
        return e as TsdbtError;
      }
      throw new Error('parse succeeded');
    };
    const both = parseError({ ...versioned, 'models/unit.yml': unitYaml('    versions: {include: [1], exclude: [2]}\n') });
    expect([both.code, both.message, both.file, both.line]).toEqual(['YAML_SCHEMA', "Unit test 'doubles' sets both versions.include and versions.exclude", 'models/unit.yml', 2]);
    const missing = parseError({ ...versioned, 'models/unit.yml': unitYaml('    versions: {include: [7]}\n') });
    expect([missing.code, missing.message, missing.hint]).toEqual(['UNIT_TEST_INVALID', "Unit test 'doubles' referenced a version of 'my_model' which was not found", "Versions of 'my_model': 1, 2, 3."]);
    const plain = parseError({
      'models/src_numbers.sql': 'select 1 as n',
      'models/my_model.sql': "select n from {{ ref('src_numbers') }}",
      'models/unit.yml': unitYaml('    versions: {exclude: [1]}\n'),
    });
    expect([plain.code, plain.message, plain.file, plain.line]).toEqual([
      'UNIT_TEST_INVALID',
      "Unit test 'doubles' should not have a versions include or exclude when referencing non-versioned model 'my_model'",
      'models/unit.yml',
      2,
    ]);
  });
});

describe('unit test fixture files', () => {
  const models = {
    'models/src_numbers.sql': 'select 1 as n',
    'models/doubled.sql': "select n * 2 as m from {{ ref('src_numbers') }}",
  };
  const yaml = (inputFixture: string, expectFixture: string) => `unit_tests:
  - name: from_files
    model: doubled
    given:
      - input: ref('src_numbers')
        format: csv
        fixture: ${inputFixture}
    expect:
      format: sql
      fixture: ${expectFixture}
`;

  it('are found under tests/fixtures/ (sub-folders too), csv and sql, and kept in the rows', async () => {
    const p = makeProject({
      ...models,
      'models/unit.yml': yaml('numbers_in', 'doubled_out'),
      'tests/fixtures/nested/numbers_in.csv': 'n\n4\n5\n',
      'tests/fixtures/doubled_out.sql': 'select 8 as m union all select 10 as m',
    });
    // No selector: files under tests/fixtures/ are fixtures, not singular data tests (as dbt).
    const r = await test(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status, x.message])).toEqual([['from_files', 'pass', null]]);
    expect(r.results[0]!.compiled_code).toContain('cast(4 as');
    // dbt keeps the fixture's content in the unit test's rows.
    const def = r.results[0]!.node.unit_test!;
    expect([def.given[0]!.rows, def.expect.rows]).toEqual(['n\n4\n5\n', 'select 8 as m union all select 10 as m']);
    // A wrong expectation in the file fails the test, so the file is what was compared.
    p.write({ 'tests/fixtures/doubled_out.sql': 'select 8 as m union all select 11 as m' });
    expect((await test({ ...p.opts, select: ['test_type:unit'] })).results.map((x) => x.status)).toEqual(['fail']);
  });

  it('are found under the fixtures/ folder of a custom test-path', async () => {
    const p = makeProject({
      ...models,
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\ntest-paths: [checks]\n',
      'models/unit.yml': yaml('numbers_in', 'doubled_out'),
      'checks/fixtures/numbers_in.csv': 'n\n4\n5\n',
      'checks/fixtures/doubled_out.sql': 'select 8 as m union all select 10 as m',
    });
    const r = await test(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([['from_files', 'pass']]);
  });

  it('a fixture found nowhere is a parse error naming the YAML file and the line of its fixture:', () => {
    const p = makeProject({
      ...models,
      'models/unit.yml': yaml('numbers_in', 'doubled_out'),
      'tests/fixtures/doubled_out.sql': 'select 8 as m',
      // The right name with the wrong format's extension does not count.
      'tests/fixtures/numbers_in.sql': 'select 4 as n',
    });
    let err: TsdbtError | undefined;
    try {
      parseLoaded(loadProject(p.opts), {});
    } catch (e) {
      err = e as TsdbtError;
    }
    expect([err?.code, err?.message, err?.file, err?.line, err?.hint]).toEqual([
      'UNIT_TEST_INVALID',
      "File not found for fixture 'numbers_in' of unit test 'from_files': no numbers_in.csv under tests/fixtures/",
      'models/unit.yml',
      7,
      'Create tests/fixtures/numbers_in.csv (sub-folders work too), or fix the fixture name.',
    ]);
  });

  it('buildUnitTests reads fixtures from every test path it is given', () => {
    const p = makeProject({ 'custom/fixtures/in.csv': 'n\n1\n', 'other/fixtures/deep/out.sql': 'select 2 as m' });
    const model = { unique_id: 'model.proj.doubled', resource_type: 'model', package_name: 'proj', name: 'doubled', fqn: ['proj', 'doubled'], version: null } as unknown as CompiledNode;
    const index = { resolveRef: () => model, refError: () => new Error('unexpected') } as never;
    const decl = { name: 'from_files', model: 'doubled', given: [{ input: "ref('src')", format: 'csv', fixture: 'in' }], expect: { format: 'sql', fixture: 'out' }, __file: 'models/sub/unit.yml', __line: 2 };
    const errors: TsdbtError[] = [];
    const out = buildUnitTests([decl], 'proj', index, new Map([[model.unique_id, model]]), errors, ['custom', 'other'], () => p.dir);
    expect(errors).toEqual([]);
    const node = out['unit_test.proj.doubled.from_files']!;
    expect([node.unit_test!.given[0]!.rows, node.unit_test!.expect.rows, node.fqn]).toEqual(['n\n1\n', 'select 2 as m', ['proj', 'sub', 'doubled', 'from_files']]);
    const none = buildUnitTests([decl], 'proj', index, new Map([[model.unique_id, model]]), errors, ['tests'], () => p.dir);
    expect([Object.keys(none), errors.map((e) => e.message)]).toEqual([[], ["File not found for fixture 'in' of unit test 'from_files': no in.csv under tests/fixtures/"]]);
  });
});
