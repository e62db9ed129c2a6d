import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import type { SnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import type { SnowflakeProfile } from '../../src/adapters/snowflake/snowflake-profile.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

let double: SnowflakeDouble;
let conn: SnowflakeConnection;

const profileFor = (d: SnowflakeDouble, extra: Partial<SnowflakeProfile> = {}): SnowflakeProfile => ({
  account: 'test_account',
  user: 'tsdbt_user',
  password: 'secret-pw',
  role: 'transformer',
  warehouse: 'compute_wh',
  database: 'analytics',
  schema: 'public',
  protocol: 'http',
  host: '127.0.0.1',
  port: d.port,
  connect_retries: 0,
  connect_timeout: 5,
  ...extra,
});

beforeAll(async () => {
  double = await startSnowflakeDouble({ rowsPerChunk: 1000 });
  conn = await openSnowflakeConnection(profileFor(double));
});

afterAll(async () => {
  await conn?.close();
  await double?.close();
});

describe('login and session', () => {
  test('logs in and the session has the profile database, schema, warehouse and role', async () => {
    const r = await conn.execute('select current_database() as db, current_schema() as sch, current_warehouse() as wh, current_role() as r');
    expect(r.columns.map((c) => c.name)).toEqual(['DB', 'SCH', 'WH', 'R']);
    expect(r.rows).toEqual([['ANALYTICS', 'PUBLIC', 'COMPUTE_WH', 'TRANSFORMER']]);
    expect(double.requests).toContain('POST /session/v1/login-request');
  });

  test('a wrong password is a SNOWFLAKE_ERROR with 390100, and the password is not in it', async () => {
    const err = await openSnowflakeConnection(profileFor(double, { password: 'wrong-password-123' })).catch((e) => e);
    expect(err).toBeInstanceOf(TsdbtError);
    expect(err.code).toBe('SNOWFLAKE_ERROR');
    expect(err.message).toBe('Snowflake error 390100 (08004): Incorrect username or password was specified.');
    expect(err.detail).toMatchObject({ code: '390100', sqlState: '08004' });
    expect(err.hint).toMatch(/user and password/);
    expect(JSON.stringify({ m: err.message, d: err.detail, h: err.hint, s: err.stack })).not.toContain('wrong-password-123');
  });

  test('close deletes the session on the server', async () => {
    const before = double.openSessions();
    const c = await openSnowflakeConnection(profileFor(double));
    expect(double.openSessions()).toBe(before + 1);
    await c.close();
    expect(double.openSessions()).toBe(before);
    expect(double.requests).toContain('POST /session');
  });
});

describe('queries', () => {
  test('each Snowflake type decodes to the exact JS value', async () => {
    const r = await conn.execute(
      `select 42 as i, 12345678901 as big, 1.5::number(10,2) as dec, 2.25::float as f, 'héllo' as s, true as b,
              '2024-02-29'::date as d, '2024-01-02 03:04:05.678'::timestamp_ntz as ts,
              '2024-01-02 03:04:05.678+02:00'::timestamp_tz as tstz,
              parse_json('{"a":[1,2],"b":{"c":"x"}}') as v, [1, 2, 3] as arr, {'k': 'v'} as obj, null::varchar as n`,
    );
    expect(r.columns).toEqual([
      { name: 'I', type: 'NUMBER(38,0)' },
      { name: 'BIG', type: 'NUMBER(38,0)' },
      { name: 'DEC', type: 'NUMBER(10,2)' },
      { name: 'F', type: 'FLOAT' },
      { name: 'S', type: 'VARCHAR' },
      { name: 'B', type: 'BOOLEAN' },
      { name: 'D', type: 'DATE' },
      { name: 'TS', type: 'TIMESTAMP_NTZ' },
      { name: 'TSTZ', type: 'TIMESTAMP_TZ' },
      { name: 'V', type: 'VARIANT' },
      { name: 'ARR', type: 'ARRAY' },
      { name: 'OBJ', type: 'OBJECT' },
      { name: 'N', type: 'VARCHAR' },
    ]);
    expect(r.rows).toEqual([
      [
        42,
        12345678901,
        1.5,
        2.25,
        'héllo',
        true,
        new Date('2024-02-29T00:00:00Z'),
        new Date('2024-01-02T03:04:05.678Z'),
        new Date('2024-01-02T01:04:05.678Z'),
        { a: [1, 2], b: { c: 'x' } },
        [1, 2, 3],
        { k: 'v' },
        null,
      ],
    ]);
  });

  test('TIME, BINARY, pre-1970 timestamps and negative decimals', async () => {
    const r = await conn.execute(
      `select '13:04:05.25'::time as t, to_binary('41ff') as bin, '1969-12-31 23:59:59.5'::timestamp_ntz as old, (-12.5)::number(5,2) as neg`,
    );
    expect(r.columns.map((c) => c.type)).toEqual(['TIME', 'BINARY', 'TIMESTAMP_NTZ', 'NUMBER(5,2)']);
    expect(r.rows).toEqual([['13:04:05', new Uint8Array([0x41, 0xff]), new Date('1969-12-31T23:59:59.500Z'), -12.5]]);
  });

  test("timestamps' microseconds past the millisecond come beside the rows (QueryResult.micros), as the driver's nanoseconds give them", async () => {
    const r = await conn.execute(
      `select '2024-01-02 10:11:12.123456'::timestamp_ntz as ntz, '2024-01-02 10:11:12.654321+00:00'::timestamp_tz as tz, '2024-01-02 10:11:12.5'::timestamp_ntz as whole_ms`,
    );
    expect(r.rows).toEqual([[new Date('2024-01-02T10:11:12.123Z'), new Date('2024-01-02T10:11:12.654Z'), new Date('2024-01-02T10:11:12.500Z')]]);
    expect(r.micros).toEqual({ 0: { 0: 456 }, 1: { 0: 321 } });
  });

  test('binds are sent as Snowflake bindings and used positionally', async () => {
    const r = await conn.execute('select ? as a, ? as b, ? as c, ? as d, ? as e', [7, 'x', true, 2.5, null]);
    expect(r.rows).toEqual([[7, 'x', true, 2.5, null]]);
    const numbered = await conn.execute('select :2 as second, :1 as first', ['one', 'two']);
    expect(numbered.rows).toEqual([['two', 'one']]);
  });

  test('DDL and DML: rowsAffected and the query id come back', async () => {
    await conn.execute('create or replace transient table analytics.public.orders (id number, amount number(10,2), status varchar)');
    const ins = await conn.execute("insert into orders values (1, 10.5, 'open'), (2, 20, 'closed'), (3, 7.25, 'open')");
    expect(ins.rowsAffected).toBe(3);
    expect(ins.queryId).toMatch(/^[0-9a-f-]{36}$/);
    const upd = await conn.execute("update orders set status = 'done' where status = ?", ['open']);
    expect(upd.rowsAffected).toBe(2);
    const sel = await conn.execute('select id, amount, status from analytics.public.orders order by id');
    expect(sel.columns.map((c) => c.name)).toEqual(['ID', 'AMOUNT', 'STATUS']);
    expect(sel.rows).toEqual([
      [1, 10.5, 'done'],
      [2, 20, 'closed'],
      [3, 7.25, 'done'],
    ]);
  });

  test('a missing table is 002003 / 42S02 with the statement in the detail', async () => {
    const err = await conn.execute('select * from analytics.public.no_such_table').catch((e) => e);
    expect(err).toBeInstanceOf(TsdbtError);
    expect(err.code).toBe('SNOWFLAKE_ERROR');
    expect(err.message).toBe("Snowflake error 002003 (42S02): SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.");
    expect(err.detail).toMatchObject({ code: '002003', sqlState: '42S02', sql: 'select * from analytics.public.no_such_table' });
    expect(err.detail.queryId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('query_tag is set with alter session and seen by later queries', async () => {
    await conn.setQueryTag("model.orders's tag");
    await conn.execute('select 1 as x');
    expect(double.queries.at(-2)).toBe("alter session set query_tag = 'model.orders\\'s tag'");
    expect(double.queryTags.at(-1)).toBe("model.orders's tag");
    await conn.setQueryTag('');
    await conn.execute('select 2 as x');
    expect(double.queryTags.at(-1)).toBe('');
  });
});

describe('large results', () => {
  test('50k rows arrive through the chunk download path, in order', async () => {
    const r = await conn.execute('select range as id, range * 2 as twice from range(50000) order by id');
    expect(r.rows.length).toBe(50000);
    expect(r.rows[0]).toEqual([0, 0]);
    expect(r.rows[49999]).toEqual([49999, 99998]);
    expect(r.rows.every((row, i) => row[0] === i)).toBe(true);
    const chunkGets = double.requests.filter((q) => q.startsWith('GET /chunks/'));
    expect(chunkGets.length).toBe(49);
  });

  test('stream() yields the rows in batches of 1000', async () => {
    const sizes: number[] = [];
    let sum = 0;
    for await (const batch of conn.stream('select range as id from range(5500)')) {
      sizes.push(batch.length);
      for (const row of batch) sum += row[0] as number;
    }
    expect(sizes).toEqual([1000, 1000, 1000, 1000, 1000, 500]);
    expect(sum).toBe((5499 * 5500) / 2);
  });
});
