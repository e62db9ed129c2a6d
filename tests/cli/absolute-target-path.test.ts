import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * An absolute target path (`--target-path`, DBT_TARGET_PATH, `target-path:` in dbt_project.yml) and an absolute
 * `packages-install-path` stand as they are, as dbt's os.path.join(project_root, path) leaves them: nothing is
 * written to a folder of that name under the project.
 */
const PROJECT: Record<string, string> = {
  'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n',
  'models/a.sql': 'select 1 as id',
  'models/b.sql': "select * from {{ ref('a') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

const scratch: string[] = [];
afterEach(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

function outside(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-abs-target-'));
  scratch.push(dir);
  return join(dir, 'out');
}

async function ok(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, env);
  const out = io.stdout.join('') + io.stderr.join('');
  expect(code, out).toBe(0);
  return out;
}

describe('an absolute target path', () => {
  it('--target-path: every artifact, the parse cache and the compiled and run SQL go there, and none under the project', async () => {
    const dir = makeProject(PROJECT);
    const target = outside();
    const compiled = await ok(dir, ['compile', '--target-path', target]);
    expect(compiled).toContain(`Compiled 3 of 3 nodes into ${join(target, 'compiled')}/`);
    await ok(dir, ['build', '--target-path', target]);
    for (const f of ['manifest.json', 'run_results.json', 'graph_summary.json', PARSE_CACHE_FILE]) expect(existsSync(join(target, f)), f).toBe(true);
    expect(readFileSync(join(target, 'compiled/test_project/models/b.sql'), 'utf8')).toMatch(/select \* from "[^"]+"\."main"\."a"/);
    expect(readFileSync(join(target, 'run/test_project/models/b.sql'), 'utf8')).toContain('create or replace view');
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
    expect(manifest.nodes['model.test_project.b'].compiled_path).toBe(join(target, 'compiled/test_project/models/b.sql'));
    // Under the project: only what the test wrote and the database; no `target/` and no folder named for the path.
    expect(readdirSync(dir).sort()).toEqual(['dbt_project.yml', 'dev.duckdb', 'logs', 'models', 'profiles.yml']);
  });

  it('DBT_TARGET_PATH and dbt_project.yml\'s target-path do the same; a relative one stays under the project', async () => {
    const dir = makeProject(PROJECT);
    const fromEnv = outside();
    await ok(dir, ['parse'], { DBT_TARGET_PATH: fromEnv });
    expect(existsSync(join(fromEnv, 'manifest.json'))).toBe(true);

    const fromYaml = outside();
    const yamlDir = makeProject({ ...PROJECT, 'dbt_project.yml': `name: test_project\nconfig-version: 2\nprofile: test_profile\ntarget-path: "${fromYaml}"\n` });
    const out = await ok(yamlDir, ['compile']);
    expect(out).toContain(`into ${join(fromYaml, 'compiled')}/`);
    expect(existsSync(join(fromYaml, 'compiled/test_project/models/a.sql'))).toBe(true);
    expect(existsSync(join(yamlDir, 'target'))).toBe(false);

    const relDir = makeProject(PROJECT);
    expect(await ok(relDir, ['compile', '--target-path', 'elsewhere'])).toContain('Compiled 3 of 3 nodes into elsewhere/compiled/');
    expect(existsSync(join(relDir, 'elsewhere/compiled/test_project/models/a.sql'))).toBe(true);
  });

  it('an absolute packages-install-path is where the project\'s packages are read from', async () => {
    const packages = outside();
    const lib = makeProject({ 'macros/greet.sql': "{% macro greet() %}'hi'{% endmacro %}" }, 'lib');
    const dir = makeProject({
      ...PROJECT,
      'dbt_project.yml': `name: test_project\nconfig-version: 2\nprofile: test_profile\npackages-install-path: "${packages}"\n`,
      'packages.yml': `packages:\n  - local: ${lib}\n`,
      'models/c.sql': 'select {{ lib.greet() }} as word',
    });
    await ok(dir, ['deps']);
    expect(existsSync(join(packages, 'lib', 'dbt_project.yml'))).toBe(true);
    await ok(dir, ['compile', '--select', 'c']);
    expect(readFileSync(join(dir, 'target/compiled/test_project/models/c.sql'), 'utf8')).toBe("select 'hi' as word");
  });
});
