/**
 * run_query's values as dbt's agate tables hold them on DuckDB (its Python client's values): timestamps keep their
 * microseconds (a JS Date holds milliseconds; the connection hands over the rest, QueryResult.micros), a TIME and an
 * INTERVAL are the text of Python's time and timedelta (agate's type tester has neither type), and `show` prints and
 * lists them the same way. Expected texts are Python 3's str() and isoformat() of the same values.
 */
import { describe, expect, it } from 'vitest';
import { makeProject } from '../support/project-fixture.js';
import { cliIn, loggedLines } from '../support/cli-in-project.js';

const PROFILE = 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n';

const QUERY = [
  "timestamp '2024-01-02 10:11:12.123456' as ts",
  "timestamptz '2024-01-02 10:11:12.654321+00' as tz",
  "timestamp_ns '2024-01-02 10:11:12.987654321' as ns",
  "timestamp '1969-12-31 23:59:59.9995' as before_epoch",
  "timestamp '2024-01-02 10:11:12.5' as whole_ms",
  "time '10:11:12.345678' as t",
  "interval '1 day 2 hours 3.000004 seconds' as i",
].join(', ');

const MACRO = `{% macro values_of() %}
{% set r = run_query("select ${QUERY.replace(/"/g, '\\"')}") %}
{% for c in r.columns %}{{ log('value ' ~ c.name ~ ' = ' ~ c.values()[0] ~ ' / ' ~ r.rows[0][c.name], info=true) }}{% endfor %}
{{ log('microsecond ' ~ r.columns['ts'].values()[0].microsecond ~ ' ' ~ r.rows[0]['tz'].isoformat(), info=true) }}
{% set renamed = r.rename(['a', 'b', 'c', 'd', 'e', 'f', 'g']) %}
{{ log('renamed ' ~ renamed.rows[0]['a'], info=true) }}
{% set pair = run_query("select * from (values (1, timestamp '2024-01-01 00:00:00.000001'), (2, timestamp '2024-01-01 00:00:00.000999'), (1, timestamp '2024-01-01 00:00:00.5')) v(k, ts)") %}
{% for key, group in pair.group_by('k').items() %}{{ log('group ' ~ key ~ ' ' ~ group.columns['ts'].values() | join(', '), info=true) }}{% endfor %}
{% endmacro %}`;

describe("run_query's timestamps, times and intervals on DuckDB", () => {
  it('keep their microseconds, through rename and group_by; times and intervals are Python text', async () => {
    const dir = makeProject({ 'profiles.yml': PROFILE, 'macros/values_of.sql': MACRO });
    const out = await cliIn(dir, ['run-operation', 'values_of']);
    expect(loggedLines(out, 'value ')).toEqual([
      'value ts = 2024-01-02 10:11:12.123456 / 2024-01-02 10:11:12.123456',
      'value tz = 2024-01-02 10:11:12.654321+00:00 / 2024-01-02 10:11:12.654321+00:00',
      'value ns = 2024-01-02 10:11:12.987654 / 2024-01-02 10:11:12.987654',
      'value before_epoch = 1969-12-31 23:59:59.999500 / 1969-12-31 23:59:59.999500',
      'value whole_ms = 2024-01-02 10:11:12.500000 / 2024-01-02 10:11:12.500000',
      'value t = 10:11:12.345678 / 10:11:12.345678',
      'value i = 1 day, 2:00:03.000004 / 1 day, 2:00:03.000004',
    ]);
    expect(loggedLines(out, 'microsecond ')).toEqual(['microsecond 123456 2024-01-02T10:11:12.654321+00:00']);
    expect(loggedLines(out, 'renamed ')).toEqual(['renamed 2024-01-02 10:11:12.123456']);
    expect(loggedLines(out, 'group ')).toEqual([
      'group 1 2024-01-01 00:00:00.000001, 2024-01-01 00:00:00.500000',
      'group 2 2024-01-01 00:00:00.000999',
    ]);
  });

  it('show prints and lists them with their microseconds', async () => {
    const dir = makeProject({ 'profiles.yml': PROFILE });
    const out = await cliIn(dir, ['show', '--inline', `select ${QUERY}`, '--output', 'json', '--log-format', 'text']);
    const json = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as { show: Record<string, unknown>[] };
    expect(json.show).toEqual([{
      ts: '2024-01-02T10:11:12.123456',
      tz: '2024-01-02T10:11:12.654321+00:00',
      ns: '2024-01-02T10:11:12.987654',
      before_epoch: '1969-12-31T23:59:59.999500',
      whole_ms: '2024-01-02T10:11:12.500000',
      t: '10:11:12.345678',
      i: '1 day, 2:00:03.000004',
    }]);
    const table = await cliIn(dir, ['show', '--inline', "select timestamp '2024-01-02 10:11:12.123456' as ts, time '01:02:03' as t"]);
    expect(table).toContain('| 2024-01-02 10:11:... | 01:02:03 |');
  });
});
