import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { PrBackend } from './pr-backend.js';

const TOKEN = 'serve-test-token-5f1c';
let backend: PrBackend;
let server: RunningServer;
const logs: string[] = [];

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

beforeAll(async () => {
  backend = await PrBackend.open();
  server = await startServer({ backend, token: TOKEN, port: 0, concurrency: 2, timeoutMs: 2000, log: (l) => logs.push(l), heartbeatMs: 100 });
});
afterAll(async () => {
  await server.close();
  await backend.close();
});

describe('tsdbt serve: auth and errors', () => {
  it('binds 127.0.0.1 and answers /health without a token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${server.url}/health`);
    expect(r.status).toBe(200);
    expect((await r.json()) as Record<string, unknown>).toMatchObject({ status: 'ok', target: 'dev' });
  });

  it('answers 401 without the token or with a wrong one, and never logs it', async () => {
    const none = await fetch(`${server.url}/analytics/metrics`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await call('GET', '/analytics/metrics', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const viaQuery = await fetch(`${server.url}/analytics/metrics?access_token=${TOKEN}`);
    expect(viaQuery.status).toBe(200);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(logs.some((l) => l.startsWith('GET /analytics/metrics 200'))).toBe(true);
  });

  it('answers JSON errors with codes: unknown route, wrong method, bad JSON, big body, bad URI', async () => {
    expect((await call('GET', '/analytics/nope')).json.error.code).toBe('NOT_FOUND');
    const m = await call('PUT', '/analytics/query', {});
    expect([m.status, m.json.error.code, m.headers.get('allow')]).toEqual([405, 'METHOD_NOT_ALLOWED', 'POST']);
    const bad = await call('POST', '/analytics/query', '{"metrics": [');
    expect([bad.status, bad.json.error.code]).toEqual([400, 'BAD_JSON']);
    const big = await call('POST', '/analytics/query', JSON.stringify({ metrics: ['x'.repeat(1024 * 1024 + 10)] }));
    expect([big.status, big.json.error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    const uri = await call('GET', '/%E0%A4%A');
    expect([uri.status, uri.json.error.code]).toEqual([400, 'BAD_REQUEST']);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document naming every route', async () => {
    const r = await call('GET', '/openapi.json');
    expect(r.json.openapi).toBe('3.1.0');
    expect(Object.keys(r.json.paths)).toEqual(expect.arrayContaining([
      '/analytics/metrics', '/analytics/metrics/{name}', '/analytics/dimensions', '/analytics/entities', '/analytics/saved-queries',
      '/analytics/compile', '/analytics/query', '/analytics/jobs', '/analytics/jobs/{id}', '/analytics/jobs/{id}/result',
      '/analytics/jobs/{id}/stream', '/analytics/nl', '/analytics/cache/stats', '/health',
    ]));
  });
});

describe('tsdbt serve: catalog and queries', () => {
  it('lists and filters metrics', async () => {
    expect((await call('GET', '/analytics/metrics')).json.metrics.map((m: any) => m.name)).toEqual(['prs_merged', 'lines_added', 'slow_count']);
    expect((await call('GET', '/analytics/metrics?category=throughput')).json.metrics.map((m: any) => m.name)).toEqual(['prs_merged']);
    expect((await call('GET', '/analytics/metrics?tag=headline')).json.metrics.map((m: any) => m.name)).toEqual(['prs_merged']);
    expect((await call('GET', '/analytics/metrics?q=lines')).json.metrics.map((m: any) => m.name)).toEqual(['lines_added']);
    expect((await call('GET', '/analytics/metrics/prs_merged')).json.unit).toBe('count');
    expect((await call('GET', '/analytics/metrics/nope')).status).toBe(404);
    expect((await call('GET', '/analytics/saved-queries')).json.saved_queries[0].name).toBe('weekly_merges');
  });

  it('compiles the seed spec with every value a bind', async () => {
    const r = await call('POST', '/analytics/compile', {
      metrics: ['prs_merged'], group_by: [{ field: 'repo_name' }], filters: [{ field: 'repo_name', op: 'in', values: ["we'b", 'api'] }], sort_by: [{ field: 'prs_merged', direction: 'desc' }],
    });
    expect(r.status).toBe(200);
    expect(r.json.sql).toBe('select repo_name as pull_request__repo_name, count(*) as prs_merged from prs where repo_name in (?, ?) group by repo_name order by prs_merged desc');
    expect(r.json.binds).toEqual(["we'b", 'api']);
  });

  it('runs a query inline, then answers it from the cache without a database call', async () => {
    const spec = { metrics: ['prs_merged', 'lines_added'], group_by: [{ field: 'metric_time', interval: 'week' }], sort_by: ['metric_time'] };
    const before = backend.executed;
    const first = await call('POST', '/analytics/query', spec);
    expect(first.json.rows).toEqual([
      { metric_time__week: '2025-01-06', prs_merged: 3, lines_added: 35 },
      { metric_time__week: '2025-01-13', prs_merged: 2, lines_added: 8 },
    ]);
    expect(first.json.cached).toBe(false);
    // Same spec, keys in another order: a hit.
    const second = await call('POST', '/analytics/query', { sort_by: ['metric_time'], group_by: [{ interval: 'week', field: 'metric_time' }], metrics: ['prs_merged', 'lines_added'] });
    expect(second.json.cached).toBe(true);
    expect(second.json.rows).toEqual(first.json.rows);
    expect(backend.executed).toBe(before + 1);
    // A rebuild of the model the query reads (a new data version) makes it a miss.
    backend.version = 'v2';
    expect((await call('POST', '/analytics/query', spec)).json.cached).toBe(false);
    expect(backend.executed).toBe(before + 2);
    const stats = (await call('GET', '/analytics/cache/stats')).json;
    expect(stats.hits).toBeGreaterThanOrEqual(1);
    expect(stats.misses).toBeGreaterThanOrEqual(2);
  });

  it('accepts the semantic layer query form through the same path', async () => {
    const r = await call('POST', '/analytics/query', { metrics: ['prs_merged'], group_by: ['pull_request__repo_name'], order_by: ['pull_request__repo_name'], where: ["{{ Dimension('pull_request__repo_name') }} = 'web'"] });
    expect(r.json.rows).toEqual([{ pull_request__repo_name: 'web', prs_merged: 3 }]);
    const saved = await call('POST', '/analytics/query', { saved_query: 'weekly_merges' });
    expect(saved.json.rows.map((x: any) => x.prs_merged)).toEqual([3, 2]);
  });

  it('answers every problem of a spec at once, with codes, paths and hints', async () => {
    const r = await call('POST', '/analytics/query', {
      metrics: ['prs_merge'], group_by: [{ field: 'repo_name' }, { field: 'pull_request__repo_name' }],
      filters: [{ field: 'repo_name', op: 'gt', values: ['a'] }], dates: { start: '2025-02-01', end: '2025-01-01' }, limit: 5000,
    });
    expect(r.status).toBe(400);
    expect(r.json.error.issues.map((i: any) => [i.code, i.path])).toEqual([
      ['METRIC_UNKNOWN', '/metrics/0'], ['GROUP_BY_DUPLICATE', '/group_by/1'], ['OPERATOR_TYPE_MISMATCH', '/filters/0/op'],
      ['DATE_RANGE_INVALID', '/dates'], ['LIMIT_OUT_OF_RANGE', '/limit'],
    ]);
    expect(r.json.error.issues[0].hint).toBe("Did you mean 'prs_merged'?");
    const schema = await call('POST', '/analytics/query', { metrics: ['prs_merged'], bogus: 1 });
    expect(schema.json.error.issues[0]).toMatchObject({ code: 'FIELD_NOT_ALLOWED', path: '/bogus' });
  });

  it('times out a slow query with QUERY_TIMEOUT and keeps serving', async () => {
    const r = await call('POST', '/analytics/query', { metrics: ['slow_count'] });
    expect([r.status, r.json.error.code]).toEqual([504, 'QUERY_TIMEOUT']);
    expect((await call('POST', '/analytics/query', { metrics: ['prs_merged'], limit: 1 })).status).toBe(200);
  });
});

describe('tsdbt serve: jobs', () => {
  async function waitFor(id: string, statuses: string[]) {
    for (let i = 0; i < 200; i += 1) {
      const j = (await call('GET', `/analytics/jobs/${id}`)).json;
      if (statuses.includes(j.status)) return j;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('job did not finish');
  }

  it('runs a job, shares it for the same spec, and serves JSON and CSV results', async () => {
    const spec = { metrics: ['prs_merged'], group_by: [{ field: 'repo_name' }], sort_by: ['repo_name'], limit: 50000 };
    const a = await call('POST', '/analytics/jobs', spec);
    expect(a.status).toBe(202);
    const b = await call('POST', '/analytics/jobs', spec);
    expect(b.json.id).toBe(a.json.id);
    const done = await waitFor(a.json.id, ['completed']);
    expect(done).toMatchObject({ status: 'completed', progress: 1, row_count: 2, error: null });
    expect((await call('POST', '/analytics/jobs', spec)).json).toMatchObject({ id: a.json.id, reused: true });
    expect((await call('GET', `/analytics/jobs/${a.json.id}/result`)).json.rows).toEqual([{ pull_request__repo_name: 'api', prs_merged: 2 }, { pull_request__repo_name: 'web', prs_merged: 3 }]);
    expect((await call('GET', `/analytics/jobs/${a.json.id}/result?format=csv`)).text).toBe('pull_request__repo_name,prs_merged\r\napi,2\r\nweb,3\r\n');
    expect((await call('GET', '/analytics/jobs/nope')).json.error.code).toBe('JOB_NOT_FOUND');
  });

  it('cancels a running job and its statement', async () => {
    const a = await call('POST', '/analytics/jobs', { metrics: ['slow_count'], limit: 1 });
    await waitFor(a.json.id, ['running']);
    const del = await call('DELETE', `/analytics/jobs/${a.json.id}`);
    expect(del.json.status).toBe('cancelled');
    expect((await call('DELETE', `/analytics/jobs/${a.json.id}`)).status).toBe(409);
    expect((await call('GET', `/analytics/jobs/${a.json.id}/result`)).json.error.code).toBe('JOB_NOT_COMPLETED');
    // The connection stays usable.
    expect((await call('POST', '/analytics/query', { metrics: ['lines_added'] })).json.rows).toEqual([{ lines_added: 43 }]);
  });

  it('fails a job past its timeout with QUERY_TIMEOUT', async () => {
    const a = await call('POST', '/analytics/jobs', { metrics: ['slow_count'], limit: 2 });
    const j = await waitFor(a.json.id, ['failed']);
    expect(j.error.code).toBe('QUERY_TIMEOUT');
  });

  it('retries a transient failure', async () => {
    backend.failTimes = 2;
    const a = await call('POST', '/analytics/jobs', { metrics: ['lines_added'], limit: 3 });
    const j = await waitFor(a.json.id, ['completed', 'failed']);
    expect(j).toMatchObject({ status: 'completed', attempts: 3 });
  });

  it('streams status, progress, heartbeats and a final event, then closes', async () => {
    const a = await call('POST', '/analytics/jobs', { metrics: ['slow_count'], limit: 4 });
    const res = await fetch(`${server.url}/analytics/jobs/${a.json.id}/stream?access_token=${TOKEN}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text(); // ends when the server closes the stream
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('status');
    expect(events).toContain('heartbeat');
    expect(events.at(-1)).toBe('failed'); // past the 2 s timeout
    expect(text).toContain('QUERY_TIMEOUT');
  });
});
