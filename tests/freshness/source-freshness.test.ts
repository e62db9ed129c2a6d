import { readFileSync } from 'node:fs';
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

describe('tsdbt source freshness', () => {
  it('checks each source with a loaded_at_field, writes sources.json and exits 1 when one is past error_after', async () => {
    const dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: fresh.duckdb\n',
      'macros/setup.sql': `{% macro setup() %}
{% do run_query("create schema if not exists raw; create or replace table raw.fresh as select now() - interval 2 hour as loaded_at; create or replace table raw.stale as select now() - interval 3 day as loaded_at; create or replace table raw.untracked as select 1 as x") %}
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
    const setup = captureStreams();
    expect(await runCli(['run-operation', 'setup', '--project-dir', dir], setup.streams, {})).toBe(0);
    const io = captureStreams();
    const code = await runCli(['source', 'freshness', '--project-dir', dir], io.streams, {});
    expect(code).toBe(1);
    const out = io.stdout.join('');
    expect(out).toMatch(/\| raw\.fresh +\| WARN +\|/);
    expect(out).toMatch(/\| raw\.stale +\| ERROR +\|/);
    expect(out).not.toContain('untracked');
    const json = JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8'));
    expect(json.results.map((r: { unique_id: string; status: string }) => [r.unique_id, r.status])).toEqual([
      ['source.test_project.raw.fresh', 'warn'],
      ['source.test_project.raw.stale', 'error'],
    ]);
    expect(Math.round(json.results[0].max_loaded_at_time_ago_in_s / 3600)).toBe(2);
  });
});
