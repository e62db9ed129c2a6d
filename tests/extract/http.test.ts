import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { FAST_SOURCE, items, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ONE = `streams:
  - name: things
    path: /things
    primary_key: id
`;

function project(source = FAST_SOURCE): string {
  return makeProject({ 'extract.yml': `${source}${ONE}` });
}

describe('HTTP behaviour', () => {
  it('honours 429 Retry-After, then succeeds', async () => {
    let calls = 0;
    server = await startServer((_u, _r, res) => {
      calls += 1;
      if (calls === 1) return json(res, 429, { error: 'Rate limit exceeded' }, { 'retry-after': '1' });
      json(res, 200, items(1, 2));
    });
    const events: string[] = [];
    const t0 = Date.now();
    const r = await runExtract({ projectDir: project(), url: server.url, onProgress: (e) => events.push(e.message ? `${e.phase}: ${e.message}` : e.phase) });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(server.requests).toEqual(['/things', '/things']);
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 2, requests: 2, retries: 1 });
    expect(events).toEqual(['start', `retry: 429 from ${server.url}/things; every request waits 1 s (Retry-After)`, 'wait: server rate limit (429)', 'page', 'landed', 'done']);
  });

  it('retries 5xx with backoff and then succeeds', async () => {
    let calls = 0;
    server = await startServer((_u, _r, res) => {
      calls += 1;
      if (calls <= 2) return json(res, 503, { error: 'busy' });
      json(res, 200, items(1, 3));
    });
    const r = await runExtract({ projectDir: project(), url: server.url });
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 3, requests: 3, retries: 2 });
  });

  it('gives up after max_attempts with the last answer in the error', async () => {
    server = await startServer((_u, _r, res) => json(res, 500, { error: 'database is down' }));
    const err = await runExtract({ projectDir: project(), url: server.url }).catch((e) => e);
    expect(server.requests).toHaveLength(3);
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.format()).toBe(
      `extract.yml:9: stream 'things': GET ${server.url}/things failed 3 times; last: answered 500 Internal Server Error: "{\\"error\\":\\"database is down\\"}"\n` +
        '  The server keeps failing; try again later or lower concurrency.',
    );
    expect(err.detail.results.streams[0]).toMatchObject({ status: 'error', requests: 3, retries: 2 });
  });

  it('times out a slow request and retries it', async () => {
    let calls = 0;
    server = await startServer((_u, _r, res) => {
      calls += 1;
      if (calls === 1) return void setTimeout(() => json(res, 200, items(1, 1)), 1500);
      json(res, 200, items(1, 2));
    });
    const src = FAST_SOURCE.replace('timeout_ms: 2000', 'timeout_ms: 200');
    const r = await runExtract({ projectDir: project(src), url: server.url });
    expect(r.streams[0]).toMatchObject({ rows: 2, requests: 2, retries: 1 });
  });

  it('reports a timeout when every try is too slow', async () => {
    server = await startServer((_u, _r, res) => void setTimeout(() => json(res, 200, []), 1000));
    const src = FAST_SOURCE.replace('timeout_ms: 2000', 'timeout_ms: 100').replace('max_attempts: 3', 'max_attempts: 2');
    const err = await runExtract({ projectDir: project(src), url: server.url }).catch((e) => e);
    expect(err.message).toBe(`stream 'things': GET ${server.url}/things failed 2 times; last: timed out after 100 ms`);
    expect(err.hint).toBe('Raise source.defaults.timeout_ms or check the server.');
  });

  it('reports malformed JSON with the start of the body', async () => {
    server = await startServer((_u, _r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [1, 2');
    });
    const err = await runExtract({ projectDir: project(), url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.message).toMatch(new RegExp(`^stream 'things': GET ${server.url}/things answered 200 with malformed JSON \\(.+\\); the body starts "\\{\\\\"items\\\\": \\[1, 2"$`));
    expect(server.requests).toHaveLength(1);
  });

  it('says to check the API key on 401, without printing it', async () => {
    server = await startServer((_u, req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('right-key:').toString('base64')}`) {
        return json(res, 401, { error: 'Unauthorized' }, { 'www-authenticate': 'Basic' });
      }
      json(res, 200, items(1, 1));
    });
    const src = `${FAST_SOURCE}  auth:\n    type: basic\n    username: { env_var: MY_API_KEY }\n`;
    const logs: string[] = [];
    const err = await runExtract({
      projectDir: project(src),
      url: server.url,
      env: { MY_API_KEY: 'wrong-key' },
      log: (l, m) => logs.push(`${l} ${m}`),
    }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_HTTP');
    expect(err.message).toBe(`stream 'things': GET ${server.url}/things answered 401 Unauthorized: "{\\"error\\":\\"Unauthorized\\"}"`);
    expect(err.hint).toBe('Check the API key: the Basic auth username comes from env var MY_API_KEY (set).');
    expect(JSON.stringify([err.message, err.hint, logs])).not.toContain('wrong-key');
    expect(server.requests).toHaveLength(1);

    const ok = await runExtract({ projectDir: project(src), url: server.url, env: { MY_API_KEY: 'right-key' } });
    expect(ok.streams[0]!.rows).toBe(1);
    const missing = await runExtract({ projectDir: project(src), url: server.url, env: {} }).catch((e) => e);
    expect(missing.code).toBe('ENV_VAR_MISSING');
    expect(missing.message).toBe('The environment variable MY_API_KEY (the username for source.auth) is not set');
  });

  it('fails a 404 at once, quoting the body', async () => {
    server = await startServer((_u, _r, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
    const err = await runExtract({ projectDir: project(), url: `${server.url}/api` }).catch((e) => e);
    expect(err.message).toBe(`stream 'things': GET ${server.url}/api/things answered 404 Not Found: "404 page not found"`);
    expect(err.hint).toBe(`Check the stream's path in extract.yml and the base URL (${server.url}/api).`);
    expect(server.requests).toEqual(['/api/things']);
  });

  it('names the URL when the server cannot be reached', async () => {
    const s = await startServer(() => undefined);
    const url = s.url;
    await s.close();
    const err = await runExtract({ projectDir: project(), url }).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`^stream 'things': GET ${url}/things failed 3 times; last: could not reach the server \\(ECONNREFUSED`));
    expect(err.hint).toBe('Is the server running? Check base_url in extract.yml, --url or TSDBT_EXTRACT_URL.');
  });

  it('logs every request at debug level without credentials', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, items(1, 1)));
    const logs: string[] = [];
    const base = server.url.replace('http://', 'http://user:secret-pass@');
    await runExtract({ projectDir: project(), url: base, log: (l, m) => logs.push(`${l} ${m}`) });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(new RegExp(`^debug GET ${server.url}/things 200 \\d+ ms$`));
  });

  it('takes the base URL from TSDBT_EXTRACT_URL, then the config env var, then base_url', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, items(1, 1)));
    const src = FAST_SOURCE.replace('  base_url: http://127.0.0.1:9\n', `  base_url: http://127.0.0.1:9\n  base_url_env: MY_URL\n`);
    const r1 = await runExtract({ projectDir: project(src), env: { TSDBT_EXTRACT_URL: server.url, MY_URL: 'http://127.0.0.1:9' } });
    expect(r1.base_url).toBe(`${server.url}/`);
    const r2 = await runExtract({ projectDir: project(src), env: { MY_URL: server.url } });
    expect(r2.streams[0]!.rows).toBe(1);
    expect(server.requests).toHaveLength(2);
  });
});
