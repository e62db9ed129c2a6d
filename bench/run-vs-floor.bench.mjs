// `tsdbt run` of a 1,000-model project vs the same statements replayed straight
// through @duckdb/node-api in one script (the floor). Uses the built CLI.
// Run: npm run build && node bench/run-vs-floor.bench.mjs [models]
import { rmSync } from 'node:fs';
import { makeRebuildProject, replayFloor, saveFloorCopy } from './rebuild-project.mjs';

const models = Number(process.argv[2] ?? 1000);
const dir = makeRebuildProject(models, 'tsdbt-run-bench-');
const { run: tsdbtRun } = await import('../dist/api/run.js');
const opts = { projectDir: dir, env: {} };
await tsdbtRun(opts); // first build: creates everything
saveFloorCopy(dir);
const t0 = performance.now();
const result = await tsdbtRun(opts); // measured: a rebuild (load, parse, select, connect, 1,000 nodes, artifacts)
const run = performance.now() - t0;
// The floor: every statement tsdbt ran in that rebuild, replayed on a copy of the database as it was before.
const statements = result.results.flatMap((r) => r.statements ?? []);
const floor = await replayFloor(dir, statements);
console.log(`tsdbt run (rebuild of ${models} models, whole process): ${(run / 1000).toFixed(2)} s`);
console.log(`floor (the same ${statements.length} statements, one script): ${(floor / 1000).toFixed(2)} s`);
console.log(`ratio ${(run / floor).toFixed(2)}x (target < 1.5x); tsdbt's own time per node ${((run - floor) / models).toFixed(2)} ms`);
rmSync(dir, { recursive: true, force: true });
