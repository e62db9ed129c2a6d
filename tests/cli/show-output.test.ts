import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * `show` as dbt 1.10's: the rows as agate's print_table writes them (six
 * columns, 20 characters a cell), `--output json` and `--quiet` as its
 * ShowNode event prints them, and run_results.json written with the query
 * it ran. print_table() in a macro prints the same way.
 */
const FILES = {
  'models/orders.sql': `select * from (values
  (1, 'Michael', date '2018-01-01', 1234.5::decimal(10,2), true, 'one', 'two'),
  (2, 'Shawn', date '2018-01-11', 23::decimal(10,2), false, 'three', 'four'),
  (3, 'Kathleen', date '2018-01-02', 0.125::decimal(10,3), null, 'five', 'six')
) t(order_id, first_name, order_date, amount, paid, extra_1, extra_2)`,
  // (amount is one DECIMAL(10,3) column: three places in every row, as the column's most precise value has.)
  'macros/peek.sql': `{% macro peek() %}
  {% set t = run_query("select 1 as n, 'a' as s, 2.50::double as f union all select 2, 'b', 3") %}
  {% do t.print_table(max_rows=1, max_columns=None) %}
  {% do t.print_table(1, 2) %}
{% endmacro %}`,
};

async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

/** The lines printed after the last log line (the show's own output). */
const tail = (out: string, from: string) => out.slice(out.indexOf(from));

