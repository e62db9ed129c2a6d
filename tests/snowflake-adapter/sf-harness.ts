import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import type { SnowflakeProfile } from '../../src/adapters/snowflake/snowflake-profile.js';
import { makeProject, type TestProject } from '../execute/harness.js';
import type { WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';

/** The profile fields that point the real driver at a double on 127.0.0.1. */
export function doubleProfile(port: number, overrides: Partial<SnowflakeProfile> = {}): SnowflakeProfile {
  return {
    type: 'snowflake',
    account: 'tsdbt_test',
    user: 'tsdbt_user',
    password: 'secret-pw',
    role: 'TRANSFORMER',
    warehouse: 'COMPUTE_WH',
    database: 'ANALYTICS',
    schema: 'DBT_TEST',
    host: '127.0.0.1',
    port,
    protocol: 'http',
    connect_retries: 0,
    connect_timeout: 5,
    ...overrides,
  };
}

function yamlOf(profile: SnowflakeProfile, threads: number): string {
  return Object.entries({ ...profile, threads })
    .map(([k, v]) => `      ${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

/** A throwaway project whose `prod` target is the double (and `dev` a DuckDB file, as harness.ts makes it). */
export function makeSnowflakeProject(files: Record<string, string>, port: number, overrides: Partial<SnowflakeProfile> = {}, name = 'proj'): TestProject {
  const p = makeProject(files, name);
  p.write({
    'profiles.yml': `${name}:\n  target: prod\n  outputs:\n    prod:\n${yamlOf(doubleProfile(port, overrides), 1)}\n`,
    ...(files['profiles.yml'] ? { 'profiles.yml': files['profiles.yml'] } : {}),
  });
  return p;
}

/** Run SQL on the double through the real driver (from the main thread: nothing is blocked between calls). */
export async function sfQuery(double: Pick<WorkerSnowflakeDouble, 'port'>, sql: string): Promise<Record<string, unknown>[]> {
  const conn = await openSnowflakeConnection(doubleProfile(double.port));
  try {
    const r = await conn.execute(sql);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
  } finally {
    await conn.close();
  }
}
