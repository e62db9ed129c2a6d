import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerConnectionOpener } from '../../src/api/connection-openers.js';
import { run } from '../../src/api/run.js';
import { runOperation } from '../../src/api/run-operation.js';
import { docsGenerate } from '../../src/api/docs-generate.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';
import { DBT_VERSION } from '../../src/manifest/dbt-version.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
// @ts-expect-error: a plain ES module of the benches, without types.
import { tracedDuckDB } from '../../bench/traced-duckdb-open.mjs';
import { makeProject } from './harness.js';

/**
 * dbt's query comment (`query-comment:` in dbt_project.yml) on every
 * statement sent to DuckDB, as the database received them (the traced
 * opener of the run benches records each request of every connection).
 */
type Request = { c: number; op: string; sql?: string };

function traced(dir: string): () => string[] {
  const file = join(dir, 'trace.json');
  const source = new URL('../../src/adapters/duckdb/duckdb-open.ts', import.meta.url).href;
  registerConnectionOpener('duckdb', (tracedDuckDB as (f: string, m: string) => Parameters<typeof registerConnectionOpener>[1])(file, source));
  return () => (JSON.parse(readFileSync(file, 'utf8')) as Request[]).filter((q) => q.op === 'execute').map((q) => q.sql!);
}

afterEach(() => registerConnectionOpener('duckdb', (loaded) => duckdbOpener({ credentials: loaded.profile.credentials, projectDir: loaded.projectDir })));

const project = (extra: string, files: Record<string, string> = {}) =>
  makeProject({
    'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\non-run-start:\n  - "create table if not exists hook_t as select 1 as x"\n${extra}`,
    'models/m.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    ...files,
  });

/** The statement that built `m`, and the on-run-start hook's, as DuckDB received them. */
async function sentFor(p: ReturnType<typeof project>): Promise<{ model: string; hook: string; all: string[] }> {
  const requests = traced(p.dir);
  const r = await run(p.opts);
  expect(r.success).toBe(true);
  const all = requests();
  const model = all.find((s) => s.includes('create  table') || s.includes('"m__dbt_tmp"') || s.includes('as (\n'))!;
  const hook = all.find((s) => s.includes('hook_t'))!;
  expect(model).toBeDefined();
  expect(hook).toBeDefined();
  return { model, hook, all };
}

const defaultFor = (rest: string) => `{"app": "dbt", "dbt_version": "${DBT_VERSION}", "profile_name": "proj", "target_name": "dev", ${rest}}`;

