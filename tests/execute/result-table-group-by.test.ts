/**
 * agate's Table.group_by on run_query's tables (agate 1.x): a TableSet of
 * tables with the same columns, one per key in first-seen order; and the
 * column members elementary reads off each group (iteration, `in`, `==`
 * with a list).
 */
import { describe, expect, it } from 'vitest';
import { ResultTable } from '../../src/adapters/base/result-table.js';
import { ResultTableSet } from '../../src/adapters/base/result-table-set.js';
import { JinjaEnvironment, exposedMembers } from '../../src/jinja/index.js';

const env = new JinjaEnvironment();

function table(): ResultTable {
  return new ResultTable(
    [{ name: 'artifacts_model', type: 'VARCHAR' }, { name: 'metadata_hash', type: 'VARCHAR' }, { name: 'n', type: 'INTEGER' }],
    [
      ['dbt_tests', 'h3', 1],
      ['dbt_models', 'h1', 2],
      ['dbt_tests', 'h4', 1],
      ['dbt_seeds', 'h0', 3],
      ['dbt_models', 'h2', 2],
    ],
  );
}

const tablesOf = (ts: ResultTableSet<ResultTable>) => [...ts.values()] as ResultTable[];
const render = (src: string, vars: Record<string, unknown> = { t: table() }) => env.renderString(src, 'g.sql', { vars });

