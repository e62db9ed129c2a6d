import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { TokenBucket } from '../../src/extract/token-bucket.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { FAST_SOURCE, items, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('client limits, headers and stream selection', () => {
  it('the token bucket lets a burst of `capacity` through, then paces at the rate', async () => {
    const bucket = new TokenBucket(600, 2); // 10 a second
    const t0 = Date.now();
    const at: number[] = [];
    await Promise.all([0, 1, 2, 3].map(() => bucket.take().then(() => at.push(Date.now() - t0))));
    expect(at[1]!).toBeLessThan(80);
    expect(at[2]!).toBeGreaterThanOrEqual(90);
    expect(at[3]!).toBeGreaterThanOrEqual(190);
  });

  it('never has more than `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    server = await startServer(async (url, _r, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight -= 1;
      json(res, 200, { items: items(Number(url.searchParams.get('page')), 1), total: 8 });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:\n  - { name: t, path: /t, records: items, pagination: { type: page_number, page_size: 1, total_path: total } }\n`,
    });
    const r = await runExtract({ projectDir: dir, url: server.url, concurrency: 3 });
    expect(r.streams[0]!.rows).toBe(8);
    expect(peak).toBe(3);
  });

  it('sends the default and stream headers and bearer auth', async () => {
    const seen: Record<string, string | undefined>[] = [];
    server = await startServer((_u, req, res) => {
      seen.push({ auth: req.headers.authorization, app: req.headers['x-app'] as string, v: req.headers['x-version'] as string });
      json(res, 200, items(1, 1));
    });
    const src = FAST_SOURCE.replace('  defaults:\n', '  auth: { type: bearer, token: { env_var: TOKEN } }\n  defaults:\n    headers: { X-App: tsdbt }\n');
    const dir = makeProject({ 'extract.yml': `${src}streams:\n  - { name: t, path: /t, headers: { X-Version: "2" } }\n` });
    await runExtract({ projectDir: dir, url: server.url, env: { TOKEN: 'tok-123' } });
    expect(seen).toEqual([{ auth: 'Bearer tok-123', app: 'tsdbt', v: '2' }]);
  });

  it('sends an API key in a header or the query, and never prints it', async () => {
    server = await startServer((url, req, res) => {
      const ok = req.headers['x-api-key'] === 'k-777' || url.searchParams.get('api_key') === 'k-777';
      if (!ok) return json(res, 401, { error: 'Unauthorized' });
      json(res, 200, items(1, 1));
    });
    const src = (loc: string) => FAST_SOURCE.replace('  defaults:\n', `  auth: { type: api_key, name: ${loc === 'query' ? 'api_key' : 'X-API-Key'}, location: ${loc}, value: { env_var: KEY } }\n  defaults:\n`);
    const logs: string[] = [];
    const log = (_l: string, m: string) => logs.push(m);
    await runExtract({ projectDir: makeProject({ 'extract.yml': `${src('header')}streams:\n  - { name: t, path: /t }\n` }), url: server.url, env: { KEY: 'k-777' }, log });
    await runExtract({ projectDir: makeProject({ 'extract.yml': `${src('query')}streams:\n  - { name: t, path: /t, params: { a: b } }\n` }), url: server.url, env: { KEY: 'k-777' }, log });
    expect(server.requests).toEqual(['/t', '/t?a=b&api_key=k-777']);
    expect(logs.map((m) => m.replace(/ \d+ ms$/, ''))).toEqual([`GET ${server.url}/t 200`, `GET ${server.url}/t?a=b&api_key=*** 200`]);
    const err = await runExtract({ projectDir: makeProject({ 'extract.yml': `${src('query')}streams:\n  - { name: t, path: /t }\n` }), url: server.url, env: { KEY: 'wrong-key-1' } }).catch((e) => e);
    expect(err.message).toBe(`stream 't': GET ${server.url}/t?api_key=*** answered 401 Unauthorized: "{\\"error\\":\\"Unauthorized\\"}"`);
    expect(err.hint).toBe('Check the API key: it comes from env var KEY (set).');
  });

  it('--streams lands only the selected streams, fetching what they depend on', async () => {
    server = await startServer((url, _r, res) => {
      if (url.pathname === '/parents') return json(res, 200, [{ id: 1 }, { id: 2 }]);
      json(res, 200, [{ child: Number(url.pathname.split('/')[2]) * 10 }]);
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:
  - { name: parents, path: /parents, primary_key: id }
  - { name: children, path: "/c/{parent.id}", parent: { stream: parents, fields: { parent_id: id } } }
  - { name: other, path: /other }
`,
    });
    const progress: string[] = [];
    const r = await runExtract({ projectDir: dir, url: server.url, streams: ['children'], onProgress: (e) => progress.push(`${e.stream}:${e.phase}:${e.rows}`) });
    expect(r.streams.map((s) => [s.stream, s.rows, s.file ?? null])).toEqual([
      ['parents', 2, null],
      ['children', 2, 'data/raw/children.parquet'],
    ]);
    expect(server.requests.sort()).toEqual(['/c/1', '/c/2', '/parents']);
    expect(progress.filter((p) => p.startsWith('parents'))).toEqual(['parents:start:0', 'parents:page:2', 'parents:done:2']);
    const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    expect((await c.execute(`select child, parent_id from read_parquet('${dir}/data/raw/children.parquet') order by 1`)).rows).toEqual([[10, 1], [20, 2]]);
    await expect(runExtract({ projectDir: dir, url: server.url, streams: ['nope'] })).rejects.toThrow("No stream named 'nope' in extract.yml");
  });
});