describe('query-comment', () => {
  it('by default every statement starts with dbt\'s JSON comment: node_id in a node, connection_name master outside one', async () => {
    const { model, hook, all } = await sentFor(project(''));
    expect(model).toMatch(new RegExp(`^(commit;\\n)?(begin transaction;\\n)?${escape(`/* ${defaultFor('"node_id": "model.proj.m"')} */\n`)}`));
    expect(hook).toBe(`/* ${defaultFor('"connection_name": "master"')} */\ncreate table if not exists hook_t as select 1 as x`);
    // Introspection (relation listing, schema checks) carries it too; begin/commit alone never do.
    for (const s of all) if (!/^(begin|commit|rollback)/i.test(s.trim()) && !/^(LOAD|ATTACH|SET|select current_)/i.test(s)) expect(s, s).toContain('/* {"app": "dbt"');
  }, 60_000);

  it('the default comment computed directly is the one its template renders (TSDBT_FAST_PATHS=0)', async () => {
    const fast = await sentFor(project(''));
    const was = setFastPaths(false);
    try {
      const plain = await sentFor(project(''));
      expect(plain.all).toEqual(fast.all);
    } finally {
      setFastPaths(was);
    }
  }, 60_000);

  it('a string is the comment, rendered per node with `node` and `connection_name`', async () => {
    const { model, hook } = await sentFor(project(`query-comment: "run {{ node.unique_id if node is not none else connection_name }} on {{ target.name }}"\n`));
    expect(model).toContain('/* run model.proj.m on dev */\n');
    expect(hook).toBe('/* run master on dev */\ncreate table if not exists hook_t as select 1 as x');
  }, 60_000);

  it('a package\'s macro renders it (with var and the node), appended after the statement with append: true', async () => {
    const { model, hook } = await sentFor(
      project(`vars:\n  team: data\nquery-comment:\n  comment: "{{ qtags.get_query_comment(node) }}"\n  append: true\n  job-label: true\n`, {
        'dbt_packages/qtags/dbt_project.yml': 'name: qtags\nconfig-version: 2\n',
        'dbt_packages/qtags/macros/comment.sql': [
          '{% macro get_query_comment(node) %}',
          "  {%- set d = {'team': var('team')} -%}",
          "  {%- if node is not none %}{% do d.update(name=node.name, materialized=node.config.materialized, refs=node.refs | length) %}{% endif -%}",
          '  {{ return(tojson(d)) }}',
          '{% endmacro %}',
        ].join('\n'),
      }),
    );
    expect(model).toMatch(/\n\/\* \{"team": "data", "name": "m", "materialized": "table", "refs": 0\} \*\/$/);
    expect(model.startsWith('/*')).toBe(false);
    expect(hook).toBe('create table if not exists hook_t as select 1 as x\n/* {"team": "data"} */');
  }, 60_000);

  it.each([['null', 'query-comment: null\n'], ['empty string', "query-comment: ''\n"], ['empty comment', 'query-comment:\n  comment: ""\n']])('%s sends no comment', async (_label, yml) => {
    const { all } = await sentFor(project(yml));
    expect(all.filter((s) => s.includes('/*'))).toEqual([]);
  }, 60_000);

  it('a Jinja error in the comment is a located error naming dbt_project.yml, before anything runs', async () => {
    const p = project('query-comment: "{{ no_such_macro() }}"\n');
    await expect(run(p.opts)).rejects.toMatchObject({ file: 'dbt_project.yml', line: 6, message: expect.stringContaining('query-comment in dbt_project.yml') });
    expect(await p.query("select count(*) as n from information_schema.tables where table_name = 'hook_t'")).toEqual([{ n: 0 }]);
  }, 60_000);

  it('a comment containing */ is refused, as dbt refuses it', async () => {
    const p = project('query-comment: "a */ b"\n');
    await expect(run(p.opts)).rejects.toMatchObject({ code: 'PROJECT_INVALID', file: 'dbt_project.yml', message: expect.stringContaining('query comment contains illegal value "*/": a */ b') });
  }, 60_000);

  it('a query-comment that is neither text nor a mapping is a located error', async () => {
    const p = project('query-comment: [1, 2]\n');
    await expect(run(p.opts)).rejects.toMatchObject({ code: 'PROJECT_INVALID', file: 'dbt_project.yml', line: 6 });
  }, 60_000);

  it("connection_name as dbt names its connections outside nodes: create_<db>_<schema>, macro_<name>, <db>.information_schema", async () => {
    const p = project('', {
      'models/m.sql': "{{ config(materialized='table', schema='extra') }}select 1 as id",
      'macros/op.sql': "{% macro op() %}{% do run_query('create table main.op_t as select 2 as y') %}{% endmacro %}",
    });
    // The trace holds the last command's requests.
    const requests = traced(p.dir);
    const name = (s: string) => /"connection_name": "([^"]*)"|"node_id": "([^"]*)"/.exec(s)?.slice(1).find(Boolean);
    const named = (sql: RegExp) => [...new Set(requests().filter((s) => sql.test(s)).map(name))];
    expect((await run(p.opts)).success).toBe(true);
    expect(named(/create schema/i)).toEqual(['create_dev_main_extra']);
    expect(named(/hook_t/)).toEqual(['master']);
    expect((await runOperation('op', p.opts)).success).toBe(true);
    expect(named(/create table main\.op_t/)).toEqual(['macro_op']);
    await docsGenerate(p.opts);
    expect(named(/information_schema\.columns/)).toEqual(['dev.information_schema']);
  }, 60_000);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
