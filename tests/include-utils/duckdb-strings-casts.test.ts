import { describe, expect, it } from 'vitest';
import { renderInProject } from '../support/render-in-project.js';
import { duckdbQuery } from './support/duckdb-query.js';

// String, cast and data type macros on the default (DuckDB) target: exact
// SQL, then the values DuckDB computes from it.
const query = duckdbQuery();
const render = (template: string) => renderInProject(template);
const value = async (call: string) => Object.values((await query(`select ${render(`{{ ${call} }}`)} as v`))[0]!)[0];

describe('string macros on DuckDB', () => {
  it('concat joins with ||', async () => {
    expect(render(`{{ dbt.concat(["'a'", 'b', "'c'"]) }}`)).toBe("'a' || b || 'c'");
    expect(await value(`dbt.concat(["'x'", "'-'", "cast(1 as varchar)"])`)).toBe('x-1');
  });

  it('hash is the md5 of the value as text', async () => {
    expect(render(`{{ dbt.hash('id') }}`)).toBe('md5(cast(id as TEXT))');
    expect(await value('dbt.hash(1)')).toBe('c4ca4238a0b923820dcc509a6f75849b');
  });

  it('length, position, replace and right', async () => {
    expect(render(`{{ dbt.length('name') }}`)).toBe('length(name)');
    expect(render(`{{ dbt.position("'b'", 'name') }}`)).toBe("position('b' in name)");
    expect(render(`{{ dbt.replace('name', "'a'", "'o'") }}`)).toBe("replace(name, 'a', 'o')");
    expect(render(`{{ dbt.right('name', 3) }}`)).toBe('right(name, 3)');
    expect(await value(`dbt.length("'hello'")`)).toBe(5);
    expect(await value(`dbt.position("'l'", "'hello'")`)).toBe(3);
    expect(await value(`dbt.position("'z'", "'hello'")`)).toBe(0);
    expect(await value(`dbt.replace("'banana'", "'a'", "'o'")`)).toBe('bonono');
    expect(await value(`dbt.right("'hello'", 3)`)).toBe('llo');
    expect(await value(`dbt.right("'hello'", 0)`)).toBe('');
  });

  it('split_part indexes the split list, so a negative part counts from the end', async () => {
    expect(render(`{{ dbt.split_part('path', "'/'", 2) }}`)).toBe("string_split(path, '/')[2]");
    expect(await value(`dbt.split_part("'a/b/c'", "'/'", 1)`)).toBe('a');
    expect(await value(`dbt.split_part("'a/b/c'", "'/'", -1)`)).toBe('c');
    expect(await value(`dbt.split_part("'a/b/c'", "'/'", -2)`)).toBe('b');
    expect(await value(`dbt.split_part("'a/b/c'", "'/'", 4)`)).toBeNull();
    expect(await value(`dbt.split_part("'a--b--c'", "'--'", 2)`)).toBe('b');
  });

  it('_split_part_negative rewrites a negative part for split_part functions that need it', () => {
    expect(render(`{{ dbt._split_part_negative('s', "','", -1) }}`)).toBe("split_part(s, ',', length(s) - length(replace(s, ',', '')) + 2 + -1)");
  });

  it('string_literal quotes and escape_single_quotes doubles quotes', async () => {
    expect(render(`{{ dbt.string_literal('abc') }}`)).toBe("'abc'");
    expect(render(`{{ dbt.escape_single_quotes("they're") }}`)).toBe("they''re");
    expect(await value(`dbt.string_literal(dbt.escape_single_quotes("it's"))`)).toBe("it's");
  });
});

describe('casts on DuckDB', () => {
  it('cast and safe_cast (try_cast not used by default: dbt-duckdb keeps the plain cast)', async () => {
    expect(render(`{{ dbt.cast("'12'", 'integer') }}`)).toBe("cast('12' as integer)");
    expect(render(`{{ dbt.safe_cast("'12'", 'integer') }}`)).toBe("cast('12' as integer)");
    expect(await value(`dbt.cast("'12'", dbt.type_int())`)).toBe(12);
    await expect(query(`select ${render(`{{ dbt.safe_cast("'x'", 'integer') }}`)}`)).rejects.toThrow(/Could not convert string 'x' to INT32/);
  });

  it('cast_bool_to_text gives true/false text', async () => {
    expect(render(`{{ dbt.cast_bool_to_text('flag') }}`)).toBe('cast(flag as TEXT)');
    expect(await value('dbt.cast_bool_to_text("1 = 1")')).toBe('true');
    expect(await value('dbt.cast_bool_to_text("1 = 0")')).toBe('false');
  });
});

describe('data types on DuckDB', () => {
  it('name the types dbt-duckdb names (dbt base Column labels)', () => {
    expect(render('{{ dbt.type_string() }}|{{ dbt.type_timestamp() }}|{{ dbt.type_float() }}|{{ dbt.type_numeric() }}|{{ dbt.type_bigint() }}|{{ dbt.type_int() }}|{{ dbt.type_boolean() }}')).toBe(
      'TEXT|timestamp|float|numeric(28,6)|bigint|integer|boolean',
    );
    expect(render('{{ type_string() }}')).toBe('TEXT');
  });

  it('are types DuckDB accepts, resolving to its own names', async () => {
    const types = ['type_string', 'type_timestamp', 'type_float', 'type_numeric', 'type_bigint', 'type_int', 'type_boolean'];
    const casts = types.map((t, i) => `typeof(cast(${i === 1 ? "'2024-01-01'" : i === 6 ? 'true' : '1'} as {{ dbt.${t}() }})) as ${t}`).join(', ');
    expect(await query(`select ${render(casts)}`)).toEqual([
      { type_string: 'VARCHAR', type_timestamp: 'TIMESTAMP', type_float: 'FLOAT', type_numeric: 'DECIMAL(28,6)', type_bigint: 'BIGINT', type_int: 'INTEGER', type_boolean: 'BOOLEAN' },
    ]);
  });

  it('a project can override one type by dispatch', () => {
    const files = { 'macros/types.sql': "{% macro duckdb__type_float() %}{{ return('double') }}{% endmacro %}", 'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\ndispatch:\n  - macro_namespace: dbt\n    search_order: [test_project, dbt]\n' };
    expect(renderInProject('{{ dbt.type_float() }}|{{ dbt.type_int() }}', files)).toBe('double|integer');
  });
});
