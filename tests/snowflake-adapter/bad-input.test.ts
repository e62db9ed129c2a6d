import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { copyProdProject, prodEnv, tsdbtProd } from './prod-project.js';

let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker({ warehouses: { COMPUTE_WH: 'started', SLEEPY_WH: 'suspended' } });
});
afterAll(async () => {
  await double?.close();
});

describe('tsdbt build --target prod: bad input', () => {
  it('a wrong password', async () => {
    const dir = copyProdProject(double.port);
    const r = await tsdbtProd(['build'], dir, prodEnv({ DBT_ENV_SECRET_SNOWFLAKE_PASSWORD: 'wrong-pw-123' }));
    console.log('PW', r.code, r.stdout, '|||', r.stderr);
  });
  it('a missing warehouse', async () => {
    const dir = copyProdProject(double.port);
    const r = await tsdbtProd(['build', '--select', 'ai_ratio_bands'], dir, prodEnv({ SNOWFLAKE_WAREHOUSE: 'NO_SUCH_WH' }));
    console.log('WH', r.code, r.stdout, '|||', r.stderr);
  });
  it('a suspended warehouse', async () => {
    const dir = copyProdProject(double.port);
    const r = await tsdbtProd(['build', '--select', 'ai_ratio_bands'], dir, prodEnv({ SNOWFLAKE_WAREHOUSE: 'SLEEPY_WH' }));
    console.log('SUS', r.code, r.stdout, '|||', r.stderr);
  });
  it('a login timeout', async () => {
    await double.setFailure({ kind: 'login_delay', ms: 3000 });
    const dir = copyProdProject(double.port, ['      connect_timeout: 1', '      connect_retries: 1'].map((l) => l));
    const r = await tsdbtProd(['build'], dir, prodEnv());
    await double.setFailure(undefined);
    console.log('TO', r.code, r.stdout, '|||', r.stderr, (await double.log()).logins);
  }, 30000);
});
