import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { runOperation } from '../../src/api/run-operation.js';
import { build, run } from '../../src/api/run.js';
import { show } from '../../src/api/show.js';
import { makeProject } from './harness.js';
import { JinjaEnvironment } from '../../src/jinja/index.js';
import { blocksOnly } from '../../src/project/macro-files.js';

const base = {
  'models/nums.sql': "{{ config(materialized='table') }}select * from range(10) t(n)",
  'models/evens.sql': "select n from {{ ref('nums') }} where n % 2 = 0",
};

describe('show', () => {
  it('previews a model\'s SQL with a limit, and inline SQL with refs', async () => {
    const p = makeProject(base);
    await run({ ...p.opts, select: ['nums'] });
    const s = await show({ ...p.opts, select: ['evens'], limit: 3 });
    expect(s.source).toBe('model.proj.evens');
    expect(s.rows).toEqual([[0], [2], [4]]);
    expect(s.table).toBe('| n |\n| - |\n| 0 |\n| 2 |\n| 4 |');
    const inline = await show({ ...p.opts, inline: "select count(*) as c from {{ ref('nums') }}" });
    expect(inline.compiledSql).toBe('select count(*) as c from "dev"."main"."nums"');
    expect(inline.rows).toEqual([[10]]);
    // agate's print_table, as dbt prints a show: dates and date-times (not text) right-justified.
    const dates = await show({ ...p.opts, inline: "select date '2024-03-01' as d, timestamp '2024-03-01 10:30:00' as ts, 'x' as s" });
    expect(dates.table).toBe('|          d |                  ts | s |\n| ---------- | ------------------- | - |\n| 2024-03-01 | 2024-03-01 10:30:00 | x |');
    // As dbt: every node selected runs; those whose name is within the first --select value are the previews printed.
    const both = await show({ ...p.opts, select: ['nums', 'evens'], limit: 2 });
    expect(both.previews.map((x) => [x.name, x.rows])).toEqual([['nums', [[0], [1]]]]);
    const results = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')).results;
    expect(results.map((x: { unique_id: string }) => x.unique_id)).toEqual(['model.proj.nums', 'model.proj.evens']);
    await expect(show({ ...p.opts })).rejects.toThrowError('Either --select or --inline must be passed to show');
  });
});

describe('run-operation', () => {
  it('calls a macro with --args; run_query results behave like agate tables', async () => {
    const p = makeProject({
      ...base,
      'macros/ops.sql': `{% macro summarize(table_name, threshold=0) %}
  {% set t = run_query('select n, n * 2 as twice from ' ~ table_name ~ ' where n > ' ~ threshold ~ ' order by n') %}
  {% set out = namespace(parts=[]) %}
  {% do out.parts.append(t.column_names | join('/')) %}
  {% do out.parts.append(t | length) %}
  {% do out.parts.append(t.rows[0]['twice']) %}
  {% do out.parts.append(t.rows[1][0]) %}
  {% do out.parts.append(t.columns[0].values() | join(',')) %}
  {% do out.parts.append(t.columns['twice'].values() | last) %}
  {% for row in t %}{% do out.parts.append(row.n) %}{% endfor %}
  {% do t.print_table() %}
  {% set by_dict = t.rename({'twice': 'TWICE'}) %}
  {% set by_list = t.rename(['a', 'b']) %}
  {% do out.parts.append(by_dict.column_names | join('/') ~ ':' ~ by_dict.rows[0]['TWICE'] ~ ':' ~ by_list.column_names | join('/') ~ ':' ~ by_list.columns['b'].values() | join(',') ~ ':' ~ t.column_names | join('/')) %}
  {% do run_query('create table main.op_made as select ' ~ (t.rows | length) ~ ' as k') %}
  {{ return(out.parts) }}
{% endmacro %}`,
    });
    await run({ ...p.opts, select: ['nums'] });
    const printed: string[] = [];
    const logger = { info: (m: string) => printed.push(m), debug: () => {}, warn: () => {} };
    const r = await runOperation('summarize', { ...p.opts, logger, args: "{table_name: main.nums, threshold: 6}" });
    expect(r.success).toBe(true);
    expect(printed).toContain('| n | twice |\n| - | ----- |\n| 7 |    14 |\n| 8 |    16 |\n| 9 |    18 |');
    // agate's rename: by a dict of old to new names, or by a list of every name; the table renamed is unchanged.
    expect(r.returned).toEqual(['n/twice', 3, 14, 8, '7,8,9', 18, 7, 8, 9, 'n/TWICE:14:a/b:14,16,18:n/twice']);
    expect(await p.query('select k from main.op_made')).toEqual([{ k: 3 }]);
    const missing = await runOperation('summarize', { ...p.opts, args: '{table_name: main.nope}' });
    expect(missing.success).toBe(false);
    expect(missing.error!.message).toContain('nope');
    await expect(runOperation('no_such_macro', p.opts)).rejects.toThrowError("No macro named 'no_such_macro' was found in the project or its packages");
  });
});

