import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

vi.setConfig({ testTimeout: 300_000 });

/**
 * No profile credential reaches target/ or logs/ (or the console), whatever
 * a project does with `target`: as dbt, `target` holds the adapter's
 * connection keys only, and every artifact is built from that. Each secret
 * has a distinctive value, and every file written is searched for all of them.
 */
const SECRETS = {
  password: 'PW-a81f-secret',
  token: 'TOK-b92e-secret',
  private_key: 'PK-c03d-secret',
  private_key_passphrase: 'PKP-d14c-secret',
  passcode: 'PASSCODE-e25b-secret',
  oauth_client_secret: 'OCS-f36a-secret',
  env_secret: 'ENVSECRET-0479-secret',
  duckdb_secret: 'DUCKSECRET-1580-secret',
  duckdb_key_id: 'DUCKKEYID-2691-secret',
};
const env = { DBT_ENV_SECRET_VALUE: SECRETS.env_secret };

/** Models that put `target` everywhere a value can go: config meta (manifest), compiled SQL, logs, the database. */
const MODELS = {
  'models/everything.sql': `{{ config(materialized='table', meta={'target': target}) }}
{{ log('target is ' ~ (target | tojson), info=True) }}
select '{{ target | tojson }}' as target_json, '{{ target.password }}{{ target.token }}{{ target.private_key }}{{ target.secrets }}' as direct`,
  'models/broken.sql': "select '{{ target | tojson }}' as t from a_missing_table",
  'models/schema.yml': `models:
  - name: everything
    description: "{{ target | tojson }}"
    columns:
      - name: target_json
        tests: [not_null]
`,
};

const DUCKDB_PROFILE = `test_profile:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: ":memory:"
      schema: main
      threads: 1
      secrets:
        - type: s3
          key_id: "${SECRETS.duckdb_key_id}"
          secret: "${SECRETS.duckdb_secret}"
          session_token: "{{ env_var('DBT_ENV_SECRET_VALUE') }}"
`;

const SNOWFLAKE_PROFILE = `test_profile:
  target: prod
  outputs:
    prod:
      type: snowflake
      account: acme-xy12345
      user: loader
      password: "${SECRETS.password}"
      authenticator: oauth
      token: "${SECRETS.token}"
      private_key: "${SECRETS.private_key}"
      private_key_passphrase: "${SECRETS.private_key_passphrase}"
      passcode: "{{ env_var('DBT_ENV_SECRET_VALUE') }}"
      role: transformer
      warehouse: wh
      database: analytics
      schema: dbt
      threads: 1
`;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every secret value found in the project's target/ and logs/ files and in the console text: [where, which]. */
function leaks(dir: string, consoleText: string): string[] {
  const found: string[] = [];
  const look = (where: string, text: string) => {
    for (const [name, value] of Object.entries(SECRETS)) if (text.includes(value)) found.push(`${where}: ${name}`);
  };
  for (const file of [...filesUnder(join(dir, 'target')), ...filesUnder(join(dir, 'logs'))]) look(file.slice(dir.length + 1), readFileSync(file, 'utf8'));
  look('console', consoleText);
  return found;
}

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, env);
  return { code, text: io.stdout.join('') + io.stderr.join('') };
}

describe('profile credentials never reach target/ or logs/', () => {
  it('DuckDB: parse, compile, run, test, docs generate, ls, with --debug and JSON logs', async () => {
    const dir = makeProject({ ...MODELS, 'profiles.yml': DUCKDB_PROFILE });
    let consoleText = '';
    const runs: [string[], number][] = [
      [['parse'], 0],
      [['--debug', 'compile', '--select', 'everything'], 0],
      [['--debug', 'run'], 1],
      [['--log-format', 'json', '--debug', 'build'], 1],
      [['docs', 'generate'], 0],
      [['ls', '--output', 'json'], 0],
    ];
    for (const [args, code] of runs) {
      const r = await cli(args, dir);
      expect(r.code, `${args.join(' ')}\n${r.text}`).toBe(code);
      consoleText += r.text;
    }
    // The probes worked: target reached the manifest, compiled SQL, the database and the log, without its secrets.
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const meta = manifest.nodes['model.test_project.everything'].config.meta.target;
    expect(meta).toMatchObject({ type: 'duckdb', name: 'dev', schema: 'main', path: ':memory:' });
    expect(meta.secrets).toBeUndefined();
    expect(readFileSync(join(dir, 'target/compiled/test_project/models/everything.sql'), 'utf8')).toContain('"type": "duckdb"');
    expect(readFileSync(join(dir, 'logs/dbt.log'), 'utf8')).toContain('target is {');
    expect(existsSync(join(dir, 'target/catalog.json'))).toBe(true);
    expect(leaks(dir, consoleText)).toEqual([]);
  });

  it('Snowflake: parse and ls (no connection) with every credential field set', async () => {
    const dir = makeProject({ ...MODELS, 'profiles.yml': SNOWFLAKE_PROFILE });
    let consoleText = '';
    for (const args of [['parse'], ['--debug', 'ls'], ['--log-format', 'json', 'ls', '--output', 'json', '--output-keys', 'name,config']]) {
      const r = await cli(args, dir);
      expect(r.code, `${args.join(' ')}\n${r.text}`).toBe(0);
      consoleText += r.text;
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const meta = manifest.nodes['model.test_project.everything'].config.meta.target;
    // dbt-snowflake's connection keys, and nothing that authenticates.
    expect(meta).toMatchObject({ type: 'snowflake', account: 'acme-xy12345', user: 'loader', role: 'transformer', warehouse: 'wh', authenticator: 'oauth' });
    for (const k of ['password', 'token', 'private_key', 'private_key_passphrase', 'passcode']) expect(meta[k], k).toBeUndefined();
    expect(manifest.metadata.adapter_type).toBe('snowflake');
    expect(leaks(dir, consoleText)).toEqual([]);
  });
});
