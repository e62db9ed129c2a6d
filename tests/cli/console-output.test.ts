import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { fancyLine } from '../../src/cli/fancy-line.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROJECT = {
  'models/stg_a.sql': 'select 1 as id',
  'models/mart_a.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('stg_a') }}",
  'models/broken.sql': 'select * from nowhere_at_all',
  'models/after_broken.sql': "select * from {{ ref('broken') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_a\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
  'seeds/bands.csv': 'band,lo\nlow,0\nhigh,5\n',
};

async function cli(args: string[], dir: string, env: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, env);
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}
const untimed = (s: string) => s.replace(/^\d\d:\d\d:\d\d {2}/gm, '').replace(/in \d+\.\d\ds\]/g, 'in T]').replace(/ and \d+\.\d\d seconds \(\d+\.\d\ds\)/, ' and S seconds (Ss)');

describe('console output, as dbt 1.10 prints it', () => {
  it('justifies progress lines with dots to the printer width, as dbt', () => {
    expect(fancyLine('START sql view model main.stg_a', 'RUN', 1, 5)).toBe(`1 of 5 START sql view model main.stg_a ${'.'.repeat(41)} [RUN]`);
    expect(fancyLine('OK created sql view model main.stg_a', 'OK', 1, 5, 0.0512)).toBe(`1 of 5 OK created sql view model main.stg_a ${'.'.repeat(36)} [OK in 0.05s]`);
    expect(fancyLine(`PASS ${'x'.repeat(90)}`, 'PASS', 12, 89, 1)).toBe(`12 of 89 PASS ${'x'.repeat(90)}  [PASS in 1.00s]`);
  });

  it('prints the header, START and result lines counted against the total, and the footer', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['build', '--threads', '1'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\d\d:\d\d:\d\d {2}Running with tsdbt=\S+ \(dbt-core 1\.10\.\d+ compatible\)$/m);
    const out = untimed(r.stdout);
    expect(out).toMatch(/^Registered adapter: duckdb=\S+$/m);
    expect(out).toContain('Found 4 models, 1 seed, 2 data tests');
    expect(out).toContain("Concurrency: 1 threads (target='dev')");
    expect(out).toMatch(/^\d of 7 START seed file main\.bands \.{46} \[RUN\]$/m);
    expect(out).toMatch(/^\d of 7 OK loaded seed file main\.bands \.{42} \[INSERT 2 in T\]$/m);
    expect(out).toMatch(/^\d of 7 OK created sql table model main\.mart_a \.+ \[OK 1 in T\]$/m);
    expect(out).toMatch(/\d of 7 PASS unique_stg_a_id \.+ \[PASS in T\]/);
    expect(out).toMatch(/\d of 7 ERROR creating sql view model main\.broken \.+ \[ERROR in T\]/);
    expect(out).toMatch(/\d of 7 SKIP relation main\.after_broken \.+ \[SKIP\]/);
    expect(out).toContain('Finished running 1 seed, 1 table model, 2 data tests, 3 view models in 0 hours 0 minutes and S seconds (Ss).');
    expect(out).toContain('Completed with 1 error, 0 partial successes, and 0 warnings:');
    expect(out).toContain('Done. PASS=5 WARN=0 ERROR=1 SKIP=1 NO-OP=0 TOTAL=7');
    expect(untimed(r.stderr)).toMatch(/^  Database Error in model broken \(models\/broken\.sql\)$/m);
    expect(r.stderr).toContain('nowhere_at_all');
  });

  it('compile heads a failed node as dbt does, naming the node even when the error points into a macro', async () => {
    const dir = makeProject({ 'models/ok.sql': 'select 1 as id', 'models/asks.sql': "select {{ run_query('select * from not_a_table_here') }}" });
    const r = await cli(['compile'], dir);
    // dbt's compile raises on the first node that fails: MainEncounteredError, exit code 2, no summary.
    expect(r.code).toBe(2);
    const err = untimed(r.stderr);
    expect(err).toMatch(/^Encountered an error:\nDatabase Error in model asks \(models\/asks\.sql\)\n {2}\[DATABASE_ERROR\] .*statement\.sql:\d+: Catalog Error: Table with name not_a_table_here does not exist!/m);
    expect(untimed(r.stdout)).not.toContain('Compiled');
    expect(existsSync(join(dir, 'target', 'run_results.json'))).toBe(false);
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(true);
  });

  it('--log-format json prints one dbt event a line with dbt names, codes and node_info', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['run', '-s', 'stg_a', 'mart_a', '--log-format', 'json'], dir);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    for (const e of events) {
      expect(Object.keys(e.info).sort()).toEqual(['category', 'code', 'extra', 'invocation_id', 'level', 'msg', 'name', 'pid', 'thread', 'ts']);
      expect(e.info.invocation_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const names = events.map((e) => e.info.name);
    expect(names.slice(0, 3)).toEqual(['MainReportVersion', 'AdapterRegistered', 'FoundStats']);
    expect(names).toEqual(expect.arrayContaining(['ConcurrencyLine', 'LogStartLine', 'LogModelResult', 'FinishedRunningStats', 'EndOfRunSummary', 'StatsLine']));
    const start = events.find((e) => e.info.name === 'LogStartLine' && e.data.node_info.node_name === 'mart_a');
    expect(start.info.code).toBe('Q011');
    expect(start.data).toMatchObject({ description: 'sql table model main.mart_a', total: 2, node_info: { unique_id: 'model.test_project.mart_a', resource_type: 'model', materialized: 'table', node_status: 'started', node_relation: { schema: 'main', alias: 'mart_a' } } });
    const done = events.find((e) => e.info.name === 'LogModelResult' && e.data.node_info.node_name === 'mart_a');
    expect(done.info.code).toBe('Q012');
    expect(done.data.node_info.node_status).toBe('success');
    expect(done.data.node_info.node_finished_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(events.find((e) => e.info.name === 'StatsLine').data.stats).toEqual({ pass: 2, warn: 0, error: 0, skip: 0, noop: 0, total: 2 });
    expect(events.find((e) => e.info.name === 'EndOfRunSummary').data).toEqual({ num_errors: 0, num_warnings: 0, num_partial_success: 0, keyboard_interrupt: false });
  });

  it('writes logs/dbt.log at debug level (text, or JSON with --log-format-file), under --log-path', async () => {
    const dir = makeProject(PROJECT);
    await cli(['run', '-s', 'stg_a'], dir);
    const text = readFileSync(join(dir, 'logs/dbt.log'), 'utf8');
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{6} \[debug\] \[MainThread\]: Began running node model\.test_project\.stg_a$/m);
    expect(text).toMatch(/\[info \] \[MainThread\]: Running with tsdbt=/);
    const logs = mkdtempSync(join(tmpdir(), 'tsdbt-logs-'));
    await cli(['run', '-s', 'stg_a', '--log-format-file', 'json', '--log-path', logs], dir);
    const lines = readFileSync(join(logs, 'dbt.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.info.name === 'NodeStart' && l.info.level === 'debug')).toBe(true);
    expect(lines.at(-1).info.name).toBe('CommandCompleted');
    expect(lines.at(-1).data).toMatchObject({ command: 'tsdbt run', success: true });
  });

  it('carries one invocation id: dbt.log\'s header line, every JSON event and manifest.json, a quick parse too', async () => {
    const dir = makeProject(PROJECT);
    // Files written this very second are not trusted unchanged by the parse cache: dated back, the second parse is the quick one.
    for (const f of ['dbt_project.yml', 'profiles.yml', ...Object.keys(PROJECT)]) utimesSync(join(dir, f), new Date('2020-01-01'), new Date('2020-01-01'));
    for (const round of ['full', 'quick']) {
      const r = await cli(['parse', '--log-format', 'json', '--log-format-file', 'text', '--debug'], dir);
      expect(r.code).toBe(0);
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect([round, events.some((e) => e.info.msg.includes('manifest.json brought up to date in place'))]).toEqual([round, round === 'quick']);
      const ids = new Set(events.map((e) => e.info.invocation_id));
      const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
      const headers = [...readFileSync(join(dir, 'logs/dbt.log'), 'utf8').matchAll(/^=+ [\d:.]+ \| (\S+) =+$/gm)].map((m) => m[1]);
      expect([round, [...ids]]).toEqual([round, [manifest.metadata.invocation_id]]);
      expect(headers.at(-1)).toBe(manifest.metadata.invocation_id);
    }
  });

  it('reads dbt flags from DBT_* variables, the command line winning, and warns of ones it ignores', async () => {
    const dir = makeProject(PROJECT);
    const r = await cli(['run', '-s', 'stg_a'], dir, { DBT_TARGET_PATH: 'elsewhere', DBT_PRINTER_WIDTH: '100', DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' });
    expect(existsSync(join(dir, 'elsewhere/run_results.json'))).toBe(true);
    expect(untimed(r.stdout)).toContain(`1 of 1 START sql view model main.stg_a ${'.'.repeat(61)} [RUN]`);
    expect(r.stderr).toContain('DBT_SEND_ANONYMOUS_USAGE_STATS is set, but tsdbt does not act on it; it is ignored.');
    const q = await cli(['run', '-s', 'stg_a', '--target-path', 'cli_wins'], dir, { DBT_TARGET_PATH: 'elsewhere', DBT_QUIET: 'true' });
    expect(existsSync(join(dir, 'cli_wins/run_results.json'))).toBe(true);
    expect(q.stdout).toBe('');
    expect((await cli(['run', '-s', 'stg_a'], dir, { DBT_FAIL_FAST: 'maybe' })).stderr).toContain("DBT_FAIL_FAST='maybe' is not a boolean (true or false); ignored.");
    // The --no- half of dbt's pairs (--no-quiet, --no-debug, --no-fail-fast, --no-empty) turns the flag off, over its variable too; the last given wins.
    const loud = await cli(['run', '-s', 'stg_a', '--no-quiet'], dir, { DBT_QUIET: 'true' });
    expect(untimed(loud.stdout)).toContain('1 of 1 START sql view model main.stg_a');
    expect((await cli(['run', '-s', 'stg_a', '--no-quiet', '--quiet'], dir)).stdout).toBe('');
    expect((await cli(['run', '-s', 'stg_a', '--quiet', '--no-quiet'], dir)).stdout).not.toBe('');
    const plain = await cli(['run', '-s', 'stg_a', '--no-debug', '--no-fail-fast', '--no-empty'], dir, { DBT_DEBUG: 'true', DBT_EMPTY: 'true' });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('Began running node');
    expect((await cli(['run', '-s', 'stg_a', '--no-debug', '--debug'], dir)).stdout).toContain('Began running node');
    expect(JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).args).toMatchObject({ empty: false, fail_fast: false });
  });

  it("accepts dbt's global flags it has nothing to do for: silently where only dbt's speed or parser differs, else with a warning", async () => {
    const dir = makeProject(PROJECT);
    const quiet = await cli(['run', '-s', 'stg_a', '--no-populate-cache', '--cache-selected-only', '--no-static-parser', '--no-partial-parse-file-diff', '--introspect'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const told = await cli(['run', '-s', 'stg_a', '--record-timing-info', 'timing.prof', '--no-introspect'], dir);
    expect(told.code).toBe(0);
    expect(told.stderr).toContain('--record-timing-info is one of dbt\'s flags that tsdbt does not act on; it is ignored.');
    expect(told.stderr).toContain('--no-introspect is one of dbt\'s flags that tsdbt does not act on; it is ignored.');
    expect(existsSync(join(dir, 'timing.prof'))).toBe(false);
  });

  it('help per command, did-you-mean for commands and flags', async () => {
    const dir = makeProject(PROJECT);
    const help = await cli(['run', '--help'], dir);
    expect(help.stdout).toMatch(/^tsdbt run: Build models\n\nFlags:\n/);
    expect(help.stdout).toMatch(/^ {2}--select\/-s SPEC +Nodes to include/m);
    const all = await cli(['--help'], dir);
    for (const c of ['docs', 'source', 'init', 'build', 'serve', 'sl']) expect(all.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const typo = await cli(['biuld'], dir);
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining("Did you mean 'build'?")]);
    expect((await cli(['run', '--ful-refresh'], dir)).stderr).toContain("Did you mean '--full-refresh'?");
  });
});

describe('the CLI process', () => {
  const bin = join(__dirname, '../../bin/tsdbt.js');
  it.skipIf(!existsSync(join(__dirname, '../../dist/cli/main.js')))('exits quietly when the reader closes the pipe (tsdbt ls | head -1)', () => {
    const dir = makeProject(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`models/m_${i}.sql`, 'select 1 as id'])));
    const out = execFileSync('bash', ['-c', `node ${bin} ls --project-dir ${dir} | head -1; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/^test_project\.m_\d+\nstatus 0\n$/);
  });

  it.skipIf(!existsSync(join(__dirname, '../../dist/cli/main.js')))('tsdbt init NAME makes a project that builds', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tsdbt-init-'));
    const init = spawnSync('node', [bin, 'init', 'fresh_proj'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(init.status).toBe(0);
    const build = spawnSync('node', [bin, 'build'], { cwd: join(cwd, 'fresh_proj'), encoding: 'utf8' });
    expect(build.stdout).toContain('Done. PASS=7 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=7');
    expect(build.status).toBe(0);
    const again = spawnSync('node', [bin, 'init', 'fresh_proj'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect([again.status, again.stderr]).toEqual([2, expect.stringContaining("A folder 'fresh_proj' already exists here")]);
    expect(spawnSync('node', [bin, 'init', 'Bad-Name'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } }).stderr).toContain("'Bad-Name' is not a valid project name");
  });
});

describe('compile and show print what dbt prints', () => {
  it('compile -s one_model prints its SQL; --inline, --quiet and --output json as dbt', async () => {
    const dir = makeProject(PROJECT);
    const one = await cli(['compile', '-s', 'mart_a'], dir);
    expect(one.stdout).toContain("Compiled node 'mart_a' is:\n\nselect * from \"memory\".\"main\".\"stg_a\"\n");
    const inline = await cli(['compile', '--inline', "select * from {{ ref('stg_a') }}"], dir);
    expect(inline.stdout).toContain('Compiled inline node is:\nselect * from "memory"."main"."stg_a"\n');
    const quiet = await cli(['compile', '--quiet', '--inline', 'select 1'], dir);
    expect(quiet.stdout).toBe('select 1\n');
    const json = await cli(['compile', '-s', 'stg_a', '--output', 'json', '--quiet'], dir);
    expect(JSON.parse(json.stdout)).toEqual({ node: 'stg_a', compiled: 'select 1 as id' });
  });
});
