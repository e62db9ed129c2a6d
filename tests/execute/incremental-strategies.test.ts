import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

// The incremental materialization renders its strategy through the macro
// named for it, get_incremental_<strategy>_sql, found as dbt finds it: a
// project's statement macros (get_delete_insert_merge_sql,
// duckdb__get_merge_sql...) and its own strategies change what runs.
const src = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}select * from (values ${rows}) as t(id, k, val)` });
const inc = (cfg: string) => ({
  'models/inc.sql': `{{ config(materialized='incremental', ${cfg}) }}\nselect id, k, val from {{ ref('src') }}{% if is_incremental() %} where id >= (select max(id) from {{ this }}){% endif %}`,
});
const FIRST = "(1, 'a', 'x'), (2, 'a', 'y')";
const SECOND = "(1, 'a', 'x'), (2, 'a', 'Y'), (3, 'a', 'z')";

async function twoRuns(cfg: string, files: Record<string, string> = {}) {
  const p = makeProject({ ...src(FIRST), ...inc(cfg), ...files });
  const r1 = await run(p.opts);
  expect(statuses(r1.results)).toEqual({ src: 'success', inc: 'success' });
  p.write(src(SECOND));
  const r2 = await run(p.opts);
  const res = r2.results.find((x) => x.node.name === 'inc')!;
  return { p, res, rows: () => p.query('select id, k, val from main.inc order by all') };
}

const tmpOf = (sql: string) => /"inc__dbt_tmp\d{20}"/.exec(sql)![0];

describe('incremental strategies through their macros', () => {
  it("a project's get_delete_insert_merge_sql is what delete+insert runs", async () => {
    const macro = `{% macro get_delete_insert_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
delete from {{ target }} where {{ unique_key }} in (select {{ unique_key }} from {{ source }} where val <> 'Y');
insert into {{ target }} select * from {{ source }} where val <> 'Y'
{%- endmacro %}`;
    const { res, rows } = await twoRuns("unique_key='id'", { 'macros/mine.sql': macro });
    expect(res.status).toBe('success');
    const main = res.statements.find((s) => s.includes('delete from'))!;
    const tmp = tmpOf(main);
    expect(main.trim()).toBe(`delete from "dev"."main"."inc" where id in (select id from ${tmp} where val <> 'Y');\ninsert into "dev"."main"."inc" select * from ${tmp} where val <> 'Y'`);
    // row 2 kept its old value: the override skipped it
    expect(await rows()).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'y' },
      { id: 3, k: 'a', val: 'z' },
    ]);
  });

  it("a project's duckdb__get_merge_sql is what merge runs", async () => {
    const macro = `{% macro duckdb__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
merge into {{ target }} as d using {{ source }} as s on s.{{ unique_key }} = d.{{ unique_key }}
when matched then update set val = s.val || '!'
when not matched then insert (id, k, val) values (s.id, s.k, s.val)
{%- endmacro %}`;
    const { res, rows } = await twoRuns("incremental_strategy='merge', unique_key='id'", { 'macros/mine.sql': macro });
    expect(res.status).toBe('success');
    const main = res.statements.find((s) => s.includes('merge into'))!;
    expect(main.trim()).toBe(
      `merge into "dev"."main"."inc" as d using ${tmpOf(main)} as s on s.id = d.id\nwhen matched then update set val = s.val || '!'\nwhen not matched then insert (id, k, val) values (s.id, s.k, s.val)`,
    );
    expect(await rows()).toEqual([
      { id: 2, k: 'a', val: 'Y!' },
      { id: 1, k: 'a', val: 'x' },
      { id: 3, k: 'a', val: 'z' },
    ].sort((a, b) => a.id - b.id));
  });

  it('merge without an override is dbt\'s: merge_exclude_columns and merge_update_columns keep columns of matched rows', async () => {
    const excl = await twoRuns("incremental_strategy='merge', unique_key='id', merge_exclude_columns=['val']");
    expect(excl.res.status).toBe('success');
    const main = excl.res.statements.find((s) => s.includes('merge into'))!;
    const tmp = tmpOf(main);
    expect(main.trim()).toBe(
      [
        `merge into "dev"."main"."inc" as DBT_INTERNAL_DEST`,
        `  using ${tmp} as DBT_INTERNAL_SOURCE`,
        `  on ((DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id))`,
        `  when matched then update set`,
        `    "id" = DBT_INTERNAL_SOURCE."id", "k" = DBT_INTERNAL_SOURCE."k"`,
        `  when not matched then insert ("id", "k", "val")`,
        `  values ("id", "k", "val")`,
      ].join('\n'),
    );
    expect(await excl.rows()).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'y' },
      { id: 3, k: 'a', val: 'z' },
    ]);
    const upd = await twoRuns("incremental_strategy='merge', unique_key='id', merge_update_columns=['val']");
    expect(await upd.rows()).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'Y' },
      { id: 3, k: 'a', val: 'z' },
    ]);
  });

  it('incremental_predicates (and their old name, predicates) narrow the delete', async () => {
    for (const key of ['incremental_predicates', 'predicates']) {
      const { res, rows } = await twoRuns(`unique_key='id', ${key}=['DBT_INTERNAL_DEST.id > 2']`);
      expect(res.status).toBe('success');
      const main = res.statements.find((s) => s.includes('delete from'))!;
      expect(main.trim().split('\n').slice(0, 3)).toEqual([
        'delete from "dev"."main"."inc" as DBT_INTERNAL_DEST',
        `  where (id) in (select (id) from ${tmpOf(main)})`,
        '    and DBT_INTERNAL_DEST.id > 2;',
      ]);
      // row 2 (id not > 2) was not deleted, so its old and new versions are both there
      expect(await rows()).toEqual([
        { id: 1, k: 'a', val: 'x' },
        { id: 2, k: 'a', val: 'Y' },
        { id: 2, k: 'a', val: 'y' },
        { id: 3, k: 'a', val: 'z' },
      ]);
    }
  });

  it('a custom strategy is a macro get_incremental_<name>_sql', async () => {
    const macro = `{% macro get_incremental_my_sql(arg_dict) -%}
insert into {{ arg_dict['target_relation'] }} ({{ get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) }})
select id, k, upper(val) from {{ arg_dict['temp_relation'] }} where id > 2
{%- endmacro %}`;
    const { res, rows } = await twoRuns("incremental_strategy='my', unique_key='id'", { 'macros/my_strategy.sql': macro });
    expect(res.status).toBe('success');
    const main = res.statements.find((s) => s.includes('upper(val)'))!;
    expect(main.trim()).toBe(`insert into "dev"."main"."inc" ("id", "k", "val")\nselect id, k, upper(val) from ${tmpOf(main)} where id > 2`);
    expect(await rows()).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'y' },
      { id: 3, k: 'a', val: 'Z' },
    ]);
  });

  it("a project's get_incremental_append_sql replaces the built-in strategy's", async () => {
    const macro = `{% macro get_incremental_append_sql(arg_dict) -%}
insert into {{ arg_dict['target_relation'] }} select * from {{ arg_dict['temp_relation'] }} where id = 3
{%- endmacro %}`;
    const { res, rows } = await twoRuns("incremental_strategy='append'", { 'macros/append.sql': macro });
    expect(res.status).toBe('success');
    expect(await rows()).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'y' },
      { id: 3, k: 'a', val: 'z' },
    ]);
  });

  it('an unknown strategy fails the incremental run, naming the model file, the strategy and the macro that would define it; the table is unchanged', async () => {
    const { res, rows } = await twoRuns("incremental_strategy='nope', unique_key='id'");
    expect(res.status).toBe('error');
    expect(res.message).toContain("Unknown incremental strategy 'nope': no macro named \"get_incremental_nope_sql\" was found");
    expect(res.message).toContain('models/inc.sql');
    expect(res.error!.hint).toContain('{% macro get_incremental_nope_sql(arg_dict) %}');
    // nothing was built before the error
    expect(res.statements.some((s) => s.includes('__dbt_tmp'))).toBe(false);
    expect(await rows()).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'y' },
    ]);
  });

  it("a built-in strategy DuckDB does not run (insert_overwrite) is refused, as dbt-duckdb refuses it", async () => {
    const { res } = await twoRuns("incremental_strategy='insert_overwrite'");
    expect(res.status).toBe('error');
    expect(res.message).toContain("The incremental strategy 'insert_overwrite' is not valid for this adapter (duckdb)");
    expect(res.message).toContain('models/inc.sql');
  });
});
