import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { makeProject } from '../execute/harness.js';

// dbt-core 1.10 reads a unit test's CSV rows once, at parse (csv.DictReader, an empty value None), and
// runs the test on those rows. tsdbt's runner read them with the seed parser (the text trimmed, the
// header's names trimmed, a "" line dropped), so it could run on other rows than manifest.json has.
const files = {
  'seeds/people.csv': 'id,name\n1,a\n',
  'models/stg.sql': "select id, name from {{ ref('people') }}",
};

const csvTest = (name: string, given: string) => `  - name: ${name}
    model: stg
    given:
      - input: ref('people')
        format: csv
        rows: |
${given
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}
    expect:
      format: csv
      rows: |
        id,name
        1,a
`;

type Result = { unique_id: string; status: string; message: string | null };

describe('unit test CSV rows: the runner reads what manifest.json has', { timeout: 120_000 }, () => {
  it('keeps a "" line as a row of nulls, and a header name with its space, as DictReader does', async () => {
    const p = makeProject({ ...files, 'models/unit.yml': `unit_tests:\n${csvTest('null_row', 'id,name\n1,a\n""')}${csvTest('spaced', 'id, name\n1,a')}` });
    // The seed first: the fixture is typed by its table's columns, as dbt's is.
    const r = await build(p.opts);
    const byId = Object.fromEntries((r.results as Result[]).map((x) => [x.unique_id.split('.').pop(), x]));
    expect(byId.null_row!.status).toBe('fail');
    expect(byId.null_row!.message).toBe('actual differs from expected:\n\n@@ ,id  ,name\n+++,None,None');
    expect(byId.spaced!.status).toBe('error');
    expect(byId.spaced!.message).toContain("Invalid column name: ' name' in unit test fixture for ref('people') of unit test 'spaced'");
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, { given: { rows: unknown }[] }> };
    expect(manifest.unit_tests['unit_test.proj.stg.null_row']!.given[0]!.rows).toEqual([{ id: '1', name: 'a' }, { id: null, name: null }]);
    expect(manifest.unit_tests['unit_test.proj.stg.spaced']!.given[0]!.rows).toEqual([{ id: '1', ' name': 'a' }]);
  });

  it('a row with more values than the header is an error naming the row', async () => {
    const p = makeProject({ ...files, 'models/unit.yml': `unit_tests:\n${csvTest('too_wide', 'id,name\n1,a,x')}` });
    const r = await build({ ...p.opts, select: ['test_type:unit'] });
    expect((r.results as Result[]).map((x) => [x.status, x.message])).toEqual([
      ['error', "models/unit.yml: Unit test 'too_wide': row 1 of the CSV of given input ref('people') has more values than its header names\n  Give each row one value per header column; quote values holding a comma (\"a,b\")."],
    ]);
  });
});
