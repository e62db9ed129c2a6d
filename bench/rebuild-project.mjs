// The 1,000-model project the rebuild benchmarks share (run-vs-floor, threads):
// model i unions its parents i/2 and i/3, every fourth a table, the rest
// views; and the floor: the statements of a rebuild replayed straight through
// @duckdb/node-api on a copy of the database as it was before that rebuild.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Write the project (DuckDB profile `dev.duckdb` in it) to a new temporary folder; returns the folder. */
export function makeRebuildProject(models, prefix = 'tsdbt-rebuild-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\nconfig-version: 2\n');
  writeFileSync(join(dir, 'profiles.yml'), 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n');
  for (let i = 0; i < models; i++) {
    const parents = i === 0 ? [] : [...new Set([Math.floor(i / 2), Math.floor(i / 3)])];
    const from = parents.length ? parents.map((p) => `select id + ${i} as id from {{ ref('m_${p}') }}`).join(' union all ') : 'select 1 as id';
    writeFileSync(join(dir, 'models', `m_${i}.sql`), `${i % 4 === 0 ? "{{ config(materialized='table') }}" : ''}${from}\n`);
  }
  return dir;
}

/** Keep a copy of the database as it is now, for replayFloor (same file name: the statements say "dev"). */
export function saveFloorCopy(dir) {
  mkdirSync(join(dir, 'floor'));
  execFileSync('cp', [join(dir, 'dev.duckdb'), join(dir, 'floor', 'dev.duckdb')]);
}

/** Replay `statements` on the saved copy in one connection; returns the milliseconds it took. */
export async function replayFloor(dir, statements) {
  const t0 = performance.now();
  const inst = await DuckDBInstance.create(join(dir, 'floor', 'dev.duckdb'));
  const conn = await inst.connect();
  for (const s of statements) await conn.run(s === 'begin' ? 'begin transaction' : s);
  conn.closeSync();
  inst.closeSync();
  return performance.now() - t0;
}

/**
 * Replay a trace of bench/traced-duckdb-open.mjs on the saved copy (see saveFloorCopy), reading every
 * result as tsdbt does; returns the milliseconds it took. `sessions: 'one'`: every request in the order
 * it was sent, through one connection (the floor of a threads-1 run). `sessions: 'each'`: each of the
 * run's connections replayed on a connection of its own, concurrently (the floor of a threads-N run):
 * first what the coordinator's connection sent before any other one's first request, then all of them
 * at once, then what it sent after the others' last.
 */
export async function replayTrace(dir, records, sessions = 'one') {
  const t0 = performance.now();
  const inst = await DuckDBInstance.create(join(dir, 'floor', 'dev.duckdb'));
  const send = (conn, r) => conn.runAndReadAll(r.op === 'execute' ? r.sql : r.op === 'begin' ? 'begin transaction' : r.op, r.binds);
  const serially = async (conn, rs) => {
    for (const r of rs) await send(conn, r);
  };
  const first = await inst.connect();
  if (sessions === 'one') await serially(first, records);
  else {
    const others = records.map((r, i) => [r, i]).filter(([r]) => r.c !== 0);
    const from = others.length ? others[0][1] : records.length;
    const to = others.length ? others[others.length - 1][1] : records.length - 1;
    await serially(first, records.slice(0, from));
    const byConnection = new Map();
    for (const r of records.slice(from, to + 1)) {
      if (!byConnection.has(r.c)) byConnection.set(r.c, []);
      byConnection.get(r.c).push(r);
    }
    const conns = [];
    await Promise.all([...byConnection].map(async ([c, rs]) => {
      const conn = c === 0 ? first : await inst.connect();
      if (c !== 0) conns.push(conn);
      await serially(conn, rs);
    }));
    await serially(first, records.slice(to + 1));
    for (const conn of conns) conn.closeSync();
  }
  first.closeSync();
  inst.closeSync();
  return performance.now() - t0;
}
