import { describe, expect, it } from 'vitest';
import { run, seed } from '../../src/api/run.js';
import { makeProject, statuses, type TestProject } from './harness.js';

const tricky = `It's "quoted"; drop table x; -- and $dollar$ text`;

const props = (materialized: string, persist: string, columns = '') => `version: 2
models:
  - name: m
    description: '${tricky.replace(/'/g, "''")}'
    config: {materialized: ${materialized}${persist ? `, persist_docs: ${persist}` : ''}}
    columns:
      - name: id
        description: The key
      - name: Label
        description: "Label's text"
      - name: not_selected
        description: documented but not in the query
${columns}`;

const relationComment = async (p: TestProject) => {
  const rows = await p.query("select comment from duckdb_tables() where table_name = 'm' union all select comment from duckdb_views() where view_name = 'm'");
  return rows.map((r) => r.comment);
};
const columnComments = (p: TestProject) => p.query("select column_name, comment from duckdb_columns() where table_name = 'm' order by column_index");
const commentStatements = (r: Awaited<ReturnType<typeof run>>) =>
  r.results.find((x) => x.node.name === 'm')!.statements.filter((s) => s.trim().startsWith('comment on')).map((s) => s.trim());

describe('persist_docs on DuckDB', () => {
  it('a table gets its description and its columns\' descriptions as comments, quoted safely', async () => {
    const p = makeProject({ 'models/m.sql': 'select 1 as id, 2 as label', 'models/m.yml': props('table', '{relation: true, columns: true}') });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success' });
    expect(commentStatements(r)).toEqual([
      `comment on table "dev"."main"."m" is 'It''s "quoted"; drop table x; -- and $dollar$ text';`,
      `comment on column "dev"."main"."m"."id" is 'The key';\n  comment on column "dev"."main"."m"."label" is 'Label''s text';`,
    ]);
    expect(await relationComment(p)).toEqual([tricky]);
    expect(await columnComments(p)).toEqual([
      { column_name: 'id', comment: 'The key' },
      { column_name: 'label', comment: "Label's text" },
    ]);
  });

  it('a view is commented as a view', async () => {
    const p = makeProject({ 'models/m.sql': 'select 1 as id, 2 as label', 'models/m.yml': props('view', '{relation: true, columns: true}') });
    const r = await run(p.opts);
    expect(commentStatements(r)[0]).toBe(`comment on view "dev"."main"."m" is 'It''s "quoted"; drop table x; -- and $dollar$ text';`);
    expect(await relationComment(p)).toEqual([tricky]);
    expect(await columnComments(p)).toEqual([
      { column_name: 'id', comment: 'The key' },
      { column_name: 'label', comment: "Label's text" },
    ]);
  });

  it('an incremental model is commented on its first and later runs', async () => {
    const p = makeProject({
      'models/m.sql': "{{ config(materialized='incremental') }}select 1 as id, 2 as label",
      'models/m.yml': props('incremental', '{relation: true, columns: true}'),
    });
    await run(p.opts);
    const second = await run(p.opts);
    expect(commentStatements(second)).toHaveLength(2);
    expect(await relationComment(p)).toEqual([tricky]);
    expect(await p.query('select count(*)::int as n from main.m')).toEqual([{ n: 2 }]);
  });

  it('only what is asked for: relation only, columns only, or nothing', async () => {
    const p = makeProject({ 'models/m.sql': 'select 1 as id, 2 as label', 'models/m.yml': props('table', '{relation: true}') });
    const r1 = await run(p.opts);
    expect(commentStatements(r1)).toHaveLength(1);
    expect(await columnComments(p)).toEqual([
      { column_name: 'id', comment: null },
      { column_name: 'label', comment: null },
    ]);
    p.write({ 'models/m.yml': props('table', '{columns: true}') });
    const r2 = await run(p.opts);
    expect(commentStatements(r2)).toHaveLength(1);
    expect(await relationComment(p)).toEqual([null]);
    p.write({ 'models/m.yml': props('table', '') });
    const r3 = await run(p.opts);
    expect(commentStatements(r3)).toEqual([]);
    expect(await relationComment(p)).toEqual([null]);
  });
});

describe('grants on DuckDB', () => {
  it('DuckDB has no grants: a grants config is warned about once per invocation (as dbt-duckdb does), and the models build', async () => {
    const warnings: string[] = [];
    const logger = { info: () => {}, debug: () => {}, warn: (m: string) => void warnings.push(m) };
    const p = makeProject({
      'models/a.sql': "{{ config(materialized='table', grants={'select': ['reporter']}) }}select 1 as id",
      'models/b.sql': "{{ config(materialized='view', grants={'select': ['reporter']}) }}select 1 as id",
      'models/c.sql': "{{ config(materialized='incremental', grants={'select': ['reporter']}) }}select 1 as id",
      'models/d.sql': "{{ config(materialized='table') }}select 1 as id",
    });
    const r = await run({ ...p.opts, logger });
    expect(statuses(r.results)).toEqual({ a: 'success', b: 'success', c: 'success', d: 'success' });
    expect(warnings).toEqual(['Grants for relations are not supported by DuckDB']);
    expect(r.results.flatMap((x) => x.statements).some((s) => /\bgrant\b/i.test(s))).toBe(false);
  });

  it('no grants config, no warning', async () => {
    const warnings: string[] = [];
    const p = makeProject({ 'models/d.sql': "{{ config(materialized='table', grants={}) }}select 1 as id" });
    await run({ ...p.opts, logger: { info: () => {}, debug: () => {}, warn: (m: string) => void warnings.push(m) } });
    expect(warnings).toEqual([]);
  });
});

describe('persist_docs on a DuckDB seed', () => {
  it('the seed table and its columns get their descriptions', async () => {
    const p = makeProject({
      'seeds/s.csv': 'id,name\n1,a\n',
      'seeds/s.yml': "version: 2\nseeds:\n  - name: s\n    description: Seed rows\n    config: {persist_docs: {relation: true, columns: true}}\n    columns:\n      - name: name\n        description: The name\n",
    });
    const r = await seed(p.opts);
    expect(r.results.map((x) => x.status)).toEqual(['success']);
    expect(await p.query("select comment from duckdb_tables() where table_name = 's'")).toEqual([{ comment: 'Seed rows' }]);
    expect(await p.query("select column_name, comment from duckdb_columns() where table_name = 's' order by column_index")).toEqual([
      { column_name: 'id', comment: null },
      { column_name: 'name', comment: 'The name' },
    ]);
  });
});
