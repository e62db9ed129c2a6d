/** Long statements: Snowflake answers "in progress" (333333) and the driver polls /queries/<id>/result. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import type { SnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

let double: SnowflakeDouble;
let conn: SnowflakeConnection;

beforeAll(async () => {
  double = await startSnowflakeDouble({ inProgressAfterMs: 150 });
  conn = await openSnowflakeConnection({
    account: 'acme',
    user: 'tsdbt_user',
    password: 'secret-pw',
    warehouse: 'compute_wh',
    database: 'analytics',
    schema: 'public',
    protocol: 'http',
    host: '127.0.0.1',
    port: double.port,
  });
});

afterAll(async () => {
  await conn?.close();
  await double?.close();
});

test('a statement slower than the long-poll window is fetched through the result URL', async () => {
  double.setFailure({ kind: 'delay', match: /slow_model/, ms: 500 });
  try {
    const r = await conn.execute('select 41 + 1 as slow_model');
    expect(r.rows).toEqual([[42]]);
    const polls = double.requests.filter((q) => /^GET \/queries\/[0-9a-f-]+\/result$/.test(q));
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((q) => q.includes(r.queryId!))).toBe(true);
  } finally {
    double.setFailure(undefined);
  }
});

test('cancel() while the driver polls aborts by query id', async () => {
  double.setFailure({ kind: 'delay', match: /very_slow/, ms: 20_000 });
  try {
    const running = conn.execute('select 1 as very_slow').catch((e) => e);
    await new Promise((r) => setTimeout(r, 400));
    await conn.cancel();
    const err = await running;
    expect(err.message).toBe('Snowflake error 000604 (57014): SQL execution canceled');
    expect(double.requests.some((q) => /^POST \/queries\/[0-9a-f-]{36}\/abort-request$/.test(q))).toBe(true);
  } finally {
    double.setFailure(undefined);
  }
});
