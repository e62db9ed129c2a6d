/** Runs in its own worker (vitest forks per file), so the module cache starts without snowflake-sdk. */
import { createRequire } from 'node:module';
import { afterAll, expect, test, vi } from 'vitest';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';
import type { SnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

const require = createRequire(import.meta.url);
const sdkLoaded = () => Object.keys(require.cache).some((k) => k.includes('/node_modules/snowflake-sdk/'));
let double: SnowflakeDouble | undefined;

afterAll(async () => {
  await double?.close();
});

test('importing the adapter does not load snowflake-sdk; opening a connection does, with platform detection off', async () => {
  delete process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION;
  const { openSnowflakeConnection } = await import('../../src/adapters/snowflake/snowflake-connection.js');
  expect(sdkLoaded()).toBe(false);
  expect(process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION).toBeUndefined();

  double = await startSnowflakeDouble();
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  const writes: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (writes.push(String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (writes.push(String(chunk)), true));
  try {
    const failed = await openSnowflakeConnection({
      account: 'acme',
      user: 'tsdbt_user',
      password: 'not-the-password-77',
      database: 'analytics',
      schema: 'public',
      protocol: 'http',
      host: '127.0.0.1',
      port: double.port,
      connect_retries: 0,
    }).catch((e) => e);
    expect(failed.detail.code).toBe('390100');
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  await new Promise((r) => setTimeout(r, 50));
  process.off('warning', onWarning);
  expect(sdkLoaded()).toBe(true);
  expect(process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION).toBe('true');
  // the driver's logger is silenced and its AWS SDK's Node-version warning suppressed: nothing reached the console
  expect(writes).toEqual([]);
  expect(warnings).toEqual([]);
});
