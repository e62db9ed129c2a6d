import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, run } from '../../src/api/run.js';
import type { NodeResult } from '../../src/execute/node-result.js';
import { makeProject } from './harness.js';

/**
 * Threads 1 with a cancellation signal (as the CLI runs) renders in one
 * worker, which is handed its next node while it runs one and leaves each
 * node's commit to the next node's first statement. None of that may show.
 */
const FILES = {
  'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
  'models/b.sql': "{{ config(materialized='table') }}select id + 1 as id from {{ ref('a') }}",
  'models/c.sql': "{{ config(materialized='table') }}select 3 as id",
  'models/d.sql': "select id from {{ ref('b') }} union all select id from {{ ref('c') }}",
  'models/e.sql': "{{ config(materialized='table') }}select 5 as id",
  'models/bad.sql': "{{ config(materialized='table') }}select * from no_such_table",
  'models/after_bad.sql': "select * from {{ ref('bad') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n  - name: e\n    columns:\n      - name: id\n        data_tests: [{accepted_values: {arguments: {values: [6]}}}]\n',
};

type Row = { unique_id: string; status: string; message: string | null; failures: number | null; thread_id: string };
const rows = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as { results: Row[] }).results.map((r) => ({
    id: r.unique_id,
    status: r.status,
    message: r.message,
    failures: r.failures,
    thread: r.thread_id,
  }));

describe('threads 1 on a lone render worker', () => {
  it('builds in the same order with the same results, relations and run_results as on the calling thread', async () => {
    const inline = makeProject(FILES);
    const worker = makeProject(FILES);
    const starts: string[] = [];
    const seen: string[] = [];
    const r1 = await build({ ...inline.opts, threads: 1 });
    const r2 = await build({ ...worker.opts, threads: 1, signal: new AbortController().signal, onStart: (n) => starts.push(n.unique_id), onResult: (r: NodeResult) => seen.push(r.unique_id) });
    expect(r2.results.map((r) => [r.unique_id, r.status])).toEqual(r1.results.map((r) => [r.unique_id, r.status]));
    expect(rows(worker.dir)).toEqual(rows(inline.dir));
    // Each node that ran starts after the one before it has reported (the console's START / OK lines stay in order).
    expect(starts).toEqual(r2.results.filter((r) => r.status !== 'skipped').map((r) => r.unique_id));
    expect(starts).toEqual(seen.filter((id) => starts.includes(id)));
    expect(r2.results.find((r) => r.unique_id === 'model.proj.after_bad')?.message).toBe('Skipping because model bad failed');
    for (const p of [inline, worker]) expect(await p.query('select id from d order by id')).toEqual([{ id: 2 }, { id: 3 }]);
    // The compiled SQL the worker carried to the connection worker with each node's statement, as the calling thread wrote it.
    const compiled = (dir: string) => {
      const root = join(dir, 'target/compiled/proj');
      return Object.fromEntries(
        readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => [join(e.parentPath, e.name).slice(root.length), readFileSync(join(e.parentPath, e.name), 'utf8')]),
      );
    };
    expect(Object.keys(compiled(worker.dir)).length).toBeGreaterThan(8);
    expect(compiled(worker.dir)).toEqual(compiled(inline.dir));
  }, 120_000);

  it('a node queued behind one that never reaches the worker (ephemeral, or a data test its batch already ran) starts on it as on an idle worker', async () => {
    // In the queue's order: a_eph (nothing to run) before b, and the second test of c (its result came with the
    // first's batch) before d: each time the next node is handed over early behind a node the worker never got.
    const files = {
      'models/a_eph.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
      'models/b.sql': "{{ config(materialized='table') }}select id from {{ ref('a_eph') }}",
      'models/c.sql': "{{ config(materialized='table') }}select 3 as id",
      'models/d.sql': "{{ config(materialized='table') }}select id from {{ ref('c') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
    };
    const inline = makeProject(files);
    const worker = makeProject(files);
    const events: string[] = [];
    const r1 = await build({ ...inline.opts, threads: 1 });
    const r2 = await build({ ...worker.opts, threads: 1, signal: new AbortController().signal, onStart: (n) => events.push(`START ${n.name}`), onResult: (r: NodeResult) => events.push(`${r.status} ${r.node.name}`) });
    expect(r2.results.map((r) => [r.unique_id, r.status, r.message])).toEqual(r1.results.map((r) => [r.unique_id, r.status, r.message]));
    expect(rows(worker.dir)).toEqual(rows(inline.dir));
    expect(events).toEqual(r1.results.flatMap((r) => [`START ${r.node.name}`, `${r.status} ${r.node.name}`]));
    expect(r2.results.map((r) => r.status)).toEqual(['success', 'success', 'pass', 'pass', 'success']);
    expect(await worker.query('select id from b union all select id from d order by id')).toEqual([{ id: 1 }, { id: 3 }]);
  }, 120_000);

  it('commits every node before the on-run-end hook reads them, and a rerun sees them', async () => {
    const p = makeProject({
      ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`models/t${i}.sql`, `{{ config(materialized='table') }}select ${i} as id`])),
      'dbt_project.yml': "name: proj\nprofile: proj\nconfig-version: 2\non-run-end:\n  - \"create or replace table seen as select count(*) as n from information_schema.tables where table_name like 't%'\"\n",
    });
    const r = await run({ ...p.opts, threads: 1, signal: new AbortController().signal });
    expect(r.success).toBe(true);
    expect(await p.query('select n from seen')).toEqual([{ n: 6 }]);
    const again = await run({ ...p.opts, threads: 1, signal: new AbortController().signal });
    expect(again.results.filter((x) => x.status === 'success')).toHaveLength(7);
  }, 120_000);

  it('Ctrl-C: the node queued behind the running one is skipped, never started', async () => {
    const p = makeProject({
      'models/a_long.sql': "{{ config(materialized='table') }}select count(*) as v from range(100000000) a, range(1000000) b",
      'models/b_next.sql': "{{ config(materialized='table') }}select 2 as v",
    });
    const abort = new AbortController();
    const starts: string[] = [];
    const pending = run({ ...p.opts, threads: 1, signal: abort.signal, onStart: (n) => starts.push(n.name) });
    while (!starts.includes('a_long')) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    abort.abort();
    const r = await pending;
    const byName = Object.fromEntries(r.results.map((x) => [x.node.name, x]));
    expect(byName.a_long!.status).toBe('error');
    expect(byName.a_long!.message).toMatch(/Interrupted/);
    expect(byName.b_next).toMatchObject({ status: 'skipped', message: 'Skipping due to keyboard interrupt' });
    expect(starts).toEqual(['a_long']);
    const names = (await p.query("select table_name from information_schema.tables where table_schema = 'main'")).map((x) => x.table_name);
    expect(names).toEqual([]);
  }, 120_000);
});
