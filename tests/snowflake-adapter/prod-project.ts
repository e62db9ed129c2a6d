/**
 * The bundled project (project/) set up to build against the Snowflake double:
 * a copy in a temp dir (so its target/ is the test's), its own profiles.yml
 * with the `prod` output pointed at 127.0.0.1, the raw tables landed through
 * the Snowflake branch of extract loading, and the env vars prod reads.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { startSimulator } from '../../src/sim/index.js';
import { captureStreams } from '../support/project-fixture.js';

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

/**
 * Land the raw tables in ANALYTICS.RAW the way a user does: `tsdbt extract
 * --target prod` against the bundled simulator (Parquet under `dir/data/raw`,
 * then PUT + COPY INTO through the real driver). Returns the tables loaded.
 */
export async function landRawTables(dir: string, env: Record<string, string>): Promise<string[]> {
  const sim = await startSimulator({ rateLimit: false });
  try {
    const r = await tsdbtProd(['extract', '--url', sim.url], dir, env);
    if (r.code !== 0) throw new Error(`tsdbt extract --target prod failed (${r.code}):\n${r.stderr}`);
  } finally {
    await sim.close();
  }
  const results = JSON.parse(readFileSync(join(dir, 'target', 'extract_results.json'), 'utf8')) as { streams: { table?: string }[] };
  return results.streams.map((s) => s.table).filter((t): t is string => Boolean(t)).map((t) => t.split('.').pop()!.toLowerCase()).sort();
}

/** `tsdbt <args> --target prod` in process, as the CLI runs it. */
export async function tsdbtProd(args: string[], dir: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureStreams();
  const code = await runCli([...args, '--target', 'prod', '--project-dir', dir, '--profiles-dir', dir], io.streams, env);
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}
