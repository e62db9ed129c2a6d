/** Snowflake SQL run through the real driver against the double: the SQL sent and the rows that come back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import type { SnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

let double: SnowflakeDouble;
let conn: SnowflakeConnection;

beforeAll(async () => {
  double = await startSnowflakeDouble({ databases: ['ANALYTICS', 'RAW'], schemas: ['ANALYTICS.DBT_STAGING'] });
  conn = await openSnowflakeConnection({
    account: 'acme',
    user: 'tsdbt_user',
    password: 'secret-pw',
    warehouse: 'compute_wh',
    database: 'analytics',
    schema: 'dbt_staging',
    protocol: 'http',
    host: '127.0.0.1',
    port: double.port,
    query_tag: 'tsdbt-tests',
  });
  await conn.execute('create or replace transient table events (id number, kind varchar, at timestamp_ntz, tags variant, amount number(10,2))');
  await conn.execute(`insert into events
    select 1, 'a', '2024-05-15 10:00:00'::timestamp_ntz, parse_json('["x","y"]'), 10
    union all select 2, 'b', '2024-05-16 23:30:00'::timestamp_ntz, parse_json('["z"]'), 20
    union all select 3, 'a', '2024-05-20 08:00:00'::timestamp_ntz, parse_json('[]'), 40`);
});

afterAll(async () => {
  await conn?.close();
  await double?.close();
});

describe('session', () => {
  test('the profile query_tag is set at connect time', () => {
    expect(double.queries).toContain("alter session set query_tag = 'tsdbt-tests'");
  });

  test('use schema / use database change the session', async () => {
    await conn.execute('use schema analytics.public');
    expect((await conn.execute('select current_schema() as s')).rows).toEqual([['PUBLIC']]);
    await conn.execute('use database raw');
    expect((await conn.execute('select current_database() as d, current_schema() as s')).rows).toEqual([['RAW', 'PUBLIC']]);
    await conn.execute('use schema analytics.dbt_staging');
    expect((await conn.execute('select current_database() as d, current_schema() as s')).rows).toEqual([['ANALYTICS', 'DBT_STAGING']]);
  });
});

describe('metadata commands', () => {
  test('show terse objects in schema lists tables and views with Snowflake columns', async () => {
    await conn.execute('create or replace view analytics.dbt_staging.v_events as select id from events');
    const r = await conn.execute('show terse objects in schema analytics.dbt_staging');
    expect(r.columns.map((c) => c.name)).toEqual(['created_on', 'name', 'kind', 'database_name', 'schema_name']);
    expect(r.rows.map((row) => row.slice(1))).toEqual([
      ['EVENTS', 'TABLE', 'ANALYTICS', 'DBT_STAGING'],
      ['V_EVENTS', 'VIEW', 'ANALYTICS', 'DBT_STAGING'],
    ]);
    expect(r.rows[0]![0]).toBeInstanceOf(Date);
  });

  test('show objects in a missing schema is 002043', async () => {
    const err = await conn.execute('show terse objects in schema analytics.nope').catch((e) => e);
    expect(err.message).toBe('Snowflake error 002043 (02000): SQL compilation error:\nObject does not exist, or operation cannot be performed.');
  });

  test('describe table gives Snowflake type names', async () => {
    const r = await conn.execute('describe table analytics.dbt_staging.events');
    expect(r.columns.slice(0, 4).map((c) => c.name)).toEqual(['name', 'type', 'kind', 'null?']);
    expect(r.rows.map((row) => row.slice(0, 4))).toEqual([
      ['ID', 'NUMBER(38,0)', 'COLUMN', 'Y'],
      ['KIND', 'VARCHAR(16777216)', 'COLUMN', 'Y'],
      ['AT', 'TIMESTAMP_NTZ(9)', 'COLUMN', 'Y'],
      ['TAGS', 'VARIANT', 'COLUMN', 'Y'],
      ['AMOUNT', 'NUMBER(10,2)', 'COLUMN', 'Y'],
    ]);
  });

  test('show schemas and create database', async () => {
    await conn.execute('create database if not exists sandbox');
    const r = await conn.execute('show schemas in database sandbox');
    expect(r.columns.map((c) => c.name)).toEqual(['created_on', 'name', 'is_default', 'is_current', 'database_name', 'owner', 'comment', 'options', 'retention_time']);
    expect(r.rows.map((row) => [row[1], row[4]])).toEqual([
      ['INFORMATION_SCHEMA', 'SANDBOX'],
      ['PUBLIC', 'SANDBOX'],
    ]);
  });
});

describe('Snowflake functions', () => {
  test('ARRAY_SIZE, IFF, DATEADD, DATEDIFF, DATE_TRUNC week', async () => {
    const r = await conn.execute(`select id, array_size(tags) as n_tags, iff(amount > 15, 'big', 'small') as size,
        dateadd(day, 2, at) as later, datediff(day, '2024-05-01'::date, at) as days_in,
        date_trunc('WEEK', at) as week_start
      from events order by id`);
    expect(r.rows).toEqual([
      [1, 2, 'small', new Date('2024-05-17T10:00:00Z'), 14, new Date('2024-05-13T00:00:00Z')],
      [2, 1, 'big', new Date('2024-05-18T23:30:00Z'), 15, new Date('2024-05-13T00:00:00Z')],
      [3, 0, 'big', new Date('2024-05-22T08:00:00Z'), 19, new Date('2024-05-20T00:00:00Z')],
    ]);
  });

  test('PERCENTILE_CONT WITHIN GROUP and TO_TIMESTAMP_TZ', async () => {
    const r = await conn.execute(`select percentile_cont(0.5) within group (order by amount) as p50,
        to_timestamp_tz('2024-01-01 12:00:00+02:00') as tz from events`);
    expect(r.rows).toEqual([[20, new Date('2024-01-01T10:00:00Z')]]);
  });

  test('MERGE INTO updates and inserts; the driver reports the rows touched', async () => {
    await conn.execute("create or replace table updates as select 2 as id, 'B2' as kind union all select 4, 'd'");
    const m = await conn.execute(`merge into events e using updates u on e.id = u.id
      when matched then update set kind = u.kind
      when not matched then insert (id, kind) values (u.id, u.kind)`);
    expect(m.rowsAffected).toBe(2);
    const r = await conn.execute('select id, kind from events order by id');
    expect(r.rows).toEqual([
      [1, 'a'],
      [2, 'B2'],
      [3, 'a'],
      [4, 'd'],
    ]);
  });
});

describe('stages: PUT and COPY INTO', () => {
  test('PUT a Parquet file to a stage, COPY INTO matching columns by name case-insensitively', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-put-'));
    try {
      // a landed file with lower-case columns in a different order than the table
      const duck = await DuckDBInstance.create(':memory:');
      const c = await duck.connect();
      await c.run(`copy (select 'pr-' || range as title, range as number from range(3)) to '${join(dir, 'pulls_0001.parquet')}' (format parquet)`);
      c.closeSync();
      duck.closeSync();

      await conn.execute('create or replace stage landing');
      const put = await conn.execute(`put file://${join(dir, 'pulls_0001.parquet')} @landing`);
      expect(put.rows.map((r) => [r[0], r[6]])).toEqual([['pulls_0001.parquet', 'UPLOADED']]);
      await conn.execute('create or replace table raw_pulls (number number, title varchar)');
      const copy = await conn.execute(
        "copy into raw_pulls from @landing file_format = (type = parquet) match_by_column_name = case_insensitive pattern = '.*[.]parquet'",
      );
      expect(copy.columns.slice(0, 4).map((col) => col.name)).toEqual(['file', 'status', 'rows_parsed', 'rows_loaded']);
      expect(copy.rows.map((r) => r.slice(0, 4))).toEqual([['landing/pulls_0001.parquet', 'LOADED', 3, 3]]);
      expect((await conn.execute('select number, title from raw_pulls order by number')).rows).toEqual([
        [0, 'pr-0'],
        [1, 'pr-1'],
        [2, 'pr-2'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('COPY INTO from a stage that does not exist is 002003', async () => {
    const err = await conn.execute('copy into raw_pulls from @nowhere file_format = (type = parquet)').catch((e) => e);
    expect(err.message).toBe("Snowflake error 002003 (42S02): SQL compilation error:\nObject 'ANALYTICS.DBT_STAGING.NOWHERE' does not exist or not authorized.");
  });
});
