// tsdbt parse of a generated 2,000-model project (8,000 nodes), and `tsdbt --version`.
// Run: npm run build && node bench/parse.bench.mjs [models]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProject } from './generate-project.mjs';

const models = Number(process.argv[2] ?? 2000);
const bin = new URL('../bin/tsdbt.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-'));
generateProject(dir, models);

const time = (args, runs) => {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [bin, ...args], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
};

const version = time(['--version'], 7);
const parse = time(['parse', '--project-dir', dir], 3);
console.log(`tsdbt --version: ${version.toFixed(0)} ms (target < 150 ms)`);
console.log(`tsdbt parse, ${models} models + ${models * 3} tests (${models * 4} nodes): ${(parse / 1000).toFixed(2)} s (target < 2 s; dbt-core 41-72 s => ${(41000 / parse).toFixed(0)}-${(72000 / parse).toFixed(0)}x faster)`);
rmSync(dir, { recursive: true, force: true });
