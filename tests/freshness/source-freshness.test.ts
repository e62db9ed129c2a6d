import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { freshnessStatus } from '../../src/execute/freshness.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('freshnessStatus', () => {
  it('compares the age with warn_after and error_after', () => {
    const c = { warn_after: { count: 12, period: 'hour' as const }, error_after: { count: 1, period: 'day' as const } };
    expect([freshnessStatus(3600, c), freshnessStatus(13 * 3600, c), freshnessStatus(25 * 3600, c), freshnessStatus(null, c)]).toEqual(['pass', 'warn', 'error', 'error']);
  });
});

/** Console lines without their timestamps, the dots and the times (which vary). */
const lines = (text: string) => text.split('\n').map((l) => l.replace(/^\d{2}:\d{2}:\d{2} {2}/, '').replace(/ \.+ \[/, ' ... [').replace(/ in \d+\.\d+s\]/, ' in Ns]').replace(/and \d+\.\d+ seconds \(\d+\.\d+s\)/, 'and N seconds (Ns)'));

describe('tsdbt source freshness', () => {
  const project = () => makeProject({
    'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: fresh.duckdb\n',
    'macros/setup.sql': `{% macro setup() %}
{% do run_query("create schema if not exists raw; create or replace table raw.fresh as select now() - interval 2 hour as loaded_at; create or replace table raw.stale as select now() - interval 3 day as loaded_at; create or replace table raw.untracked as select 1 as x; create or replace table raw.empty (loaded_at timestamp); create or replace table raw.no_field as select 1 as x") %}
{% endmacro %}`,
    'models/sources.yml': [
      'version: 2',
      'sources:',
      '  - name: raw',
      '    loaded_at_field: loaded_at',
      '    freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 1, period: day}}',
      '    tables:',
      '      - name: fresh',
      '      - name: stale',
      '      - name: untracked',
      '        freshness: null',
    ].join('\n'),
  });

  it("prints dbt's lines, writes sources.json as dbt's v3 and manifest.json, and exits 1 when one is past error_after", async () => {
    const dir = project();
    expect(await runCli(['run-operation', 'setup', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    rmSync(join(dir, 'target', 'manifest.json'), { force: true });
    const io = captureStreams();
    const code = await runCli(['source', 'freshness', '--project-dir', dir], io.streams, {});
    expect(code).toBe(1);
    const out = lines(io.stdout.join(''));
    expect(out.slice(out.indexOf("Concurrency: 1 threads (target='dev')"))).toEqual([
      "Concurrency: 1 threads (target='dev')",
      '',
      '1 of 2 START freshness of raw.fresh ... [RUN]',
      '1 of 2 WARN freshness of raw.fresh ... [WARN in Ns]',
      '2 of 2 START freshness of raw.stale ... [RUN]',
      '2 of 2 ERROR STALE freshness of raw.stale ... [ERROR STALE in Ns]',
      '',
      'Finished running 2 sources in 0 hours 0 minutes and N seconds (Ns).',
      '',
      'Done.',
      '',
    ]);
    expect(out.find((l) => l.startsWith('Found '))).toMatch(/^Found 3 sources, \d+ macros$/);
    expect(lines(io.stderr.join(''))).toEqual(['Failure in source stale (models/sources.yml)', '  Status: error', '']);
    const json = JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8'));
    expect(json.results.map((r: { unique_id: string; status: string }) => [r.unique_id, r.status])).toEqual([
      ['source.test_project.raw.fresh', 'warn'],
      ['source.test_project.raw.stale', 'error'],
    ]);
    const fresh = json.results[0];
    expect(Object.keys(fresh)).toEqual(['unique_id', 'max_loaded_at', 'snapshotted_at', 'max_loaded_at_time_ago_in_s', 'status', 'criteria', 'adapter_response', 'timing', 'thread_id', 'execution_time']);
    expect(Math.round(fresh.max_loaded_at_time_ago_in_s / 3600)).toBe(2);
    // Python's isoformat of an aware UTC time.
    expect(fresh.max_loaded_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    expect(fresh.timing.map((t: { name: string }) => t.name)).toEqual(['compile', 'execute']);
    expect(fresh.criteria).toEqual({ warn_after: { count: 1, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null });
    // As every command that parses.
    expect(existsSync(join(dir, 'target', 'manifest.json'))).toBe(true);
  });

  it('an empty table is stale (its newest row infinitely long ago, as dbt), a table with no loaded_at_field and a missing table are runtime errors', async () => {
    const dir = project();
    writeFileSync(join(dir, 'models', 'more.yml'), [
      'version: 2',
      'sources:',
      '  - name: more',
      '    schema: raw',
      '    freshness: {warn_after: {count: 1, period: hour}}',
      '    loaded_at_field: loaded_at',
      '    tables:',
      '      - name: empty',
      '      - name: no_field',
      '        loaded_at_field: null',
      '      - name: missing',
    ].join('\n'));
    writeFileSync(join(dir, 'models', 'sources.yml'), 'version: 2\n');
    expect(await runCli(['run-operation', 'setup', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['source', 'freshness', '--project-dir', dir], io.streams, {})).toBe(1);
    const out = lines(io.stdout.join(''));
    expect(out.filter((l) => / of 3 [A-Z]/.test(l) && !l.includes('START'))).toEqual([
      '1 of 3 WARN freshness of more.empty ... [WARN in Ns]',
      '2 of 3 ERROR freshness of more.missing ... [ERROR in Ns]',
      '3 of 3 ERROR freshness of more.no_field ... [ERROR in Ns]',
    ]);
    const err = lines(io.stderr.join('')).join('\n');
    expect(err).toMatch(/^ {2}Database Error in source missing \(models\/more\.yml\)\n {4}Catalog Error: Table with name missing does not exist!/m);
    expect(err).toContain("  Runtime Error in source no_field (models/more.yml)\n    Could not compute freshness for source no_field: no 'loaded_at_field' provided and duckdb adapter does not support metadata-based freshness checks.\n");
    const json = JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8'));
    expect(json.results[0]).toMatchObject({ unique_id: 'source.test_project.more.empty', status: 'warn', max_loaded_at: '0001-01-01T00:00:00+00:00' });
    // A runtime error is written as dbt's SourceFreshnessRuntimeError: its id, the error and the status only.
    expect(Object.keys(json.results[2])).toEqual(['unique_id', 'error', 'status']);
    expect(json.results[2].error).toBe("Runtime Error in source no_field (models/more.yml)\n  Could not compute freshness for source no_field: no 'loaded_at_field' provided and duckdb adapter does not support metadata-based freshness checks.");
  });

  it('with nothing selected: the warning, no checks, exit 0', async () => {
    const dir = project();
    const io = captureStreams();
    expect(await runCli(['source', 'freshness', '--project-dir', dir, '--select', 'source:raw.untracked'], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).not.toContain('Concurrency');
    expect(io.stderr.join('')).toContain('Nothing to do. Try checking your model configs and model specification args');
    expect(JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8')).results).toEqual([]);
  });

  it('--log-format json: dbt events LogStartLine, LogFreshnessResult (its level by status) and FreshnessCheckComplete', async () => {
    const dir = project();
    expect(await runCli(['run-operation', 'setup', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['source', 'freshness', '--project-dir', dir, '--log-format', 'json'], io.streams, {})).toBe(1);
    const events = [...io.stdout, ...io.stderr].join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { info: { name: string; level: string; msg: string }; data: Record<string, unknown> });
    const results = events.filter((e) => e.info.name === 'LogFreshnessResult');
    expect(results.map((e) => [e.info.level, e.data.status, e.data.source_name, e.data.table_name, e.data.index, e.data.total])).toEqual([
      ['warn', 'warn', 'raw', 'fresh', 1, 2],
      ['error', 'error', 'raw', 'stale', 2, 2],
    ]);
    expect(events.filter((e) => e.info.name === 'LogStartLine').map((e) => e.data.description)).toEqual(['freshness of raw.fresh', 'freshness of raw.stale']);
    expect(io.stdout.join('').trim().split('\n').map((l) => JSON.parse(l).info).at(-1)).toMatchObject({ name: 'FreshnessCheckComplete', msg: 'Done.' });
  });

  it("runs the project's on-run-start and on-run-end hooks around the checks, on-run-end with their results (dbt 1.10's default)", async () => {
    const dir = project();
    writeFileSync(join(dir, 'dbt_project.yml'), [
      'name: test_project',
      'version: "1.0.0"',
      'config-version: 2',
      'profile: test_profile',
      'on-run-start: "create table if not exists raw.hook_log (at_hook varchar, n int, statuses varchar)"',
      "on-run-end: \"insert into raw.hook_log values ('end', {{ results | length }}, '{{ results | map(attribute=\\\"status\\\") | join(\\\",\\\") }}')\"",
    ].join('\n'));
    expect(await runCli(['run-operation', 'setup', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['source', 'freshness', '--project-dir', dir], io.streams, {})).toBe(1);
    const out = lines(io.stdout.join(''));
    expect(out.filter((l) => l.includes(' hook: ') || l.includes('freshness of')).map((l) => l.replace(/ \.\.\. \[.*$/, ''))).toEqual([
      '1 of 1 START hook: test_project.on-run-start.0',
      '1 of 1 OK hook: test_project.on-run-start.0',
      '1 of 2 START freshness of raw.fresh',
      '1 of 2 WARN freshness of raw.fresh',
      '2 of 2 START freshness of raw.stale',
      '2 of 2 ERROR STALE freshness of raw.stale',
      '1 of 1 START hook: test_project.on-run-end.0',
      '1 of 1 OK hook: test_project.on-run-end.0',
    ]);
    expect(out).toContain('Finished running 2 project hooks, 2 sources in 0 hours 0 minutes and N seconds (Ns).');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(join(dir, 'fresh.duckdb'));
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll('select at_hook, n, statuses from raw.hook_log')).getRowObjectsJson();
    conn.closeSync();
    db.closeSync();
    expect(rows).toEqual([{ at_hook: 'end', n: 2, statuses: 'warn,error' }]);
  });
});