describe('ResultTable.group_by (agate 1.x)', () => {
  it('keys in first-seen order; each group a table of the same columns with its rows in order', () => {
    const ts = table().group_by('artifacts_model');
    expect(ts).toBeInstanceOf(ResultTableSet);
    expect([...ts.keys()]).toEqual(['dbt_tests', 'dbt_models', 'dbt_seeds']);
    expect(tablesOf(ts).map((t) => t.rawRows)).toEqual([
      [['dbt_tests', 'h3', 1], ['dbt_tests', 'h4', 1]],
      [['dbt_models', 'h1', 2], ['dbt_models', 'h2', 2]],
      [['dbt_seeds', 'h0', 3]],
    ]);
    for (const t of ts) expect([t.column_names, t.column_types]).toEqual([['artifacts_model', 'metadata_hash', 'n'], ['VARCHAR', 'VARCHAR', 'INTEGER']]);
    expect([ts.key_name, ts.key_type, ts.column_names]).toEqual(['artifacts_model', 'VARCHAR', ['artifacts_model', 'metadata_hash', 'n']]);
  });

  it("elementary's get_artifacts_hashes: items() of (key, table), a group's column by name", () => {
    const out = render(`{% set groups = t.group_by("artifacts_model") %}{% set hashes = {} %}
{%- for model, rows in groups.items() %}{% do hashes.update({model: rows.columns["metadata_hash"]}) %}{% endfor -%}
{{ hashes.keys() | list }}|{% for k, v in hashes.items() %}{{ k }}={{ v | list }};{% endfor %}
|{{ hashes['dbt_models'] == ['h1', 'h2'] }} {{ ['h1', 'h2'] == hashes['dbt_models'] }} {{ hashes['dbt_models'] == ['h2', 'h1'] }} {{ hashes['dbt_models'] == ('h1', 'h2') }} {{ hashes['dbt_models'] | length }}
|{{ 'h2' in hashes['dbt_models'] }} {{ 'h3' in hashes['dbt_models'] }} {{ ['h0', 'h1', 'h9'] | reject('in', hashes['dbt_models']) | list }}`);
    expect(out).toBe(
      "['dbt_tests', 'dbt_models', 'dbt_seeds']|dbt_tests=['h3', 'h4'];dbt_models=['h1', 'h2'];dbt_seeds=['h0'];\n" +
        '|True True False True 2\n' +
        "|True False ['h0', 'h9']",
    );
  });

  it('a TableSet: iterated it gives the tables, an int indexes them, a key names one; len, get, dict, keys, values', () => {
    const out = render(`{% set g = t.group_by('artifacts_model') %}{{ g | length }}|{% for x in g %}{{ x.rows | length }},{% endfor %}
|{{ g[0].rows[0]['metadata_hash'] }} {{ g[-1].rows[0]['metadata_hash'] }} {{ g['dbt_models'].rows[1]['metadata_hash'] }} {{ g['nope'] is defined }}
|{{ g.get('dbt_seeds').rows | length }} {{ g.get('nope') }} {{ g.get('nope', 'fallback') }} {{ g.get('nope', []) }}
|{{ g.dict().keys() | list }} {{ g.keys() }} {{ g.values() | length }} {{ g[0] in g }} {{ t in g }}
|{{ g.key_name }} {{ g.column_names | list }}`);
    expect(out).toBe(
      '3|2,2,1,\n|h3 h0 h2 False\n|1 None fallback None\n' +
        "|['dbt_tests', 'dbt_models', 'dbt_seeds'] ('dbt_tests', 'dbt_models', 'dbt_seeds') 3 True False\n" +
        "|artifacts_model ['artifacts_model', 'metadata_hash', 'n']",
    );
  });

  it('by an integer column: its values are the keys (an int subscript is still a position); key_name and key_type as given', () => {
    const g = table().group_by('n', 'bucket', 'Number');
    expect([...g.keys()]).toEqual([1, 2, 3]);
    expect([g.key_name, g.key_type]).toEqual(['bucket', 'Number']);
    expect(g.__getitem__(1)!.rawRows).toEqual([['dbt_models', 'h1', 2], ['dbt_models', 'h2', 2]]);
    expect(render("{{ t.group_by('n').items() | map('first') | list }} {{ t.group_by(2).keys() }} {{ t.group_by(key='n', key_name='k').key_name }}")).toBe('[1, 2, 3] (1, 2, 3) k');
  });

  it("Python's key equality (1, 1.0 and True are one key; none is a key); a row function's keys are agate's Text casts", () => {
    const t = new ResultTable([{ name: 'k', type: 'DOUBLE' }, { name: 's', type: 'VARCHAR' }], [[1, 'NA'], [null, 'x'], [1.0, ''], [2, ' null '], [null, 'y']]);
    expect([...t.group_by('k').keys()]).toEqual([1, null, 2]);
    expect(tablesOf(t.group_by('k')).map((x) => x.rawRows.length)).toEqual([2, 2, 1]);
    // A column's text keys stay as they are; a row function's results are cast by agate's Text() (its null strings are none).
    expect([...t.group_by('s').keys()]).toEqual(['NA', 'x', '', ' null ', 'y']);
    const out = render("{% macro key_of(row) %}{{ row['s'] }}{% endmacro %}{% set g = t.group_by(key_of) %}{{ g.keys() }} {{ g.key_name }} {{ g.key_type }} {{ g[none].rows | length }}", { t });
    expect(out).toBe("(None, 'x', 'y') group Text 3");
  });

  it('an empty table: one empty table under no key; a missing column is a KeyError', () => {
    const empty = new ResultTable([{ name: 'a', type: 'INTEGER' }], []);
    const g = empty.group_by('a');
    expect([[...g.keys()], g.__len__(), tablesOf(g)[0]!.rawRows, tablesOf(g)[0]!.column_names, [...g.items()]]).toEqual([[], 1, [], ['a'], []]);
    expect(render("{% for k, v in t.group_by('a').items() %}x{% endfor %}{{ t.group_by('a') | length }}", { t: empty })).toBe('1');
    expect(() => render("{{ t.group_by('nope') }}")).toThrow("KeyError: 'nope'");
    expect(() => render('{{ t.group_by() }}')).toThrow("TypeError: group_by() missing 1 required positional argument: 'key'");
  });

  it('the TableSet exposes its documented members only', () => {
    expect(exposedMembers(ResultTableSet)).toEqual(['keys', 'values', 'items', 'get', 'dict', 'key_name', 'key_type', 'column_names', 'column_types']);
    expect(render("{{ t.group_by('n') | attr('tables') is defined }} {{ t.group_by('n') | attr('groupKeys') is defined }} {{ t.group_by('n').indexOf is defined }}")).toBe('False False False');
  });
});
