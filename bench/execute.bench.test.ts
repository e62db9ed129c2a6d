/**
 * Execution overhead on DuckDB.
 *
 *   npx vitest run --config bench/vitest.config.ts
 *
 * 1. SyncBridge: one blocking round trip vs an async call on the same driver.
 * 2. Per-node overhead of view and table models: wall time minus time in the database.
 * 3. `run` on a generated 1,000-model project vs replaying the same statements
 *    directly through @duckdb/node-api in one script (the floor).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { it } from 'vitest';
import { SyncBridge } from '../src/adapters/base/sync-bridge.js';
import { duckdbOpener } from '../src/adapters/duckdb/duckdb-open.js';
import { run } from '../src/api/run.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-'));
  const all = {
    'dbt_project.yml': 'name: bench\nprofile: bench\nconfig-version: 2\n',
    'profiles.yml': 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 4\n',
    ...files,
  };
  for (const [p, t] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

it('SyncBridge round trip', async () => {
  const bridge = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: ':memory:' }, projectDir: '/' }));
  const n = 5000;
  for (let i = 0; i < 200; i++) bridge.pingSync();
  let t = performance.now();
  for (let i = 0; i < n; i++) bridge.pingSync();
  const ping = (performance.now() - t) / n;
  t = performance.now();
  for (let i = 0; i < n; i++) bridge.executeSync('select 1');
  const viaBridge = (performance.now() - t) / n;
  await bridge.close();
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (let i = 0; i < 200; i++) await conn.runAndReadAll('select 1');
  t = performance.now();
  for (let i = 0; i < n; i++) await conn.runAndReadAll('select 1');
  const direct = (performance.now() - t) / n;
  conn.closeSync();
  console.log(`[bridge] empty round trip ${ms(ping)}; 'select 1' through the bridge ${ms(viaBridge)} vs direct async ${ms(direct)} (overhead ${ms(viaBridge - direct)} per call)`);
});

it('per-node overhead of view and table models', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 150; i++) {
    files[`models/v_${i}.sql`] = `select ${i} as id, 'x' as name`;
    files[`models/t_${i}.sql`] = `{{ config(materialized='table') }}select ${i} as id, 'x' as name`;
  }
  const dir = project(files);
  await run({ projectDir: dir, profilesDir: dir, env: {} });
  const r = await run({ projectDir: dir, profilesDir: dir, env: {} });
  for (const kind of ['view', 'table']) {
    const rs = r.results.filter((x) => x.node.config.materialized === kind);
    const wall = rs.reduce((a, x) => a + x.execution_time * 1000, 0) / rs.length;
    const sql = rs.reduce((a, x) => a + x.sql_ms, 0) / rs.length;
    const stmts = rs.reduce((a, x) => a + x.statements.length, 0) / rs.length;
    console.log(`[per-node] ${kind}: wall ${ms(wall)}, in database ${ms(sql)}, overhead ${ms(wall - sql)} (${stmts.toFixed(1)} statements per node, rebuild of an existing relation)`);
  }
});

it('run of a 1,000-model project vs the statements replayed directly', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) {
    const parents = i === 0 ? [] : [Math.floor(i / 2), Math.floor(i / 3)].filter((p, k, a) => a.indexOf(p) === k);
    const from = parents.length ? parents.map((p) => `select id + ${i} as id from {{ ref('m_${p}') }}`).join(' union all ') : 'select 1 as id';
    const mat = i % 4 === 0 ? "{{ config(materialized='table') }}" : '';
    files[`models/m_${i}.sql`] = `${mat}${from}`;
  }
  const dir = project(files);
  const started = performance.now();
  const r = await run({ projectDir: dir, profilesDir: dir, env: {} });
  const total = performance.now() - started;
  const failed = r.results.filter((x) => x.status !== 'success').length;
  const firstStart = Math.min(...r.results.map((x) => Date.parse(x.timing[0]?.started_at ?? '') || Infinity));
  const inNodes = r.results.reduce((a, x) => a + x.execution_time * 1000, 0);
  const inDb = r.results.reduce((a, x) => a + x.sql_ms, 0);
  console.log(`[1000 models] before the first node (load, parse, select, connect) ${ms(firstStart - (Date.now() - total))}; in nodes ${ms(inNodes)} of which waiting on the database ${ms(inDb)}`);
  const statements = r.results.flatMap((x) => x.statements).filter((s) => !/information_schema/.test(s));
  // The floor: the same DDL, in the same order, straight through the driver in this process.
  const replayDirect = async () => {
    const floorDir = mkdtempSync(join(tmpdir(), 'tsdbt-floor-'));
    const t0 = performance.now();
    const instance = await DuckDBInstance.create(join(floorDir, 'dev.duckdb'));
    const conn = await instance.connect();
    for (const s of statements) await conn.run(s === 'begin' ? 'begin transaction' : s);
    conn.closeSync();
    instance.closeSync();
    return performance.now() - t0;
  };
  // The same replay through the SyncBridge, to separate the bridge's cost from tsdbt's own.
  const replayBridge = async () => {
    const floorDir = mkdtempSync(join(tmpdir(), 'tsdbt-floor-'));
    const t0 = performance.now();
    const bridge = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: join(floorDir, 'dev.duckdb') }, projectDir: '/' }));
    for (const s of statements) {
      if (s === 'begin') bridge.beginSync();
      else if (s === 'commit') bridge.commitSync();
      else bridge.executeSync(s);
    }
    await bridge.close();
    return performance.now() - t0;
  };
  const floor = await replayDirect();
  const viaBridge = await replayBridge();
  const floor2 = await replayDirect();
  console.log(`[1000 models] tsdbt run ${ms(total)} (${r.results.length} results, ${failed} not success, ${statements.length} statements); direct replay ${ms(floor)} / ${ms(floor2)}; replay through the SyncBridge ${ms(viaBridge)}; ratio ${(total / Math.min(floor, floor2)).toFixed(2)}x`);
});
