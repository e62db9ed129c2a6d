import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runExtract } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { FAST_SOURCE, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Commit {
  commitHash: string;
  commitTs: string;
  lines: number;
}

describe('incremental runs', () => {
  it('asks only for rows newer than the saved cursor and merges on the primary key', async () => {
    const commits: Commit[] = [
      { commitHash: 'a', commitTs: '2026-01-01T10:00:00.123Z', lines: 1 },
      { commitHash: 'b', commitTs: '2026-01-02T10:00:00.5Z', lines: 2 },
    ];
    server = await startServer((url, _req, res) => {
      const start = url.searchParams.get('startDate')!;
      const matched = commits.filter((c) => Date.parse(c.commitTs) >= Date.parse(start));
      json(res, 200, { items: matched, totalCount: matched.length });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:
  - name: commits
    path: /commits
    params: { startDate: "2000-01-01", endDate: "2100-01-01" }
    records: items
    pagination: { type: page_number, page_size_param: pageSize, page_size: 1000, total_path: totalCount }
    primary_key: commitHash
    incremental: { cursor_field: commitTs, param: startDate, format: datetime }
    totals: { on_mismatch: error }
    columns: { commit_hash: VARCHAR, commit_ts: TIMESTAMPTZ, lines: BIGINT }
`,
    });
    const first = await runExtract({ projectDir: dir, url: server.url });
    expect(first.streams[0]).toMatchObject({ rows: 2, incremental: { cursor_field: 'commitTs', to: '2026-01-02T10:00:00.5Z' } });
    expect(JSON.parse(readFileSync(`${dir}/.tsdbt/extract_state.json`, 'utf8')).streams.commits).toMatchObject({
      cursor_field: 'commitTs',
      cursor_value: '2026-01-02T10:00:00.5Z',
    });

    commits[1] = { ...commits[1]!, lines: 20 }; // the boundary row changed
    commits.push({ commitHash: 'c', commitTs: '2026-01-03T09:00:00Z', lines: 3 });
    const second = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual([
      '/commits?startDate=2000-01-01&endDate=2100-01-01&page=1&pageSize=1000',
      '/commits?startDate=2026-01-02T10%3A00%3A00.5Z&endDate=2100-01-01&page=1&pageSize=1000',
    ]);
    expect(second.streams[0]).toMatchObject({ rows: 3, rows_extracted: 2, incremental: { from: '2026-01-02T10:00:00.5Z', to: '2026-01-03T09:00:00Z' } });
    const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    const rows = await c.execute(`select commit_hash, lines from read_parquet('${dir}/data/raw/commits.parquet') order by commit_hash`);
    expect(rows.rows).toEqual([['a', 1], ['b', 20], ['c', 3]]);

    // fullRefresh ignores the cursor and replaces the file.
    commits.splice(0, 1);
    const full = await runExtract({ projectDir: dir, url: server.url, fullRefresh: true });
    expect(server.requests[2]).toBe('/commits?startDate=2000-01-01&endDate=2100-01-01&page=1&pageSize=1000');
    expect(full.streams[0]!.rows).toBe(2);
  });
});

describe('incremental options', () => {
  it('lookback_days re-asks the days before the cursor; fullRefresh of one stream keeps the others\' cursors', async () => {
    server = await startServer((url, _req, res) => {
      if (url.pathname === '/other') return json(res, 200, { items: [{ id: 1, ts: '2026-02-01T00:00:00Z' }] });
      json(res, 200, { items: [{ id: 1, ts: '2026-01-10T08:00:00Z' }] });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:
  - name: a
    path: /a
    records: items
    primary_key: id
    incremental: { cursor_field: ts, param: since, lookback_days: 3 }
  - name: other
    path: /other
    records: items
    primary_key: id
    incremental: { cursor_field: ts, param: since }
`,
    });
    await runExtract({ projectDir: dir, url: server.url });
    await runExtract({ projectDir: dir, url: server.url, streams: ['a'] });
    await runExtract({ projectDir: dir, url: server.url, streams: ['a'], fullRefresh: true });
    await runExtract({ projectDir: dir, url: server.url, streams: ['other'] });
    expect(server.requests.filter((u) => u.startsWith('/a'))).toEqual(['/a', '/a?since=2026-01-07', '/a']);
    expect(server.requests.filter((u) => u.startsWith('/other'))).toEqual(['/other', '/other?since=2026-02-01']);
  });
});
