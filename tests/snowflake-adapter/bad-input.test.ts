import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { sfQuery } from './sf-harness.js';
import { copyProdProject, landRawTables, prodEnv, tsdbtProd } from './prod-project.js';

// Each failure goes through `tsdbt build --target prod` of the bundled project, as a user would meet it.
let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker({ warehouses: { COMPUTE_WH: 'started', SLEEPY_WH: 'suspended' } });
});
afterAll(async () => {
  await double?.close();
});

/** A 127.0.0.1 port nobody listens on (a wrong account's host does not answer either). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('tsdbt build --target prod: bad input', () => {
  it('a wrong password: exit 2, Snowflake\'s code and message, the profile to fix, no password echoed', async () => {
    const dir = copyProdProject(double.port);
    const r = await tsdbtProd(['build'], dir, prodEnv({ DBT_ENV_SECRET_SNOWFLAKE_PASSWORD: 'wrong-pw-123' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `[DATABASE_OPEN] Snowflake error 390100 (08004): Incorrect username or password was specified.\n  Check user and password (or the authenticator) of the Snowflake output in profiles.yml. (target 'prod' of profiles.yml)`,
    );
    expect(r.stdout + r.stderr).not.toContain('wrong-pw-123');
    expect(r.stdout + r.stderr).not.toContain('secret-pw');
  });

  it('a wrong account (its host does not answer): retried connect_retries times, then a clear error', async () => {
    const port = await deadPort();
    const dir = copyProdProject(port, { connect_retries: '1', connect_timeout: '2' });
    const r = await tsdbtProd(['build'], dir, prodEnv({ SNOWFLAKE_ACCOUNT: 'no_such_account' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^\\[DATABASE_OPEN\\] Could not connect to Snowflake \\(http://127\\.0\\.0\\.1:${port}\\) after 2 attempts: Snowflake error`));
    expect(r.stderr).toContain(`Check account/host and the network; raise connect_timeout or connect_retries in the profile if Snowflake is slow to answer. (target 'prod' of profiles.yml)`);
  }, 30_000);

  it('a network timeout at login: each attempt bounded by connect_timeout, retried, then a clear error', async () => {
    await double.setFailure({ kind: 'login_delay', ms: 2500 });
    try {
      const before = (await double.log()).logins;
      const dir = copyProdProject(double.port, { connect_retries: '1', connect_timeout: '1' });
      const started = Date.now();
      const r = await tsdbtProd(['build'], dir, prodEnv());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^\\[DATABASE_OPEN\\] Could not connect to Snowflake \\(http://127\\.0\\.0\\.1:${double.port}\\) after 2 attempts: Snowflake login to http://127\\.0\\.0\\.1:${double.port} timed out after 1s\\n`),
      );
      expect((await double.log()).logins - before).toBe(2);
      // two 1 s attempts and the 1 s pause between them, not the 2.5 s the double takes per login
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      await double.setFailure(undefined);
    }
  }, 30_000);

  it('a missing warehouse: 000606 with the hint to set `warehouse:` in the profile', async () => {
    const dir = copyProdProject(double.port);
    const r = await tsdbtProd(['build', '--select', 'ai_ratio_bands'], dir, prodEnv({ SNOWFLAKE_WAREHOUSE: 'NO_SUCH_WH' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "[DATABASE_ERROR] Snowflake error 000606 (57P03): No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n" +
        `  Set \`warehouse:\` in the profile to a warehouse that exists and that the role can use. (target 'prod' of profiles.yml)`,
    );
  });

  it('a suspended warehouse: 000608 naming the warehouse and how to resume it', async () => {
    const dir = copyProdProject(double.port);
    const r = await tsdbtProd(['build', '--select', 'ai_ratio_bands'], dir, prodEnv({ SNOWFLAKE_WAREHOUSE: 'SLEEPY_WH' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "[DATABASE_ERROR] Snowflake error 000608 (57P03): Warehouse 'SLEEPY_WH' is suspended.  Use 'alter warehouse SLEEPY_WH resume;' command if you need to use it again.\n" +
        `  Resume the warehouse (alter warehouse ... resume) or enable auto_resume on it. (target 'prod' of profiles.yml)`,
    );
  });

  it('a statement failing mid-build: exit 1, the node\'s error, the production table untouched, the rest built', async () => {
    const dir = copyProdProject(double.port);
    await landRawTables(dir, prodEnv());
    const first = await tsdbtProd(['build'], dir, prodEnv());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const before = await sfQuery(double, 'select * from analytics.analytics_mart.mart_velocity order by 1, 2');
    expect(before.length).toBeGreaterThan(0);
    await double.clearLog();
    await double.setFailure({
      kind: 'statement',
      match: /mart_velocity as \(/,
      failure: { code: '100038', sqlState: '22018', message: "Numeric value 'n/a' is not recognized" },
    });
    try {
      const r = await tsdbtProd(['build'], dir, prodEnv());
      expect(r.code).toBe(1);
      // The database error is printed once, headed by where it happened (no "Error in" above it).
      expect(r.stderr).toContain(
        '  Database Error in model mart_velocity (models/marts/mart_velocity.sql)\n' +
          "    Snowflake error 100038 (22018): Numeric value 'n/a' is not recognized\n" +
          '    compiled code at target/run/cursor_analytics/models/marts/mart_velocity.sql',
      );
      expect(r.stderr).not.toContain('  Error in model mart_velocity');
      expect(r.stdout).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=1 SKIP=\d+ NO-OP=0 TOTAL=93/);
    } finally {
      await double.setFailure(undefined);
    }
    // Snowflake replaces atomically: the failed `create or replace` left the previous table as it was,
    // and nothing dropped or renamed it first.
    // (Each statement ends with dbt's query comment, naming the node: it is left out of the match.)
    const velocity = (await double.log()).queries.filter((q) => /mart_velocity/i.test(q.replace(/\n\/\* \{.*\} \*\/$/, '')));
    expect(await sfQuery(double, 'select * from analytics.analytics_mart.mart_velocity order by 1, 2')).toEqual(before);
    expect(velocity.map((q) => q.split('\n')[0])).toEqual(['create or replace transient table ANALYTICS.ANALYTICS_mart.mart_velocity as (']);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).results as { unique_id: string; status: string }[];
    const status = (id: string) => results.find((x) => x.unique_id === id)?.status;
    expect(status('model.cursor_analytics.mart_velocity')).toBe('error');
    expect(status('model.cursor_analytics.mart_quality')).toBe('success');
  }, 60_000);
});
