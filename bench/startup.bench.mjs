// CLI startup (issue #17's figures): `tsdbt --version`, `tsdbt --help` and
// `tsdbt ls` on project/, each run N times as a fresh process, printed as
// best and median with the machine's load average (the machine is shared:
// the best run is the least disturbed one). `node -e 0` is Node's own floor.
// Run: npm run build && node bench/startup.bench.mjs [runs=15]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/tsdbt.js`;
const cases = [
  ['node -e 0 (floor)', ['-e', '0'], root],
  ['tsdbt --version', [bin, '--version'], root],
  ['tsdbt --help', [bin, '--help'], root],
  ['tsdbt ls (project/)', [bin, 'ls'], `${root}project`],
];
const times = cases.map(() => []);
const load0 = loadavg()[0];
// Interleaved, so a burst of load spreads over every case.
for (let i = 0; i < runs; i++) {
  cases.forEach(([, args, cwd], k) => {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { cwd, stdio: 'ignore' });
    times[k].push(performance.now() - t0);
  });
}
const ms = (x) => `${Math.round(x)} ms`;
console.log(`${runs} runs each, load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
console.log('| command | best | median |');
console.log('|---|---|---|');
cases.forEach(([label], k) => {
  const t = times[k].sort((a, b) => a - b);
  console.log(`| ${label} | ${ms(t[0])} | ${ms(t[Math.floor(t.length / 2)])} |`);
});
