#!/usr/bin/env node
// Long fuzz campaign of the Jinja engine and its sandbox (tests/jinja/sandbox/fuzz.test.ts
// with more cases): node bench/fuzz-jinja.mjs [cases per property, default 50000] [seed]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = process.argv[2] ?? '50000';
const seed = process.argv[3] ?? String(Date.now() % 2 ** 31);
console.log(`fuzz-jinja: ${runs} cases per property, seed ${seed}`);
const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync('npx', ['vitest', 'run', 'tests/jinja/sandbox/fuzz.test.ts', '--testTimeout', '0'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(r.status ?? 1);
