import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

describe('run: view and table', () => {
  it('builds a view and a table from refs, in DAG order', async () => {
    const p = makeProject({
      'models/base.sql': "select 1 as id, 'a' as name union all select 2, 'b'",
      'models/wide.sql': "{{ config(materialized='table') }}\nselect id, name, id * 10 as score from {{ ref('base') }}",
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ base: 'success', wide: 'success' });
    expect(r.success).toBe(true);
    expect(await p.query('select * from main.wide order by id')).toEqual([
      { id: 1, name: 'a', score: 10 },
      { id: 2, name: 'b', score: 20 },
    ]);
    expect(await p.query("select table_name, table_type from information_schema.tables where table_schema = 'main' order by 1")).toEqual([
      { table_name: 'base', table_type: 'VIEW' },
      { table_name: 'wide', table_type: 'BASE TABLE' },
    ]);
    const wide = r.results.find((x) => x.node.name === 'wide')!;
    expect(wide.statements.filter((s) => !s.startsWith('select table_catalog'))).toEqual([
      'begin',
      'create or replace table "dev"."main"."wide" as (\n\nselect id, name, id * 10 as score from "dev"."main"."base"\n    )',
      'commit',
    ]);
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/wide.sql'), 'utf8')).toBe('\nselect id, name, id * 10 as score from "dev"."main"."base"');
    const rr = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
    expect(rr.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(rr.results.map((x: { unique_id: string; status: string }) => [x.unique_id, x.status])).toEqual([
      ['model.proj.base', 'success'],
      ['model.proj.wide', 'success'],
    ]);
    expect(rr.results[1].relation_name).toBe('"dev"."main"."wide"');
    expect(rr.args.which).toBe('run');
  });

  it('replaces in one transactional statement on a rebuild, drops a relation of the other type in the same transaction, and creates custom schemas', async () => {
    const p = makeProject({ 'models/t.sql': "{{ config(materialized='table', schema='marts') }}select 1 as v" });
    await run(p.opts);
    p.write({ 'models/t.sql': "{{ config(materialized='table', schema='marts') }}select 2 as v" });
    const r = await run(p.opts);
    expect(r.results[0]!.statements.filter((s) => !s.startsWith('select table_catalog'))).toEqual([
      'begin',
      'create or replace table "dev"."main_marts"."t" as (\nselect 2 as v\n    )',
      'commit',
    ]);
    expect(await p.query('select v from main_marts.t')).toEqual([{ v: 2 }]);
    // table → view: the table is dropped inside the transaction that creates the view
    p.write({ 'models/t.sql': "{{ config(materialized='view', schema='marts') }}select 3 as v" });
    const asView = await run(p.opts);
    expect(asView.results[0]!.statements.filter((s) => !s.startsWith('select table_catalog'))).toEqual([
      'begin',
      'drop table if exists "dev"."main_marts"."t" cascade',
      'create or replace view "dev"."main_marts"."t" as (\nselect 3 as v\n    )',
      'commit',
    ]);
    // view → table whose SQL fails: the rollback keeps the view
    p.write({ 'models/t.sql': "{{ config(materialized='table', schema='marts') }}select no_such_column as v" });
    const failed = await run(p.opts);
    expect(failed.success).toBe(false);
    expect(await p.query('select v from main_marts.t')).toEqual([{ v: 3 }]);
    expect(await p.query("select table_name, table_type from information_schema.tables where table_schema = 'main_marts'")).toEqual([{ table_name: 't', table_type: 'VIEW' }]);
  });

  it('a failing model keeps its previous table and view, reports the database error with the compiled path, skips dependents and runs the rest', async () => {
    const p = makeProject({
      'models/t.sql': "{{ config(materialized='table') }}select 1 as v",
      'models/v.sql': 'select 10 as w',
      'models/child.sql': "select * from {{ ref('t') }}",
      'models/other.sql': 'select 3 as x',
    });
    expect((await run(p.opts)).success).toBe(true);
    p.write({
      'models/t.sql': "{{ config(materialized='table') }}select 1 as v from no_such_table",
      'models/v.sql': 'select nope from no_such_view_source',
      'models/other.sql': 'select 4 as x',
    });
    const r = await run(p.opts);
    expect(r.success).toBe(false);
    expect(statuses(r.results)).toEqual({ t: 'error', v: 'error', other: 'success', child: 'skipped' });
    const t = r.results.find((x) => x.node.name === 't')!;
    expect(t.message).toContain('Database Error in model t (models/t.sql)');
    expect(t.message).toContain('Table with name no_such_table does not exist');
    expect(t.message).toContain('compiled code at target/run/proj/models/t.sql');
    expect(r.results.find((x) => x.node.name === 'child')!.message).toBe('Skipping because model t failed');
    expect(await p.query('select v from main.t')).toEqual([{ v: 1 }]);
    expect(await p.query('select w from main.v')).toEqual([{ w: 10 }]);
    expect(await p.query('select x from main.other')).toEqual([{ x: 4 }]);
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name like '%dbt_tmp' or table_name like '%dbt_backup'")).toEqual([{ n: 0 }]);
  });

  it('an undeclared ref at run time gives dbt\'s depends_on hint', async () => {
    const p = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{% if execute %}select * from {{ ref('a') }}{% else %}select 1 as id{% endif %}",
    });
    const r = await run({ ...p.opts, select: ['b'] });
    const b = r.results.find((x) => x.node.name === 'b')!;
    expect(b.status).toBe('error');
    expect(b.error!.message).toBe('dbt was unable to infer all dependencies for the model "b". This typically happens when ref() is placed within a conditional block.');
    expect(b.error!.hint).toBe('To fix this, add the following hint to the top of the model "b":\n\n-- depends_on: {{ ref(\'a\') }}');
    expect(b.error!.file).toBe('models/b.sql');
  });
});

describe('run: render errors', () => {
  it('a Jinja error at run time names the file and line and the run goes on', async () => {
    const p = makeProject({
      'models/bad.sql': "select 1 as id\n{% if execute %}{{ no_such_macro() }}{% endif %}",
      'models/good.sql': 'select 2 as id',
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ bad: 'error', good: 'success' });
    const bad = r.results.find((x) => x.node.name === 'bad')!;
    expect(bad.error!.file).toBe('models/bad.sql');
    expect(bad.error!.line).toBe(2);
    expect(bad.message).toMatch(/^models\/bad\.sql:2: .*no_such_macro/);
  });
});
