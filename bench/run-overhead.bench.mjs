// Run overhead against the floor (issue #18): `tsdbt run` of N trivial table
// models and `tsdbt test` of M data tests, at --threads 1, 2 and 4, as the CLI
// runs them (a child process: start-up, parse, render workers, console output,
// logs and artifacts included), against the floor: the very requests tsdbt's
// connection sent to DuckDB in a run at that thread count (every statement,
// introspection, begin, commit and rollback, recorded by
// bench/traced-duckdb-open.mjs), replayed with @duckdb/node-api in this script.
// For threads 1 the floor is every request in the order sent, through one
// connection; for threads N it is each of the run's connections replayed on a
// connection of its own, concurrently (see replayTrace).
//
// Each figure is the best of R rounds, taken in turn (the machine is shared:
// the best is the least disturbed), as wall time and as CPU time (user + sys
// of the whole process, DuckDB's threads included: the CLI's from
// /usr/bin/time, the floor's from process.cpuUsage); prefer CPU ratios when
// the load average printed with them is high.
// Run: npx tsc -p tsconfig.build.json && node bench/run-overhead.bench.mjs [models=1000] [tests=6000] [rounds=2] [--api]
// (--api: time runNodeCommand in this process instead of the CLI; THREADS=1,4 picks the thread counts; 0 models or
// tests leaves that workload out.)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTrace } from './rebuild-project.mjs';
import { tracedDuckDB } from './traced-duckdb-open.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const api = process.argv.includes('--api');
const models = Number(args[0] ?? 1000);
const tests = Number(args[1] ?? 6000);
const rounds = Number(args[2] ?? 2);
const THREADS = (process.env.THREADS ?? '1,2,4').split(',').map(Number);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'tsdbt.js');
const { runNodeCommand } = await import('../dist/api/run.js');
const { registerConnectionOpener } = await import('../dist/api/connection-openers.js');
const { duckdbOpener } = await import('../dist/adapters/duckdb/duckdb-open.js');

function project(prefix, files) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\nconfig-version: 2\n');
  writeFileSync(join(dir, 'profiles.yml'), 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n');
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
  return dir;
}

/** N independent table models, each a one-row select. */
function tableModels(n) {
  const files = {};
  for (let i = 0; i < n; i++) files[`models/t_${i}.sql`] = `{{ config(materialized='table') }}\nselect ${i} as id, 'x' as label\n`;
  return project('tsdbt-overhead-tables-', files);
}

/** Tables of 100 rows with 6 column tests each, to make about `n` data tests. */
function testedModels(n) {
  const files = {};
  const yaml = ['version: 2', 'models:'];
  for (let i = 0; i < Math.ceil(n / 6); i++) {
    files[`models/s_${i}.sql`] = `{{ config(materialized='table') }}\nselect range as id, range % 3 as kind from range(100)\n`;
    yaml.push(
      `  - name: s_${i}`,
      '    columns:',
      '      - name: id',
      "        data_tests: [unique, not_null, {relationships: {arguments: {to: \"ref('s_0')\", field: id}}}]",
      '      - name: kind',
      "        data_tests: [not_null, {accepted_values: {arguments: {values: [0, 1, 2]}}}, {unique: {config: {where: 'kind = 5'}}}]",
    );
  }
  files['models/schema.yml'] = yaml.join('\n') + '\n';
  return project('tsdbt-overhead-tests-', files);
}

const signal = () => new AbortController().signal;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function check(which, threads, results) {
  const bad = results.filter((r) => r.status !== 'success' && r.status !== 'pass');
  if (bad.length) throw new Error(`${which} --threads ${threads}: ${bad.length} nodes did not succeed (${bad[0].message})`);
}

/** One timed run of the command: wall and CPU milliseconds. */
async function measure(dir, which, threads) {
  if (api) {
    const [t0, c0] = [performance.now(), cpuMs()];
    const result = await runNodeCommand(which, { projectDir: dir, env: {}, threads, signal: signal() });
    const m = { wall: performance.now() - t0, cpu: cpuMs() - c0 };
    check(which, threads, result.results);
    return m;
  }
  const p = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', process.execPath, CLI, which, '--threads', String(threads), '--project-dir', dir, '--profiles-dir', dir], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (p.status !== 0) throw new Error(`tsdbt ${which} --threads ${threads} exited ${p.status}: ${p.stdout.slice(-2000)}${p.stderr.slice(-2000)}`);
  const [wall, user, sys] = p.stderr.trim().split('\n').pop().split(' ').slice(1).map(Number);
  return { wall: wall * 1000, cpu: (user + sys) * 1000 };
}

