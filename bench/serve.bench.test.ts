/**
 * `tsdbt serve` under load, on loopback:
 *
 *   npx vitest run --config bench/vitest.config.ts bench/serve.bench.test.ts
 *   SERVE_BENCH_SECONDS=30 ... (the issue's figure; default 10 s)
 *
 * Prints: cached POST /query p50/p95 (target p95 < 10 ms), uncached p95
 * (target < 100 ms; every query a new spec so none is cached), and 100
 * concurrent event-stream clients held for the duration on jobs that run
 * past it, with the server's heap before/after (flat memory) and the count
 * of errors (target 0). Requests are bounded in number and time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { SemanticBackend } from '../src/serve/semantic-backend.js';
import { startServer } from '../src/serve/server.js';
import { PrBackend } from '../tests/serve/pr-backend.js';

const TOKEN = 'bench-token';
const H = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

describe('serve bench', () => {
  it('prints latency and stream figures', async () => {
    const backend = await PrBackend.open();
    const server = await startServer({ backend, token: TOKEN, port: 0, concurrency: 4, timeoutMs: 120_000, heartbeatMs: 2000 });
    const post = async (path: string, body: unknown) => {
      const t = performance.now();
      const r = await fetch(server.url + path, { method: 'POST', headers: H, body: JSON.stringify(body) });
      await r.text();
      if (r.status >= 400) throw new Error(`${path} ${r.status}`);
      return performance.now() - t;
    };
    const spec = { metrics: ['prs_merged'], group_by: [{ field: 'metric_time', interval: 'week' }] };
    await post('/analytics/query', spec);
    const cached: number[] = [];
    for (let i = 0; i < 500; i += 1) cached.push(await post('/analytics/query', spec));
    const uncached: number[] = [];
    for (let i = 0; i < 200; i += 1) uncached.push(await post('/analytics/query', { ...spec, filters: [{ field: 'pull_request__additions', op: 'gte', values: [i] }] }));

    const seconds = Number(process.env.SERVE_BENCH_SECONDS ?? 10);
    const heapBefore = process.memoryUsage().heapUsed;
    let errors = 0;
    let events = 0;
    const clients = Array.from({ length: 100 }, async (_, i) => {
      // Each client watches its own long job (cancelled at the end).
      const r = await fetch(`${server.url}/analytics/jobs`, { method: 'POST', headers: H, body: JSON.stringify({ metrics: ['slow_count'], limit: i + 1 }) });
      const job = (await r.json()) as { id: string };
      const controller = new AbortController();
      const res = await fetch(`${server.url}/analytics/jobs/${job.id}/stream?access_token=${TOKEN}`, { signal: controller.signal });
      if (res.status !== 200) errors += 1;
      const reader = res.body!.getReader();
      const stop = setTimeout(() => controller.abort(), seconds * 1000);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          events += (new TextDecoder().decode(value).match(/^event:/gm) ?? []).length;
        }
      } catch (e) {
        if ((e as Error).name !== 'AbortError') errors += 1;
      } finally {
        clearTimeout(stop);
      }
      await fetch(`${server.url}/analytics/jobs/${job.id}`, { method: 'DELETE', headers: H });
    });
    await Promise.all(clients);
    (globalThis as { gc?: () => void }).gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const rows: [string, string][] = [
      ['cached POST /analytics/query', `p50 ${pct(cached, 50).toFixed(2)} ms, p95 ${pct(cached, 95).toFixed(2)} ms (n=${cached.length}; target p95 < 10 ms)`],
      ['uncached POST /analytics/query', `p50 ${pct(uncached, 50).toFixed(2)} ms, p95 ${pct(uncached, 95).toFixed(2)} ms (n=${uncached.length}; target p95 < 100 ms)`],
      [`100 event-stream clients, ${seconds} s`, `${events} events, ${errors} errors; heap ${(heapBefore / 1e6).toFixed(1)} → ${(heapAfter / 1e6).toFixed(1)} MB`],
    ];
    await server.close();
    await backend.close();

    // The bundled project's semantic layer on its DuckDB file (run `npm run demo` first to build it).
    const projectDir = join(__dirname, '../project');
    if (existsSync(join(projectDir, 'cursor_analytics.duckdb'))) {
      const sem = await SemanticBackend.open({ projectDir, idleCloseMs: 60_000 });
      const real = await startServer({ backend: sem, token: TOKEN, port: 0, timeoutMs: 30_000 });
      const metrics = sem.catalog().metrics.map((m) => m.name);
      const times: number[] = [];
      for (let i = 0; i < 100; i += 1) {
        const t = performance.now();
        const r = await fetch(`${real.url}/analytics/query`, { method: 'POST', headers: H, body: JSON.stringify({ metrics: [metrics[i % metrics.length]], group_by: [{ field: 'metric_time', interval: 'week' }], limit: 1000 - i }) });
        await r.text();
        if (r.status !== 200) throw new Error(`bundled project query ${metrics[i % metrics.length]}: ${r.status}`);
        times.push(performance.now() - t);
      }
      rows.push([`uncached POST /analytics/query, bundled project (${metrics.length} metrics by week)`, `p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (n=${times.length}; target p95 < 100 ms)`]);
      await real.close();
      await sem.close();
    }
    console.log(`\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n`);
  });
});
