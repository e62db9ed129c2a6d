import { describe, expect, it } from 'vitest';
import { build, seed } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

describe('seed', () => {
  it('loads a CSV with types inferred as dbt-duckdb does, and column_types pins columns', async () => {
    const p = makeProject({
      'seeds/people.csv': 'id,name,born,seen_at,score,active,code\n1,ann,2020-01-01,2024-05-01 10:00:00,1.5,true,007\n2,bob,2021-02-03,2024-05-02 11:30:00,2,false,010\n',
      'seeds/props.yml': 'version: 2\nseeds:\n  - name: people\n    config:\n      column_types:\n        code: varchar\n',
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ people: 'success' });
    expect(r.results[0]!.adapter_response).toEqual({ _message: 'OK 2', code: 'OK', rows_affected: 2 });
    expect(await p.query("select column_name, data_type from information_schema.columns where table_name = 'people' order by ordinal_position")).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'name', data_type: 'VARCHAR' },
      { column_name: 'born', data_type: 'DATE' },
      { column_name: 'seen_at', data_type: 'TIMESTAMP' },
      { column_name: 'score', data_type: 'DOUBLE' },
      { column_name: 'active', data_type: 'BOOLEAN' },
      { column_name: 'code', data_type: 'VARCHAR' },
    ]);
    expect(await p.query('select id, name, code, active from main.people order by id')).toEqual([
      { id: 1, name: 'ann', code: '007', active: true },
      { id: 2, name: 'bob', code: '010', active: false },
    ]);
  });

  it('honours delimiter, reloads rows on a re-run and rebuilds on --full-refresh', async () => {
    const p = makeProject({
      'seeds/s.csv': 'a;b\n1;x\n',
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nseeds:\n  proj:\n    +delimiter: ";"\n',
    });
    await seed(p.opts);
    expect(await p.query('select * from main.s')).toEqual([{ a: 1, b: 'x' }]);
    p.write({ 'seeds/s.csv': 'a;b\n2;y\n3;z\n' });
    const again = await seed(p.opts);
    expect(again.results[0]!.statements.some((s) => s.startsWith('delete from "dev"."main"."s"'))).toBe(true);
    expect(await p.query('select * from main.s order by a')).toEqual([{ a: 2, b: 'y' }, { a: 3, b: 'z' }]);
    p.write({ 'seeds/s.csv': 'a;b;c\n4;w;true\n' });
    const failed = await seed(p.opts);
    expect(failed.results[0]!.status).toBe('error');
    expect(await p.query('select * from main.s order by a')).toEqual([{ a: 2, b: 'y' }, { a: 3, b: 'z' }]);
    await seed({ ...p.opts, fullRefresh: true });
    expect(await p.query('select * from main.s')).toEqual([{ a: 4, b: 'w', c: true }]);
  });

  it('loads 100k rows (time printed, not asserted)', async () => {
    const lines = ['id,name,amount,day'];
    for (let i = 0; i < 100_000; i++) lines.push(`${i},name_${i % 997},${(i * 1.25).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const p = makeProject({ 'seeds/big.csv': lines.join('\n') + '\n' });
    const r = await seed(p.opts);
    expect(r.results[0]!.status).toBe('success');
    console.log(`seed of 100k rows: ${(r.results[0]!.execution_time * 1000).toFixed(0)} ms`);
    expect(await p.query('select count(*)::int as n, sum(id)::bigint as s from main.big')).toEqual([{ n: 100_000, s: 4_999_950_000 }]);
  });

  it('a model can ref a seed in build', async () => {
    const p = makeProject({ 'seeds/s.csv': 'a\n1\n2\n', 'models/m.sql': "select sum(a) as total from {{ ref('s') }}" });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ s: 'success', m: 'success' });
    expect(await p.query('select total::int as total from main.m')).toEqual([{ total: 3 }]);
  });
});

describe('seed: the default materialization (adapters without a CSV reader)', () => {
  it('parses the CSV, infers agate types, honours column_types and inserts the rows', async () => {
    const p = makeProject({
      'seeds/people.csv': 'id,name,score,active,born,note\n1,"ann, a",1.5,true,2020-01-01,\n2,"bo ""b""",2,false,2021-02-03,x\n',
      'seeds/props.yml': 'version: 2\nseeds:\n  - name: people\n    config:\n      column_types:\n        id: bigint\n',
      // Route DuckDB to the default seed to exercise it here.
      'macros/seed.sql': "{% materialization seed, adapter='duckdb' %}{{ return(dbt.materialization_seed_default()) }}{% endmaterialization %}",
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ people: 'success' });
    expect(r.results[0]!.adapter_response).toEqual({ _message: 'INSERT 2', code: 'INSERT', rows_affected: 2 });
    expect(await p.query("select column_name, data_type from information_schema.columns where table_name = 'people' order by ordinal_position")).toEqual([
      { column_name: 'id', data_type: 'BIGINT' },
      { column_name: 'name', data_type: 'VARCHAR' },
      { column_name: 'score', data_type: 'DOUBLE' },
      { column_name: 'active', data_type: 'BOOLEAN' },
      { column_name: 'born', data_type: 'DATE' },
      { column_name: 'note', data_type: 'VARCHAR' },
    ]);
    expect(await p.query('select id, name, score, active, note from main.people order by id')).toEqual([
      { id: 1, name: 'ann, a', score: 1.5, active: true, note: null },
      { id: 2, name: 'bo "b"', score: 2, active: false, note: 'x' },
    ]);
  });
});
