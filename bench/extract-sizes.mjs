/**
 * Request cost of `tsdbt extract` (project/extract.yml) on the simulator at the sizes.
 *   npx tsc -p tsconfig.build.json && [SEED=n] node bench/extract-sizes.mjs [devs x days ...]
 * For each dataset: rows per stream checked against the server's totals (exact, duplicate-free),
 * requests, the wall time they cost at the server's 100 requests a minute (computed, not waited
 * for), and the fewest requests the contract allows (the floor) with the ratio to it:
 *   commits: 1 per 1,000 (one range, pageSize 1000, stable order); repos, team members: 1 each;
 *   PRs: 1 per 100 (page_size max 100; no cheaper filter exists);
 *   reviews: per reviewer ceil(reviews / 100), at least 1 (only the reviewer filter orders stably,
 *   so each reviewer's last page is partly empty), + 1 for the unfiltered total the count check needs.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../dist/sim/index.js';
import { runExtract } from '../dist/extract/index.js';

const sizes = process.argv.slice(2).length ? process.argv.slice(2) : ['2x90', '50x90', '200x7', '200x90', '2x1100'];
for (const size of sizes) {
  const [developers, days] = size.split('x').map(Number);
  const sim = await startSimulator({ developers, days, seed: Number(process.env.SEED ?? 1), rateLimit: false, now: new Date('2026-06-03T12:00:00Z') });
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-sizes-'));
  cpSync('project/extract.yml', join(dir, 'extract.yml'));
  cpSync('project/schemas', join(dir, 'schemas'), { recursive: true });
  const t0 = performance.now();
  const r = await runExtract({ projectDir: dir, url: sim.url, rateLimitPerMinute: null, now: new Date(sim.data.now) });
  const ms = performance.now() - t0;
  const rows = Object.fromEntries(r.streams.map((s) => [s.stream, s.rows]));
  const want = { commits: sim.data.commits.length, repos: sim.data.repos.length, pull_requests: sim.data.pullRequests.length, reviews: sim.data.reviews.length };
  const exact = Object.entries(want).every(([k, v]) => rows[k] === v);
  const perReviewer = new Map(sim.data.teamMembers.map((m) => [m.email, 0]));
  for (const rv of sim.data.reviews) perReviewer.set(rv.reviewer, (perReviewer.get(rv.reviewer) ?? 0) + 1);
  const floors = {
    commits: Math.max(1, Math.ceil(want.commits / 1000)),
    repos: 1,
    team_members: 1,
    pull_requests: Math.max(1, Math.ceil(want.pull_requests / 100)),
    reviews: [...perReviewer.values()].reduce((n, k) => n + Math.max(1, Math.ceil(k / 100)), 0) + 1,
  };
  const floor = Object.values(floors).reduce((a, b) => a + b, 0);
  const perStream = r.streams.map((s) => `${s.stream}=${s.requests}/${floors[s.stream] ?? '?'}`).join(' ');
  console.log(`${size}: ${exact ? 'exact' : 'MISMATCH'} ${JSON.stringify(rows)} requests=${r.totals.requests} floor=${floor} ratio=${(r.totals.requests / floor).toFixed(2)} (stream=requests/floor: ${perStream}) at 100/min=${(r.totals.requests / 100).toFixed(1)} min; local ${(ms / 1000).toFixed(1)} s`);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
