import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { FAST_SOURCE, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function query(sql: string): Promise<unknown[][]> {
  const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
  const r = await c.execute(sql);
  await c.close();
  return r.rows;
}

describe('parent → child fan-out and joins', () => {
  it('runs the child once per parent record with path placeholders and copies parent fields', async () => {
    server = await startServer((url, _req, res) => {
      if (url.pathname === '/repos') return json(res, 200, [{ full_name: 'acme/api', owner: 'acme' }, { full_name: 'acme/web app', owner: 'acme' }]);
      const m = /^\/repos\/(.+)\/pulls$/.exec(decodeURIComponent(url.pathname));
      if (m) return json(res, 200, [{ number: m[1] === 'acme/api' ? 1 : 2, state: url.searchParams.get('state') }]);
      json(res, 404, { message: 'Not Found' });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:
  - name: repos
    path: /repos
    primary_key: full_name
  - name: pulls
    path: /repos/{parent.full_name}/pulls
    params: { state: all, owner: "{parent.owner}" }
    parent: { stream: repos, fields: { repo_name: full_name } }
    primary_key: [repo_name, number]
`,
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual(['/repos', '/repos/acme/api/pulls?state=all&owner=acme', '/repos/acme/web%20app/pulls?state=all&owner=acme']);
    expect(r.streams.map((s) => [s.stream, s.rows])).toEqual([['repos', 2], ['pulls', 2]]);
    expect(await query(`select repo_name, number, state from read_parquet('${dir}/data/raw/pulls.parquet') order by number`)).toEqual([
      ['acme/api', 1, 'all'],
      ['acme/web app', 2, 'all'],
    ]);
  });

  it('joins records to another stream and fails on a record without a match', async () => {
    let reviews = [
      { id: 10, pr_id: 1, reviewer: 'a@x' },
      { id: 11, pr_id: 2, reviewer: 'b@x' },
    ];
    server = await startServer((url, _req, res) => {
      if (url.pathname === '/members') return json(res, 200, { teamMembers: [{ email: 'a@x' }, { email: 'b@x' }] });
      if (url.pathname === '/prs') return json(res, 200, { data: [{ id: 1, number: 1, repo_name: 'acme/api' }, { id: 2, number: 2, repo_name: 'acme/web' }] });
      const who = url.searchParams.get('reviewer');
      json(res, 200, { data: reviews.filter((r) => r.reviewer === who), pagination: { total: reviews.filter((r) => r.reviewer === who).length } });
    });
    const yml = `${FAST_SOURCE}streams:
  - name: members
    path: /members
    records: teamMembers
    land: false
  - name: prs
    path: /prs
    records: data
    primary_key: id
  - name: reviews
    path: /reviews
    params: { reviewer: "{parent.email}" }
    parent: { stream: members }
    records: data
    pagination: { type: page_number, page_size_param: page_size, page_size: 100, total_path: pagination.total }
    join: { stream: prs, on: { pr_id: id }, fields: { repo_name: repo_name, pr_number: number } }
    primary_key: id
`;
    const dir = makeProject({ 'extract.yml': yml });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(r.streams.map((s) => [s.stream, s.rows, s.file ?? null])).toEqual([
      ['members', 2, null],
      ['prs', 2, 'data/raw/prs.parquet'],
      ['reviews', 2, 'data/raw/reviews.parquet'],
    ]);
    expect(await query(`select id, pr_id, reviewer, repo_name, pr_number from read_parquet('${dir}/data/raw/reviews.parquet') order by id`)).toEqual([
      [10, 1, 'a@x', 'acme/api', 1],
      [11, 2, 'b@x', 'acme/web', 2],
    ]);

    reviews = [...reviews, { id: 12, pr_id: 99, reviewer: 'b@x' }];
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_VALIDATION');
    expect(err.message).toBe(`stream 'reviews': record #2 of GET ${server.url}/reviews?reviewer=b%40x&page=1&page_size=100 (pr_id=99) has no match in stream 'prs'`);
    // The failed stream keeps its previous file.
    expect(await query(`select count(*) from read_parquet('${dir}/data/raw/reviews.parquet')`)).toEqual([[2]]);
  });

  it('ignore_status reads a 404 child as an empty page', async () => {
    server = await startServer((url, _req, res) => {
      if (url.pathname === '/parents') return json(res, 200, [{ id: 1 }, { id: 2 }]);
      if (url.pathname === '/c/2') return json(res, 404, { message: 'Not Found' });
      json(res, 200, { data: [{ k: 1 }], total: 1 });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:
  - { name: parents, path: /parents }
  - name: children
    path: "/c/{parent.id}"
    parent: { stream: parents, fields: { pid: id } }
    records: data
    pagination: { type: page_number, total_path: total, page_size: 10 }
    ignore_status: [404]
    totals: { on_mismatch: error }
`,
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(r.streams[1]).toMatchObject({ stream: 'children', rows: 1, api_total: 1, requests: 2 });
    expect(await query(`select k, pid from read_parquet('${dir}/data/raw/children.parquet')`)).toEqual([[1, 1]]);
  });

  it('skips the children of a failed parent and says why', async () => {
    server = await startServer((url, _req, res) => (url.pathname === '/a' ? json(res, 404, { message: 'nope' }) : json(res, 200, [])));
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:
  - { name: a, path: /a }
  - { name: b, path: "/b/{parent.id}", parent: { stream: a } }
  - { name: c, path: /c, columns: { id: BIGINT } }
`,
    });
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_HTTP');
    const results = err.detail.results;
    expect(results.streams.map((s: { stream: string; status: string }) => [s.stream, s.status])).toEqual([['a', 'error'], ['b', 'skipped'], ['c', 'success']]);
    expect(results.streams[1].error.message).toBe("skipped: stream 'a' failed");
  });
});
