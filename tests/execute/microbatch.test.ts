import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retry } from '../../src/api/retry.js';
import { run } from '../../src/api/run.js';
import { runCli } from '../../src/cli/main.js';
import { planBatches, pythonTime } from '../../src/execute/microbatch-batches.js';
import { makeProject, statuses, type TestProject } from './harness.js';

async function cli(p: TestProject, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, {}, p.dir);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const EVENTS = `id,ts,amount
1,2024-01-01 03:00:00,10
2,2024-01-01 20:00:00,20
3,2024-01-02 05:00:00,30
4,2024-01-03 00:00:00,40
5,2023-12-31 23:00:00,99
`;

const MODEL = `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day') }}
select id, ts, amount from {{ ref('events') }}`;

function project(model = MODEL): TestProject {
  return makeProject({
    'seeds/events.csv': EVENTS,
    'seeds/schema.yml': 'version: 2\nseeds:\n  - name: events\n    config:\n      event_time: ts\n      column_types: {ts: timestamp}\n',
    'models/daily.sql': model,
  });
}

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe('microbatch batches (dbt 1.9 MicrobatchBuilder)', () => {
  it('first run: begin to the ceiling of now; incremental: lookback batches before the current one', () => {
    const now = Date.parse('2024-01-03T10:30:00Z');
    const first = planBatches({ size: 'day', begin: day('2024-01-01'), lookback: 1, incremental: false, now });
    expect(first.map((b) => [pythonTime(b.start), pythonTime(b.end)])).toEqual([
      ['2024-01-01 00:00:00+00:00', '2024-01-02 00:00:00+00:00'],
      ['2024-01-02 00:00:00+00:00', '2024-01-03 00:00:00+00:00'],
      ['2024-01-03 00:00:00+00:00', '2024-01-04 00:00:00+00:00'],
    ]);
    const later = planBatches({ size: 'day', begin: day('2024-01-01'), lookback: 1, incremental: true, now });
    expect(later.map((b) => pythonTime(b.start))).toEqual(['2024-01-02 00:00:00+00:00', '2024-01-03 00:00:00+00:00']);
    const months = planBatches({ size: 'month', begin: day('2023-11-15'), lookback: 1, incremental: false, now });
    expect(months.map((b) => pythonTime(b.start))).toEqual(['2023-11-01 00:00:00+00:00', '2023-12-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00']);
    const hours = planBatches({ size: 'hour', begin: 0, lookback: 0, incremental: false, eventTimeStart: Date.parse('2024-01-01T22:10:00Z'), eventTimeEnd: Date.parse('2024-01-02T00:00:00Z'), now });
    expect(hours.map((b) => pythonTime(b.start))).toEqual(['2024-01-01 22:00:00+00:00', '2024-01-01 23:00:00+00:00']);
  });
});

describe('microbatch models on DuckDB', { timeout: 120_000 }, () => {
  it('builds one batch per day from begin, each reading only its window of the event_time upstream', async () => {
    const p = project();
    expect((await cli(p, ['seed'])).code).toBe(0);
    const r = await cli(p, ['run', '--event-time-end', '2024-01-03']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(await p.query('select id, amount from main.daily order by id')).toEqual([
      { id: 1, amount: 10 },
      { id: 2, amount: 20 },
      { id: 3, amount: 30 },
    ]);
    const results = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
    const entry = results.results.find((x: { unique_id: string }) => x.unique_id === 'model.proj.daily');
    expect(entry.status).toBe('success');
    expect(entry.message).toBe('SUCCESS');
    expect(entry.batch_results).toEqual({
      successful: [
        ['2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00'],
        ['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00'],
      ],
      failed: [],
    });
    // The last batch's compiled SQL reads the seed through the event_time filter.
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/daily.sql'), 'utf8')).toContain(
      `(select * from "dev"."main"."events" where ts >= '2024-01-02 00:00:00+00:00' and ts < '2024-01-03 00:00:00+00:00')`,
    );
  });

  it('a later run replaces only its window (delete+insert on event_time); --full-refresh rebuilds from begin', async () => {
    const p = project();
    await cli(p, ['seed']);
    await cli(p, ['run', '--event-time-end', '2024-01-03']);
    // Rows of the 2024-01-02 batch change upstream; a new row arrives on 2024-01-03.
    await p.query("update main.events set amount = 31 where id = 3");
    expect((await cli(p, ['run', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-04'])).code).toBe(0);
    expect(await p.query('select id, amount from main.daily order by id')).toEqual([
      { id: 1, amount: 10 },
      { id: 2, amount: 20 },
      { id: 3, amount: 31 },
      { id: 4, amount: 40 },
    ]);
    await p.query('update main.events set amount = 11 where id = 1');
    expect((await cli(p, ['run', '--full-refresh', '--event-time-end', '2024-01-02'])).code).toBe(0);
    expect(await p.query('select id, amount from main.daily order by id')).toEqual([{ id: 1, amount: 11 }, { id: 2, amount: 20 }]);
  });

  it('a failing batch is a partial success: the other batches stay, retry re-runs only the failed one', async () => {
    const p = project(`{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day') }}
select id, ts, {% if model.batch and model.batch.id == '20240102' and var('break', false) %}amount / 'x'{% else %}amount{% endif %} as amount from {{ ref('events') }}`);
    await cli(p, ['seed']);
    const r = await cli(p, ['run', '--event-time-end', '2024-01-04', '--vars', '{break: true}']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('PARTIALLY created sql microbatch model main.daily');
    expect(r.out).toContain('Completed with 1 partial success and 0 warnings');
    expect(await p.query('select id from main.daily order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 4 }]);
    const results = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
    const entry = results.results.find((x: { unique_id: string }) => x.unique_id === 'model.proj.daily');
    expect(entry.status).toBe('partial success');
    expect(entry.message).toBe('PARTIAL SUCCESS (2/3)');
    expect(entry.batch_results.failed).toEqual([['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00']]);
    const again = await retry({ ...p.opts, vars: '{break: false}' });
    expect(statuses(again.results)).toEqual({ daily: 'success' });
    // The retried batch, then those that succeeded the first time (as dbt lists them).
    expect(again.results[0]!.batch_results).toEqual({
      successful: [
        ['2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00'],
        ['2024-01-01T00:00:00+00:00', '2024-01-02T00:00:00+00:00'],
        ['2024-01-03T00:00:00+00:00', '2024-01-04T00:00:00+00:00'],
      ],
      failed: [],
    });
    expect(await p.query('select id from main.daily order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
  });

  it('a microbatch model without event_time, begin or batch_size is a located parse error with the fix', async () => {
    const p = project(`{{ config(materialized='incremental', incremental_strategy='microbatch', begin='2024-01-01', batch_size='day') }}\nselect 1 as x`);
    const r = await cli(p, ['run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('[MICROBATCH_CONFIG]');
    expect(r.err).toContain("models/daily.sql:1: Microbatch model 'daily' has no `event_time` config");
    expect(r.err).toContain("Add event_time='<timestamp column>'");
    p.write({ 'models/daily.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day') }}\nselect 1 as x` });
    expect((await cli(p, ['run'])).err).toContain("Microbatch model 'daily' has no `begin` config");
    p.write({ 'models/daily.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='week') }}\nselect 1 as x` });
    expect((await cli(p, ['run'])).err).toContain(`Microbatch model 'daily' has batch_size="week": it must be one of hour, day, month, year`);
    const bad = await cli(p, ['run', '--event-time-start', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--event-time-start must be a date or UTC timestamp, got 'yesterday'");
  });
});
void run;
