import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExtract } from '../../src/extract/index.js';
import { FAST_SOURCE, items, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PAGED = `streams:
  - name: things
    path: /things
    records: items
    pagination: { type: page_number, page_size_param: size, page_size: 10, total_path: total }
    primary_key: id
    schema: schemas/things.json
    on_schema_violation: fail
    columns: { id: BIGINT, name: VARCHAR }
`;

const SCHEMA = JSON.stringify({ type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } });

function project(source = FAST_SOURCE, streams = PAGED): string {
  return makeProject({ 'extract.yml': `${source}${streams}`, 'schemas/things.json': SCHEMA });
}

/** Pages of 10 over `total` records. */
function page(url: URL, total: number) {
  const n = Number(url.searchParams.get('page') ?? '1');
  return { items: items((n - 1) * 10 + 1, Math.min(10, total - (n - 1) * 10)), total };
}

/** Land 25 good records, then run `bad` against the same project: the file must stay as it was. */
async function afterAGoodRun(bad: (url: URL, res: import('node:http').ServerResponse) => void, source?: string) {
  let good = true;
  server = await startServer((url, _req, res) => (good ? json(res, 200, page(url, 25)) : bad(url, res)));
  const dir = project(source);
  const first = await runExtract({ projectDir: dir, url: server.url });
  expect(first.streams[0]).toMatchObject({ status: 'success', rows: 25 });
  const file = join(dir, 'data', 'raw', 'things.parquet');
  const before = readFileSync(file);
  good = false;
  server.requests.length = 0;
  const t0 = Date.now();
  const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
  const elapsed = Date.now() - t0;
  expect(readFileSync(file).equals(before)).toBe(true);
  expect(readdirSync(join(dir, 'data', 'raw'))).toEqual(['things.parquet']);
  expect(err.detail.results.streams[0]).toMatchObject({ stream: 'things', status: 'error' });
  return { err, elapsed, dir };
}

describe('bad input: a clear, bounded failure naming the stream, the previous data intact', () => {
  it('an HTML page instead of JSON', async () => {
    const { err } = await afterAGoodRun((_u, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body>Sign in</body></html>');
    });
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.message).toMatch(/^stream 'things': GET http:\/\/127\.0\.0\.1:\d+\/things\?page=1&size=10 answered 200 with malformed JSON \(.+\); the body starts "<!doctype html>/);
    expect(err.hint).toMatch(/^The server answered an HTML page, not JSON/);
    expect(server!.requests).toHaveLength(1);
  });

  it('truncated JSON', async () => {
    const { err } = await afterAGoodRun((_u, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items":[{"id":1,"name":"r1"},{"id":2,"na');
    });
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.message).toMatch(/^stream 'things': GET .* answered 200 with malformed JSON/);
    expect(err.hint).toMatch(/^The JSON is cut short or broken/);
  });

  it('a record of the wrong schema (ajv, against the stream\'s schema)', async () => {
    const { err } = await afterAGoodRun((url, res) => {
      const body = page(url, 25);
      (body.items[3] as Record<string, unknown>).name = 42;
      json(res, 200, body);
    });
    expect(err.code).toBe('EXTRACT_VALIDATION');
    expect(err.message).toMatch(/^stream 'things': record #4 of GET .*\/things\?page=1&size=10.*name/);
  });

  it('an endless page sequence stops at the first page beyond the reported total', async () => {
    // Every page is full and says there is more; the total says 25.
    const streams = PAGED.replace('total_path: total }', 'total_path: total, has_next_path: more }');
    let good = true;
    server = await startServer((url, _req, res) => {
      const n = Number(url.searchParams.get('page'));
      if (good) return json(res, 200, { ...page(url, 25), more: n < 3 });
      json(res, 200, { items: items((n - 1) * 10 + 1, 10), total: 25, more: true });
    });
    const dir = project(FAST_SOURCE, streams);
    await runExtract({ projectDir: dir, url: server.url });
    const before = readFileSync(join(dir, 'data', 'raw', 'things.parquet'));
    good = false;
    server.requests.length = 0;
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_VALIDATION');
    expect(err.message).toBe("stream 'things': page 3 of /things brings the records to 30, more than the total of 25 the server reports; stopped there");
    expect(server.requests).toHaveLength(3);
    expect(readFileSync(join(dir, 'data', 'raw', 'things.parquet')).equals(before)).toBe(true);
  });

  it('429 without Retry-After: bounded backoff, then a clear failure', async () => {
    const { err, elapsed } = await afterAGoodRun((_u, res) => json(res, 429, { error: 'Rate limit exceeded' }));
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.message).toMatch(/^stream 'things': GET .*\/things\?page=1&size=10 was rate limited \(429 without Retry-After\) 3 times; giving up$/);
    expect(err.hint).toMatch(/raise retry\.max_attempts \(now 3\)/);
    expect(server!.requests).toHaveLength(3);
    expect(elapsed).toBeLessThan(5000);
  });

  it('a body over max_body_bytes, with or without Content-Length, is an error, never read whole', async () => {
    const source = FAST_SOURCE.replace('    concurrency: 2\n', '    concurrency: 2\n    max_body_bytes: 100000\n');
    let written = 0;
    const big = JSON.stringify({ items: items(1, 10), total: 10, pad: 'x'.repeat(50_000) });
    const { err, dir } = await afterAGoodRun((url, res) => {
      if (url.searchParams.get('page') === '1' && written === 0) {
        // Chunked, no length: 64 kB chunks until the client hangs up (it must stop near the cap).
        res.writeHead(200, { 'content-type': 'application/json' });
        const pump = () => {
          while (!res.destroyed && written < 50_000_000) {
            written += 65_536;
            if (!res.write('x'.repeat(65_536))) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => undefined);
        pump();
        return;
      }
      json(res, 200, { ...JSON.parse(big), pad: 'y'.repeat(200_000) });
    }, source);
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.message).toMatch(/^stream 'things': GET .*\/things\?page=1&size=10 answered 200 with a body over 98 KiB \(source\.defaults\.max_body_bytes\); it was not read$/);
    expect(written).toBeLessThan(5_000_000);

    // With a Content-Length over the cap the body is not read at all.
    server!.requests.length = 0;
    const again = await runExtract({ projectDir: dir, url: server!.url }).catch((e) => e);
    expect(again.message).toMatch(/^stream 'things': GET .* answered 200 with a body over 98 KiB/);
    expect(server!.requests).toHaveLength(1);
  });
});

