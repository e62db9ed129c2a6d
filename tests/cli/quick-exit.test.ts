import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exitsAtOnce } from '../../src/cli/quick-exit.js';
import { makeProject } from '../support/project-fixture.js';

const BIN = join(__dirname, '../../bin/tsdbt.js');

/** A DuckDB file in the project folder (db.duckdb). */
const FILE_PROFILE = `test_profile:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: db.duckdb
      schema: main
      threads: 1
`;

/** A --import hook that says on stderr when bin/tsdbt.js calls process.exit, and when 'exit' listeners run. */
function exitHook(dir: string): string {
  const hook = join(dir, 'exit-hook.mjs');
  writeFileSync(hook, [
    'const exit = process.exit;',
    // (Arguments passed on as given: process.exit(undefined) would reset the exit code.)
    "process.exit = (...args) => { process.stderr.write(`[process.exit ${args[0] ?? process.exitCode}]\\n`); return exit(...args); };",
    "process.on('exit', (code) => process.stderr.write(`[exit listener ${code}]\\n`));",
  ].join('\n'));
  return hook;
}

function tsdbt(dir: string, args: string[]) {
  if (!existsSync(join(__dirname, '../../dist/cli/main.js'))) throw new Error('build dist first: npm run build');
  return spawnSync(process.execPath, ['--import', exitHook(dir), BIN, ...args, '--project-dir', dir, '--profiles-dir', dir], { encoding: 'utf8' });
}

describe('quick exit (src/cli/quick-exit.ts)', () => {
  it('parse, ls, list and compile end at once; other commands, help and unparsable argv do not', () => {
    expect(exitsAtOnce(['parse'])).toBe(true);
    expect(exitsAtOnce(['--log-level', 'debug', 'parse', '--no-partial-parse'])).toBe(true);
    expect(exitsAtOnce(['ls', '--select', 'run'])).toBe(true);
    expect(exitsAtOnce(['list'])).toBe(true);
    expect(exitsAtOnce(['compile', '--select', 'a'])).toBe(true);
    for (const argv of [['run'], ['build', '--select', 'parse'], ['show', '--inline', 'select 1'], ['seed'], ['parse', '--help'], ['--version'], [], ['parse', '--no-such-flag'], ['pars']]) {
      expect(exitsAtOnce(argv), argv.join(' ')).toBe(false);
    }
  });

  it('bin/tsdbt.js parse: ends through process.exit with everything written, exit listeners run', () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id\n', 'models/b.sql': "select * from {{ ref('a') }}\n" });
    const r = tsdbt(dir, ['parse']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Found 2 models');
    expect(r.stderr).toContain('[process.exit 0]');
    expect(r.stderr).toContain('[exit listener 0]');
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).nodes)).toEqual(['model.test_project.a', 'model.test_project.b']);
    expect(readFileSync(join(dir, 'logs/dbt.log'), 'utf8')).toContain('Found 2 models');
    const ls = tsdbt(dir, ['ls', '--output', 'name']);
    expect(ls.status).toBe(0);
    expect(ls.stdout.trim().split('\n')).toEqual(['a', 'b']);
    expect(ls.stderr).toContain('[process.exit 0]');
  });

  it('a failed parse keeps its exit code and error', () => {
    const dir = makeProject({ 'models/bad.sql': 'select 1\n{% if %}\n' });
    const r = tsdbt(dir, ['parse']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`[process.exit ${r.status}]`);
    expect(r.stdout + r.stderr).toContain('bad.sql');
  });

  it('bin/tsdbt.js compile: ends through process.exit after closing its DuckDB file, which the next command reads', () => {
    const dir = makeProject({ 'models/a.sql': "select 1 as id, '{{ run_query(\"select 42\").columns[0].values()[0] if execute else 0 }}' as q\n", 'profiles.yml': FILE_PROFILE });
    const r = tsdbt(dir, ['compile']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('[process.exit 0]');
    expect(readFileSync(join(dir, 'target/compiled/test_project/models/a.sql'), 'utf8')).toContain("'42' as q");
    expect(existsSync(join(dir, 'db.duckdb.wal'))).toBe(false);
    const run = tsdbt(dir, ['run']);
    expect(run.status).toBe(0);
  });

  it('other commands end as Node ends them', () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id\n' });
    const r = tsdbt(dir, ['run']);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('[process.exit');
    expect(r.stderr).toContain('[exit listener 0]');
  });
});
