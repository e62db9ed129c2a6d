import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, {});
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

const PROJECT = {
  'models/staging/stg_a.sql': "select * from {{ source('raw', 'orders') }}",
  'models/staging/sources.yml': [
    'version: 2',
    'sources:',
    '  - name: raw',
    '    tables:',
    '      - name: orders',
    '        columns:',
    '          - name: id',
    '            data_tests: [not_null]',
    'exposures:',
    '  - name: dash',
    '    type: dashboard',
    '    owner: {email: a@b.c}',
    "    depends_on: [ref('stg_a')]",
    '',
  ].join('\n'),
  'analyses/explore.sql': "select * from {{ ref('stg_a') }}",
  'seeds/bands.csv': 'band\nlow\n',
};

describe('ls prints resources as dbt does', () => {
  it('default output: sources as source:<package>.<source>.<table>, exposures as exposure:<package>.<name>, others by fqn, in unique id order; no analyses', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['ls'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'exposure:test_project.dash',
        'test_project.staging.stg_a',
        'test_project.bands',
        'source:test_project.raw.orders',
        'test_project.staging.source_not_null_raw_orders_id',
        '',
      ].join('\n'),
    );
  });

  it('--output name prints <source>.<table> for sources; analyses only with --resource-type analysis (or all)', async () => {
    const dir = makeProject(PROJECT);
    expect((await cli(['ls', '--output', 'name', '--resource-type', 'source'], dir)).stdout).toBe('raw.orders\n');
    expect((await cli(['ls', '--output', 'name', '--resource-type', 'analysis'], dir)).stdout).toBe('explore\n');
    expect((await cli(['ls', '--resource-type', 'all', '--output', 'name'], dir)).stdout).toBe('explore\ndash\nstg_a\nbands\nraw.orders\nsource_not_null_raw_orders_id\n');
    const bad = await cli(['ls', '--resource-type', 'nonsense'], dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Invalid resource type 'nonsense'");
  });

  it('--exclude-resource-type (and dbt 1.10 spelling --exclude-resource-types) leaves those types out', async () => {
    const dir = makeProject(PROJECT);
    expect((await cli(['ls', '--output', 'name', '--exclude-resource-type', 'test', 'source'], dir)).stdout).toBe('dash\nstg_a\nbands\n');
    expect((await cli(['ls', '--output', 'name', '--exclude-resource-types', 'seed', '--exclude-resource-types', 'exposure'], dir)).stdout).toBe('stg_a\nraw.orders\nsource_not_null_raw_orders_id\n');
    // With --resource-type: those types, less the excluded ones.
    expect((await cli(['ls', '--output', 'name', '--resource-type', 'model', 'seed', '--exclude-resource-type', 'seed'], dir)).stdout).toBe('stg_a\n');
    const bad = await cli(['ls', '--exclude-resource-type', 'modle'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid resource type 'modle' in --exclude-resource-type.");
  });

  it('build --exclude-resource-type test builds the nodes and runs no test', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id', 'models/a.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n', 'seeds/s.csv': 'x\n1\n' });
    const r = await cli(['build', '--exclude-resource-type', 'test'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Done\. PASS=2 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=2/);
    expect(r.stdout).not.toContain('unique_a_id');
  });
});

