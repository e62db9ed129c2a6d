import { adapterPlugin } from '../../../src/api/adapter-registry.js';

/**
 * Files that make a render-in-project project target Snowflake. Rendering
 * needs no connection, so this only names an account; nothing dials out.
 */
export const SNOWFLAKE_PROFILE = {
  'profiles.yml': `test_profile:
  target: sf
  outputs:
    sf:
      type: snowflake
      account: xy12345
      user: tester
      password: not-a-secret
      database: ANALYTICS
      warehouse: TRANSFORMING
      schema: DBT_TEST
      threads: 1
`,
};

/** The Snowflake adapter is registered by src/api/adapter-registry.ts; fail loudly if that ever changes. */
export function ensureSnowflakeAdapter(): void {
  if (!adapterPlugin('snowflake')) throw new Error('the snowflake adapter is not registered in src/api/adapter-registry.ts');
}
