import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const SECRET = 'tok-s3cr3t-9f2';
const env = { DBT_ENV_SECRET_TOKEN: SECRET };

async function cli(args: string[], dir: string, moreEnv: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, { ...env, ...moreEnv });
  return { code, text: io.stdout.join('') + io.stderr.join('') };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secret env vars', () => {
  it("env_var('DBT_ENV_SECRET_...') in a model is a located error saying where secrets belong", async () => {
    const dir = makeProject({ 'models/a.sql': "select 1 as id\n-- {{ env_var('DBT_ENV_SECRET_TOKEN') }}\n" });
    const r = await cli(['parse'], dir);
    expect(r.code).toBe(2);
    expect(r.text).toContain("Secret env vars are allowed only in profiles.yml or packages.yml. Found 'DBT_ENV_SECRET_TOKEN' referenced elsewhere.");
    expect(r.text).toContain('models/a.sql:2');
    expect(r.text).not.toContain(SECRET);
  });

  it('and in dbt_project.yml', async () => {
    const dir = makeProject({
      // vars stay unrendered until var() reads them (dbt 1.10), so the secret goes in a key rendered at load.
      'dbt_project.yml': "name: test_project\nprofile: test_profile\nmodels:\n  test_project:\n    +schema: \"{{ env_var('DBT_ENV_SECRET_TOKEN') }}\"\n",
      'models/a.sql': 'select 1 as id',
    });
    const r = await cli(['parse'], dir);
    expect(r.code).toBe(2);
    expect(r.text).toContain("Found 'DBT_ENV_SECRET_TOKEN' referenced elsewhere.");
    expect(r.text).toContain('dbt_project.yml');
  });

  // The secret value reaching every output path, in text and JSON logs, with --debug: always *****.
  // (Written literally in the model here, so target/compiled and manifest raw_code hold it by design;
  // the assertion is on everything printed and on run_results.json.)
  const leaks: Record<string, string> = {
    'database error': `{{ config(materialized='table') }} select cast('${SECRET}' as integer) as x`,
    'compiler error': `{{ exceptions.raise_compiler_error('bad ${SECRET}') }}`,
    'warn helper': `{{ exceptions.warn('careful ${SECRET}') }} select 1 as x`,
    'log and print': `{{ log('logged ${SECRET}', info=True) }}{{ log('debug ${SECRET}') }}{{ print('printed ${SECRET}') }} select 1 as x`,
    'raise_not_implemented': `{{ exceptions.raise_not_implemented('no ${SECRET}') }}`,
    'raise_database_error': `{{ exceptions.raise_database_error('db ${SECRET}') }}`,
  };
  for (const [path, sql] of Object.entries(leaks)) {
    for (const format of ['text', 'json']) {
      it(`never print or write the value: ${path}, --log-format ${format}, --debug`, async () => {
        const dir = makeProject({ 'models/leak.sql': sql });
        const r = await cli(['--debug', '--log-format', format, 'run'], dir);
        expect(r.text).not.toContain(SECRET);
        for (const file of filesUnder(join(dir, 'logs'))) expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET);
        const results = join(dir, 'target', 'run_results.json');
        if (existsSync(results)) {
          const messages = (JSON.parse(readFileSync(results, 'utf8')) as { results: { message?: string }[] }).results.map((x) => x.message ?? '');
          expect(messages.join('\n')).not.toContain(SECRET);
        }
        if (path !== 'warn helper' && path !== 'log and print') {
          expect(r.code).toBeGreaterThan(0);
          expect(r.text).toContain('*****');
        }
      });
    }
  }
});

describe('secret --vars (a key starting DBT_ENV_SECRET)', () => {
  const VAR_SECRET = 'pw-77e1-hidden';
  const vars = `{DBT_ENV_SECRET_PW: "${VAR_SECRET}", DBT_ENV_SECRETKEY: "k9", plain: 3, mixed: ["a-${VAR_SECRET}", 2], nested: {inner: "${SECRET}!"}}`;

  it("run_results.json's args.vars holds ***** for them, wherever they appear; other vars keep their values and types", async () => {
    const dir = makeProject({ 'models/a.sql': "select 1 as id, '{{ var(\"plain\") }}' as p" });
    const r = await cli(['run', '--vars', vars], dir);
    expect(r.code).toBe(0);
    const args = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')).args as Record<string, unknown>;
    // A var secret of any length is scrubbed there (dbt's rule); so is a secret env var's value.
    expect(args.vars).toEqual({ DBT_ENV_SECRET_PW: '*****', DBT_ENV_SECRETKEY: '*****', plain: 3, mixed: ['a-*****', 2], nested: { inner: '*****!' } });
    for (const file of [...filesUnder(join(dir, 'target')), ...filesUnder(join(dir, 'logs'))]) expect(readFileSync(file, 'utf8'), file).not.toContain(VAR_SECRET);
  });

  it('an error quoting the value prints ***** instead', async () => {
    const dir = makeProject({ 'models/a.sql': `{{ config(materialized='table') }} select cast('{{ var("DBT_ENV_SECRET_PW") }}' as integer) as x` });
    const r = await cli(['run', '--vars', vars], dir);
    expect(r.code).toBe(1);
    expect(r.text).toContain("Conversion Error: Could not convert string '*****' to INT32");
    expect(r.text).not.toContain(VAR_SECRET);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { message: string }[] };
    expect(results.results[0]!.message).toContain("'*****'");
  });

  it('retry runs again with the scrubbed vars, as dbt does: the secret is not kept anywhere to bring back', async () => {
    const dir = makeProject({
      'models/a.sql': `{% if execute and env_var('FAIL_NOW', '') %}{{ exceptions.raise_compiler_error('failing on purpose') }}{% endif %}
select '{{ var("DBT_ENV_SECRET_PW") }}' as v`,
    });
    expect((await cli(['run', '--vars', `{DBT_ENV_SECRET_PW: "${VAR_SECRET}"}`], dir, { FAIL_NOW: '1' })).code).toBe(1);
    const r = await cli(['retry'], dir);
    expect(r.text).toContain('Completed successfully');
    expect(r.code).toBe(0);
    const compiled = readFileSync(join(dir, 'target', 'compiled', 'test_project', 'models', 'a.sql'), 'utf8');
    expect(compiled.trim()).toBe("select '*****' as v");
  });
});
