// `tsdbt run` of the 1,000-model project with --threads 1 and 4, against the
// floor (the same statements replayed through @duckdb/node-api in one
// script), plus what a render worker's startup costs: a full load + parse (what
// each worker does today) vs a structured clone of the parsed manifest (the
// alternative of shipping it).
// Run: npm run build && node bench/threads.bench.mjs [models]
// (The floor ratios at threads 1, 2, 4 for table models and data tests, as a table: bench/run-overhead.bench.mjs.)
import { rmSync } from 'node:fs';
import { makeRebuildProject, replayFloor, saveFloorCopy } from './rebuild-project.mjs';

const models = Number(process.argv[2] ?? 1000);
const dir = makeRebuildProject(models, 'tsdbt-threads-bench-');
const { run: tsdbtRun } = await import('../dist/api/run.js');
const { loadProject } = await import('../dist/api/load-project.js');
const { parseLoaded } = await import('../dist/api/parse-phase.js');
const opts = { projectDir: dir, env: {} };
await tsdbtRun(opts); // first build: creates everything
saveFloorCopy(dir);

const time = async (label, runOpts) => {
  const t0 = performance.now();
  const result = await tsdbtRun({ ...opts, ...runOpts });
  const ms = performance.now() - t0;
  const bad = result.results.filter((r) => r.status !== 'success').length;
  if (bad) throw new Error(`${label}: ${bad} nodes did not succeed`);
  return { ms, result };
};
const t1 = await time('threads 1', { threads: 1 });
const t1w = await time('threads 1 (worker)', { threads: 1, signal: new AbortController().signal });
const t2 = await time('threads 2', { threads: 2 });
const t4 = await time('threads 4', { threads: 4 });

const statements = t1.result.results.flatMap((r) => r.statements ?? []);
const floor = await replayFloor(dir, statements);

// A render worker's setup: load + parse (today) vs receiving the manifest by structured clone.
const p0 = performance.now();
const loaded = loadProject(opts);
const parsed = parseLoaded(loaded);
const parseMs = performance.now() - p0;
const c0 = performance.now();
structuredClone(parsed.manifest);
const cloneMs = performance.now() - c0;

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`${models} models (rebuild; load, parse, select, connect, nodes, artifacts), machine with ${(await import('node:os')).availableParallelism()} cores:`);
const vs = (ms) => `${s(ms)} (${(ms / floor).toFixed(2)}x the floor)`;
console.log(`  threads 1, in-process (API without signal): ${vs(t1.ms)}`);
console.log(`  threads 1, one render worker (as the CLI runs): ${vs(t1w.ms)}`);
console.log(`  threads 2: ${vs(t2.ms)}`);
console.log(`  threads 4: ${vs(t4.ms)}`);
console.log(`  floor (the same ${statements.length} statements, one connection, one script): ${s(floor)}`);
console.log(`render worker setup: load + parse ${parseMs.toFixed(0)} ms; structured clone of the manifest ${cloneMs.toFixed(0)} ms`);
rmSync(dir, { recursive: true, force: true });
