import { describe, expect, test } from 'vitest';
import { parseCommand, parseName, snowflakeTypeName } from '../support/snowflake-double/snowflake-commands.js';
import { splitStatements, tokenize } from '../support/snowflake-double/sql-tokens.js';
import { translateSnowflakeSql as t } from '../support/snowflake-double/sql-translate.js';

describe('identifier case folding', () => {
  test('unquoted identifiers become quoted upper case; quoted ones are kept', () => {
    expect(t('select id, "Mixed" as m, o.total from analytics.dbt.orders o')).toBe(
      'select "ID", "Mixed" as "M", "O"."TOTAL" from "ANALYTICS"."DBT"."ORDERS" "O"',
    );
  });

  test('keywords, function names, strings and comments are untouched', () => {
    expect(t("select count(*) as n, 'a b' -- note\nfrom t where x is not null and y in (1, 2)")).toBe(
      `select count(*) as "N", 'a b' -- note\nfrom "T" where "X" is not null and "Y" in (1, 2)`,
    );
  });

  test('a table name followed by its column list is an identifier, not a function', () => {
    expect(t('insert into orders (id, amount) values (?, :2)')).toBe('insert into "ORDERS" ("ID", "AMOUNT") values (?, $2)');
  });
});

describe('statements', () => {
  test('create or replace transient table drops TRANSIENT', () => {
    expect(t('create or replace transient table db.s.m as (select 1 as x)')).toBe('create or replace table "DB"."S"."M" as (select 1 as "X")');
  });

  test('column types are mapped to DuckDB types', () => {
    expect(t('create table foo (id number(38,0), v variant, ts timestamp_ntz, s string, f float, n number)')).toBe(
      'create table "FOO" ("ID" decimal(38,0), "V" variant, "TS" timestamp, "S" varchar, "F" double, "N" decimal(38,0))',
    );
  });

  test('MERGE INTO passes through with folded identifiers', () => {
    expect(t('merge into tgt using src on tgt.id = src.id when matched then update set v = src.v when not matched then insert (id, v) values (src.id, src.v)')).toBe(
      'merge into "TGT" using "SRC" on "TGT"."ID" = "SRC"."ID" when matched then update set "V" = "SRC"."V" when not matched then insert ("ID", "V") values ("SRC"."ID", "SRC"."V")',
    );
  });
});

describe('functions', () => {
  test('IFF becomes CASE', () => {
    expect(t("select iff(a > 1, 'big', 'small') as size from t")).toBe(`select (CASE WHEN "A" > 1 THEN 'big' ELSE 'small' END) as "SIZE" from "T"`);
  });

  test('ARRAY_SIZE becomes json_array_length over JSON', () => {
    expect(t('select array_size(tags) from t')).toBe('select json_array_length(cast("TAGS" as json)) from "T"');
  });

  test('DATEADD / DATEDIFF with bare, quoted and abbreviated parts', () => {
    expect(t('select dateadd(day, 3, created_at), dateadd(\'mm\', -1, d), datediff(hour, a, b), timestampdiff(yy, a, b) from t')).toBe(
      `select ("CREATED_AT" + interval (3) day), ("D" + interval (-1) month), date_diff('hour', "A", "B"), date_diff('year', "A", "B") from "T"`,
    );
  });

  test('nested calls are translated inside the arguments', () => {
    expect(t('select dateadd(day, datediff(day, a, b), iff(c, a, b)) from t')).toBe(
      `select ((CASE WHEN "C" THEN "A" ELSE "B" END) + interval (date_diff('day', "A", "B")) day) from "T"`,
    );
  });

  test("DATE_TRUNC('WEEK', x) and DATE_TRUNC(week, x)", () => {
    expect(t("select date_trunc('WEEK', d) w, date_trunc(week, d) from t")).toBe(`select date_trunc('week', "D") "W", date_trunc('week', "D") from "T"`);
  });

  test('TO_TIMESTAMP_TZ / _NTZ / casts to Snowflake timestamp types', () => {
    expect(t("select to_timestamp_tz('2024-01-01 00:00:00+02:00'), to_timestamp_ntz(s), x::timestamp_ltz, cast(y as timestamp_tz) from t")).toBe(
      `select cast('2024-01-01 00:00:00+02:00' as timestamptz), cast("S" as timestamp), "X"::timestamptz, cast("Y" as timestamptz) from "T"`,
    );
  });

  test('PERCENTILE_CONT ... WITHIN GROUP is DuckDB syntax already', () => {
    expect(t('select percentile_cont(0.5) within group (order by amount) as p50 from orders')).toBe(
      'select percentile_cont(0.5) within group (order by "AMOUNT") as "P50" from "ORDERS"',
    );
  });

  test('TO_BINARY with HEX (default), UTF-8 and BASE64 formats', () => {
    expect(t("select to_binary('41ff'), to_binary(s, 'UTF-8'), to_binary(b, 'BASE64') from t")).toBe(
      `select unhex('41ff'), encode("S"), from_base64("B") from "T"`,
    );
  });

  test('PARSE_JSON builds a VARIANT; CURRENT_* come from the session', () => {
    expect(t("select parse_json('[1]'), current_warehouse(), current_role(), current_database()", { warehouse: 'WH', role: 'R', database: 'DB' })).toBe(
      "select cast(cast('[1]' as json) as variant), 'WH', 'R', 'DB'",
    );
    expect(t('select current_warehouse()')).toBe('select NULL');
  });

  test('interval and extract date parts are kept; the same words as aliases are identifiers', () => {
    expect(t("select ts - interval '1 day', extract(year from ts), x day from t where ts > current_timestamp - interval 2 hours")).toBe(
      `select "TS" - interval '1 day', extract(year from "TS"), "X" "DAY" from "T" where "TS" > current_timestamp - interval 2 hour`,
    );
  });
});