describe('compile', () => {
  it("renders each macro block on its own, as dbt: tags between a macro file's blocks are passed over (dbt_servicenow's stray end tag)", async () => {
    const text = "{% set x = 1 %}\n{% macro m() %}42{% endmacro %}\n{% endmacro %}\n{% unverified %}{{ undefined_call() }}\n{% macro n() %}{{ m() }}+1, {{ x is defined }}{% endmacro %}\n";
    const p = makeProject({ 'macros/m.sql': text, 'models/a.sql': 'select {{ n() }}' });
    expect((await compile(p.opts)).success).toBe(true);
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/a.sql'), 'utf8')).toBe('select 42+1, False');
    // What is compiled: the blocks where they were, spaces and line breaks between them (errors keep their lines and columns).
    const env = new JinjaEnvironment();
    expect(blocksOnly(text, env.blocks(text, 'macros/m.sql'))).toBe(
      `${' '.repeat(15)}\n{% macro m() %}42{% endmacro %}\n${' '.repeat(14)}\n${' '.repeat(38)}\n{% macro n() %}{{ m() }}+1, {{ x is defined }}{% endmacro %}\n`,
    );
    // A file with only comments and text between its blocks is compiled as it is.
    const plain = '{# a licence #}\n-- text\n{% macro m() %}1{% endmacro %}\n';
    expect(blocksOnly(plain, env.blocks(plain, 'macros/p.sql'))).toBe(plain);
  });

  it('writes target/compiled and fills compiled_code in the manifest; --inline returns the SQL', async () => {
    const p = makeProject(base);
    const r = await compile(p.opts);
    expect(r.success).toBe(true);
    expect(r.results.map((x) => [x.node.name, x.compiled_path])).toEqual([
      ['nums', 'target/compiled/proj/models/nums.sql'],
      ['evens', 'target/compiled/proj/models/evens.sql'],
    ]);
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/evens.sql'), 'utf8')).toBe('select n from "dev"."main"."nums" where n % 2 = 0');
    const manifest = JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.proj.evens'].compiled_code).toBe('select n from "dev"."main"."nums" where n % 2 = 0');
    const inline = await compile({ ...p.opts, inline: "select * from {{ ref('evens') }} -- {{ this }}" });
    expect(inline.inlineSql).toBe('select * from "dev"."main"."evens" -- "dev"."main"."inline_query"');
    // As dbt: run_results.json records the inline query, its one node; manifest.json leaves it out.
    const results = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8'));
    expect(results.results.map((r: { unique_id: string; status: string; compiled_code: string }) => [r.unique_id, r.status, r.compiled_code])).toEqual([['sql_operation.proj.inline_query', 'success', inline.inlineSql]]);
    expect(results.args).toMatchObject({ which: 'compile', inline: "select * from {{ ref('evens') }} -- {{ this }}" });
    expect(Object.keys(JSON.parse(readFileSync(join(p.dir, 'target/manifest.json'), 'utf8')).nodes).sort()).toEqual(['model.proj.evens', 'model.proj.nums']);
  });
});

describe('--empty', () => {
  it('wraps refs and sources in an empty subquery so models build with their columns and no rows', async () => {
    const p = makeProject({
      ...base,
      'models/src.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: nums\n',
      'models/from_source.sql': "{{ config(materialized='table') }}select n from {{ source('raw', 'nums') }}",
    });
    await run({ ...p.opts, select: ['nums'] });
    const r = await run({ ...p.opts, empty: true, exclude: ['nums'] });
    const evens = r.results.find((x) => x.node.name === 'evens')!;
    expect(evens.compiled_code).toBe('select n from (select * from "dev"."main"."nums" where false limit 0) where n % 2 = 0');
    expect(await p.query('select count(*)::int as c from main.from_source')).toEqual([{ c: 0 }]);
    expect(await p.query("select column_name from information_schema.columns where table_name = 'from_source'")).toEqual([{ column_name: 'n' }]);
  });

  it('a ref with its own alias builds under build --empty (the limited subquery takes the model\'s alias, as dbt-duckdb renders it)', async () => {
    const p = makeProject({
      ...base,
      'models/links.sql': "{{ config(materialized='table') }}select links.n, other.n as m from {{ ref('nums') }} as links join {{ ref('nums') }} other on other.n = links.n",
    });
    await run({ ...p.opts, select: ['nums'] });
    const r = await build({ ...p.opts, empty: true, exclude: ['nums'] });
    const links = r.results.find((x) => x.node.name === 'links')!;
    expect([links.status, links.message]).toEqual(['success', 'OK 0']);
    expect(links.compiled_code).toBe('select links.n, other.n as m from (select * from "dev"."main"."nums" where false limit 0) as links join (select * from "dev"."main"."nums" where false limit 0) other on other.n = links.n');
    expect(await p.query("select column_name from information_schema.columns where table_name = 'links' order by ordinal_position")).toEqual([{ column_name: 'n' }, { column_name: 'm' }]);
  });
});
