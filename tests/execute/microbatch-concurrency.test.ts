import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retry } from '../../src/api/retry.js';
import { run, seed, type RunOptions } from '../../src/api/run.js';
import { runCli } from '../../src/cli/main.js';
import type { BatchInfo } from '../../src/execute/microbatch-orchestrator.js';
import type { NodeResult } from '../../src/execute/node-result.js';
import { makeProject, type TestProject } from './harness.js';

// Six days of events, one row a day (and one before `begin`).
const EVENTS = `id,ts,amount
1,2024-01-01 03:00:00,10
2,2024-01-02 20:00:00,20
3,2024-01-03 05:00:00,30
4,2024-01-04 00:00:00,40
5,2024-01-05 12:00:00,50
6,2024-01-06 23:59:59,60
7,2023-12-31 23:00:00,99
`;

const config = (extra = '') => `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day'${extra}) }}`;
const PLAIN = `${config()}\nselect id, ts, amount from {{ ref('events') }}`;

function project(model = PLAIN): TestProject {
  return makeProject({
    'seeds/events.csv': EVENTS,
    'seeds/schema.yml': 'version: 2\nseeds:\n  - name: events\n    config:\n      event_time: ts\n      column_types: {ts: timestamp}\n',
    'models/daily.sql': model,
  });
}

interface BatchEvent {
  kind: 'start' | 'result';
  index: number;
  concurrent: boolean;
  thread?: string;
  status?: string;
}

/** Run the model with `threads`, recording each batch's start and result (with the thread it ran on). */
async function runBatches(p: TestProject, threads: number, extra: Partial<RunOptions> = {}) {
  const events: BatchEvent[] = [];
  const r = await run({
    ...p.opts,
    threads,
    eventTimeEnd: '2024-01-07',
    onBatchStart: (_n, b: BatchInfo) => events.push({ kind: 'start', index: b.index, concurrent: b.concurrent }),
    onBatchResult: (res: NodeResult, b: BatchInfo) => events.push({ kind: 'result', index: b.index, concurrent: b.concurrent, thread: res.thread_id, status: res.status }),
    ...extra,
  });
  return { r, events, entry: r.results.find((x) => x.unique_id === 'model.proj.daily')! };
}

const ALL_DAYS = ['01', '02', '03', '04', '05', '06'].map((d) => [`2024-01-${d}T00:00:00+00:00`, `2024-01-${String(Number(d) + 1).padStart(2, '0')}T00:00:00+00:00`]);

