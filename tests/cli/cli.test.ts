import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { runCli } from '../../src/cli/main.js';
import { TSDBT_VERSION } from '../../src/util/tsdbt-version.js';
import { DBT_VERSION } from '../../src/project/dbt-version.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROJECT = {
  'models/staging/stg_a.sql': 'select 1 as id',
  'models/marts/mart_a.sql': "{{ config(tags=['nightly']) }}\nselect * from {{ ref('stg_a') }}",
  'seeds/bands.csv': 'band,lo\nlow,0\n',
};

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, {});
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

describe('tsdbt CLI', () => {
  it('parse writes target/manifest.json with nodes, parent and child maps', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['parse'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Found 2 models, 1 seed');
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.nodes).sort()).toEqual(['model.test_project.mart_a', 'model.test_project.stg_a', 'seed.test_project.bands']);
    expect(manifest.parent_map['model.test_project.mart_a']).toEqual(['model.test_project.stg_a']);
    expect(manifest.nodes['model.test_project.mart_a'].refs).toEqual([{ name: 'stg_a', package: null, version: null }]);
    expect(manifest.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
  });

  it('ls prints selectors, names, paths and json for a selection', async () => {
    const dir = makeProject(PROJECT);
    expect((await cli(['ls'], dir)).stdout).toBe('test_project.marts.mart_a\ntest_project.staging.stg_a\ntest_project.bands\n');
    expect((await cli(['ls', '--select', 'stg_a+', '--output', 'name'], dir)).stdout).toBe('mart_a\nstg_a\n');
    expect((await cli(['ls', '-s', 'tag:nightly', '--output', 'path'], dir)).stdout).toBe('models/marts/mart_a.sql\n');
    const json = (await cli(['ls', '-s', 'stg_a', '--output', 'json', '--output-keys', 'name,resource_type'], dir)).stdout;
    expect(JSON.parse(json)).toEqual({ name: 'stg_a', resource_type: 'model' });
  });

  it('exits 2 with the file and line for a Jinja syntax error and writes no manifest', async () => {
    const dir = makeProject({ 'models/bad.sql': 'select 1\n{% if %}\n' });
    const r = await cli(['parse'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[JINJA_SYNTAX\] models\/bad\.sql:2: /);
    expect(existsSync(join(dir, 'target/manifest.json'))).toBe(false);
  });

  it('exits 2 on an unknown flag, an unknown command and a bad selector', async () => {
    const dir = makeProject(PROJECT);
    expect((await cli(['parse', '--frobnicate'], dir)).stderr).toContain("[USAGE] Unknown flag '--frobnicate'");
    expect((await cli(['frob'], dir)).code).toBe(2);
    const bad = await cli(['ls', '--select', 'nosuchmethod:x'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[SELECTOR_INVALID]');
  });

  it('reports a cycle with its path and the refs that make it', async () => {
    const dir = makeProject({
      'models/a.sql': "select * from {{ ref('b') }}",
      'models/b.sql': "\nselect * from {{ ref('a') }}",
    });
    const r = await cli(['parse'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CYCLE]');
    expect(r.stderr).toContain('models/b.sql:2');
  });

  it('clean removes target/', async () => {
    const dir = makeProject(PROJECT);
    await cli(['parse'], dir);
    expect(existsSync(join(dir, 'target'))).toBe(true);
    const r = await cli(['clean'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'target'))).toBe(false);
  });

  it('--version answers without a project', async () => {
    const io = captureStreams();
    expect(await runCli(['--version'], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toBe(`tsdbt ${TSDBT_VERSION} (dbt-core ${DBT_VERSION} compatible)\n`);
    // bin/tsdbt.js answers --version itself, before loading anything: it must say the same.
    const bin = execFileSync(process.execPath, [join(__dirname, '../../bin/tsdbt.js'), '--version'], { encoding: 'utf8' });
    expect(bin).toBe(io.stdout.join(''));
  });
});
