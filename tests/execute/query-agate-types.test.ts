/**
 * run_query's tables typed as dbt's agate tables are (dbt_common's type tester over the Python driver's values):
 * a non-integer number is a Decimal (`Decimal(repr(f))` for a float, the DECIMAL's own digits otherwise), a list or
 * struct is its JSON text, a column of nulls is Integer; `column_types[i]` and `columns[i].data_type` are agate type
 * objects with `jsonify` (elementary's agate_to_dicts calls it); a column's values() is a tuple; a row prints as
 * `<agate.Row: (...)>`; load_result's `data` holds the same values. Expected texts are Python 3's str()/repr() of the
 * values dbt-duckdb's agate table holds for the same query.
 */
import { describe, expect, it } from 'vitest';
import { agateTable } from '../../src/adapters/base/agate-types.js';
import { pyRepr } from '../../src/jinja/python/index.js';
import { makeProject } from '../support/project-fixture.js';
import { cliIn, loggedLines } from '../support/cli-in-project.js';

const PROFILE = 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n';

const QUERY = [
  '1.0::double as d',
  '1.50 as dc',
  '0.1::double as f',
  '7 as i',
  '1e-7::double as tiny',
  'true as b',
  '[1, 2] as l',
  "{'a': 1, 'b': 'x'} as s",
  '12345678901234567.891::decimal(20,3) as big',
  'null::varchar as n',
  '5::decimal(18,0) as d0',
  "'x' as t",
].join(', ');

const MACRO = `{% macro agate_values() %}
{% set r = run_query("select ${QUERY.replace(/"/g, '\\"')}") %}
{{ log('row ' ~ r.rows[0], info=true) }}
{% for c in r.columns %}{{ log('value ' ~ c.name ~ ' = ' ~ c.values()[0] ~ ' ' ~ c.data_type, info=true) }}{% endfor %}
{{ log('sums ' ~ (r.rows[0]['dc'] * 2) ~ ' ' ~ (r.rows[0]['dc'] + r.rows[0]['i']) ~ ' ' ~ (r.rows[0]['dc'] / 3) ~ ' ' ~ (r.rows[0]['d'] + 1), info=true) }}
{{ log('tuple ' ~ r.columns['i'].values() ~ ' ' ~ (r.columns['i'].values() is sequence), info=true) }}
{% set dicts = [] %}
{% for row in r.rows %}{% set out = {} %}{% for name, value in row.items() %}{% do out.update({name: r.column_types[loop.index0].jsonify(value)}) %}{% endfor %}{% do dicts.append(out) %}{% endfor %}
{{ log('json ' ~ tojson(dicts), info=true) }}
{% call statement('kept', fetch_result=True) %}select 2.25 as x, 3 as y{% endcall %}
{{ log('data ' ~ load_result('kept')['data'], info=true) }}
{% endmacro %}

{% macro table_items() %}
{% set r = run_query("select 1 as a, 2.5 as b, 'x' as c union all select 3, 4.5, 'y'") %}
{{ log('items ' ~ r[0][0] ~ ' ' ~ r[-1]['b'] ~ ' ' ~ (r[2] is defined) ~ ' ' ~ (r | length), info=true) }}
{{ log('structure\n' ~ r, info=true) }}
{% endmacro %}

{% macro mixes_a_float() %}
{% set r = run_query("select 1.50 as dc") %}
{{ log(r.rows[0]['dc'] + 0.5, info=true) }}
{% endmacro %}`;

const NUMBER = '<dbt_common.clients.agate_helper.Number object at 0x7f0a5c1e0050>';
const INTEGER = '<dbt_common.clients.agate_helper.Integer object at 0x7f0a5c1e0010>';
const TEXT = '<agate.data_types.text.Text object at 0x7f0a5c1e0150>';
const BOOLEAN = '<agate.data_types.boolean.Boolean object at 0x7f0a5c1e0110>';

describe("run_query's tables are typed as dbt's agate tables", () => {
  it('holds Decimals, JSON text and agate types on DuckDB', async () => {
    const dir = makeProject({ 'profiles.yml': PROFILE, 'macros/agate_values.sql': MACRO });
    const out = await cliIn(dir, ['run-operation', 'agate_values']);
    expect(loggedLines(out, 'row ')).toEqual(["row <agate.Row: (Decimal('1.0'), Decimal('1.50'), Decimal('0.1'), 7, Decimal('1E-7'), ...)>"]);
    expect(loggedLines(out, 'value ')).toEqual([
      `value d = 1.0 ${NUMBER}`,
      `value dc = 1.50 ${NUMBER}`,
      `value f = 0.1 ${NUMBER}`,
      `value i = 7 ${INTEGER}`,
      `value tiny = 1E-7 ${NUMBER}`,
      `value b = True ${BOOLEAN}`,
      `value l = [1, 2] ${TEXT}`,
      `value s = {"a": 1, "b": "x"} ${TEXT}`,
      `value big = 12345678901234567.891 ${NUMBER}`,
      `value n = None ${INTEGER}`,
      `value d0 = 5 ${NUMBER}`,
      `value t = x ${TEXT}`,
    ]);
    expect(loggedLines(out, 'sums ')).toEqual(['sums 3.00 8.50 0.50 2.0']);
    expect(loggedLines(out, 'tuple ')).toEqual(['tuple (7,) True']);
    expect(loggedLines(out, 'json ')).toEqual([
      'json [{"d": 1.0, "dc": 1.5, "f": 0.1, "i": 7, "tiny": 1e-07, "b": true, "l": "[1, 2]", "s": "{\\"a\\": 1, \\"b\\": \\"x\\"}", "big": 1.2345678901234568e+16, "n": null, "d0": 5.0, "t": "x"}]',
    ]);
    expect(loggedLines(out, 'data ')).toEqual(["data [[Decimal('2.25'), 3]]"]);
  });

  it("reads a row by position as agate's table[i] (the Tuva Project's on-run-end hook: result[0][0]) and prints as print_structure", async () => {
    const dir = makeProject({ 'profiles.yml': PROFILE, 'macros/agate_values.sql': MACRO });
    const out = await cliIn(dir, ['run-operation', 'table_items']);
    expect(loggedLines(out, 'items ')).toEqual(['items 1 4.5 False 2']);
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.endsWith('structure'));
    expect(lines.slice(at + 1, at + 6)).toEqual(['| column | data_type |', '| ------ | --------- |', '| a      | Integer   |', '| b      | Number    |', '| c      | Text      |']);
  });

  it('refuses a Decimal plus a float, as Python does', async () => {
    const dir = makeProject({ 'profiles.yml': PROFILE, 'macros/agate_values.sql': MACRO });
    const out = await cliIn(dir, ['run-operation', 'mixes_a_float'], 1);
    expect(out).toContain("unsupported operand type(s) for +: 'decimal.Decimal' and 'float'");
  });

  it("types Snowflake's columns as its Python connector's values: NUMBER(p,s>0) a Decimal, NUMBER(p,0) an int, FLOAT a float", () => {
    const { types, rows } = agateTable(['NUMBER(10,2)', 'NUMBER(38,0)', 'FLOAT', 'VARCHAR', 'BOOLEAN'], [[1.5, 42, 2, 'a', false], [-0.07, null, 0.25, null, null]]);
    expect(types.map((t) => t.kind)).toEqual(['number', 'integer', 'number', 'text', 'boolean']);
    expect(rows.map((r) => pyRepr(r))).toEqual(["[Decimal('1.50'), 42, Decimal('2.0'), 'a', False]", "[Decimal('-0.07'), None, Decimal('0.25'), None, None]"]);
  });
});
