import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

// dbt 1.10's FoundStats line, as it prints it for these projects: node types in manifest order (hooks counted as
// operations), then sources ... saved queries, unit tests last; one test is "1 test".
async function found(files: Record<string, string>): Promise<string> {
  const dir = makeProject(files);
  const io = captureStreams();
  expect(await runCli(['parse', '--project-dir', dir, '--no-partial-parse'], io.streams, {})).toBe(0);
  return /^Found .*$/m.exec(io.stdout.join(''))![0].replace(/\d+ macros/, 'N macros');
}

/** A project with `hooks` as its on-run-start list, model a with not_null and unique tests on id, and `more` files. */
const withHooks = (hooks: string, more: Record<string, string> = {}) => ({
  'dbt_project.yml': `name: test_project\nprofile: test_profile\non-run-start: ${hooks}\n`,
  'models/a.sql': 'select 1 as id',
  'models/a.yml': 'models:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
  ...more,
});

describe('the Found line', () => {
  it('counts hooks as operations and keeps manifest order: singular tests before seeds, generic tests after hooks', async () => {
    expect(await found(withHooks("['select 1', 'select 2']", {
      'models/b.sql': 'select 1 as id',
      'seeds/s.csv': 'id\n1\n',
      'tests/t.sql': "select * from {{ ref('a') }} where false",
    }))).toBe('Found 2 models, 3 data tests, 1 seed, 2 operations, N macros');
  });

  it('one test is "1 test"; unit tests come after saved queries', async () => {
    expect(await found({
      'models/a.sql': 'select 1 as id',
      'models/a.yml': 'models:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n'
        + 'unit_tests:\n  - name: ut\n    model: a\n    given: []\n    expect:\n      rows: [{id: 1}]\n',
      'models/src.yml': 'sources:\n  - name: raw\n    tables: [{name: t1}, {name: t2}]\n',
    })).toBe('Found 1 model, 1 test, 2 sources, N macros, 1 unit test');
  });
});

describe('the Found line with hooks and no singular test or seed', () => {
  it('puts operations before the generic tests, as dbt 1.10 printed "Found 6 models, 7 seeds, 2 operations, 4 data tests"', async () => {
    expect(await found(withHooks("['select 1']"))).toBe('Found 1 model, 1 operation, 2 data tests, N macros');
  });
});
