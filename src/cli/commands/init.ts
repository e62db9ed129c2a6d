import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Command } from '../command-context.js';

interface InitAnswers {
  name: string;
  adapter: 'duckdb' | 'snowflake';
  path: string;
  threads: number;
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** The files of a new project, as `dbt init` lays them out (our own example models and tests). */
export function scaffold(a: InitAnswers): Record<string, string> {
  const files: Record<string, string> = {
    'dbt_project.yml': `name: '${a.name}'\nversion: '1.0.0'\nprofile: '${a.name}'\n\nmodel-paths: ["models"]\nanalysis-paths: ["analyses"]\ntest-paths: ["tests"]\nseed-paths: ["seeds"]\nmacro-paths: ["macros"]\nsnapshot-paths: ["snapshots"]\n\nclean-targets:\n  - "target"\n  - "dbt_packages"\n\nmodels:\n  ${a.name}:\n    example:\n      +materialized: view\n`,
    'models/example/first_model.sql': `-- A table built from literal rows: change it to select from your sources.\n{{ config(materialized='table') }}\n\nselect 1 as id, 'first' as label\nunion all\nselect 2 as id, 'second' as label\n`,
    'models/example/second_model.sql': `-- A view on the first model: ref() makes the dependency.\nselect id, upper(label) as label\nfrom {{ ref('first_model') }}\nwhere id = 1\n`,
    'models/example/schema.yml': `version: 2\n\nmodels:\n  - name: first_model\n    description: "An example table"\n    columns:\n      - name: id\n        description: "The primary key"\n        data_tests:\n          - unique\n          - not_null\n  - name: second_model\n    description: "An example view"\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - not_null\n          - relationships:\n              arguments:\n                to: ref('first_model')\n                field: id\n`,
    'README.md': `# ${a.name}\n\nA dbt project made by \`tsdbt init\`.\n\n\`\`\`sh\ntsdbt build     # models and their tests\ntsdbt docs generate && tsdbt docs serve\n\`\`\`\n`,
    '.gitignore': 'target/\ndbt_packages/\nlogs/\n*.duckdb\n*.duckdb.wal\n',
  };
  for (const dir of ['analyses', 'tests', 'seeds', 'macros', 'snapshots']) files[`${dir}/.gitkeep`] = '';
  if (a.adapter === 'duckdb') {
    files['profiles.yml'] = `${a.name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${a.path}\n      threads: ${a.threads}\n`;
  } else {
    files['profiles.yml'] = `${a.name}:\n  target: dev\n  outputs:\n    dev:\n      type: snowflake\n      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"\n      user: "{{ env_var('SNOWFLAKE_USER') }}"\n      password: "{{ env_var('DBT_ENV_SECRET_SNOWFLAKE_PASSWORD') }}"\n      role: "{{ env_var('SNOWFLAKE_ROLE', '') }}"\n      database: "{{ env_var('SNOWFLAKE_DATABASE') }}"\n      warehouse: "{{ env_var('SNOWFLAKE_WAREHOUSE') }}"\n      schema: "{{ env_var('SNOWFLAKE_SCHEMA', 'dev') }}"\n      threads: ${a.threads}\n`;
  }
  return files;
}

async function ask(ctx: Parameters<Command>[0], partial: Partial<InitAnswers>): Promise<Partial<InitAnswers>> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const q = async (question: string, fallback: string) => (await rl.question(`${question} [${fallback}]: `)).trim() || fallback;
    const name = partial.name ?? (await q('Enter a name for your project (letters, digits, underscore)', 'my_project'));
    const adapter = partial.adapter ?? ((await q('Which database would you like to use? duckdb or snowflake', 'duckdb')) as InitAnswers['adapter']);
    const path = partial.path ?? (adapter === 'duckdb' ? await q('The DuckDB file', `${name}.duckdb`) : '');
    const threads = partial.threads ?? Number(await q('threads (1 or more)', '4'));
    return { name, adapter, path, threads };
  } finally {
    rl.close();
  }
}

/**
 * `tsdbt init [name]`: scaffold a project that builds as it is (a DuckDB
 * profile in the project folder, where tsdbt looks first). Asks on a
 * terminal; takes --adapter, --path, --threads otherwise.
 */
export const initCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  let answers: Partial<InitAnswers> = {
    name: ctx.argv.positionals[0],
    adapter: f.adapter as InitAnswers['adapter'] | undefined,
    path: f.path as string | undefined,
    threads: f.threads === undefined ? undefined : Number(f.threads),
  };
  const interactive = Boolean(process.stdin.isTTY) && ctx.env.CI === undefined && (answers.name === undefined || answers.adapter === undefined);
  if (interactive) answers = await ask(ctx, answers);
  const name = answers.name;
  if (name === undefined) throw new TsdbtError('USAGE', 'tsdbt init needs a project name', { hint: 'e.g. tsdbt init my_project' });
  if (!NAME.test(name)) throw new TsdbtError('USAGE', `'${name}' is not a valid project name`, { hint: 'Use lowercase letters, digits and underscores, starting with a letter: e.g. my_project.' });
  const adapter = answers.adapter ?? 'duckdb';
  if (adapter !== 'duckdb' && adapter !== 'snowflake') throw new TsdbtError('USAGE', `--adapter must be duckdb or snowflake, got '${String(adapter)}'`, { hint: 'e.g. --adapter duckdb' });
  const threads = answers.threads ?? 4;
  if (!Number.isInteger(threads) || threads < 1) throw new TsdbtError('USAGE', `--threads must be a whole number of at least 1, got '${String(f.threads)}'`, { hint: 'e.g. --threads 4' });
  const dir = resolve(ctx.cwd, name);
  if (existsSync(dir)) throw new TsdbtError('USAGE', `A folder '${name}' already exists here`, { hint: 'Pick another name, or remove the folder.' });
  const files = scaffold({ name, adapter, path: answers.path || `${name}.duckdb`, threads });
  if (f.skipProfileSetup) delete files['profiles.yml'];
  for (const [rel, text] of Object.entries(files)) writeFileAtomic(join(dir, rel), text, 'the new project');
  ctx.out.info(`Your new dbt project "${name}" was created in ${dir}`);
  ctx.out.info(`Next: cd ${name} && tsdbt build`);
  return 0;
};