describe('tokens', () => {
  test('tokenize keeps every character', () => {
    const sql = `select 'it''s', "a""b", 1.5e-3, :1, ?, x::int /* c */ $$raw$$`;
    expect(tokenize(sql).map((x) => x.text).join('')).toBe(sql);
    expect(tokenize(sql).filter((x) => x.kind === 'param').map((x) => x.text)).toEqual([':1', '?']);
  });

  test('splitStatements splits on top-level semicolons only', () => {
    expect(splitStatements("select ';'; select 2;\n")).toEqual(["select ';'", ' select 2']);
  });
});

describe('commands the double answers itself', () => {
  test('USE, ALTER SESSION, SHOW, DESCRIBE, CREATE DATABASE', () => {
    expect(parseCommand('use warehouse my_wh')).toEqual({ kind: 'use', object: 'warehouse', name: ['MY_WH'] });
    expect(parseCommand('use schema analytics."Staging";')).toEqual({ kind: 'use', object: 'schema', name: ['ANALYTICS', 'Staging'] });
    expect(parseCommand("alter session set query_tag = 'it''s mine'")).toEqual({ kind: 'alter_session', set: { QUERY_TAG: "it's mine" }, unset: [] });
    expect(parseCommand('alter session unset query_tag')).toEqual({ kind: 'alter_session', set: {}, unset: ['QUERY_TAG'] });
    expect(parseCommand('show terse objects in schema db.s')).toEqual({ kind: 'show_objects', terse: true, name: ['DB', 'S'] });
    expect(parseCommand('show schemas in database analytics')).toEqual({ kind: 'show_schemas', terse: false, database: 'ANALYTICS' });
    expect(parseCommand('describe table db.s.t')).toEqual({ kind: 'describe_table', name: ['DB', 'S', 'T'] });
    expect(parseCommand('create database if not exists raw')).toEqual({ kind: 'create_database', name: 'RAW', orReplace: false, ifNotExists: true });
    expect(parseCommand('select 1')).toBeUndefined();
  });

  test('names and type names', () => {
    expect(parseName('a."b c".D')).toEqual(['A', 'b c', 'D']);
    expect(parseName('a b')).toBeUndefined();
    expect(['BIGINT', 'DECIMAL(10,2)', 'VARCHAR', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'INTEGER[]', 'BLOB'].map(snowflakeTypeName)).toEqual([
      'NUMBER(38,0)',
      'NUMBER(10,2)',
      'VARCHAR(16777216)',
      'TIMESTAMP_NTZ(9)',
      'TIMESTAMP_TZ(9)',
      'ARRAY',
      'BINARY(8388608)',
    ]);
  });
});
