/**
 * The functional tests every adapter must pass: the same dbt project, the
 * same commands, the same rows. Each adapter's test file supplies how to
 * make a project on it, how to read a table back, and the SQL it is
 * expected to emit for each case (asserted next to the rows).
 */
import { describe, expect, it } from 'vitest';
import { build, run, seed, snapshot, test } from '../../src/api/run.js';
import type { TestProject } from '../execute/harness.js';

export type SqlCase =
  | 'view'
  | 'table'
  | 'incremental_merge'
  | 'incremental_delete_insert'
  | 'incremental_append'
  | 'incremental_microbatch'
  | 'seed_create'
  | 'seed_reload'
  | 'snapshot_update';

export interface AdapterUnderTest {
  name: string;
  /** A project on this adapter; `schema` keeps tests apart where they share a database. */
  project(files: Record<string, string>, schema: string): TestProject;
  /** Rows of `select`, keys lower-cased; `{{t}}` in sql is replaced by `table(p, schema, name)`. */
  query(p: TestProject, sql: string): Promise<Record<string, unknown>[]>;
  /** How a table of the project is named in a query. */
  table(p: TestProject, schema: string, name: string): string;
  /** Patterns that statements the node ran must match, one statement per pattern, per case. */
  sql: Record<SqlCase, RegExp[]>;
}

type Result = { node: { name: string; resource_type: string }; status: string; statements: string[]; message: string | null; failures: number | null };

function resultOf(results: Result[], name: string): Result {
  const r = results.find((x) => x.node.name === name);
  if (!r) throw new Error(`no result for ${name}`);
  return r;
}

function expectSql(a: AdapterUnderTest, kind: SqlCase, statements: string[]): void {
  for (const pattern of a.sql[kind]) {
    expect(statements.some((s) => pattern.test(s.trim())), `${a.name} ${kind}: no statement matches ${pattern}\n${statements.join('\n---\n')}`).toBe(true);
  }
}

const ORDERS = (rows: string) => ({
  'models/orders_src.sql': `{{ config(materialized='table') }}\nselect * from (values ${rows}) as t(id, status, amount)`,
});

