// `tsdbt run` of a 1,000-model project vs the same statements replayed straight
// through @duckdb/node-api in one script (the floor). Uses the built CLI.
// Run: npm run build && node bench/run-vs-floor.bench.mjs [models]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const models = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-run-bench-'));
mkdirSync(join(dir, 'models'));
writeFileSync(join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\nconfig-version: 2\n');
writeFileSync(join(dir, 'profiles.yml'), 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n');
for (let i = 0; i < models; i++) {
  const parents = i === 0 ? [] : [...new Set([Math.floor(i / 2), Math.floor(i / 3)])];
  const from = parents.length ? parents.map((p) => `select id + ${i} as id from {{ ref('m_${p}') }}`).join(' union all ') : 'select 1 as id';
  writeFileSync(join(dir, 'models', `m_${i}.sql`), `${i % 4 === 0 ? "{{ config(materialized='table') }}" : ''}${from}\n`);
}
const { run: tsdbtRun } = await import('../dist/api/run.js');
const opts = { projectDir: dir, env: {} };
await tsdbtRun(opts); // first build: creates everything
mkdirSync(join(dir, 'floor'));
execFileSync('cp', [join(dir, 'dev.duckdb'), join(dir, 'floor', 'dev.duckdb')]); // same name: statements say "dev"
const t0 = performance.now();
const result = await tsdbtRun(opts); // measured: a rebuild (load, parse, select, connect, 1,000 nodes, artifacts)
const run = performance.now() - t0;
// The floor: every statement tsdbt ran in that rebuild, replayed on a copy of the database as it was before.
const statements = result.results.flatMap((r) => r.statements ?? []);
const t1 = performance.now();
const inst = await DuckDBInstance.create(join(dir, 'floor', 'dev.duckdb'));
const conn = await inst.connect();
for (const s of statements) await conn.run(s === 'begin' ? 'begin transaction' : s);
conn.closeSync();
inst.closeSync();
const floor = performance.now() - t1;
console.log(`tsdbt run (rebuild of ${models} models, whole process): ${(run / 1000).toFixed(2)} s`);
console.log(`floor (the same ${statements.length} statements, one script): ${(floor / 1000).toFixed(2)} s`);
console.log(`ratio ${(run / floor).toFixed(2)}x (target < 1.5x); tsdbt's own time per node ${((run - floor) / models).toFixed(2)} ms`);
rmSync(dir, { recursive: true, force: true });
