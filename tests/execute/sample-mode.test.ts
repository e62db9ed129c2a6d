import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseSampleWindow } from '../../src/context/sample-window.js';
import { makeProject, type TestProject } from './harness.js';

/** dbt 1.10's sample mode: `--sample` on run and build, refs and sources with an event_time read only its window. */
async function cli(p: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, env, p.dir);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const EVENTS = `id,ts
1,2024-01-01 03:00:00
2,2024-01-02 20:00:00
3,2024-01-05 05:00:00
4,2023-12-31 23:00:00
`;

const FILES = {
  'seeds/events.csv': EVENTS,
  'seeds/schema.yml': 'seeds:\n  - name: events\n    config:\n      event_time: ts\n      column_types: {ts: timestamp}\n',
  'seeds/plain.csv': 'id\n1\n2\n',
  'models/sampled.sql': "{{ config(materialized='table', event_time='ts') }}\nselect e.id, e.ts from {{ ref('events') }} e join {{ ref('plain') }} p on p.id = p.id where p.id = 1",
  'models/counted.sql': "{{ config(materialized='table') }}\nselect count(*) as n from {{ ref('sampled') }}",
  'models/schema.yml': 'models:\n  - name: sampled\n    columns:\n      - name: id\n        tests:\n          - accepted_values: {values: [1, 2, 3, 4]}\n',
};

const compiled = (p: TestProject, path: string) => readFileSync(join(p.dir, 'target/compiled/proj', path), 'utf8');

describe('--sample windows, as dbt 1.10 reads them', () => {
  const now = new Date('2024-03-31T16:06:00.123Z');

  it("relative: N hours, days, months or years back from now (a month back from the 31st lands on the month's last day)", () => {
    expect(parseSampleWindow('3 days', now)).toEqual({ start: '2024-03-28 16:06:00.123000+00:00', end: '2024-03-31 16:06:00.123000+00:00' });
    expect(parseSampleWindow('2 HOURS', now).start).toBe('2024-03-31 14:06:00.123000+00:00');
    expect(parseSampleWindow('1 month', now).start).toBe('2024-02-29 16:06:00.123000+00:00');
    expect(parseSampleWindow('1 year', new Date('2024-02-29T00:00:00Z'))).toEqual({ start: '2023-02-28 00:00:00+00:00', end: '2024-02-29 00:00:00+00:00' });
  });

  it('absolute: {start, end} as YAML, dates or date-times, quoted or not, their wall time taken as UTC', () => {
    expect(parseSampleWindow('{start: 2024-01-01, end: "2024-01-02 06:30:00"}', now)).toEqual({ start: '2024-01-01 00:00:00+00:00', end: '2024-01-02 06:30:00+00:00' });
    expect(parseSampleWindow("{'start': '2024-01-01T00:00:00+05:00', 'end': '2024-01-03'}", now).start).toBe('2024-01-01 00:00:00+00:00');
  });

  it("a spec dbt refuses is a usage error with dbt's reason", () => {
    expect(() => parseSampleWindow('3', now)).toThrowError("Invalid value for '--sample': Cannot load SAMPLE_WINDOW from '3'. Must be of form 'DAYS_INT GRAIN_SIZE'.");
    expect(() => parseSampleWindow('x days', now)).toThrowError("Invalid value for '--sample': Unable to convert 'x' to an integer.");
    expect(() => parseSampleWindow('3 weeks', now)).toThrowError("Invalid value for '--sample': Invalid grain size 'weeks'. Must be one of ['hour', 'day', 'month', 'year', 'hours', 'days', 'months', 'years'].");
    expect(() => parseSampleWindow('{start: 2024-01-01}', now)).toThrowError("Invalid value for '--sample': '{start: 2024-01-01}' needs both a start and an end");
    expect(() => parseSampleWindow('{start: 2024-02-30, end: 2024-03-01}', now)).toThrowError("Invalid value for '--sample': the sample's start, '2024-02-30', is not a date or date-time");
  });
});

describe('sample mode on DuckDB', { timeout: 120_000 }, () => {
  it("filters a model's refs to nodes with an event_time (a seed, a model) to the window; refs without one, and tests, read everything", async () => {
    const p = makeProject(FILES);
    const r = await cli(p, ['build', '--sample', '{start: 2024-01-01, end: 2024-01-03}']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(compiled(p, 'models/sampled.sql')).toBe(
      `\nselect e.id, e.ts from (select * from "dev"."main"."events" where ts >= '2024-01-01 00:00:00+00:00' and ts < '2024-01-03 00:00:00+00:00') e join "dev"."main"."plain" p on p.id = p.id where p.id = 1`,
    );
    expect(compiled(p, 'models/counted.sql')).toContain(`from (select * from "dev"."main"."sampled" where ts >= '2024-01-01 00:00:00+00:00' and ts < '2024-01-03 00:00:00+00:00')`);
    expect(compiled(p, 'models/schema.yml/accepted_values_sampled_id__1__2__3__4.sql')).toContain('from "dev"."main"."sampled"\n');
    expect(compiled(p, 'models/schema.yml/accepted_values_sampled_id__1__2__3__4.sql')).not.toContain('where ts >=');
  });

  it('the rows built are the sample; without --sample everything; DBT_SAMPLE sets it too', async () => {
    const p = makeProject(FILES);
    expect((await cli(p, ['build', '--sample', '{start: 2024-01-01, end: 2024-01-03}'])).code).toBe(0);
    expect(await p.query('select id from main.sampled order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect((await cli(p, ['run'])).code).toBe(0);
    expect(await p.query('select id from main.sampled order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
    expect((await cli(p, ['run'], { DBT_SAMPLE: '{start: 2024-01-05, end: 2024-01-06}' })).code).toBe(0);
    expect(await p.query('select id from main.sampled order by id')).toEqual([{ id: 3 }]);
  });

  it("a microbatch batch reads where its window and the sample's overlap", async () => {
    const p = makeProject({
      ...FILES,
      'models/daily.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day') }}\nselect id, ts from {{ ref('events') }}",
    });
    expect((await cli(p, ['seed'])).code).toBe(0);
    const r = await cli(p, ['run', '-s', 'daily', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-03', '--sample', '{start: "2024-01-02 12:00:00", end: 2024-01-10}']);
    expect(r.code).toBe(0);
    expect(compiled(p, 'models/daily.sql')).toContain(`(select * from "dev"."main"."events" where ts >= '2024-01-02 12:00:00+00:00' and ts < '2024-01-03 00:00:00+00:00')`);
  });

  it('a bad --sample stops the command before anything runs, exit 2', async () => {
    const p = makeProject(FILES);
    const r = await cli(p, ['build', '--sample', '3 fortnights']);
    expect(r.code).toBe(2);
    expect(r.out + r.err).toContain("Invalid value for '--sample': Invalid grain size 'fortnights'.");
    expect(r.out + r.err).not.toContain('PASS=');
  });
});
