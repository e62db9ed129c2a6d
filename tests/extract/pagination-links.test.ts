import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { nextFromLinkHeader } from '../../src/extract/paginate-links.js';
import { FAST_SOURCE, items, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function project(stream: string): string {
  return makeProject({ 'extract.yml': `${FAST_SOURCE}streams:\n${stream}` });
}

describe('offset, cursor and link pagination', () => {
  it('offset/limit stops on a short page', async () => {
    server = await startServer((url, _r, res) => {
      const off = Number(url.searchParams.get('offset'));
      json(res, 200, items(off + 1, Math.min(3, 7 - off)));
    });
    const r = await runExtract({ projectDir: project('  - { name: t, path: /t, pagination: { type: offset, limit: 3 }, primary_key: id }\n'), url: server.url });
    expect(server.requests).toEqual(['/t?offset=0&limit=3', '/t?offset=3&limit=3', '/t?offset=6&limit=3']);
    expect(r.streams[0]!.rows).toBe(7);
  });

  it('offset/limit stops at the total without asking for an empty page', async () => {
    server = await startServer((url, _r, res) => {
      const off = Number(url.searchParams.get('skip'));
      json(res, 200, { rows: items(off + 1, 2), count: 4 });
    });
    const r = await runExtract({
      projectDir: project('  - { name: t, path: /t, records: rows, pagination: { type: offset, offset_param: skip, limit_param: take, limit: 2, total_path: count } }\n'),
      url: server.url,
    });
    expect(server.requests).toEqual(['/t?skip=0&take=2', '/t?skip=2&take=2']);
    expect(r.streams[0]!.rows).toBe(4);
  });

  it('cursor: sends the token back until the answer has none', async () => {
    server = await startServer((url, _r, res) => {
      const c = url.searchParams.get('after');
      if (!c) return json(res, 200, { data: items(1, 2), meta: { next: 'abc' } });
      if (c === 'abc') return json(res, 200, { data: items(3, 2), meta: { next: 'def' } });
      json(res, 200, { data: items(5, 1), meta: { next: null } });
    });
    const r = await runExtract({
      projectDir: project('  - { name: t, path: /t, records: data, params: { q: x }, pagination: { type: cursor, cursor_path: meta.next, cursor_param: after } }\n'),
      url: server.url,
    });
    expect(server.requests).toEqual(['/t?q=x', '/t?q=x&after=abc', '/t?q=x&after=def']);
    expect(r.streams[0]!.rows).toBe(5);
  });

  it('cursor: a repeated token is an error, not an endless loop', async () => {
    server = await startServer((_u, _r, res) => json(res, 200, { data: items(1, 1), next: 'same' }));
    const err = await runExtract({
      projectDir: project('  - { name: t, path: /t, records: data, pagination: { type: cursor, cursor_path: next, cursor_param: c } }\n'),
      url: server.url,
    }).catch((e) => e);
    expect(err.message).toBe(`stream 't': GET ${server.url}/t?c=same returned the cursor "same" a second time`);
  });

  it('json_link follows the next URL from the body', async () => {
    server = await startServer((url, _r, res) => {
      const p = Number(url.searchParams.get('p') ?? 1);
      json(res, 200, { results: items(p * 10, 1), next: p < 3 ? `${server!.url}/t?p=${p + 1}` : null });
    });
    const r = await runExtract({ projectDir: project('  - { name: t, path: /t, records: results, pagination: { type: json_link, next_url_path: next } }\n'), url: server.url });
    expect(server.requests).toEqual(['/t', '/t?p=2', '/t?p=3']);
    expect(r.streams[0]!.rows).toBe(3);
  });

  it('header_link follows rel="next" in the Link header, on the same host only', async () => {
    server = await startServer((url, _r, res) => {
      const p = Number(url.searchParams.get('page') ?? 1);
      const link: Record<string, string> = p < 2 ? { link: `<${server!.url}/t?page=${p + 1}>; rel="next", <${server!.url}/t?page=2>; rel="last"` } : {};
      json(res, 200, items(p, 1), link);
    });
    const r = await runExtract({ projectDir: project('  - { name: t, path: /t, pagination: { type: header_link } }\n'), url: server.url });
    expect(server.requests).toEqual(['/t', '/t?page=2']);
    expect(r.streams[0]!.rows).toBe(2);

    await server.close();
    server = await startServer((_u, _r, res) => json(res, 200, items(1, 1), { link: '<http://example.com/t?page=2>; rel="next"' }));
    const err = await runExtract({ projectDir: project('  - { name: t, path: /t, pagination: { type: header_link } }\n'), url: server.url }).catch((e) => e);
    expect(err.message).toBe("stream 't': the next-page link http://example.com/t?page=2 leaves " + server.url);
  });

  it('parses Link headers', () => {
    expect(nextFromLinkHeader('<https://a/x?page=3>; rel="next", <https://a/x?page=9>; rel="last"')).toBe('https://a/x?page=3');
    expect(nextFromLinkHeader('<https://a/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextFromLinkHeader('<https://a/x?a=1,2>; rel="prev next"')).toBe('https://a/x?a=1,2');
    expect(nextFromLinkHeader(undefined)).toBeUndefined();
  });
});
