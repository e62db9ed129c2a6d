/**
 * 6,000 generic tests (unique, not_null, relationships on each of 2,000
 * models) on the generated benchmark project, on DuckDB.
 *
 *   npx vitest run --config bench/vitest.config.ts bench/data-tests.bench.test.ts
 *
 * Builds the models once (`run`, not part of the figure), then times
 * `test`: total wall time, time waiting on DuckDB, and per-test overhead.
 * Target: under 15 s.
 *
 * The models are built as tables: as views, each model unions its whole
 * ancestor chain, so every test query re-plans a tree of hundreds of nested
 * views and DuckDB alone needs ~730 s for the 6,000 queries (measured),
 * which says nothing about tsdbt. BENCH_VIEWS=1 keeps them views.
 *
 * The tables are small (4 to ~32,000 rows, ~500 on average; every id is 0,
 * model_0's, so `unique` fails wherever a model has more than one row and
 * `relationships` always passes). On such tables a query's cost is fixed
 * cost: ~0.3 ms for `select 1` straight on DuckDB, ~0.45 ms through the
 * SyncBridge. Measured with one thread on a shared 2-core machine, before →
 * after issue #4's changes, same load: 20.1 s → 11.5 s (DuckDB 10.9 → 7.4 s,
 * overhead 1.53 → 0.68 ms a test, parse included). What changed:
 * `relationships` is an uncorrelated `not in` (a correlated `not exists`
 * cost DuckDB a delim join, ~1 ms a test); compiled files are written by a
 * worker while the query runs (src/compile/background-writer.ts); `ref()`
 * test arguments are evaluated without compiling a template per test; and
 * the tests of one model run as one query (src/execute/test-batch.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { run, test } from '../src/api/run.js';
// @ts-expect-error plain ESM script without types
import { generateProject } from './generate-project.mjs';

it('6,000 generic tests on the 2,000-model project', async () => {
  const models = Number(process.env.BENCH_MODELS ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-tests-'));
  (generateProject as (d: string, n: number) => void)(dir, models);
  if (!process.env.BENCH_VIEWS) {
    const project = join(dir, 'dbt_project.yml');
    writeFileSync(project, readFileSync(project, 'utf8').replace('+materialized: view', '+materialized: table'));
  }
  const opts = { projectDir: dir, profilesDir: dir, env: {} };
  let t = performance.now();
  const built = await run(opts);
  const runSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const r = await test(opts);
  const wall = (performance.now() - t) / 1000;
  const tests = r.results.filter((x) => x.node.resource_type === 'test');
  const sqlMs = tests.reduce((s, x) => s + x.sql_ms, 0);
  const counts: Record<string, number> = {};
  for (const x of tests) counts[x.status] = (counts[x.status] ?? 0) + 1;
  console.log(`[data tests] run of ${built.results.length} models: ${runSeconds.toFixed(1)} s`);
  console.log(`[data tests] test: ${tests.length} tests in ${wall.toFixed(2)} s (target < 15 s); ${(sqlMs / 1000).toFixed(2)} s in DuckDB; ${(((wall * 1000) - sqlMs) / tests.length).toFixed(2)} ms tsdbt overhead per test; statuses ${JSON.stringify(counts)}`);
  rmSync(dir, { recursive: true, force: true });
});
