import type { AnySchema } from 'ajv';
import { adapterPlugin, registerAdapter } from '../../../src/api/adapter-registry.js';
import { Relation, type QuotePolicy } from '../../../src/adapters/base/relation.js';
import { snowflakeProfileSchema } from '../../../src/adapters/snowflake/snowflake-profile.js';

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

/**
 * Make `type: snowflake` profiles loadable in this test file's process.
 *
 * The registry (src/api/adapter-registry.ts) does not register Snowflake
 * yet; until it does, this registers a parse-only plugin built from the
 * real profile schema, so loadProject picks the snowflake include project
 * (dbt_snowflake) and dispatch searches `snowflake__` then `default__`, as it
 * will with the real plugin. When the real plugin exists it is used as is.
 * Vitest runs each test file in its own process, so nothing leaks.
 */
export function ensureSnowflakeAdapter(): void {
  if (adapterPlugin('snowflake')) return;
  const quotePolicy: QuotePolicy = { database: false, schema: false, identifier: false };
  registerAdapter({
    type: 'snowflake',
    profileSchema: snowflakeProfileSchema as AnySchema,
    info: (credentials) => ({
      type: 'snowflake',
      adapterChain: ['snowflake'],
      quoteChar: '"',
      quotePolicy,
      capabilities: {
        supportsTransactionalDdl: false,
        supportsMerge: true,
        atomicCreateOrReplace: true,
        identifierCase: 'upper',
        defaultIncrementalStrategy: 'merge',
      },
      database: String(credentials.database),
      schema: String(credentials.schema),
      makeRelation: (spec) => new Relation(spec, quotePolicy, '"'),
      quote: (identifier) => `"${identifier.split('"').join('""')}"`,
    }),
  });
}