export function defineAdapterSuite(a: AdapterUnderTest): void {
  const q = (p: TestProject, schema: string, sql: string) => a.query(p, sql.replace(/\{\{(\w+)\}\}/g, (_m, n: string) => a.table(p, schema, n)));

  describe(`shared adapter suite: ${a.name}`, () => {
    it('view and table: rows, re-run replaces them, the SQL of each', async () => {
      const s = 'SUITE_VT';
      const p = a.project({ 'models/v.sql': "select 1 as id, 'a' as name", 'models/t.sql': "{{ config(materialized='table') }}\nselect id, name from {{ ref('v') }}" }, s);
      const r1 = await run(p.opts);
      expect(r1.results.map((r) => `${r.node.name}:${r.status}`).sort()).toEqual(['t:success', 'v:success']);
      expectSql(a, 'view', resultOf(r1.results as Result[], 'v').statements);
      expectSql(a, 'table', resultOf(r1.results as Result[], 't').statements);
      p.write({ 'models/v.sql': "select 2 as id, 'b' as name union all select 3, 'c'" });
      await run(p.opts);
      expect(await q(p, s, 'select id, name from {{t}} order by id')).toEqual([
        { id: 2, name: 'b' },
        { id: 3, name: 'c' },
      ]);
    });

    it('a failing model leaves the previous table untouched', async () => {
      const s = 'SUITE_FAIL';
      const p = a.project({ 'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id" }, s);
      await run(p.opts);
      p.write({ 'models/t.sql': "{{ config(materialized='table') }}\nselect 2 as id, no_such_column" });
      const r = await run(p.opts);
      expect(r.success).toBe(false);
      expect(resultOf(r.results as Result[], 't').status).toBe('error');
      expect(resultOf(r.results as Result[], 't').message).toMatch(/Database Error in model t \(models\/t\.sql\)/);
      expect(await q(p, s, 'select id from {{t}}')).toEqual([{ id: 1 }]);
    });

    it('incremental merge (unique_key): matched rows update, new rows insert', async () => {
      const s = 'SUITE_MERGE';
      const model = "{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}\nselect * from {{ ref('orders_src') }}{% if is_incremental() %} where amount >= 20{% endif %}";
      const p = a.project({ ...ORDERS("(1, 'open', 10), (2, 'open', 20)"), 'models/orders.sql': model }, s);
      await run(p.opts);
      p.write(ORDERS("(1, 'open', 10), (2, 'done', 25), (3, 'open', 30)"));
      const r = await run(p.opts);
      expectSql(a, 'incremental_merge', resultOf(r.results as Result[], 'orders').statements);
      expect(await q(p, s, 'select id, status, amount from {{orders}} order by id')).toEqual([
        { id: 1, status: 'open', amount: 10 },
        { id: 2, status: 'done', amount: 25 },
        { id: 3, status: 'open', amount: 30 },
      ]);
    });

    it('incremental delete+insert with a unique_key list', async () => {
      const s = 'SUITE_DI';
      const model = "{{ config(materialized='incremental', unique_key=['id', 'status'], incremental_strategy='delete+insert') }}\nselect * from {{ ref('orders_src') }}";
      const p = a.project({ ...ORDERS("(1, 'open', 10), (2, 'open', 20)"), 'models/orders.sql': model }, s);
      await run(p.opts);
      p.write(ORDERS("(2, 'open', 21), (2, 'done', 22)"));
      const r = await run(p.opts);
      expectSql(a, 'incremental_delete_insert', resultOf(r.results as Result[], 'orders').statements);
      expect(await q(p, s, 'select id, status, amount from {{orders}} order by id, status')).toEqual([
        { id: 1, status: 'open', amount: 10 },
        { id: 2, status: 'done', amount: 22 },
        { id: 2, status: 'open', amount: 21 },
      ]);
    });

    it('incremental microbatch: one batch per day from begin, a later run replaces only its window', async () => {
      const s = 'SUITE_MB';
      const src = (rows: string) => ({
        'models/events_src.sql': `{{ config(materialized='table', event_time='ts') }}\nselect id, cast(ts as timestamp) as ts, amount from (values ${rows}) as t(id, ts, amount)`,
      });
      const model = "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', begin='2024-01-01', batch_size='day') }}\nselect id, ts, amount from {{ ref('events_src') }}";
      const rows = "(1, '2024-01-01 03:00:00', 10), (2, '2024-01-02 05:00:00', 20), (3, '2023-12-31 23:00:00', 99)";
      const p = a.project({ ...src(rows), 'models/events.sql': model }, s);
      const r1 = await run({ ...p.opts, eventTimeEnd: '2024-01-03' });
      expect(r1.results.map((r) => `${r.node.name}:${r.status}`).sort()).toEqual(['events:success', 'events_src:success']);
      expect(await q(p, s, 'select id, amount from {{events}} order by id')).toEqual([{ id: 1, amount: 10 }, { id: 2, amount: 20 }]);
      p.write(src(`${rows}, (4, '2024-01-02 06:00:00', 40)`.replace("'2024-01-02 05:00:00', 20", "'2024-01-02 05:00:00', 21")));
      await run({ ...p.opts, select: ['events_src'] });
      const r2 = await run({ ...p.opts, select: ['events'], eventTimeStart: '2024-01-02', eventTimeEnd: '2024-01-03' });
      expectSql(a, 'incremental_microbatch', resultOf(r2.results as Result[], 'events').statements);
      expect(await q(p, s, 'select id, amount from {{events}} order by id')).toEqual([
        { id: 1, amount: 10 },
        { id: 2, amount: 21 },
        { id: 4, amount: 40 },
      ]);
    });

    it('incremental append, and on_schema_change append_new_columns', async () => {
      const s = 'SUITE_APPEND';
      const model = (extra: string) =>
        `{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns') }}\nselect id, status${extra} from {{ ref('orders_src') }}`;
      const p = a.project({ ...ORDERS("(1, 'open', 10)"), 'models/orders.sql': model('') }, s);
      await run(p.opts);
      p.write({ ...ORDERS("(2, 'done', 20)"), 'models/orders.sql': model(', amount') });
      const r = await run(p.opts);
      expectSql(a, 'incremental_append', resultOf(r.results as Result[], 'orders').statements);
      expect(await q(p, s, 'select id, status, amount from {{orders}} order by id')).toEqual([
        { id: 1, status: 'open', amount: null },
        { id: 2, status: 'done', amount: 20 },
      ]);
    });

    it('seeds: typed columns, a reload replaces the rows, a failing reload keeps them', async () => {
      const s = 'SUITE_SEED';
      const p = a.project(
        {
          'seeds/people.csv': 'id,name,score,active,born\n1,ann,1.5,true,2020-01-01\n2,"o\'brien, b",2,false,2021-02-03\n',
          'seeds/props.yml': 'version: 2\nseeds:\n  - name: people\n    config:\n      column_types:\n        born: date\n',
        },
        s,
      );
      const r1 = await seed(p.opts);
      expect(resultOf(r1.results as Result[], 'people').status).toBe('success');
      expectSql(a, 'seed_create', resultOf(r1.results as Result[], 'people').statements);
      expect(await q(p, s, 'select id, name, score, active, born from {{people}} order by id')).toEqual([
        { id: 1, name: 'ann', score: 1.5, active: true, born: new Date('2020-01-01T00:00:00Z') },
        { id: 2, name: "o'brien, b", score: 2, active: false, born: new Date('2021-02-03T00:00:00Z') },
      ]);
      p.write({ 'seeds/people.csv': 'id,name,score,active,born\n3,c\\d,0.25,true,2022-03-04\n' });
      const r2 = await seed(p.opts);
      expectSql(a, 'seed_reload', resultOf(r2.results as Result[], 'people').statements);
      expect(await q(p, s, 'select id, name from {{people}} order by id')).toEqual([{ id: 3, name: 'c\\d' }]);
      p.write({ 'seeds/people.csv': 'id,name,score,active,born,extra\n4,d,1,true,2022-03-04,x\n' });
      const r3 = await seed(p.opts);
      expect(resultOf(r3.results as Result[], 'people').status).toBe('error');
      expect(await q(p, s, 'select id, name from {{people}} order by id')).toEqual([{ id: 3, name: 'c\\d' }]);
    });

    it('snapshots: timestamp strategy closes the changed version and adds the new one', async () => {
      const s = 'SUITE_SNAP';
      const src = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}\nselect id, status, cast(updated_at as timestamp) as updated_at from (values ${rows}) as t(id, status, updated_at)` });
      const p = a.project(
        {
          ...src("(1, 'new', '2024-01-01'), (2, 'new', '2024-01-01')"),
          'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
        },
        s,
      );
      await run(p.opts);
      expect(resultOf((await snapshot(p.opts)).results as Result[], 'snap').status).toBe('success');
      p.write(src("(1, 'shipped', '2024-01-05'), (2, 'new', '2024-01-01')"));
      await run(p.opts);
      const r = await snapshot(p.opts);
      expect(resultOf(r.results as Result[], 'snap').status).toBe('success');
      expectSql(a, 'snapshot_update', resultOf(r.results as Result[], 'snap').statements);
      expect(await q(p, s, 'select id, status, dbt_valid_from, dbt_valid_to from {{snap}} order by id, dbt_valid_from')).toEqual([
        { id: 1, status: 'new', dbt_valid_from: new Date('2024-01-01T00:00:00Z'), dbt_valid_to: new Date('2024-01-05T00:00:00Z') },
        { id: 1, status: 'shipped', dbt_valid_from: new Date('2024-01-05T00:00:00Z'), dbt_valid_to: null },
        { id: 2, status: 'new', dbt_valid_from: new Date('2024-01-01T00:00:00Z'), dbt_valid_to: null },
      ]);
      // nothing changed: nothing added
      await snapshot(p.opts);
      expect(await q(p, s, 'select count(*) as n from {{snap}}')).toEqual([{ n: 3 }]);
    });

    it('generic tests pass and fail with the same counts; ephemeral models inline as CTEs', async () => {
      const s = 'SUITE_TESTS';
      const p = a.project(
        {
          ...ORDERS("(1, 'open', 10), (2, 'done', 20), (2, 'lost', 30), (4, null, 40)"),
          'models/recent.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('orders_src') }} where amount >= 20",
          'models/recent_total.sql': "{{ config(materialized='table') }}\nselect count(*) as n, sum(amount) as total from {{ ref('recent') }}",
          'models/schema.yml': `version: 2
models:
  - name: orders_src
    columns:
      - name: id
        data_tests:
          - unique:
              config: {severity: warn}
          - not_null
      - name: status
        data_tests:
          - not_null:
              config: {severity: warn}
          - accepted_values:
              values: [open, done, lost]
  - name: recent_total
    columns:
      - name: n
        data_tests: [not_null]
`,
        },
        s,
      );
      const r = await build(p.opts);
      const byName = Object.fromEntries((r.results as Result[]).map((x) => [x.node.name, [x.status, x.failures]]));
      expect(byName).toEqual({
        orders_src: ['success', null],
        recent_total: ['success', null],
        unique_orders_src_id: ['warn', 1],
        not_null_orders_src_id: ['pass', 0],
        not_null_orders_src_status: ['warn', 1],
        accepted_values_orders_src_status__open__done__lost: ['pass', 0],
        not_null_recent_total_n: ['pass', 0],
      });
      expect(resultOf(r.results as Result[], 'recent_total').statements.some((x) => x.includes('__dbt__cte__recent as ('))).toBe(true);
      expect(await q(p, s, 'select n, total from {{recent_total}}')).toEqual([{ n: 3, total: 90 }]);
    });
  });
}
