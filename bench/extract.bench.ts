/**
 * `tsdbt extract` against the bundled simulator.
 *   npx vitest bench --run bench/extract.bench.ts
 * Prints: wall time for the default 90-day dataset with rate limits off (target < 3 s),
 * the request count under the real limit (100/min), and the 50-developer request count.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { startSimulator } from '../src/sim/index.js';
import { runExtract } from '../src/extract/index.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-bench-'));
  cpSync('project/extract.yml', join(dir, 'extract.yml'));
  cpSync('project/schemas', join(dir, 'schemas'), { recursive: true });
  return dir;
}

async function once(sim: { url: string; data: { now: string } }, rateLimitPerMinute: number | null) {
  const t0 = performance.now();
  const r = await runExtract({ projectDir: project(), url: sim.url, rateLimitPerMinute, now: new Date(sim.data.now) });
  return { ms: performance.now() - t0, requests: r.totals.requests, rows: r.totals.rows, retries: r.totals.retries };
}

describe('extract', () => {
  bench(
    'default 90-day dataset',
    async () => {
      const fast = await startSimulator({ rateLimit: false });
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await once(fast, null));
      await fast.close();
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      console.log(`default 90-day dataset, rate limit off: median ${ms[2]!.toFixed(0)} ms (min ${ms[0]!.toFixed(0)}, max ${ms[4]!.toFixed(0)}), ${runs[0]!.rows} rows, ${runs[0]!.requests} requests`);

      const real = await startSimulator({});
      const limited = await once(real, 100);
      await real.close();
      console.log(`default 90-day dataset, real limit (100/min): ${limited.requests} requests, ${limited.retries} retries, ${limited.ms.toFixed(0)} ms`);

      const big = await startSimulator({ rateLimit: false, developers: 50 });
      const large = await once(big, null);
      await big.close();
      console.log(`50 developers, 90 days, rate limit off: ${large.rows} rows, ${large.requests} requests (≈ ${(large.requests / 100).toFixed(1)} min at 100/min), ${large.ms.toFixed(0)} ms`);
    },
    { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 },
  );
});
