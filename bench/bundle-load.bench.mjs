// The CLI bundle's load (dist/bundle/cli.cjs through src/cli/code-cache.ts):
// reading it, V8 taking the code cache `npm run build` made, and running its
// top level, timed inside fresh processes, as every command that is not a
// quick start pays it. Given other checkouts (each built), the runs
// alternate between them, so a burst of load spreads over all of them.
// Run: npm run build && node bench/bundle-load.bench.mjs [runs=15] [checkout ...]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const checkouts = [fileURLToPath(new URL('..', import.meta.url)), ...process.argv.slice(3)].map((c) => c.replace(/\/?$/, '/'));

/** One fresh process: ms to import the loader, ms to load the bundle through it, and whether V8 took the cache. */
function once(checkout) {
  const loader = pathToFileURL(`${checkout}dist/bundle/code-cache.js`).href;
  const script = [
    'const t0 = performance.now();',
    `const { loadWithCodeCache } = await import(${JSON.stringify(loader)});`,
    'const t1 = performance.now();',
    // A folder with no cache of the user's: the one built beside the bundle is used, as after `npm run build`.
    `const load = loadWithCodeCache(${JSON.stringify(`${checkout}dist/bundle/cli.cjs`)}, ['parse'], { TSDBT_CODE_CACHE_DIR: '/nonexistent/tsdbt-bench' });`,
    'const t2 = performance.now();',
    'console.log(JSON.stringify({ loader: t1 - t0, bundle: t2 - t1, status: load.status }));',
  ].join('\n');
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

const results = checkouts.map(() => []);
const load0 = loadavg()[0];
for (let i = 0; i < runs; i++) checkouts.forEach((c, k) => results[k].push(once(c)));
const ms = (x) => `${x.toFixed(1)} ms`;
const median = (xs) => xs[Math.floor(xs.length / 2)];
console.log(`${runs} runs each, alternating; load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
console.log('| checkout | code cache | bundle load, best | median | ratio to the first (median) |');
console.log('|---|---|---|---|---|');
const medians = results.map((r) => median(r.map((x) => x.bundle).sort((a, b) => a - b)));
checkouts.forEach((c, k) => {
  const t = results[k].map((x) => x.bundle).sort((a, b) => a - b);
  const statuses = [...new Set(results[k].map((x) => x.status))].join(', ');
  console.log(`| ${c} | ${statuses} | ${ms(t[0])} | ${ms(medians[k])} | ${(medians[k] / medians[0]).toFixed(2)} |`);
});
