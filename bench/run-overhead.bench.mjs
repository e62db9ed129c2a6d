// Run overhead against the floor (issue #18): `run` of N trivial table models
// and `test` of M data tests, at --threads 1, 2 and 4 as the CLI runs them
// (with a cancellation signal, so threads 1 renders in one worker), against
// the floor: the same statements replayed through one @duckdb/node-api
// connection in one script. Each figure is the best of R rounds, taken in
// turn (the machine is shared: the best is the least disturbed); the load
// average is printed with it.
// Run: npx tsc -p tsconfig.build.json && node bench/run-overhead.bench.mjs [models=1000] [tests=6000] [rounds=2]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayFloor } from './rebuild-project.mjs';

const models = Number(process.argv[2] ?? 1000);
const tests = Number(process.argv[3] ?? 6000);
const rounds = Number(process.argv[4] ?? 2);
const THREADS = [1, 2, 4];
const { runNodeCommand } = await import('../dist/api/run.js');

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

async function measure(dir, which, threads) {
  const t0 = performance.now();
  const result = await runNodeCommand(which, { projectDir: dir, env: {}, threads, signal: signal() });
  const ms = performance.now() - t0;
  const bad = result.results.filter((r) => r.status !== 'success' && r.status !== 'pass');
  if (bad.length) throw new Error(`${which} --threads ${threads}: ${bad.length} nodes did not succeed (${bad[0].message})`);
  return { ms, statements: result.results.flatMap((r) => r.statements ?? []), nodes: result.results.length };
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
  const best = Object.fromEntries(THREADS.map((t) => [t, Infinity]));
  let floor = Infinity;
  let nodes = 0;
  for (let k = 0; k < rounds; k++) {
    let statements = [];
    for (const t of THREADS) {
      const m = await measure(dir, which, t);
      best[t] = Math.min(best[t], m.ms);
      if (t === 1) statements = m.statements;
      nodes = m.nodes;
    }
    floor = Math.min(floor, await replayFloor(dir, statements));
  }
  return { label: `${label} (${nodes} nodes)`, floor, best };
}

const load0 = loadavg()[0];
const rows = [];
const t = tableModels(models);
rows.push(await row(`run, ${models} table models`, t, 'run'));
rmSync(t, { recursive: true, force: true });
if (tests > 0) {
  const d = testedModels(tests);
  rows.push(await row(`test, ${tests} data tests`, d, 'test'));
  rmSync(d, { recursive: true, force: true });
}
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`machine: ${availableParallelism()} cores, load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; best of ${rounds}`);
console.log(`| workload | floor | ${THREADS.map((n) => `threads ${n}`).join(' | ')} |`);
console.log(`|---|---|${THREADS.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.label} | ${s(r.floor)} | ${THREADS.map((n) => `${s(r.best[n])} (${(r.best[n] / r.floor).toFixed(2)}x)`).join(' | ')} |`);
