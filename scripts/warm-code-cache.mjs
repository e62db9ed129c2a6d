#!/usr/bin/env node
// The code cache built beside the CLI bundle (src/cli/code-cache.ts): after
// scripts/bundle.mjs has written dist/bundle/cli.cjs, `node
// scripts/warm-code-cache.mjs [package-root]` runs a small generated project
// through it in one process (a full parse, seed, build, compile, docs
// generate, a parse that reuses its cache, and a full parse again, on
// DuckDB in a temp folder) and keeps the bytecode V8 compiled for it in
// dist/bundle/cli.v8cache. bin/tsdbt.js hands it to V8 when it runs
// cli.cjs, so a command does not compile those functions again; V8 rejects
// it under another Node, and the user's own cache takes over.
//
// Never fails the build: without DuckDB's binding, or if a step fails, it
// says so and leaves no cache (the CLI compiles as it goes, as without one).
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A project touching what most projects use: seeds, sources, refs, macros, Jinja control flow, config, YAML tests and docs. */
function warmProject(dir) {
  const models = {};
  for (let i = 0; i < 12; i++) {
    const upstream = i === 0 ? "{{ source('raw', 'orders') }}" : `{{ ref('m${i - 1}') }}`;
    models[`models/m${i}.sql`] = [
      `{{ config(materialized=${i % 3 === 0 ? "'table'" : "'view'"}, tags=['t${i % 2}']) }}`,
      `{% set cols = ['id', 'amount'] %}`,
      `select {% for c in cols %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}, {{ double('amount') }} as twice`,
      `from ${upstream}`,
      `{% if var('limit_rows', false) %}limit {{ var('limit_rows') | int }}{% endif %}`,
    ].join('\n');
  }
  const files = {
    'dbt_project.yml': "name: warm\nversion: '1.0'\nconfig-version: 2\nprofile: warm\nmodels:\n  warm:\n    +materialized: view\nseeds:\n  warm:\n    +schema: raw\n",
    'profiles.yml': `warm:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "${join(dir, 'warm.duckdb')}"\n      schema: main\n      threads: 2\n`,
    'seeds/orders.csv': 'id,amount,status\n1,10,placed\n2,20,shipped\n3,5,placed\n',
    'macros/double.sql': "{% macro double(col) %}({{ col }} * 2){% endmacro %}\n{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n",
    'models/sources.yml': "version: 2\nsources:\n  - name: raw\n    schema: main_raw\n    tables:\n      - name: orders\n        columns:\n          - name: id\n            data_tests: [unique, not_null]\n",
    'models/schema.yml': "version: 2\nmodels:\n  - name: m11\n    description: '{{ doc(\"m11\") }}'\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - not_null\n          - relationships: {to: ref('m0'), field: id}\n      - name: amount\n        data_tests: [positive]\n",
    'models/docs.md': '{% docs m11 %}The last model.{% enddocs %}\n',
    'tests/no_negative.sql': "select * from {{ ref('m3') }} where amount < 0\n",
    ...models,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** Writes root/dist/bundle/cli.v8cache; false (and why, on stderr) when it could not. */
export async function warmCodeCache(root) {
  const out = join(root, 'dist/bundle');
  const bundle = join(out, 'cli.cjs');
  if (!statSync(bundle, { throwIfNoEntry: false })) return false;
  const { makeCodeCache } = await import(pathToFileURL(join(out, 'code-cache.js')).href);
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-warm-'));
  rmSync(join(out, 'cli.v8cache'), { force: true });
  try {
    warmProject(dir);
    await makeCodeCache(bundle, async ({ runCli }) => {
      const log = [];
      const streams = { stdout: (t) => log.push(t), stderr: (t) => log.push(t) };
      const args = ['--project-dir', dir, '--profiles-dir', dir];
      for (const command of [['parse', '--no-partial-parse'], ['seed'], ['build'], ['compile'], ['docs', 'generate'], ['parse'], ['parse', '--no-partial-parse']]) {
        const code = await runCli([...command, ...args], streams, { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' }, dir);
        if (code !== 0) throw new Error(`tsdbt ${command.join(' ')} exited ${code}:\n${log.join('').slice(-2000)}`);
      }
    });
    return true;
  } catch (e) {
    rmSync(join(out, 'cli.v8cache'), { force: true });
    process.stderr.write(`scripts/warm-code-cache.mjs: no code cache built (${e.message.split('\n')[0]}); the CLI compiles as it runs\n`);
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await warmCodeCache(resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..')));
}