describe('microbatch concurrent_batches (dbt 1.9 MicrobatchModelRunner)', { timeout: 180_000 }, () => {
  it('runs the middle batches on several threads, the first and the last alone; rows and batch_results equal a sequential run', async () => {
    const seq = project(`${config(', concurrent_batches=false')}\nselect id, ts, amount from {{ ref('events') }}`);
    await seed(seq.opts);
    const s = await runBatches(seq, 4);
    expect(s.entry.status).toBe('success');
    expect(s.events.filter((e) => e.kind === 'result').every((e) => e.thread === s.events.find((x) => x.kind === 'result')!.thread && !e.concurrent)).toBe(true);

    const par = project();
    await seed(par.opts);
    const c = await runBatches(par, 4);
    expect(c.entry.status).toBe('success');
    expect(c.entry.message).toBe('SUCCESS');
    expect(c.entry.batch_results).toEqual({ successful: ALL_DAYS, failed: [] });
    expect(c.entry.batch_results).toEqual(s.entry.batch_results);
    const rows = 'select id, ts, amount from main.daily order by id';
    expect(await par.query(rows)).toEqual(await seq.query(rows));
    expect((await par.query(rows)).map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);

    // Batches 2-5 ran concurrently on more than one thread; 1 and 6 sequentially.
    const results = c.events.filter((e) => e.kind === 'result');
    expect(results.map((e) => [e.index, e.concurrent])).toEqual(expect.arrayContaining([[1, false], [2, true], [3, true], [4, true], [5, true], [6, false]]));
    expect(new Set(results.filter((e) => e.concurrent).map((e) => e.thread)).size).toBeGreaterThan(1);
    // The first batch ends before any other starts; the last starts after every other ended.
    const at = (kind: string, index: number) => c.events.findIndex((e) => e.kind === kind && e.index === index);
    for (const i of [2, 3, 4, 5]) {
      expect(at('start', i)).toBeGreaterThan(at('result', 1));
      expect(at('result', i)).toBeLessThan(at('start', 6));
    }
    // A later run over the same window changes nothing (each batch replaced its own window only).
    const again = await runBatches(par, 4);
    expect(again.entry.status).toBe('success');
    expect(await par.query(rows)).toEqual(await seq.query(rows));
  });

  it('unset concurrent_batches: a model that reads `this` runs its batches one after another, one that does not runs them at once', async () => {
    const p = project(`${config()}
select id, ts, amount from {{ ref('events') }}
{% if is_incremental() %}where id not in (select id from {{ this }} where false){% endif %}`);
    await seed(p.opts);
    const first = await runBatches(p, 4);
    expect(first.entry.status).toBe('success');
    const results = first.events.filter((e) => e.kind === 'result');
    expect(results.some((e) => e.concurrent)).toBe(false);
    expect(new Set(results.map((e) => e.thread)).size).toBe(1);
    expect((await p.query('select id from main.daily order by id')).map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);
    // concurrent_batches=true wins over the `this` guess.
    p.write({ 'models/daily.sql': `${config(', concurrent_batches=true')}\nselect id, ts, amount from {{ ref('events') }}\n{% if is_incremental() %}where id not in (select id from {{ this }} where false){% endif %}` });
    const forced = await runBatches(p, 4, { fullRefresh: true });
    expect(forced.events.filter((e) => e.kind === 'result' && e.concurrent).map((e) => e.index).sort()).toEqual([2, 3, 4, 5]);
  });

  it('a first batch that fails skips the others (recorded failed), as dbt does', async () => {
    const p = project(`${config()}\nselect id, ts, {% if model.batch and model.batch.id == '20240101' %}amount / 'x'{% else %}amount{% endif %} as amount from {{ ref('events') }}`);
    await seed(p.opts);
    const { entry, events } = await runBatches(p, 4);
    expect(entry.status).toBe('error');
    expect(entry.message).toBe('ERROR');
    expect(entry.batch_results).toEqual({ successful: [], failed: ALL_DAYS });
    expect(events.filter((e) => e.kind === 'start').map((e) => e.index)).toEqual([1]);
    expect(events.filter((e) => e.kind === 'result').map((e) => `${e.index}:${e.status}`)).toEqual(['1:error', '2:skipped', '3:skipped', '4:skipped', '5:skipped', '6:skipped']);
  });

  it('retry after concurrent batches failed re-runs only the failed batches', async () => {
    const p = project(`${config()}\nselect id, ts, {% if model.batch and model.batch.id in ['20240103', '20240105'] and var('break', false) %}amount / 'x'{% else %}amount{% endif %} as amount from {{ ref('events') }}`);
    await seed(p.opts);
    const broken = await runBatches(p, 4, { vars: '{break: true}' });
    expect(broken.entry.status).toBe('partial success');
    expect(broken.entry.message).toBe('PARTIAL SUCCESS (4/6)');
    expect(broken.entry.batch_results!.failed).toEqual([ALL_DAYS[2], ALL_DAYS[4]]);
    expect((await p.query('select id from main.daily order by id')).map((x) => x.id)).toEqual([1, 2, 4, 6]);
    const started: number[] = [];
    const again = await retry({ ...p.opts, threads: 4, vars: '{break: false}', onBatchStart: (_n, b) => started.push(b.index) });
    const entry = again.results.find((x) => x.unique_id === 'model.proj.daily')!;
    expect(entry.status).toBe('success');
    expect(started).toEqual([1, 2]);
    expect(entry.batch_results).toEqual({ successful: [ALL_DAYS[2], ALL_DAYS[4], ALL_DAYS[0], ALL_DAYS[1], ALL_DAYS[3], ALL_DAYS[5]], failed: [] });
    expect((await p.query('select id from main.daily order by id')).map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('prints dbt 1.10 batch lines and their JSON events', async () => {
    const p = project();
    await seed(p.opts);
    const out: string[] = [];
    const code = await runCli(['run', '--threads', '2', '--event-time-end', '2024-01-04', '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, {}, p.dir);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('1 of 1 START sql microbatch model main.daily ');
    expect(text).toMatch(/Batch 1 of 3 START batch 2024-01-01 of main\.daily \.+ \[RUN\]/);
    expect(text).toMatch(/Batch 2 of 3 OK created batch 2024-01-02 of main\.daily \.+ \[OK[^\]]* in \d+\.\d\ds\]/);
    expect(text).toMatch(/Batch 3 of 3 OK created batch 2024-01-03 of main\.daily \.+ \[OK/);
    expect(text).toMatch(/1 of 1 OK created sql microbatch model main\.daily \.+ \[SUCCESS in \d+\.\d\ds\]/);

    const json: string[] = [];
    await runCli(['run', '--log-format', 'json', '--threads', '2', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-04', '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => json.push(t), stderr: (t) => json.push(t) }, {}, p.dir);
    const events = json.join('\n').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { info: { name: string; code: string; msg: string }; data: Record<string, unknown> });
    const start = events.find((e) => e.info.name === 'LogStartBatch')!;
    expect(start.info.code).toBe('Q045');
    expect(start.data).toMatchObject({ description: 'batch 2024-01-02 of main.daily', batch_index: 1, total_batches: 2 });
    const result = events.filter((e) => e.info.name === 'LogBatchResult');
    expect(result.map((e) => [e.info.code, e.data.batch_index, e.data.description])).toEqual([['Q046', 1, 'batch 2024-01-02 of main.daily'], ['Q046', 2, 'batch 2024-01-03 of main.daily']]);
    expect(result[0]!.data.total_batches).toBe(2);
    const runResults = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
    expect(runResults.results[0].batch_results.successful).toEqual([ALL_DAYS[1], ALL_DAYS[2]]);
  });

  it('a failed batch prints ERROR creating, skipped ones SKIP, and the model PARTIALLY created', async () => {
    const p = project(`${config()}\nselect id, ts, {% if model.batch and model.batch.id == '20240102' %}amount / 'x'{% else %}amount{% endif %} as amount from {{ ref('events') }}`);
    await seed(p.opts);
    const out: string[] = [];
    const code = await runCli(['run', '--event-time-end', '2024-01-04', '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, {}, p.dir);
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/Batch 2 of 3 ERROR creating batch 2024-01-02 of main\.daily \.+ \[ERROR in /);
    expect(text).toMatch(/1 of 1 PARTIALLY created sql microbatch model main\.daily \.+ \[PARTIAL SUCCESS \(2\/3\) in /);
    p.write({ 'models/daily.sql': `${config()}\nselect id, ts, {% if model.batch and model.batch.id == '20240101' %}amount / 'x'{% else %}amount{% endif %} as amount from {{ ref('events') }}` });
    const out2: string[] = [];
    await runCli(['run', '--full-refresh', '--event-time-end', '2024-01-04', '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out2.push(t), stderr: (t) => out2.push(t) }, {}, p.dir);
    expect(out2.join('\n')).toMatch(/Batch 2 of 3 SKIP batch 2024-01-02 of main\.daily \.+ \[SKIPPED in 0\.00s\]/);
  });
});