/** The requests tsdbt's connections send in one run of `which` at `threads` (untimed). */
async function traceOf(dir, which, threads) {
  const file = join(dir, `trace-${threads}.json`);
  registerConnectionOpener('duckdb', tracedDuckDB(file));
  try {
    const result = await runNodeCommand(which, { projectDir: dir, env: {}, threads, signal: signal() });
    check(which, threads, result.results);
  } finally {
    registerConnectionOpener('duckdb', (loaded) => duckdbOpener({ credentials: loaded.profile.credentials, projectDir: loaded.projectDir }));
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

function saveCopy(dir) {
  rmSync(join(dir, 'floor'), { recursive: true, force: true });
  mkdirSync(join(dir, 'floor'));
  execFileSync('cp', [join(dir, 'dev.duckdb'), join(dir, 'floor', 'dev.duckdb')]);
}

async function row(label, dir, which) {
  // The first run creates everything; measured runs rebuild (run) or re-test (test).
  await runNodeCommand(which === 'test' ? 'run' : which, { projectDir: dir, env: {} });
  saveCopy(dir);
  const traces = {};
  for (const t of THREADS) traces[t] = await traceOf(dir, which, t);
  const best = Object.fromEntries(THREADS.map((t) => [t, { wall: Infinity, cpu: Infinity }]));
  const floor = Object.fromEntries(THREADS.map((t) => [t, { wall: Infinity, cpu: Infinity }]));
  const loads = [];
  for (let k = 0; k < rounds; k++) {
    for (const t of THREADS) {
      loads.push(loadavg()[0]);
      const m = await measure(dir, which, t);
      const [f0, c0] = [performance.now(), cpuMs()];
      await replayTrace(dir, traces[t], t === 1 ? 'one' : 'each');
      const f = { wall: performance.now() - f0, cpu: cpuMs() - c0 };
      for (const [into, from] of [[best[t], m], [floor[t], f]]) {
        into.wall = Math.min(into.wall, from.wall);
        into.cpu = Math.min(into.cpu, from.cpu);
      }
    }
  }
  const requests = Object.fromEntries(THREADS.map((t) => [t, traces[t].length]));
  return { label, best, floor, requests, load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` };
}

const rows = [];
if (models > 0) {
  const t = tableModels(models);
  rows.push(await row(`${api ? 'runNodeCommand' : 'tsdbt'} run, ${models} table models`, t, 'run'));
  rmSync(t, { recursive: true, force: true });
}
if (tests > 0) {
  const d = testedModels(tests);
  rows.push(await row(`${api ? 'runNodeCommand' : 'tsdbt'} test, ${Math.ceil(tests / 6) * 6} data tests`, d, 'test'));
  rmSync(d, { recursive: true, force: true });
}
const s = (ms) => `${(ms / 1000).toFixed(2)}`;
console.log(`machine: ${availableParallelism()} cores; best of ${rounds}; wall s / CPU s (user+sys); ratio = tsdbt / floor`);
console.log(`| workload | load | ${THREADS.map((n) => `threads ${n}: floor | tsdbt | ratio wall, CPU`).join(' | ')} |`);
console.log(`|---|---|${THREADS.map(() => '---|---|---').join('|')}|`);
for (const r of rows) {
  const cells = THREADS.map((n) => {
    const [b, f] = [r.best[n], r.floor[n]];
    return `${s(f.wall)} / ${s(f.cpu)} (${r.requests[n]} requests) | ${s(b.wall)} / ${s(b.cpu)} | **${(b.wall / f.wall).toFixed(2)}x**, ${(b.cpu / f.cpu).toFixed(2)}x`;
  });
  console.log(`| ${r.label} | ${r.load} | ${cells.join(' | ')} |`);
}
