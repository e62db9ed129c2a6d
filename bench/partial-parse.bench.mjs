// Partial parsing at 2,000 and 10,000 models (dbt-core's benchmark shape: 3 tests a model).
// Run: npx tsc -p tsconfig.build.json && node bench/partial-parse.bench.mjs [models...] [--runs N]
//
// For each size, through the CLI: cold parse (no cache; writes it), warm parse
// (nothing changed), parse with one model changed, and `ls` with nothing
// changed; medians of N runs, with ratios to the cold parse. Then one model's
// edit loop through compile --select and ls --select, and a parse after such a
// compile. Then the cache's
// load time as JSON.parse and as v8.deserialize of the same body (why the
// cache is JSON). Prints the machine's load: the box is shared, read the
// figures against it.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { generateProject } from './generate-project.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const sizes = args.length ? args.map(Number) : [2000, 10000];
const here = resolve(new URL('..', import.meta.url).pathname);
const bin = join(here, 'bin/tsdbt.js');
const CACHE = 'partial_parse.json';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cli = (dir, cliArgs) => {
  const t = performance.now();
  execFileSync(process.execPath, [bin, ...cliArgs, '--project-dir', dir, '--profiles-dir', dir], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
  return (performance.now() - t) / 1000;
};
const timed = (n, before, run) => {
  const xs = [];
  for (let i = 0; i < n; i++) {
    before?.(i);
    xs.push(run());
  }
  return median(xs);
};

const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');
console.log(`partial parsing bench: node ${process.version}, ${runs} runs a figure, load average at start ${load()}`);
const rows = [];
for (const models of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `tsdbt-pp-${models}-`));
  generateProject(dir, models);
  // Files written within 2 s of a parse are hashed on every parse (their time cannot prove them
  // unchanged); a project's files are older than that in real use.
  await new Promise((r) => setTimeout(r, 2500));
  const cache = join(dir, 'target', CACHE);
  const cold = timed(runs, () => rmSync(cache, { force: true }), () => cli(dir, ['parse']));
  const warm = timed(runs, undefined, () => cli(dir, ['parse']));
  const changed = timed(runs, (i) => appendFileSync(join(dir, 'models', `model_${Math.floor(models / 2)}.sql`), `-- edit ${i}\n`), () => cli(dir, ['parse']));
  const ls = timed(runs, undefined, () => cli(dir, ['ls']));
  // The cache body's load time in both formats.
  const text = readFileSync(cache, 'utf8');
  // The cache is three lines: the header, the selection index, the body.
  const body = text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1);
  let t = performance.now();
  const parsed = JSON.parse(body);
  const jsonMs = performance.now() - t;
  const bytes = serialize(parsed);
  t = performance.now();
  deserialize(bytes);
  const v8Ms = performance.now() - t;
  const lsCold = timed(1, undefined, () => cli(dir, ['ls', '--no-partial-parse']));
  // The edit loop on one model through other commands: a selection reads only the nodes it uses, and an edit is
  // spliced into the cache first (api/mapped-cache-body.ts, parse-splice.ts spliceChangedCache).
  const one = `model_${Math.floor(models / 3)}`;
  const edit = (i) => appendFileSync(join(dir, 'models', `${one}.sql`), `-- loop ${i}\n`);
  cli(dir, ['parse']);
  const selCompile = timed(runs, undefined, () => cli(dir, ['compile', '--select', one]));
  const editCompile = timed(runs, edit, () => cli(dir, ['compile', '--select', one]));
  const editLs = timed(runs, (i) => edit(runs + i), () => cli(dir, ['ls', '--select', one]));
  // `parse` with nothing changed after a compile rewrote manifest.json (the cache's nodes copied, none read).
  const afterCompile = timed(runs, () => cli(dir, ['compile', '--select', one]), () => cli(dir, ['parse']));
  rows.push({ afterCompile, models, nodes: models * 4, cold, warm, changed, ls, lsCold, mb: body.length / 1e6, jsonMs, v8Ms, v8Mb: bytes.length / 1e6, selCompile, editCompile, editLs });
  rmSync(dir, { recursive: true, force: true });
}

const s = (x) => `${x.toFixed(2)} s`;
console.log('\n| models (nodes) | cold parse | warm parse (ratio) | one model changed (ratio) | ls, nothing changed (ratio to ls without cache) | cache MB | load: JSON.parse vs v8.deserialize |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.models} (${r.nodes}) | ${s(r.cold)} | ${s(r.warm)} (${(r.warm / r.cold).toFixed(2)}x) | ${s(r.changed)} (${(r.changed / r.cold).toFixed(2)}x) | ${s(r.ls)} (${(r.ls / r.lsCold).toFixed(2)}x of ${s(r.lsCold)}) | ${r.mb.toFixed(1)} (v8: ${r.v8Mb.toFixed(1)}) | ${r.jsonMs.toFixed(0)} ms vs ${r.v8Ms.toFixed(0)} ms |`);
}
console.log('\n| models | compile --select one model, nothing changed | that model edited, compile --select it | edited, ls --select it | parse after that compile (nothing changed) |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.models} | ${s(r.selCompile)} | ${s(r.editCompile)} | ${s(r.editLs)} | ${s(r.afterCompile)} |`);
console.log(`\ntargets at 10,000 models: warm parse < 0.3 s, one model changed < 0.5 s, ls < 1 s. Load average at end ${load()}`);
