import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import type { SnowflakeProfile } from '../../src/adapters/snowflake/snowflake-profile.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

let double: SnowflakeDouble;

const profile = (extra: Partial<SnowflakeProfile> = {}): SnowflakeProfile => ({
  account: 'test_account',
  user: 'tsdbt_user',
  password: 'secret-pw',
  warehouse: 'compute_wh',
  database: 'analytics',
  schema: 'public',
  protocol: 'http',
  host: '127.0.0.1',
  port: double.port,
  connect_retries: 0,
  connect_timeout: 5,
  ...extra,
});

beforeAll(async () => {
  double = await startSnowflakeDouble({ warehouses: { COMPUTE_WH: 'started', SLEEPY_WH: 'suspended' } });
  await double.url;
});

afterAll(async () => {
  await double?.close();
});

describe('warehouse problems', () => {
  test('a warehouse that does not exist: login succeeds, the first query fails with 000606', async () => {
    const conn = await openSnowflakeConnection(profile({ warehouse: 'no_such_wh' }));
    try {
      // constant queries need no warehouse, as in Snowflake
      expect((await conn.execute('select current_warehouse() as wh')).rows).toEqual([[null]]);
      await conn.execute('create or replace table t_wh (id int)');
      const err = await conn.execute('select * from t_wh').catch((e) => e);
      expect(err).toBeInstanceOf(TsdbtError);
      expect(err.message).toBe(
        "Snowflake error 000606 (57P03): No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.",
      );
      expect(err.hint).toMatch(/warehouse:/);
    } finally {
      await conn.close();
    }
  });

  test('a suspended warehouse fails with 000608 naming it', async () => {
    const conn = await openSnowflakeConnection(profile({ warehouse: 'sleepy_wh' }));
    try {
      const err = await conn.execute('select * from range(3)').catch((e) => e);
      expect(err.code).toBe('SNOWFLAKE_ERROR');
      expect(err.message).toBe(
        "Snowflake error 000608 (57P03): Warehouse 'SLEEPY_WH' is suspended.  Use 'alter warehouse SLEEPY_WH resume;' command if you need to use it again.",
      );
      expect(err.detail).toMatchObject({ code: '000608', sqlState: '57P03' });
    } finally {
      await conn.close();
    }
  });
});

describe('statements', () => {
  test('an injected statement failure carries its code and SQL state', async () => {
    const conn = await openSnowflakeConnection(profile());
    try {
      double.setFailure({ kind: 'statement', match: /boom/, failure: { code: '100038', sqlState: '22018', message: "Numeric value 'boom' is not recognized" } });
      const err = await conn.execute("select 'boom'::int as x").catch((e) => e);
      expect(err.message).toBe("Snowflake error 100038 (22018): Numeric value 'boom' is not recognized");
      expect(err.detail).toMatchObject({ code: '100038', sqlState: '22018', sql: "select 'boom'::int as x" });
      // other statements are unaffected
      expect((await conn.execute('select 1 as one')).rows).toEqual([[1]]);
    } finally {
      double.setFailure(undefined);
      await conn.close();
    }
  });

  test('the double refuses two statements in one request as Snowflake does (000008)', async () => {
    const sdk = (await import('snowflake-sdk')).default;
    const raw = sdk.createConnection({ account: 'a', username: 'tsdbt_user', password: 'secret-pw', host: '127.0.0.1', port: double.port, protocol: 'http' } as never);
    await new Promise<void>((resolve, reject) => raw.connect((err) => (err ? reject(err) : resolve())));
    const err = await new Promise<{ code?: string; sqlState?: string; message: string }>((resolve) =>
      raw.execute({ sqlText: 'select 1; select 2', complete: (e) => resolve(e as never) }),
    );
    expect([err.code, err.sqlState, err.message]).toEqual(['000008', '0A000', 'Actual statement count 2 did not match the desired statement count 1.']);
    await new Promise((r) => raw.destroy(r));
  });

  test('execute() runs a script statement by statement and returns the last result', async () => {
    const conn = await openSnowflakeConnection(profile());
    try {
      const before = double.queries.length;
      const r = await conn.execute("create or replace table script_t (s varchar);\n-- a ; in a comment\ninsert into script_t values ('a;b');\nselect s from script_t;\n");
      expect(r.rows).toEqual([['a;b']]);
      expect(double.queries.slice(before)).toEqual([
        'create or replace table script_t (s varchar)',
        "-- a ; in a comment\ninsert into script_t values ('a;b')",
        'select s from script_t',
      ]);
    } finally {
      await conn.close();
    }
  });

  test('cancel() aborts the running statement, which rejects with 000604', async () => {
    const conn = await openSnowflakeConnection(profile());
    try {
      double.setFailure({ kind: 'delay', match: /slow_query/, ms: 20_000 });
      const started = Date.now();
      const running = conn.execute('select 1 as slow_query').catch((e) => e);
      await new Promise((r) => setTimeout(r, 300));
      await conn.cancel();
      const err = await running;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err).toBeInstanceOf(TsdbtError);
      expect(err.message).toBe('Snowflake error 000604 (57014): SQL execution canceled');
      expect(double.requests).toContain('POST /queries/v1/abort-request');
      // the connection stays usable
      double.setFailure(undefined);
      expect((await conn.execute('select 3 as x')).rows).toEqual([[3]]);
    } finally {
      double.setFailure(undefined);
      await conn.close();
    }
  });
});

describe('connect timeout and retries', () => {
  test('a login slower than connect_timeout is retried connect_retries times, then a clear error', async () => {
    double.setFailure({ kind: 'login_delay', ms: 3_000 });
    const before = double.loginCount();
    const started = Date.now();
    const err = await openSnowflakeConnection(profile({ connect_timeout: 0.4, connect_retries: 2 }), {
      retryDelayMs: 50,
      profileFile: 'profiles.yml',
    }).catch((e) => e);
    double.setFailure(undefined);
    expect(err).toBeInstanceOf(TsdbtError);
    expect(err.code).toBe('SNOWFLAKE_ERROR');
    expect(err.message).toBe(
      `Could not connect to Snowflake (http://127.0.0.1:${double.port}) after 3 attempts: Snowflake login to http://127.0.0.1:${double.port} timed out after 0.4s`,
    );
    expect(err.file).toBe('profiles.yml');
    expect(err.hint).toMatch(/connect_timeout or connect_retries/);
    expect(double.loginCount() - before).toBe(3);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('a bad password is not retried', async () => {
    const before = double.loginCount();
    const err = await openSnowflakeConnection(profile({ password: 'nope-nope', connect_retries: 3 }), { retryDelayMs: 10 }).catch((e) => e);
    expect(err.detail.code).toBe('390100');
    expect(double.loginCount() - before).toBe(1);
  });

  test('nothing listening: network error retried, then a clear error', async () => {
    const err = await openSnowflakeConnection(profile({ port: 1, connect_retries: 1 }), { retryDelayMs: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(TsdbtError);
    expect(err.message).toMatch(/^Could not connect to Snowflake \(http:\/\/127\.0\.0\.1:1\) after 2 attempts: Snowflake error 401001/);
  });
});
