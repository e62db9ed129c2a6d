import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

const src = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}select * from (values ${rows}) as t(id, k, val)` });
const inc = (cfg: string, body = "select id, k, val from {{ ref('src') }}{% if is_incremental() %} where id >= (select max(id) from {{ this }}){% endif %}") => ({
  'models/inc.sql': `{{ config(materialized='incremental', ${cfg}) }}\n${body}`,
});

async function twoRuns(cfg: string, first: string, second: string) {
  const p = makeProject({ ...src(first), ...inc(cfg) });
  const r1 = await run(p.opts);
  expect(statuses(r1.results)).toEqual({ src: 'success', inc: 'success' });
  p.write(src(second));
  const r2 = await run(p.opts);
  expect(statuses(r2.results)).toEqual({ src: 'success', inc: 'success' });
  return { p, r2, rows: await p.query('select id, k, val from main.inc order by id, k, val') };
}

describe('incremental', () => {
  it('delete+insert is DuckDB\'s default: rows with the same unique_key are replaced', async () => {
    const { rows, r2 } = await twoRuns("unique_key='id'", "(1, 'a', 'x'), (2, 'a', 'y')", "(1, 'a', 'x'), (2, 'a', 'Y'), (3, 'a', 'z')");
    expect(rows).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'Y' },
      { id: 3, k: 'a', val: 'z' },
    ]);
    const main = r2.results.find((x) => x.node.name === 'inc')!.statements.find((s) => s.includes('delete from'))!;
    // The new rows sit in a temporary table named as dbt-duckdb names it: <model>__dbt_tmp<yyyymmddhhmmssffffff>.
    const tmp = /"inc__dbt_tmp\d{20}"/.exec(main)![0];
    // dbt-duckdb's delete+insert for one key column: membership in the new rows' keys.
    expect(main.trim()).toBe(
      `delete from "dev"."main"."inc" as DBT_INTERNAL_DEST\n  where (id) in (select (id) from ${tmp});\n  insert into "dev"."main"."inc" ("id", "k", "val")\n  (\n    select "id", "k", "val"\n    from ${tmp}\n  )`,
    );
  });

  it('append adds every new row, duplicates included', async () => {
    const { rows } = await twoRuns("incremental_strategy='append'", "(1, 'a', 'x'), (2, 'a', 'y')", "(2, 'a', 'Y'), (3, 'a', 'z')");
    expect(rows).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'Y' },
      { id: 2, k: 'a', val: 'y' },
      { id: 3, k: 'a', val: 'z' },
    ]);
  });

  it('merge updates matches and inserts the rest, with a list unique_key', async () => {
    const { rows, r2 } = await twoRuns("incremental_strategy='merge', unique_key=['id', 'k']", "(1, 'a', 'x'), (2, 'a', 'y')", "(2, 'a', 'Y'), (2, 'b', 'n'), (3, 'a', 'z')");
    expect(rows).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'Y' },
      { id: 2, k: 'b', val: 'n' },
      { id: 3, k: 'a', val: 'z' },
    ]);
    expect(r2.results.find((x) => x.node.name === 'inc')!.statements.some((s) => s.trim().startsWith('merge into "dev"."main"."inc" as DBT_INTERNAL_DEST'))).toBe(true);
  });

  it('delete+insert with a list unique_key', async () => {
    const { rows } = await twoRuns("unique_key=['id', 'k']", "(1, 'a', 'x'), (2, 'a', 'y'), (2, 'b', 'q')", "(2, 'a', 'Y'), (3, 'a', 'z')");
    expect(rows).toEqual([
      { id: 1, k: 'a', val: 'x' },
      { id: 2, k: 'a', val: 'Y' },
      { id: 2, k: 'b', val: 'q' },
      { id: 3, k: 'a', val: 'z' },
    ]);
  });

  it('--full-refresh and the full_refresh config rebuild from scratch', async () => {
    const p = makeProject({ ...src("(1, 'a', 'x')"), ...inc("incremental_strategy='append'", "select id, k, val from {{ ref('src') }}") });
    await run(p.opts);
    await run(p.opts);
    expect(await p.query('select count(*)::int as n from main.inc')).toEqual([{ n: 2 }]);
    await run({ ...p.opts, fullRefresh: true });
    expect(await p.query('select count(*)::int as n from main.inc')).toEqual([{ n: 1 }]);
    p.write(inc("incremental_strategy='append', full_refresh=true", "select id, k, val from {{ ref('src') }}"));
    await run(p.opts);
    await run(p.opts);
    expect(await p.query('select count(*)::int as n from main.inc')).toEqual([{ n: 1 }]);
    p.write(inc("incremental_strategy='append', full_refresh=false", "select id, k, val from {{ ref('src') }}"));
    await run({ ...p.opts, fullRefresh: true });
    expect(await p.query('select count(*)::int as n from main.inc')).toEqual([{ n: 2 }]);
  });

  describe('on_schema_change', () => {
    const setup = async (mode: string) => {
      const p = makeProject({ 'models/inc.sql': `{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='${mode}') }}select 1 as id, 'old' as gone` });
      await run(p.opts);
      p.write({ 'models/inc.sql': `{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='${mode}') }}select 2 as id, 'new' as added` });
      const r = await run(p.opts);
      return { p, r };
    };

    it('ignore keeps the target columns (a column the new rows lack is an error)', async () => {
      const { r, p } = await setup('ignore');
      expect(r.results[0]!.status).toBe('error');
      expect(r.results[0]!.message).toMatch(/gone/);
      expect(await p.query('select * from main.inc')).toEqual([{ id: 1, gone: 'old' }]);
    });

    it('append_new_columns adds the new column and keeps the old', async () => {
      const { p, r } = await setup('append_new_columns');
      expect(r.results[0]!.status).toBe('success');
      expect(await p.query('select id, gone, added from main.inc order by id')).toEqual([
        { id: 1, gone: 'old', added: null },
        { id: 2, gone: null, added: 'new' },
      ]);
    });

    it('sync_all_columns adds new and drops removed columns', async () => {
      const { p } = await setup('sync_all_columns');
      expect(await p.query('select * from main.inc order by id')).toEqual([
        { id: 1, added: null },
        { id: 2, added: 'new' },
      ]);
    });

    it('fail stops with dbt\'s message and leaves the table alone', async () => {
      const { p, r } = await setup('fail');
      expect(r.results[0]!.status).toBe('error');
      expect(r.results[0]!.message).toContain('The source and target schemas on this incremental model are out of sync!');
      expect(r.results[0]!.message).toContain("Source columns not in target: ['added']");
      expect(await p.query('select * from main.inc')).toEqual([{ id: 1, gone: 'old' }]);
    });
  });

  it('a failing incremental run leaves the table as it was', async () => {
    const p = makeProject({ 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id') }}select 1 as id" });
    await run(p.opts);
    p.write({ 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id') }}select 1 as id{% if is_incremental() %} from missing_source{% endif %}" });
    const r = await run(p.opts);
    expect(r.results[0]!.status).toBe('error');
    expect(await p.query('select * from main.inc')).toEqual([{ id: 1 }]);
  });

  describe('temporary relation (as dbt-duckdb)', () => {
    const tables = (p: ReturnType<typeof makeProject>) =>
      p.query("select database_name, schema_name, table_name, temporary from duckdb_tables() where table_name like 'inc%' order by all");

    it('the new rows go to a temporary table, created unqualified, used by the merge and dropped after the commit', async () => {
      const p = makeProject({ ...src("(1, 'a', 'x')"), ...inc("unique_key='id'") });
      await run(p.opts);
      p.write(src("(1, 'a', 'x'), (2, 'a', 'y')"));
      const r = await run(p.opts);
      const st = r.results.find((x) => x.node.name === 'inc')!.statements;
      const create = st.find((s) => s.includes('__dbt_tmp') && s.includes('create'))!;
      const tmp = /"inc__dbt_tmp\d{20}"/.exec(create)![0];
      expect(create.trim()).toBe(`create temporary table ${tmp} as (\n    \nselect id, k, val from "dev"."main"."src" where id >= (select max(id) from "dev"."main"."inc")\n  )`);
      // after the commit: the temporary table is dropped by its bare name (it lives in DuckDB's temp catalog)
      const commitAt = st.indexOf('commit');
      expect(st.slice(commitAt + 1).find((s) => s.startsWith('drop'))).toBe(`drop table if exists ${tmp} cascade`);
      expect(await tables(p)).toEqual([{ database_name: 'dev', schema_name: 'main', table_name: 'inc', temporary: false }]);
    });

    it('a run that dies after building the new rows leaves nothing in the target schema', async () => {
      const p = makeProject({ ...src("(1, 'a', 'x')"), ...inc("unique_key='id'") });
      await run(p.opts);
      // the delete+insert fails (no column `nope`) after the temporary table was built
      p.write(inc("unique_key='nope'"));
      const r = await run(p.opts);
      expect(r.results.find((x) => x.node.name === 'inc')!.status).toBe('error');
      expect(r.results.find((x) => x.node.name === 'inc')!.statements.some((s) => s.trim().startsWith('create temporary table "inc__dbt_tmp'))).toBe(true);
      expect(await tables(p)).toEqual([{ database_name: 'dev', schema_name: 'main', table_name: 'inc', temporary: false }]);
      expect(await p.query('select id, k, val from main.inc')).toEqual([{ id: 1, k: 'a', val: 'x' }]);
    });
  });
});
