import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { makeProject } from '../execute/harness.js';

// dbt runs a unit test as a UnitTestNode whose path is the YAML's folder and `<name>.sql`
// (get_pseudo_test_path), so its SQL lands in target/compiled/<package>/<yaml>/<yaml's folder>/<name>.sql,
// and likewise in target/run/; manifest.json's entry keeps the YAML's own paths.
describe('unit test file paths', () => {
  it('compiles and runs to <yaml>/<yaml folder>/<name>.sql, versions with _v<version>, as dbt writes them', async () => {
    const p = makeProject({
      'models/staging/stg.sql': "select 1 as id",
      'models/staging/ver_v1.sql': "select 1 as id",
      'models/staging/ver_v2.sql': "select 2 as id",
      'models/staging/props.yml': 'version: 2\nmodels:\n  - name: ver\n    latest_version: 1\n    versions: [{v: 1}, {v: 2}]\n',
      'models/staging/unit.yml': `unit_tests:
  - name: keeps_id
    model: stg
    given: []
    expect:
      rows: [{id: 1}]
  - name: ver_id
    model: ver
    versions: {include: [2]}
    given: []
    expect:
      rows: [{id: 2}]
`,
    });
    const r = await build({ ...p.opts, select: ['test_type:unit'] });
    const paths = Object.fromEntries(r.results.map((x) => [x.unique_id, x.compiled_path]));
    expect(paths).toEqual({
      'unit_test.proj.stg.keeps_id': 'target/compiled/proj/models/staging/unit.yml/models/staging/keeps_id.sql',
      'unit_test.proj.ver.ver_id_v2': 'target/compiled/proj/models/staging/unit.yml/models/staging/ver_id_v2.sql',
    });
    expect(r.results.map((x) => x.status)).toEqual(['pass', 'pass']);
    for (const f of ['keeps_id', 'ver_id_v2']) {
      expect(readFileSync(join(p.dir, `target/compiled/proj/models/staging/unit.yml/models/staging/${f}.sql`), 'utf8')).toMatch(/^select/);
      expect(readFileSync(join(p.dir, `target/run/proj/models/staging/unit.yml/models/staging/${f}.sql`), 'utf8')).toContain("'actual' as \"actual_or_expected\"");
    }
    expect(existsSync(join(p.dir, 'target/compiled/proj/models/staging/unit.yml/stg'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, Record<string, unknown>> };
    const entry = manifest.unit_tests['unit_test.proj.stg.keeps_id']!;
    expect([entry.path, entry.original_file_path, 'compiled_path' in entry]).toEqual(['staging/unit.yml', 'models/staging/unit.yml', false]);
  });
});
