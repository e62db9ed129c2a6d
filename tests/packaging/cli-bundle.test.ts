import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_HEAD, BUNDLE_TAIL } from '../../src/cli/code-cache.js';
import { blankedArtifact } from '../support/blanked-artifact.js';
import { makeProject } from '../support/project-fixture.js';
import { startSnowflakeDouble } from '../support/snowflake-double/snowflake-double.js';

/**
 * The CLI as `npm run build` leaves it: tsc's dist/ bundled by scripts/bundle.mjs
 * into dist/bundle/, which bin/tsdbt.js loads unless a later tsc build made it
 * stale. The bundle is built into a scratch copy of the package (never the
 * repository's dist/, which other test files run at the same time), and the
 * tsc output beside it is replaced by a stub, so a command that works can only
 * have run from the bundle, workers included.
 */
const repo = resolve(__dirname, '../..');
const pkg = mkdtempSync(join(tmpdir(), 'tsdbt bundle-'));
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

const STUB_MAIN = "export async function runCli() { process.stdout.write('unbundled dist/cli\\n'); return 0; }\n";
const STUB_STREAMS = 'export function processStreams(stdout, stderr) { return { streams: { stdout: (t) => stdout.write(t), stderr: (t) => stderr.write(t) }, finish: (c) => c }; }\n';
const PAST = new Date('2020-01-01T00:00:00Z');
const FUTURE = new Date(Date.now() + 3_600_000);

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/cli/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'pipe' });
  cpSync(join(repo, 'bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(repo, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (src) => src !== join(repo, 'dist/bundle') });
  for (const link of ['node_modules', 'src', 'project']) symlinkSync(join(repo, link), join(pkg, link));
  execFileSync(process.execPath, [join(repo, 'scripts/bundle.mjs'), pkg], { stdio: 'pipe' });
  // Only the bundle is left; dist/cli/main.js becomes a stub older than it.
  for (const entry of readdirSync(join(pkg, 'dist'))) if (entry !== 'bundle') rmSync(join(pkg, 'dist', entry), { recursive: true });
  mkdirSync(join(pkg, 'dist/cli'));
  writeFileSync(join(pkg, 'dist/cli/main.js'), STUB_MAIN);
  writeFileSync(join(pkg, 'dist/cli/process-streams.js'), STUB_STREAMS);
  utimesSync(join(pkg, 'dist/cli/main.js'), PAST, PAST);
  // Module loads are logged by a hook (the light path must stay light).
  writeFileSync(join(pkg, 'log-hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { if (url.startsWith('file:')) appendFileSync(process.env.LOAD_LOG, url + '\\n'); return next(url, context); }\n");
  writeFileSync(join(pkg, 'log-loads.mjs'), "import { register } from 'node:module';\nregister('./log-hooks.mjs', import.meta.url);\n");
  // CommonJS loads (require(), in every thread: --require runs in workers too) are logged by a preload.
  writeFileSync(
    join(pkg, 'log-requires.cjs'),
    "const Module = require('node:module');\nconst { appendFileSync } = require('node:fs');\nconst load = Module._load;\nModule._load = function (request, parent, isMain) {\n  const out = load.apply(this, arguments);\n  appendFileSync(process.env.REQUIRE_LOG, Module._resolveFilename(request, parent, isMain) + '\\n');\n  return out;\n};\n",
  );
}, 120_000);

function tsdbt(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, join(pkg, 'bin/tsdbt.js'), ...args], { encoding: 'utf8', env: { ...process.env, TSDBT_BUNDLE: '', TSDBT_CODE_CACHE: '', TSDBT_CODE_CACHE_DIR: join(pkg, 'code-cache'), ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The bundle's ES modules a command loaded, and their bytes (TSDBT_CODE_CACHE=0: not cli.cjs, which loads whole). */
function loadedBundle(args: string[]) {
  const log = join(pkg, `loads-${Math.random().toString(36).slice(2)}.log`);
  const r = tsdbt(args, { LOAD_LOG: log, TSDBT_CODE_CACHE: '0' }, ['--import', join(pkg, 'log-loads.mjs')]);
  expect(r.stderr).toBe('');
  const files = readFileSync(log, 'utf8').trim().split('\n').filter((u) => u.includes('/dist/bundle/')).map((u) => fileURLToPath(u));
  return { files, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

const PROJECT = {
  'models/stg_orders.sql': "select * from {{ ref('orders') }}",
  'models/mart_totals.sql': "select customer, sum(amount) as total from {{ ref('stg_orders') }} group by customer",
  'models/mart_counts.sql': "{{ config(materialized='table') }}\nselect customer, count(*) as n from {{ ref('stg_orders') }} group by customer",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: mart_totals\n    columns:\n      - name: customer\n        data_tests: [unique, not_null]\n',
  'seeds/orders.csv': 'customer,amount\nann,10\nann,5\nbob,7\n',
};

/** `dir`'s profiles.yml: test_profile on a DuckDB file at `path` (schema main), with `threads` when given. */
function writeDuckdbProfile(dir: string, path: string, threads?: number): void {
  writeFileSync(join(dir, 'profiles.yml'), `test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "${path}"\n      schema: main\n${threads === undefined ? '' : `      threads: ${threads}\n`}`);
}

describe('the CLI bundle (dist/bundle)', () => {
  it('holds every worker entry point, and snowflake-sdk only as a dynamic import', () => {
    const files = readdirSync(join(pkg, 'dist/bundle'));
    expect(files).toEqual(expect.arrayContaining(['main.js', 'process-streams.js', 'render-worker.js', 'execution.js', 'duckdb-open.js', 'snowflake-open.js', 'sync-bridge-worker.js']));
    const text = files.map((f) => readFileSync(join(pkg, 'dist/bundle', f), 'utf8')).join('\n');
    expect(text).not.toMatch(/(from|import)\s*["']snowflake-sdk["']|require\(["']snowflake-sdk["']\)/);
    expect(text).toContain('import("snowflake-sdk")');
  });

  it('parses, seeds, runs at --threads 2 and tests a project in DuckDB from the bundle alone', async () => {
    const dir = makeProject(PROJECT);
    const db = join(dir, 'warehouse.duckdb');
    writeDuckdbProfile(dir, db, 1);
    const parse = tsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(parse.stderr).toBe('');
    expect(parse.stdout).toContain('Found 3 models, 1 seed, 2 data tests');
    expect(parse.stdout).not.toContain('unbundled');
    const build = tsdbt(['build', '--threads', '2', '--project-dir', dir, '--profiles-dir', dir]);
    expect(build.stdout).toMatch(/PASS=6 WARN=0 ERROR=0 SKIP=0/);
    expect(build.code).toBe(0);
    const instance = await DuckDBInstance.create(db);
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll('select customer, total::int as total from main.mart_totals order by customer')).getRowObjects();
    const counts = (await conn.runAndReadAll('select customer, n::int as n from main.mart_counts order by customer')).getRowObjects();
    conn.closeSync();
    instance.closeSync();
    expect(rows).toEqual([{ customer: 'ann', total: 15 }, { customer: 'bob', total: 7 }]);
    expect(counts).toEqual([{ customer: 'ann', n: 2 }, { customer: 'bob', n: 1 }]);
  });

  it('runs a Snowflake target (the wire double on 127.0.0.1): snowflake-sdk loads from node_modules, its worker from the bundle', async () => {
    const double = await startSnowflakeDouble({ databases: ['ANALYTICS'], schemas: ['ANALYTICS.DBT_TEST'] });
    try {
      const dir = makeProject({
        'models/one.sql': "{{ config(materialized='table') }}\nselect 1 as id",
        'profiles.yml': `test_profile:\n  target: sf\n  outputs:\n    sf:\n      type: snowflake\n      account: acme\n      user: TSDBT_USER\n      password: secret-pw\n      database: ANALYTICS\n      warehouse: COMPUTE_WH\n      schema: DBT_TEST\n      protocol: http\n      host: 127.0.0.1\n      port: ${double.port}\n      threads: 2\n`,
      });
      // The double answers on this process's event loop: the CLI runs asynchronously.
      const out = await new Promise<string>((done, fail) =>
        execFile(process.execPath, [join(pkg, 'bin/tsdbt.js'), 'run', '--project-dir', dir, '--profiles-dir', dir], { encoding: 'utf8', timeout: 120_000 }, (e, stdout, stderr) => (e ? fail(new Error(`${e.message}\n${stdout}\n${stderr}`)) : done(stdout))),
      );
      expect(out).toContain('Registered adapter: snowflake=');
      expect(out).toMatch(/Done\. PASS=1 WARN=0 ERROR=0 SKIP=0/);
    } finally {
      await double.close();
    }
  });

  it('opens the database through the connection worker bin/tsdbt.js started before the CLI loaded (early-connection-worker.ts): the same results and errors as one started after', () => {
    const dir = makeProject(PROJECT);
    const db = join(dir, 'warehouse.duckdb');
    writeDuckdbProfile(dir, db, 1);
    const args = ['build', '--project-dir', dir, '--profiles-dir', dir, '--debug'];
    const EARLY = 'Connection worker: started by bin/tsdbt.js before the CLI loaded';
    const early = tsdbt(args);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain(EARLY);
    expect(early.stdout).toMatch(/PASS=6 WARN=0 ERROR=0 SKIP=0/);
    const after = tsdbt(args, { TSDBT_EARLY_CONNECTION: '0' });
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain(EARLY);
    expect(after.stdout).toMatch(/PASS=6 WARN=0 ERROR=0 SKIP=0/);
    expect(tsdbt(args, { TSDBT_FAST_PATHS: '0' }).stdout).not.toContain(EARLY);
    // A command named with its subcommand (docs generate: docs serve opens no database).
    const docs = tsdbt(['docs', 'generate', '--project-dir', dir, '--profiles-dir', dir, '--debug']);
    expect(docs.code).toBe(0);
    expect(docs.stdout).toContain(EARLY);
    // A database that cannot be opened (its folder is a file): the same located error and exit code either way.
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder');
    writeDuckdbProfile(dir, join(dir, 'blocker/db.duckdb'));
    const compile = ['compile', '--project-dir', dir, '--profiles-dir', dir];
    const failedEarly = tsdbt(compile);
    const failedAfter = tsdbt(compile, { TSDBT_EARLY_CONNECTION: '0' });
    expect(failedEarly.code).toBe(2);
    expect(failedAfter.code).toBe(2);
    expect(failedEarly.stderr).toMatch(/\[DATABASE_OPEN\] Could not open the DuckDB database at .*blocker\/db\.duckdb: IO Error: .*Not a directory/);
    expect(failedEarly.stderr).toBe(failedAfter.stderr);
  });

  it('parses the properties YAML on the worker bin/tsdbt.js started before the CLI loaded (early-yaml-worker.ts) when the parse is a full one: the same manifest as one started after', () => {
    // ~370 KB of properties YAML: enough for a worker (PrefetchedYaml's least).
    const tables = Array.from({ length: 400 }, (_, i) => `      - name: t${i}\n        description: "table ${i} ${'x'.repeat(800)}"\n        columns:\n          - name: id\n            data_tests: [not_null]\n`).join('');
    const dir = makeProject({ ...PROJECT, 'models/sources.yml': `version: 2\nsources:\n  - name: raw\n    tables:\n${tables}` });
    writeDuckdbProfile(dir, join(dir, 'warehouse.duckdb'));
    const args = ['parse', '--project-dir', dir, '--profiles-dir', dir, '--debug'];
    const EARLY = 'YAML worker: started by bin/tsdbt.js before the CLI loaded';
    // (Whatever the load of the machine running the tests.)
    const always = { TSDBT_YAML_WORKER: 'always' };
    const early = tsdbt(args, always);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain(EARLY);
    expect(early.stdout).toMatch(/Found 3 models, 1 seed, 402 data tests, 400 sources/);
    const earlyManifest = blankedArtifact(join(dir, 'target/manifest.json'));
    // A parse cache is there: the next parse is not a full one, and no worker is started early.
    expect(tsdbt(args, always).stdout).not.toContain(EARLY);
    // Partial parsing off: a full parse again.
    expect(tsdbt([...args, '--no-partial-parse'], always).stdout).toContain(EARLY);
    rmSync(join(dir, 'target'), { recursive: true });
    const after = tsdbt(args, { ...always, TSDBT_EARLY_YAML: '0' });
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain(EARLY);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(earlyManifest);
    rmSync(join(dir, 'target'), { recursive: true });
    expect(tsdbt(args, { ...always, TSDBT_FAST_PATHS: '0' }).stdout).not.toContain(EARLY);
  });

  it('holds the CLI as one strict CommonJS file, its package imports made through the code cache loader (cli.cjs)', () => {
    const text = readFileSync(join(pkg, 'dist/bundle/cli.cjs'), 'utf8');
    // Written inside the function the loader runs it in (code-cache.ts BUNDLE_HEAD), strict from its first line.
    expect(text.startsWith(`${BUNDLE_HEAD}"use strict";\n`)).toBe(true);
    expect(text.endsWith(BUNDLE_TAIL)).toBe(true);
    expect([...text.matchAll(/__tsdbtImport\("([^"]+)"\)/g)].map((m) => m[1]).sort()).toEqual(['chalk', 'snowflake-sdk', 'undici']);
    expect(text).not.toMatch(/(?<![\w$.])import\(["']/);
    // ASCII, so the loader reads it as latin1 (code-cache.ts bundleText): a character esbuild keeps unescaped
    // (in a comment, a regular expression, a raw template) would slow every command's start by 15-35 ms.
    expect(text.split('\n').flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${i + 1}: ${line.trim().slice(0, 80)}`] : []))).toEqual([]);
    // The first parse of a project runs it (no parse cache to make a quick start likely): a cache of its own is written.
    const dir = makeProject(PROJECT);
    const own = join(pkg, 'code-cache-own');
    const r = tsdbt(['parse', '--debug', '--project-dir', dir, '--profiles-dir', dir], { TSDBT_CODE_CACHE_DIR: own });
    expect(r.stdout).toMatch(/Code cache: none yet \(written at exit\): .*cli-[0-9a-f]{16}-parse\.v8cache/);
    expect(readdirSync(own).filter((f) => f.endsWith('.v8cache'))).toEqual([expect.stringMatching(/-parse\.v8cache$/)]);
  });

  it('opens DuckDB through duckdb-lib.cjs: none of @duckdb/node-api\'s own files load, its native binding does', () => {
    const dir = makeProject(PROJECT);
    writeDuckdbProfile(dir, join(dir, 'warehouse.duckdb'));
    const log = join(pkg, `requires-${Math.random().toString(36).slice(2)}.log`);
    const r = tsdbt(['seed', '--project-dir', dir, '--profiles-dir', dir], { REQUIRE_LOG: log }, ['--require', join(pkg, 'log-requires.cjs')]);
    expect(r.stdout).toMatch(/PASS=1 WARN=0 ERROR=0 SKIP=0/);
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    expect(loaded).toContain(join(pkg, 'dist/bundle/duckdb-lib.cjs'));
    expect(loaded.filter((f) => f.includes('@duckdb/node-api'))).toEqual([]);
    expect(loaded.some((f) => f.endsWith('.node') && f.includes('@duckdb/node-bindings'))).toBe(true);
  });

  it('loads the yaml package (yaml-lib.cjs) only for YAML the block reader declines and for fromyaml', () => {
    const yamlCode = (files: string[]) => files.filter((f) => readFileSync(f, 'utf8').includes('YAMLMap'));
    const dir = makeProject(PROJECT);
    const plain = loadedBundle(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(yamlCode(plain.files)).toEqual([]);
    expect(readdirSync(join(pkg, 'dist/bundle'))).toContain('yaml-lib.cjs');
    // An alias (the block reader declines it) and fromyaml in a model: both read through the package, from the bundle.
    writeFileSync(join(dir, 'models/schema.yml'), 'version: 2\nmodels:\n  - name: mart_totals\n    meta: &m {owner: ann}\n    columns:\n      - name: customer\n        meta: *m\n');
    writeFileSync(join(dir, 'models/mart_counts.sql'), "{{ config(materialized='table', tags=[fromyaml('a: [x, y]')['a'][1]]) }}\nselect 1 as n");
    const r = tsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const nodes = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).nodes;
    expect(nodes['model.test_project.mart_totals'].meta).toEqual({ owner: 'ann' });
    expect(nodes['model.test_project.mart_totals'].columns.customer.meta).toEqual({ owner: 'ann' });
    expect(nodes['model.test_project.mart_counts'].tags).toEqual(['y']);
  });

  it('a parse with nothing changed loads only small chunks, a fraction of a full parse', () => {
    const dir = makeProject(PROJECT);
    // Files written this very second are not trusted unchanged by the parse cache: date them back.
    for (const f of ['dbt_project.yml', 'profiles.yml', ...Object.keys(PROJECT)]) utimesSync(join(dir, f), PAST, PAST);
    const full = loadedBundle(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const quick = loadedBundle(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(quick.files.length).toBeLessThan(25);
    expect(quick.bytes).toBeLessThan(full.bytes / 4);
    expect(full.files.length).toBeGreaterThan(quick.files.length);
  });

  it('stats the input files on a worker while the CLI loads (bin/tsdbt.js, src/util/pre-stat.ts): a one-model edit is found through it', () => {
    const dir = makeProject(PROJECT);
    for (const f of ['dbt_project.yml', 'profiles.yml', ...Object.keys(PROJECT)]) utimesSync(join(dir, f), PAST, PAST);
    const args = ['parse', '--project-dir', dir, '--profiles-dir', dir, '--debug'];
    // TSDBT_PRESTAT=1: the worker starts only when asked.
    const run = (a: string[], env: Record<string, string> = {}) => tsdbt(a, { TSDBT_PRESTAT: '1', ...env });
    expect(run(args).stdout).not.toContain('on a worker while the CLI loaded');
    expect(existsSync(join(dir, 'target/partial_parse.folders.json'))).toBe(true);
    writeFileSync(join(dir, 'models/mart_totals.sql'), `${PROJECT['models/mart_totals.sql']}\n-- edited\n`);
    const edited = run(args);
    expect(edited.stdout).toContain("Partial parsing: input files stat'ed on a worker while the CLI loaded");
    expect(edited.stdout).toContain('1 files changed');
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.test_project.mart_totals'].raw_code).toContain('-- edited');
    // Off with --no-partial-parse and TSDBT_FAST_PATHS=0.
    expect(run([...args, '--no-partial-parse']).stdout).not.toContain('on a worker while the CLI loaded');
    expect(run(args, { TSDBT_FAST_PATHS: '0' }).stdout).not.toContain('on a worker while the CLI loaded');
    // With the worker off, the quick start's own stats serve the check.
    writeFileSync(join(dir, 'models/mart_totals.sql'), `${PROJECT['models/mart_totals.sql']}\n-- edited again\n`);
    const alone = run(args, { TSDBT_PRESTAT: '0' });
    expect(alone.stdout).toContain('1 files changed');
    expect(alone.stdout).not.toContain('on a worker while the CLI loaded');
  });

  it('is used only while it is at least as new as dist/cli/main.js, and never with TSDBT_BUNDLE=0', () => {
    const main = join(pkg, 'dist/cli/main.js');
    const bundled = join(pkg, 'dist/bundle/main.js');
    try {
      expect(tsdbt(['--help']).stdout).toContain('Usage: tsdbt <command>');
      utimesSync(main, FUTURE, FUTURE); // a tsc build after the bundle
      expect(tsdbt(['--help']).stdout).toBe('unbundled dist/cli\n');
      utimesSync(main, PAST, PAST);
      expect(tsdbt(['--help'], { TSDBT_BUNDLE: '0' }).stdout).toBe('unbundled dist/cli\n');
      utimesSync(main, PAST, PAST); // the same date (npm pack gives every file one)
      utimesSync(bundled, PAST, PAST);
      expect(tsdbt(['--help']).stdout).toContain('Usage: tsdbt <command>');
    } finally {
      utimesSync(main, PAST, PAST);
      utimesSync(bundled, FUTURE, FUTURE);
    }
  });
});
