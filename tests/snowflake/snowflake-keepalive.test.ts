/** Own file: the driver keeps session parameters such as keep-alive process-wide. */
import { afterAll, expect, test } from 'vitest';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

let double: SnowflakeDouble | undefined;

afterAll(async () => {
  await double?.close();
});

const heartbeats = () => double!.requests.filter((r) => r === 'POST /session/heartbeat').length;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('client_session_keep_alive: the driver sends heartbeats while open and stops after close', async () => {
  double = await startSnowflakeDouble({ heartbeatFrequencySeconds: 1 });
  const conn = await openSnowflakeConnection({
    account: 'acme',
    user: 'tsdbt_user',
    password: 'secret-pw',
    database: 'analytics',
    schema: 'public',
    protocol: 'http',
    host: '127.0.0.1',
    port: double.port,
    client_session_keep_alive: true,
  });
  await wait(2_300);
  const whileOpen = heartbeats();
  expect(whileOpen).toBeGreaterThanOrEqual(2);
  await conn.close();
  await wait(1_300);
  expect(heartbeats()).toBe(whileOpen);
});
