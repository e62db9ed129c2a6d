import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject } from '../execute/harness.js';

// dbt-core 1.10 (parser/unit_tests.py _load_rows_from_seed): a `format: dict` input with neither
// `rows:` nor `fixture:` takes the rows of the seed it refs, read from the seed's CSV at parse, so the
// test runs on them; an input that is no seed and has no rows is a parse error.
const files = {
  'seeds/people.csv': 'id,name\r\n1,Ann\r\n2,Bob\r\n3,\r\n',
  'models/named.sql': "select id, upper(name) as name from {{ ref('people') }} where id < 3",
  'models/twice.sql': "select id * 2 as id from {{ ref('named') }}",
};

const unitYaml = `unit_tests:
  - name: from_seed
    model: named
    given:
      - input: ref('people')
    expect:
      rows:
        - {id: 1, name: ANN}
        - {id: 2, name: BOB}
`;

describe('a unit test input without rows reads its seed', { timeout: 120_000 }, () => {
  it("runs on the seed's rows (the seed's table types them), as dbt does", async () => {
    const p = makeProject({ ...files, 'models/unit.yml': unitYaml });
    const r = await build(p.opts);
    const byId = Object.fromEntries(r.results.map((x) => [x.unique_id, x.status]));
    expect(byId['unit_test.proj.named.from_seed']).toBe('pass');
    const compiled = readFileSync(join(p.dir, r.results.find((x) => x.unique_id === 'unit_test.proj.named.from_seed')!.compiled_path!), 'utf8');
    expect(compiled).toContain("cast('Ann' as VARCHAR) as name");
    // An empty CSV value stays '' (DictReader's text; only `format: csv` fixtures read it as null).
    expect(compiled).toMatch(/cast\('3' as INTEGER\) as id,\s*cast\('' as VARCHAR\) as name/);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, { given: { rows: unknown }[] }> };
    expect(manifest.unit_tests['unit_test.proj.named.from_seed']!.given[0]!.rows).toEqual([
      { id: '1', name: 'Ann' },
      { id: '2', name: 'Bob' },
      { id: '3', name: '' },
    ]);
  });

  it('is a parse error for an input that is no seed', async () => {
    const noRows = "unit_tests:\n  - name: no_rows\n    model: twice\n    given:\n      - input: ref('named')\n    expect:\n      rows: []\n";
    const p = makeProject({ ...files, 'models/unit.yml': noRows });
    expect(() => parseLoaded(loadProject(p.opts), {})).toThrow(
      expect.objectContaining({
        code: 'UNIT_TEST_INVALID',
        message: "Unit test 'no_rows' gives no rows for input ref('named'): unable to find seed 'proj.named' (only a seed's rows are read when 'rows:' is left out)",
        file: 'models/unit.yml',
        line: 2,
      }),
    );
  });
});