describe('show, as dbt 1.10 prints and records it', () => {
  it("prints the rows as agate's print_table: six columns then ..., numbers and dates right-justified, decimals with their places", async () => {
    const dir = makeProject(FILES);
    const r = await cli(dir, ['show', '--select', 'orders']);
    expect(r.code).toBe(0);
    // The run's header first, as dbt's show (its compile task) prints it.
    expect(r.out.indexOf('Found 1 model,')).toBeGreaterThan(0);
    expect(r.out.indexOf("Concurrency: 1 threads (target='dev')")).toBeGreaterThan(r.out.indexOf('Found 1 model'));
    expect(r.out.indexOf("Previewing node 'orders':")).toBeGreaterThan(r.out.indexOf('Concurrency:'));
    expect(tail(r.out, "Previewing node 'orders':")).toBe(`Previewing node 'orders':
| order_id | first_name | order_date |    amount |  paid | extra_1 | ... |
| -------- | ---------- | ---------- | --------- | ----- | ------- | --- |
|        1 | Michael    | 2018-01-01 | 1,234.500 |  True | one     | ... |
|        2 | Shawn      | 2018-01-11 |    23.000 | False | three   | ... |
|        3 | Kathleen   | 2018-01-02 |     0.125 |       | five    | ... |

`);
  });

  it('--output json: the rows under "show" (with the node\'s name, not for --inline), decimals as floats; --quiet: the table alone', async () => {
    const dir = makeProject(FILES);
    const json = await cli(dir, ['show', '--select', 'orders', '--output', 'json', '--limit', '1']);
    expect(json.code).toBe(0);
    expect(tail(json.out, '{\n  "node"')).toBe(`{
  "node": "orders",
  "show": [
    {
      "order_id": 1,
      "first_name": "Michael",
      "order_date": "2018-01-01",
      "amount": 1234.5,
      "paid": true,
      "extra_1": "one",
      "extra_2": "two"
    }
  ]
}
`);
    const inline = await cli(dir, ['show', '--inline', "select 2::decimal(4,1) as x, 'Zoë' as y", '--output', 'json']);
    expect(tail(inline.out, '{\n  "show"')).toBe('{\n  "show": [\n    {\n      "x": 2.0,\n      "y": "Zo\\u00eb"\n    }\n  ]\n}\n');
    const quiet = await cli(dir, ['show', '--inline', 'select 1 as n', '--quiet']);
    expect(quiet.out).toBe('| n |\n| - |\n| 1 |\n\n');
  });

  it('writes run_results.json: the node, succeeded, its compiled code the query run with its limit; a failing query exits 2 and writes none', async () => {
    const dir = makeProject(FILES);
    expect((await cli(dir, ['show', '--select', 'orders', '--limit', '2'])).code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));
    expect(results.args).toEqual({ which: 'show', select: ['orders'], exclude: [], inline: null, limit: 2 });
    expect(results.results).toHaveLength(1);
    const [one] = results.results;
    expect([one.unique_id, one.status, one.compiled, one.failures, one.message, one.relation_name]).toEqual(['model.test_project.orders', 'success', true, null, null, '"memory"."main"."orders"']);
    expect(one.compiled_code).toMatch(/^select \* from \(\nselect \* from \(values[\s\S]*\) as dbt_show_subquery limit 2$/);
    expect(one.timing.map((t: { name: string }) => t.name)).toEqual(['compile', 'execute']);
    expect((await cli(dir, ['show', '--inline', 'select 1 as n'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results[0].unique_id).toBe('sql_operation.test_project.inline_query');
    rmSync(join(dir, 'target', 'run_results.json'));
    const failed = await cli(dir, ['show', '--inline', 'select * from no_such_table']);
    expect(failed.code).toBe(2);
    expect(failed.out + failed.err).toContain('Table with name no_such_table does not exist');
    expect(existsSync(join(dir, 'target', 'run_results.json'))).toBe(false);
  });

  it("runs every node selected, in DAG order, and prints those whose name is within the first --select value, as dbt does; a seed shows its table", async () => {
    const profile = 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      schema: main\n      threads: 1\n';
    const dir = makeProject({ ...FILES, 'profiles.yml': profile, 'seeds/codes.csv': 'code,label\n1,one\n2,two\n', 'models/order_ids.sql': "select order_id from {{ ref('orders') }}" });
    expect((await cli(dir, ['seed'])).code).toBe(0);
    expect((await cli(dir, ['run'])).code).toBe(0);
    const r = await cli(dir, ['show', '--select', 'orders+', '--limit', '1', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // orders and order_ids both run; only 'orders' is within 'orders+'.
    expect(r.out).toBe('| order_id | first_name | order_date |  amount | paid | extra_1 | ... |\n| -------- | ---------- | ---------- | ------- | ---- | ------- | --- |\n|        1 | Michael    | 2018-01-01 | 1,234.5 | True | one     | ... |\n\n');
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results;
    expect(results.map((x: { unique_id: string }) => x.unique_id)).toEqual(['model.test_project.orders', 'model.test_project.order_ids']);
    const seed = await cli(dir, ['show', '--select', 'codes', '--quiet']);
    expect(seed.out).toBe('| code | label |\n| ---- | ----- |\n|    1 | one   |\n|    2 | two   |\n\n');
    const none = await cli(dir, ['show']);
    expect(none.code).toBe(2);
    expect(none.out + none.err).toContain('Either --select or --inline must be passed to show');
  });

  it('--inline-direct runs the SQL as written, no Jinja and no parse, keeps the first --limit rows, and writes nothing to target/', async () => {
    const dir = makeProject({ ...FILES, 'models/broken.sql': '{{ this is not jinja' });
    const r = await cli(dir, ['show', '--inline-direct', 'select * from range(10) t(n)', '--limit', '3', '--output', 'json']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('{\n  "show": [\n    {\n      "n": 0\n    },\n    {\n      "n": 1\n    },\n    {\n      "n": 2\n    }\n  ]\n}\n');
    expect(existsSync(join(dir, 'target'))).toBe(false);
    const jinja = await cli(dir, ['show', '--inline-direct', "select '{{ 1 }}' as t, 2 as u", '--quiet']);
    expect(jinja.out).toBe('| t       | u |\n| ------- | - |\n| {{ 1 }} | 2 |\n\n');
    const bad = await cli(dir, ['show', '--inline-direct', 'select * from no_such_table']);
    expect(bad.code).toBe(2);
    expect(bad.out + bad.err).toContain('The SQL of --inline-direct runs as written (no Jinja, no refs)');
  });

  it("--log-format json: dbt's ShowNode and CompiledNode events, their data as dbt's (tools such as editor extensions read data.preview)", async () => {
    const dir = makeProject(FILES);
    const events = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { info: { name: string; code: string; msg: string }; data: Record<string, unknown> });
    const shown = events((await cli(dir, ['show', '--inline', "select 1 as n, 'é' as s", '--output', 'json', '--log-format', 'json'])).out).find((e) => e.info.name === 'ShowNode')!;
    expect(shown.info.code).toBe('Q041');
    expect(shown.data).toEqual({ node_name: 'inline_query', preview: '[{"n": 1, "s": "\\u00e9"}]', is_inline: true, output_format: 'json', unique_id: 'sql_operation.test_project.inline_query', quiet: false });
    const direct = events((await cli(dir, ['show', '--inline-direct', 'select 1 as n', '--log-format', 'json'])).out).find((e) => e.info.name === 'ShowNode')!;
    expect(direct.data).toMatchObject({ node_name: 'direct-query', unique_id: 'direct-query', is_inline: true });
    expect(direct.info.msg).toBe('Previewing inline node:\n| n |\n| - |\n| 1 |\n');
    expect(JSON.parse(shown.info.msg)).toEqual({ show: [{ n: 1, s: 'é' }] });
    const text = events((await cli(dir, ['show', '--select', 'orders', '--limit', '1', '--log-format', 'json'])).out).find((e) => e.info.name === 'ShowNode')!;
    expect(text.data).toMatchObject({ node_name: 'orders', is_inline: false, output_format: 'text', unique_id: 'model.test_project.orders' });
    expect(text.info.msg).toBe(`Previewing node 'orders':\n${text.data.preview as string}`);
    expect(text.data.preview as string).toMatch(/^\| order_id \|[\s\S]*\| Michael {4}\|[\s\S]*\|\n$/);
    const compiled = events((await cli(dir, ['compile', '--inline', 'select {{ 1 + 1 }} as two', '--log-format', 'json'])).out).find((e) => e.info.name === 'CompiledNode')!;
    expect([compiled.info.code, compiled.info.msg, compiled.data]).toEqual(['Q042', 'Compiled inline node is:\nselect 2 as two', { node_name: 'inline_query', compiled: 'select 2 as two', is_inline: true, output_format: 'text', unique_id: 'sql_operation.test_project.inline_query', quiet: false }]);
  });

  it("print_table() in a macro takes agate's arguments (max_rows, max_columns, by position or name)", async () => {
    const dir = makeProject(FILES);
    const r = await cli(dir, ['run-operation', 'peek']);
    expect(r.code).toBe(0);
    // The places of a decimal column are counted over the rows shown (2.5 here, not 3.0's).
    expect(r.out).toContain('| n | s |   f |\n| - | - | --- |\n| 1 | a | 2.5 |\n| ... | ... | ... |\n');
    expect(r.out).toContain('| n | s | ... |\n| - | - | --- |\n| 1 | a | ... |\n| ... | ... | ... |\n');
  });
});
