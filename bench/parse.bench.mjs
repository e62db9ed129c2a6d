// tsdbt parse of a generated 2,000-model project (8,000 nodes), and `tsdbt --version`.
// Run: npm run build && node bench/parse.bench.mjs [models] [--runs N] [--compare-with <tsdbt checkout>]
//
// Prints wall-clock medians of the CLI (this box is shared and noisy: read the
// CPU figures too), then a per-phase CPU breakdown measured in-process.
// --compare-with parses the generated project and the bundled project/ with
// this checkout's dist/ and with another checkout's dist/ (e.g. a `git
// worktree` of the previous commit, built), and fails unless the manifests
// are byte-identical apart from generated_at and invocation_id.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateProject } from './generate-project.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [v] = args.splice(i, 2).slice(1);
  return v;
};
const runs = Number(flag('--runs', 5));
const compareWith = flag('--compare-with', undefined);
const models = Number(args[0] ?? 2000);
const here = resolve(new URL('..', import.meta.url).pathname);
const bin = join(here, 'bin/tsdbt.js');
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-'));
generateProject(dir, models);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (cliArgs, n) => {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [bin, ...cliArgs], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
    times.push(performance.now() - t);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
};

/**
 * A child process that parses `project` with the tsdbt at `root`, prints CPU
 * milliseconds per phase as JSON, and, given `out`, writes the manifest with
 * the per-invocation fields and the install path blanked.
 */
const PHASES = `
const [root, project, out] = process.argv.slice(1);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpu();
const { loadProject } = await import(root + '/dist/api/load-project.js');
const { parseLoaded } = await import(root + '/dist/api/parse-phase.js');
const { buildGraph } = await import(root + '/dist/graph/index.js');
const { writeManifest } = await import(root + '/dist/artifacts/manifest-writer.js');
const fs = await import('node:fs');
const t1 = cpu();
const loaded = loadProject({ projectDir: project });
const t2 = cpu();
const result = parseLoaded(loaded, { flags: { WHICH: 'parse' } });
const t3 = cpu();
buildGraph(result.manifest);
const t4 = cpu();
if (out) { result.manifest.metadata.generated_at = ''; result.manifest.metadata.invocation_id = ''; }
const target = fs.mkdtempSync(project + '/target-bench-');
const written = writeManifest(target, result.manifest);
const t5 = cpu();
if (out) fs.writeFileSync(out, fs.readFileSync(written, 'utf8').replaceAll(root, '<tsdbt>'));
fs.rmSync(target, { recursive: true, force: true });
console.log(JSON.stringify({ imports: t1 - t0, load: t2 - t1, parse: t3 - t2, graph: t4 - t3, write: t5 - t4, total: t5 - t0 }));
`;
const phases = (root, project, out) => {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=64', '--input-type=module', '-e', PHASES, root, project, ...(out ? [out] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`phase run failed with ${root}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};

const version = time(['--version'], 7);
const parse = time(['parse', '--project-dir', dir], runs);
console.log(`tsdbt --version: ${version.median.toFixed(0)} ms (target < 150 ms)`);
console.log(
  `tsdbt parse, ${models} models + ${models * 3} tests (${models * 4} nodes): median ${(parse.median / 1000).toFixed(2)} s of ${runs} (min ${(parse.min / 1000).toFixed(2)}, max ${(parse.max / 1000).toFixed(2)}; target < 2 s; dbt-core 41-72 s => ${(41000 / parse.median).toFixed(0)}-${(72000 / parse.median).toFixed(0)}x faster)`,
);
const samples = Array.from({ length: runs }, () => phases(here, dir));
const breakdown = Object.keys(samples[0]).map((k) => `${k} ${median(samples.map((s) => s[k])).toFixed(0)}`);
console.log(`in-process CPU ms (medians; includes GC threads): ${breakdown.join(', ')}`);

let failed = false;
if (compareWith) {
  const other = resolve(compareWith);
  const bundled = mkdtempSync(join(tmpdir(), 'tsdbt-bench-project-'));
  cpSync(realpathSync(join(here, 'project')), bundled, { recursive: true, filter: (p) => !/(^|\/)(target|logs)$|\.duckdb(\.wal)?$/.test(p) });
  for (const [label, project] of [['generated project', dir], ['project/', bundled]]) {
    const a = join(project, 'manifest-this.json');
    const b = join(project, 'manifest-other.json');
    phases(here, project, a);
    phases(other, project, b);
    const same = readFileSync(a, 'utf8') === readFileSync(b, 'utf8');
    console.log(`manifest of ${label}: ${same ? 'byte-identical' : 'DIFFERS'} (${readFileSync(a).length} bytes) vs ${other}`);
    failed ||= !same;
  }
  rmSync(bundled, { recursive: true, force: true });
}
rmSync(dir, { recursive: true, force: true });
if (failed) process.exitCode = 1;
