/**
 * The bundled project (project/) set up to build against the Snowflake double:
 * a copy in a temp dir (so its target/ is the test's), its own profiles.yml
 * with the `prod` output pointed at 127.0.0.1, the raw tables landed through
 * the Snowflake branch of extract loading, and the env vars prod reads.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSnowflakeConnection } from '../../src/adapters/snowflake/snowflake-connection.js';
import { runCli } from '../../src/cli/main.js';
import { loadStatements } from '../../src/extract/index.js';
import { captureStreams } from '../support/project-fixture.js';
import { doubleProfile } from './sf-harness.js';

export const PROJECT_SRC = resolve(import.meta.dirname, '../../project');

/** Copy project/ (without target/, databases or landed data) and point prod at the double; `extra` adds or replaces prod fields. */
export function copyProdProject(port: number, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-prod-'));
  cpSync(PROJECT_SRC, dir, {
    recursive: true,
    filter: (src) => !/[/\\](target|data|dbt_packages|logs)$/.test(src) && !src.endsWith('.duckdb') && !src.endsWith('.wal'),
  });
  // the project's own prod output, plus where the double listens (the real account URL cannot be redirected)
  const profiles = readFileSync(join(PROJECT_SRC, 'profiles.yml'), 'utf8');
  const fields = new Map<string, string>([['host', '127.0.0.1'], ['port', String(port)], ['protocol', 'http'], ['connect_retries', '0']]);
  for (const [k, v] of Object.entries(extra)) fields.set(k, v);
  const lines = [...fields].map(([k, v]) => `      ${k}: ${v}`);
  writeFileSync(join(dir, 'profiles.yml'), profiles.replace(/(\n    prod:\n      type: snowflake\n)/, `$1${lines.join('\n')}\n`));
  return dir;
}

/** The env vars prod's profile reads. */
export function prodEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SNOWFLAKE_ACCOUNT: 'tsdbt_test',
    SNOWFLAKE_USER: 'tsdbt_user',
    DBT_ENV_SECRET_SNOWFLAKE_PASSWORD: 'secret-pw',
    SNOWFLAKE_ROLE: 'TRANSFORMER',
    SNOWFLAKE_WAREHOUSE: 'COMPUTE_WH',
    SNOWFLAKE_DATABASE: 'ANALYTICS',
    SNOWFLAKE_SCHEMA: 'ANALYTICS',
    ...overrides,
  };
}

/** Land project/data/raw/*.parquet into ANALYTICS.RAW as `tsdbt extract` does on Snowflake. */
export async function landRawTables(port: number): Promise<string[]> {
  const conn = await openSnowflakeConnection(doubleProfile(port, { schema: 'PUBLIC' }));
  const tables: string[] = [];
  try {
    const rawDir = join(PROJECT_SRC, 'data', 'raw');
    for (const f of readdirSync(rawDir).filter((x) => x.endsWith('.parquet')).sort()) {
      const table = f.replace(/\.parquet$/, '');
      for (const sql of loadStatements('snowflake', 'raw', table, join(rawDir, f))) await conn.execute(sql);
      tables.push(table);
    }
  } finally {
    await conn.close();
  }
  return tables;
}

/** `tsdbt <args> --target prod` in process, as the CLI runs it. */
export async function tsdbtProd(args: string[], dir: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureStreams();
  const code = await runCli([...args, '--target', 'prod', '--project-dir', dir, '--profiles-dir', dir], io.streams, env);
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}
