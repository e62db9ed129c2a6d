import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir,], io.streams, {});
  const untimed = (t: string) => t.replace(/^\d\d:\d\d:\d\d {2}/gm, '');
  return { code, out: untimed(io.stdout.join('')), err: untimed(io.stderr.join('')) };
}

const SCHEMA = `version: 2
models:
  - name: nums
    columns:
      - name: n
        data_tests:
          - accepted_values: {name: warns, values: [1], config: {severity: warn}}
          - accepted_values: {name: under_thresholds, values: [1], config: {warn_if: ">5", error_if: ">10"}}
`;

describe('the end-of-run summary (dbt 1.10 wording)', () => {
  it('a run with only warnings completes "with N warnings", lists them as warnings and exits 0', async () => {
    const dir = makeProject({ 'models/nums.sql': 'select * from (values (1), (2)) t(n)', 'models/schema.yml': SCHEMA });
    const r = await cli(['build'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Completed with 1 warning:\n\nWarning in test warns (models/schema.yml)\n  Got 1 result, configured to warn if != 0');
    expect(r.err).toBe('');
    expect(r.out.replace(/Running with.*\n/, '')).not.toMatch(/error(?!=)/i);
    expect(r.out).toContain('Done. PASS=2 WARN=1 ERROR=0 SKIP=0 NO-OP=0 TOTAL=3');
  });

  it('errors and warnings are counted apart', async () => {
    const dir = makeProject({
      'models/nums.sql': 'select * from (values (1), (2)) t(n)',
      'models/broken.sql': 'select no_such_column from {{ ref("nums") }}',
      'models/schema.yml': SCHEMA,
    });
    const r = await cli(['build'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Completed with 1 error, 0 partial successes, and 1 warning:\n');
    expect(r.out).toContain('Warning in test warns (models/schema.yml)');
    expect(r.err).toContain('  Database Error in model broken (models/broken.sql)');
    expect(r.out).toContain('Done. PASS=2 WARN=1 ERROR=1 SKIP=0 NO-OP=0 TOTAL=4');
  });
});
