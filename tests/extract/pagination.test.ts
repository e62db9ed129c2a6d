import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { FAST_SOURCE, items, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function project(stream: string): string {
  return makeProject({ 'extract.yml': `${FAST_SOURCE}streams:\n${stream}` });
}

async function ids(dir: string, stream = 'things'): Promise<number[]> {
  const { DuckDBConnection, openDuckDBInstance } = await import('../../src/adapters/duckdb/duckdb-connection.js');
  const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
  const r = await c.execute(`select id from read_parquet('${dir}/data/raw/${stream}.parquet')`);
  await c.close();
  return r.rows.map((x) => x[0] as number);
}

describe('pagination', () => {
  it('page_number stops at the total found at a nested JSON path', async () => {
    server = await startServer((url, _req, res) => {
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('page_size'));
      json(res, 200, { data: items((page - 1) * size + 1, Math.min(size, 25 - (page - 1) * size)), pagination: { total: 25 } });
    });
    const dir = project(`  - name: things
    path: /things
    records: data
    pagination: { type: page_number, page_size_param: page_size, page_size: 10, total_path: pagination.total }
    primary_key: id
    totals: { on_mismatch: error }
`);
    const r = await runExtract({ projectDir: dir, url: server.url });
    // Once page 1 gives the total, pages 2 and 3 are asked concurrently.
    expect(server.requests[0]).toBe('/things?page=1&page_size=10');
    expect([...server.requests].sort()).toEqual(['/things?page=1&page_size=10', '/things?page=2&page_size=10', '/things?page=3&page_size=10']);
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 25, pages: 3, requests: 3, api_total: 25 });
    expect(await ids(dir)).toEqual(items(1, 25).map((x) => x.id));
  });

  it('page_number without a total stops on a short page', async () => {
    server = await startServer((url, _req, res) => {
      const page = Number(url.searchParams.get('p'));
      json(res, 200, items((page - 1) * 5 + 1, page < 3 ? 5 : 2));
    });
    const dir = project(`  - name: things
    path: /things
    pagination: { type: page_number, page_param: p, start: 1, page_size_param: per_page, page_size: 5 }
`);
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual(['/things?p=1&per_page=5', '/things?p=2&per_page=5', '/things?p=3&per_page=5']);
    expect(r.streams[0]!.rows).toBe(12);
  });

  it('page_number without a page size stops on an empty page', async () => {
    server = await startServer((url, _req, res) => {
      const page = Number(url.searchParams.get('page'));
      json(res, 200, { items: page <= 2 ? items(page * 10, 3) : [] });
    });
    const dir = project(`  - name: things
    path: /things
    records: items
    pagination: { type: page_number, start: 0 }
`);
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual(['/things?page=0', '/things?page=1', '/things?page=2', '/things?page=3']);
    expect(await ids(dir)).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    expect(r.streams[0]!.pages).toBe(4);
  });

  it('page_number follows a has-next-page flag', async () => {
    server = await startServer((url, _req, res) => {
      const page = Number(url.searchParams.get('page'));
      json(res, 200, { items: items(page * 100, 2), meta: { hasNextPage: page < 2 } });
    });
    const dir = project(`  - name: things
    path: /things
    records: items
    pagination: { type: page_number, has_next_path: meta.hasNextPage }
`);
    await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual(['/things?page=1', '/things?page=2']);
    expect(await ids(dir)).toEqual([100, 101, 200, 201]);
  });

  it('none: one request, root array, params sent as given', async () => {
    server = await startServer((_url, _req, res) => json(res, 200, items(1, 3)));
    const dir = project(`  - name: things
    path: /things
    params: { state: all, limit: 5 }
    pagination: { type: none }
`);
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual(['/things?state=all&limit=5']);
    expect(r.streams[0]!.rows).toBe(3);
  });

  it('says where the records are when the selector finds none', async () => {
    server = await startServer((_url, _req, res) => json(res, 200, { results: items(1, 2) }));
    const dir = project(`  - name: things
    path: /things
    records: data
`);
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_VALIDATION');
    expect(err.format()).toBe(
      `extract.yml:9: stream 'things': expected a list of records at 'data' in the answer of GET ${server.url}/things, found nothing\n` +
        "  Set the stream's `records:` to the JSON path of the list (the answer has keys: results); use '$' when the answer is the list itself.",
    );
  });

  it('de-duplicates on the primary key, last record wins', async () => {
    server = await startServer((url, _req, res) => {
      const page = Number(url.searchParams.get('page'));
      const rows = page === 1 ? [{ id: 1, name: 'old' }, { id: 2, name: 'b' }] : page === 2 ? [{ id: 1, name: 'new' }, { id: 3, name: 'c' }] : [];
      json(res, 200, rows);
    });
    const dir = project(`  - name: things
    path: /things
    pagination: { type: page_number }
    primary_key: id
`);
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(r.streams[0]).toMatchObject({ rows: 3, rows_extracted: 3 });
    const { DuckDBConnection, openDuckDBInstance } = await import('../../src/adapters/duckdb/duckdb-connection.js');
    const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    const got = await c.execute(`select id, name from read_parquet('${dir}/data/raw/things.parquet') order by id`);
    expect(got.rows).toEqual([[1, 'new'], [2, 'b'], [3, 'c']]);
  });

  it('a count mismatch fails (or warns) per totals.on_mismatch', async () => {
    server = await startServer((_url, _req, res) => json(res, 200, { items: items(1, 4), total: 5 }));
    const stream = (mode: string) => `  - name: things
    path: /things
    records: items
    pagination: { type: page_number, total_path: total, page_size: 10 }
    primary_key: id
    totals: { on_mismatch: ${mode} }
`;
    const err = await runExtract({ projectDir: project(stream('error')), url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_COUNT');
    expect(err.message).toBe("stream 'things': count check failed: the API reports 5 records but 4 unique records were extracted");
    const r = await runExtract({ projectDir: project(stream('warn')), url: server.url });
    expect(r.streams[0]!.warnings).toEqual(["stream 'things': count check failed: the API reports 5 records but 4 unique records were extracted"]);
    expect(r.streams[0]!.rows).toBe(4);
  });
});
