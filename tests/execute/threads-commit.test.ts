import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerConnectionOpener } from '../../src/api/connection-openers.js';
import { run } from '../../src/api/run.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';
import { unreadNodes } from '../../src/execute/execute-nodes.js';
import { DependencyGraph } from '../../src/graph/index.js';
import type { GraphMember } from '../../src/manifest/types.js';
// @ts-expect-error: a plain ES module of the benches, without types.
import { tracedDuckDB } from '../../bench/traced-duckdb-open.mjs';
import { makeProject } from './harness.js';

type Request = { c: number; op: string; sql?: string };

/** Every request the run's connections sent to DuckDB (see bench/traced-duckdb-open.mjs), in order. */
function traced(dir: string): () => Request[] {
  const file = join(dir, 'trace.json');
  const source = new URL('../../src/adapters/duckdb/duckdb-open.ts', import.meta.url).href;
  registerConnectionOpener('duckdb', (tracedDuckDB as (f: string, m: string) => Parameters<typeof registerConnectionOpener>[1])(file, source));
  return () => JSON.parse(readFileSync(file, 'utf8')) as Request[];
}

afterEach(() => registerConnectionOpener('duckdb', (loaded) => duckdbOpener({ credentials: loaded.profile.credentials, projectDir: loaded.projectDir })));

describe('several threads: the COMMIT of a node nothing downstream reads', () => {
  it('rides with its thread\'s next statement; a node that is read commits at once; on-run-end and a failure after it see every table', async () => {
    const p = makeProject({
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`models/t${i}.sql`, `{{ config(materialized='table') }}select ${i} as id`])),
      'models/parent.sql': "{{ config(materialized='table') }}select 41 as id",
      'models/child.sql': "{{ config(materialized='table') }}select id + 1 as id from {{ ref('parent') }}",
      'models/bad.sql': "{{ config(materialized='table') }}select * from no_such_table",
      'dbt_project.yml': "name: proj\nprofile: proj\nconfig-version: 2\non-run-end:\n  - \"create or replace table seen as select count(*) as n from information_schema.tables where table_name like 't%'\"\n",
    });
    const requests = traced(p.dir);
    const r = await run({ ...p.opts, threads: 3, signal: new AbortController().signal });
    expect(Object.fromEntries(r.results.map((x) => [x.node.name, x.status]))).toMatchObject({ t0: 'success', t7: 'success', parent: 'success', child: 'success', bad: 'error' });
    expect(await p.query('select n from seen')).toEqual([{ n: 8 }]);
    expect(await p.query('select id from child')).toEqual([{ id: 42 }]);
    const sent = requests();
    const onWorkers = sent.filter((q) => q.c !== 0);
    // Without the deferral every successful node (10) sends its own COMMIT; now only `parent` (read by `child`) does,
    // and each worker once at the end for its last node.
    const standalone = onWorkers.filter((q) => q.op === 'commit').length;
    expect(standalone).toBeLessThanOrEqual(1 + 3);
    expect(onWorkers.filter((q) => q.op === 'execute' && q.sql!.startsWith('commit;')).length).toBeGreaterThanOrEqual(10 - standalone);
    // parent's COMMIT is sent on its own, right after its statement on the same connection.
    const at = onWorkers.findIndex((q) => q.sql?.includes('"parent" as'));
    expect(onWorkers.slice(at + 1).find((q) => q.c === onWorkers[at]!.c)?.op).toBe('commit');
  }, 300_000);
});

describe('unreadNodes', () => {
  it('is the selected nodes with nothing selected downstream, looking through unselected ones', () => {
    const g = new DependencyGraph('proj');
    for (const id of ['a', 'view_b', 'c', 'd', 'e', 'test_e']) g.addMember({ unique_id: id } as GraphMember);
    g.addEdge('a', 'view_b');
    g.addEdge('view_b', 'c');
    g.addEdge('d', 'e');
    g.addEdge('e', 'test_e');
    // view_b is not selected, but c reads a through it.
    expect([...unreadNodes(g, new Set(['a', 'c', 'd', 'e']))].sort()).toEqual(['c', 'e']);
    expect([...unreadNodes(g, new Set(['d', 'e', 'test_e']))].sort()).toEqual(['test_e']);
  });
});