describe('Retry-After is one pause for every worker', () => {
  it('sends no request while the pause is on, then resumes all workers', async () => {
    let paused = 0;
    let pauseEnds = 0;
    let duringPause = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    server = await startServer(async (url, _req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const now = Date.now();
      if (now < pauseEnds) duringPause += 1;
      // The first request of page 3 is told to wait 1 s; the others are slow enough to overlap it.
      if (url.searchParams.get('page') === '3' && paused === 0) {
        paused += 1;
        pauseEnds = now + 1000;
        inFlight -= 1;
        return json(res, 429, { error: 'Rate limit exceeded' }, { 'retry-after': '1' });
      }
      await new Promise((r) => setTimeout(r, 30));
      inFlight -= 1;
      json(res, 200, page(url, 200));
    });
    const source = FAST_SOURCE.replace('concurrency: 2', 'concurrency: 6');
    const dir = project(source);
    const events: string[] = [];
    const r = await runExtract({ projectDir: dir, url: server.url, onProgress: (e) => e.phase === 'wait' && events.push(`${e.message} ${Math.round((e.waitFor ?? 0) / 100) * 100}`) });
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 200, retries: 1 });
    // Requests already in flight when the 429 came may land in the pause; none is sent after it.
    expect(duringPause).toBeLessThanOrEqual(5);
    const sentAfter = server.requests.length;
    expect(sentAfter).toBe(21);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.startsWith('server rate limit (429)'))).toBe(true);
    expect(maxInFlight).toBeGreaterThan(1);
  });
});

describe('staging files of a killed run', () => {
  it('are removed by the next run, which lands the right rows', async () => {
    server = await startServer((url, _req, res) => json(res, 200, page(url, 25)));
    const dir = project();
    await runExtract({ projectDir: dir, url: server.url });
    const raw = join(dir, 'data', 'raw');
    // What a run killed mid-landing leaves: its NDJSON and half a Parquet file (pid 999999 is not running).
    const left = ['.things.999999-0a1b2c3d.ndjson', '.things.999999-0a1b2c3d.parquet', '.other.999998-ffffffff.ndjson'];
    for (const f of left) writeFileSync(join(raw, f), 'half written');
    writeFileSync(join(raw, 'notes.txt'), 'not ours');
    const logs: string[] = [];
    const r = await runExtract({ projectDir: dir, url: server.url, log: (level, msg) => level === 'info' && logs.push(msg) });
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 25 });
    expect(readdirSync(raw).sort()).toEqual(['notes.txt', 'things.parquet']);
    expect(logs).toContain(`Removed 3 staging file(s) left by an interrupted run in data/raw: ${[...left].sort().join(', ')}`);
    expect(existsSync(join(raw, 'things.parquet'))).toBe(true);
  });
});
