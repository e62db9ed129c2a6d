import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { filesUnder } from '../support/files-under.js';
import { makeProject, type TestProject } from './harness.js';

// dbt keeps what each node's `main` statement ran in target/run/<package>/<file> (the statement
// macro's write()): people read it to see the DDL that built a relation, or the query that failed.

async function cli(p: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, env, p.dir);
  return { code, out: out.join('\n') };
}

/** Every file under target/run, relative to it, with its text. */
const runFiles = (p: TestProject): Record<string, string> => filesUnder(join(p.dir, 'target/run'));

const ORDERS = "{{ config(materialized='table') }}\nselect * from (values (1, 'open'), (2, 'done')) as t(id, status)\n";
const SCHEMA = `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests: [unique, not_null]
unit_tests:
  - name: v_keeps_ids
    model: v
    given:
      - input: ref('orders')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1}]
`;

function project(): TestProject {
  return makeProject({
    'models/orders.sql': ORDERS,
    'models/v.sql': "select id from {{ ref('orders') }}\n",
    'models/schema.yml': SCHEMA,
    'seeds/people.csv': 'id,name\n1,a\n',
  });
}

describe('target/run: what each node ran (dbt statement write())', { timeout: 120_000 }, () => {
  it('keeps the main statement of a table, a view, a seed, each data test and a unit test, at dbt paths', async () => {
    const p = project();
    expect((await cli(p, ['build'])).code).toBe(0);
    const files = runFiles(p);
    expect(Object.keys(files).sort()).toEqual([
      'proj/models/orders.sql',
      'proj/models/schema.yml/models/v_keeps_ids.sql',
      'proj/models/schema.yml/not_null_orders_id.sql',
      'proj/models/schema.yml/unique_orders_id.sql',
      'proj/models/v.sql',
      'proj/seeds/people.csv',
    ]);
    expect(files['proj/models/orders.sql']).toBe(`create or replace table "dev"."main"."orders" as (\n\nselect * from (values (1, 'open'), (2, 'done')) as t(id, status)\n    )`);
    expect(files['proj/models/v.sql']).toBe(`create or replace view "dev"."main"."v" as (\nselect id from "dev"."main"."orders"\n    )`);
    expect(files['proj/models/schema.yml/not_null_orders_id.sql']).toBe(
      'select\n      count(*) as failures,\n      count(*) != 0 as should_warn,\n      count(*) != 0 as should_error\n    from (\n      select id\nfrom "dev"."main"."orders"\nwhere id is null\n      \n    ) dbt_internal_test',
    );
    expect(files['proj/seeds/people.csv']).toMatch(/^create table "dev"\."main"\."people" as select "id" as "id", "name" as "name" from read_csv\(/);
    expect(files['proj/models/schema.yml/models/v_keeps_ids.sql']).toContain("select id, 'actual' as \"actual_or_expected\"");
    // `compile` runs no materialization: nothing more is written there.
    expect((await cli(p, ['compile'])).code).toBe(0);
    expect(runFiles(p)).toEqual(files);
  });

  it('a data test run in a batch with its siblings keeps the same file as when it runs alone', async () => {
    const p = project();
    expect((await cli(p, ['run', '-s', 'orders'])).code).toBe(0);
    // Both tests of orders: one batched query.
    expect((await cli(p, ['test', '-s', 'orders'])).code).toBe(0);
    const batched = runFiles(p);
    // One at a time: each through the test materialization's own statement.
    const alone: Record<string, string> = {};
    for (const t of ['unique_orders_id', 'not_null_orders_id']) {
      expect((await cli(p, ['test', '-s', t])).code).toBe(0);
      const f = `proj/models/schema.yml/${t}.sql`;
      alone[f] = runFiles(p)[f]!;
    }
    for (const [f, text] of Object.entries(alone)) expect(batched[f]).toBe(text);
  });

  it('a statement that fails still leaves what it tried to run (and the error points at the compiled file)', async () => {
    const p = project();
    expect((await cli(p, ['run', '-s', 'orders'])).code).toBe(0);
    p.write({ 'models/orders.sql': "{{ config(materialized='table') }}\nselect no_such_column from (values (1)) as t(id)\n" });
    const r = await cli(p, ['run', '-s', 'orders']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('target/compiled/proj/models/orders.sql');
    expect(runFiles(p)['proj/models/orders.sql']).toBe(`create or replace table "dev"."main"."orders" as (\n\nselect no_such_column from (values (1)) as t(id)\n    )`);
    // The table the earlier run built is still there.
    expect(await p.query('select count(*)::int as n from main.orders')).toEqual([{ n: 2 }]);
  });

  it('an incremental run keeps its merge; microbatch keeps one file per batch, named by its start as dbt does', async () => {
    const p = makeProject({
      'models/orders.sql': ORDERS,
      'models/recent.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect id, status from {{ ref('orders') }}\n",
      'models/daily.sql':
        "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day') }}\nselect 1 as id, timestamp '2024-01-01 03:00:00' as ts\n",
    });
    expect((await cli(p, ['run', '--event-time-end', '2024-01-03'])).code).toBe(0);
    expect((await cli(p, ['run', '-s', 'recent'])).code).toBe(0);
    const files = runFiles(p);
    expect(Object.keys(files).sort()).toEqual(['proj/models/daily/daily_2024-01-01.sql', 'proj/models/daily/daily_2024-01-02.sql', 'proj/models/orders.sql', 'proj/models/recent.sql']);
    expect(files['proj/models/recent.sql']).toMatch(/^\n {2}delete from "dev"\."main"\."recent" as DBT_INTERNAL_DEST\n {2}where \(id\) in \(select \(id\) from "recent__dbt_tmp\d+"\);\n {2}insert into "dev"\."main"\."recent" \("id", "status"\)/);
    expect(files['proj/models/daily/daily_2024-01-01.sql']).toBe(`\n  create table "dev"."main"."daily" as (\n    \nselect 1 as id, timestamp '2024-01-01 03:00:00' as ts\n  )`);
    expect(files['proj/models/daily/daily_2024-01-02.sql']).toMatch(/^delete from "dev"\."main"\."daily"\n {2}where ts >= '2024-01-02 00:00:00\+00:00' and ts < '2024-01-03 00:00:00\+00:00';/);
  });

  it('a seed loaded through agate (DuckDB `fast: false`) keeps its create or delete, then its first insert (dbt get_csv_sql)', async () => {
    const p = makeProject({
      'seeds/people.csv': 'id,name\n1,a\n2,b\n',
      'dbt_project.yml': 'name: proj\nprofile: proj\nseeds:\n  proj:\n    +fast: false\n',
    });
    const r = await cli(p, ['seed']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK loaded seed file main\.people .*\[INSERT 2 in/);
    const insert = `insert into "dev"."main"."people" ("id", "name") values\n      (1, 'a'),\n      (2, 'b')`;
    expect(runFiles(p)['proj/seeds/people.csv']).toBe(`create table "dev"."main"."people" (\n      "id" integer,\n      "name" varchar\n    );\n  -- dbt seed --\n  ${insert}`);
    expect((await cli(p, ['seed'])).code).toBe(0);
    expect(runFiles(p)['proj/seeds/people.csv']).toBe(`delete from "dev"."main"."people";\n  -- dbt seed --\n  ${insert}`);
    expect(await p.query('select count(*)::int as n from main.people')).toEqual([{ n: 2 }]);
  });

  it('the same files with the fast paths off and with several threads', async () => {
    const a = project();
    const b = project();
    const c = project();
    expect((await cli(a, ['build'])).code).toBe(0);
    expect((await cli(b, ['build'], { TSDBT_FAST_PATHS: '0' })).code).toBe(0);
    expect((await cli(c, ['build', '--threads', '4'])).code).toBe(0);
    const strip = (files: Record<string, string>, p: TestProject) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.split(p.dir).join('<dir>')]));
    expect(strip(runFiles(b), b)).toEqual(strip(runFiles(a), a));
    expect(strip(runFiles(c), c)).toEqual(strip(runFiles(a), a));
  });
});
