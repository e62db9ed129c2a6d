import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { makeWindows, resolveDay, formatDay, samplingCost } from '../../src/extract/date-window.js';
import { FAST_SOURCE, json, makeProject, MEMBERS_STREAM, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Rec {
  id: number;
  day: string;
  status: string;
}

/** An analytics-style endpoint over `recs`: start/end day filter, status filter, page/page_size, pagination.total. */
function analytics(recs: Rec[]) {
  return startServer((url, _req, res) => {
    const q = url.searchParams;
    const from = q.get('start_date') ?? '0000';
    const to = q.get('end_date') ?? '9999';
    const status = q.get('status');
    const matched = recs.filter((r) => r.day >= from && r.day <= to && (!status || r.status === status));
    const page = Number(q.get('page') ?? 1);
    const size = Number(q.get('page_size') ?? 20);
    json(res, 200, { data: matched.slice((page - 1) * size, page * size), pagination: { page, page_size: size, total: matched.length } });
  });
}

function stream(pagination: string): string {
  return `${FAST_SOURCE}streams:
  - name: prs
    path: /prs
    records: data
    pagination: ${pagination}
    primary_key: id
    totals: { on_mismatch: error }
`;
}

describe('date windows', () => {
  it('resolves dates and cuts windows', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    expect(formatDay(resolveDay('today', now))).toBe('2026-03-10');
    expect(formatDay(resolveDay('3d', now))).toBe('2026-03-07');
    expect(formatDay(resolveDay('2026-01-31T23:59:59.123456Z', now))).toBe('2026-01-31');
    const w = (step: 'day' | 'week' | 'month' | 'range') =>
      makeWindows(resolveDay('2026-01-30'), resolveDay('2026-03-02'), step).map(([a, b]) => `${formatDay(a)}..${formatDay(b)}`);
    expect(w('month')).toEqual(['2026-01-30..2026-01-31', '2026-02-01..2026-02-28', '2026-03-01..2026-03-02']);
    expect(w('week').slice(0, 2)).toEqual(['2026-01-30..2026-02-05', '2026-02-06..2026-02-12']);
    expect(w('range')).toEqual(['2026-01-30..2026-03-02']);
    expect(w('day')).toHaveLength(32);
  });

  it('asks one request per day window and splits a day that overflows a page by status', async () => {
    const recs: Rec[] = [
      { id: 1, day: '2026-01-01', status: 'open' },
      { id: 2, day: '2026-01-02', status: 'open' },
      { id: 3, day: '2026-01-02', status: 'merged' },
      { id: 4, day: '2026-01-02', status: 'merged' },
      { id: 5, day: '2026-01-02', status: 'closed' },
    ];
    server = await analytics(recs);
    const dir = makeProject({
      'extract.yml': stream(
        '{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-03", step: day, split: { param: status, values: [open, closed, merged] }, page_size: 2, total_path: pagination.total }',
      ),
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual([
      '/prs?start_date=2026-01-01&end_date=2026-01-01&page=1&page_size=2',
      '/prs?start_date=2026-01-02&end_date=2026-01-02&page=1&page_size=2',
      '/prs?start_date=2026-01-03&end_date=2026-01-03&page=1&page_size=2',
      '/prs?start_date=2026-01-02&end_date=2026-01-02&status=open&page=1&page_size=2',
      '/prs?start_date=2026-01-02&end_date=2026-01-02&status=closed&page=1&page_size=2',
      '/prs?start_date=2026-01-02&end_date=2026-01-02&status=merged&page=1&page_size=2',
    ]);
    expect(r.streams[0]).toMatchObject({ rows: 5, api_total: 5, requests: 6 });
  });

  it('pages a split that still overflows', async () => {
    const recs: Rec[] = [1, 2, 3, 4, 5].map((id) => ({ id, day: '2026-01-01', status: 'open' }));
    server = await analytics(recs);
    const dir = makeProject({
      'extract.yml': stream(
        '{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-01", split: { param: status, values: [open] }, page_size: 2, total_path: pagination.total }',
      ),
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests.slice(1)).toEqual([
      '/prs?start_date=2026-01-01&end_date=2026-01-01&status=open&page=1&page_size=2',
      '/prs?start_date=2026-01-01&end_date=2026-01-01&status=open&page=2&page_size=2',
      '/prs?start_date=2026-01-01&end_date=2026-01-01&status=open&page=3&page_size=2',
    ]);
    expect(r.streams[0]!.rows).toBe(5);
  });

  it('fails when the split values do not cover a window', async () => {
    server = await analytics([1, 2, 3].map((id) => ({ id, day: '2026-01-01', status: id === 3 ? 'draft' : 'open' })));
    const dir = makeProject({
      'extract.yml': stream(
        '{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-01", split: { param: status, values: [open, closed] }, page_size: 2, total_path: pagination.total }',
      ),
    });
    const err = await runExtract({ projectDir: dir, url: server.url }).catch((e) => e);
    expect(err.code).toBe('EXTRACT_COUNT');
    expect(err.message).toBe("stream 'prs': 2026-01-01..2026-01-01 holds 3 records but splitting by status (open, closed) found 2");
  });

  it('cuts one wide window down to what fits a page, skipping windows known to be empty', async () => {
    // 6 records on the last 3 days of a 16-day range; pages of 4.
    const recs: Rec[] = [1, 2, 3, 4, 5, 6].map((id) => ({ id, day: `2026-01-${String(13 + (id % 3)).padStart(2, '0')}`, status: 'open' }));
    server = await analytics(recs);
    const dir = makeProject({
      'extract.yml': stream(
        '{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-16", step: range, bisect: true, page_size: 4, total_path: pagination.total }',
      ),
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    expect(server.requests).toEqual([
      '/prs?start_date=2026-01-01&end_date=2026-01-16&page=1&page_size=4', // 6: overflow
      '/prs?start_date=2026-01-09&end_date=2026-01-16&page=1&page_size=4', // 6: overflow; 01..08 is then known empty
      '/prs?start_date=2026-01-13&end_date=2026-01-16&page=1&page_size=4', // 6: overflow; 09..12 known empty
      '/prs?start_date=2026-01-15&end_date=2026-01-16&page=1&page_size=4', // 2 (day 15): fits
      '/prs?start_date=2026-01-13&end_date=2026-01-14&page=1&page_size=4', // 4 known: fits in one request
    ]);
    expect(r.streams[0]).toMatchObject({ rows: 6, api_total: 6 });
  });

  it('an incremental run starts its windows at the last cursor day', async () => {
    const recs: Rec[] = [
      { id: 1, day: '2026-01-01', status: 'open' },
      { id: 2, day: '2026-01-03', status: 'open' },
    ];
    server = await startServer((url, _req, res) => {
      const q = url.searchParams;
      const m = recs.filter((r) => r.day >= q.get('start_date')! && r.day <= q.get('end_date')!);
      json(res, 200, { data: m.map((r) => ({ ...r, created_at: `${r.day}T10:00:00Z` })), pagination: { total: m.length } });
    });
    const dir = makeProject({
      'extract.yml': `${stream('{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: today, step: range, page_size: 10, total_path: pagination.total }')}    incremental: { cursor_field: created_at }\n`,
    });
    const now = new Date('2026-01-04T00:00:00Z');
    await runExtract({ projectDir: dir, url: server.url, now });
    recs.push({ id: 3, day: '2026-01-04', status: 'open' });
    const r = await runExtract({ projectDir: dir, url: server.url, now });
    expect(server.requests).toEqual([
      '/prs?start_date=2026-01-01&end_date=2026-01-04&page=1&page_size=10',
      '/prs?start_date=2026-01-03&end_date=2026-01-04&page=1&page_size=10',
    ]);
    expect(r.streams[0]).toMatchObject({ rows: 3, rows_extracted: 2, incremental: { cursor_field: 'created_at', from: '2026-01-03T10:00:00Z', to: '2026-01-04T10:00:00Z' } });
  });
});

describe('split_first', () => {
  it('splits by the values before cutting windows, so each value is cut on its own', async () => {
    // 3 merged on each of days 1..4, 1 open on day 4; pages of 4.
    const recs: Rec[] = [];
    let id = 0;
    for (let d = 1; d <= 4; d++) for (let k = 0; k < 3; k++) recs.push({ id: ++id, day: `2026-01-0${d}`, status: 'merged' });
    recs.push({ id: ++id, day: '2026-01-04', status: 'open' });
    server = await analytics(recs);
    const dir = makeProject({
      'extract.yml': stream(
        '{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-04", step: range, bisect: true, split_first: true, split: { param: status, values: [open, merged] }, page_size: 4, total_path: pagination.total }',
      ),
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    // The values are asked concurrently, so compare as a set after the first request.
    expect(server.requests[0]).toBe('/prs?start_date=2026-01-01&end_date=2026-01-04&page=1&page_size=4'); // 13: overflow → split
    expect(server.requests.slice(1).sort()).toEqual(
      [
        '/prs?start_date=2026-01-01&end_date=2026-01-04&status=open&page=1&page_size=4', // 1: fits
        '/prs?start_date=2026-01-01&end_date=2026-01-04&status=merged&page=1&page_size=4', // 12: cut in 4 days (3 a page each)
        '/prs?start_date=2026-01-04&end_date=2026-01-04&status=merged&page=1&page_size=4', // 3, asked from the latest back
        '/prs?start_date=2026-01-03&end_date=2026-01-03&status=merged&page=1&page_size=4', // 3
        '/prs?start_date=2026-01-02&end_date=2026-01-02&status=merged&page=1&page_size=4', // 3
        '/prs?start_date=2026-01-01&end_date=2026-01-01&status=merged&page=1&page_size=4', // 3 known, asked for its rows
      ].sort(),
    );
    expect(r.streams[0]).toMatchObject({ rows: 13, api_total: 13 });
  });
});

describe('cutting windows by the total', () => {
  it('cuts into as many windows as the total needs and skips the earlier ones once all rows are found', async () => {
    // 9 records in the last 2 of 12 days; pages of 4 → 9 / (4 × 0.75) = 3 windows of 4 days.
    const recs: Rec[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => ({ id, day: id <= 4 ? '2026-01-11' : '2026-01-12', status: 'open' }));
    server = await analytics(recs);
    const dir = makeProject({
      'extract.yml': stream(
        '{ type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-12", step: range, bisect: true, page_size: 4, total_path: pagination.total }',
      ),
    });
    const done: string[] = [];
    const r = await runExtract({ projectDir: dir, url: server.url, onProgress: (e) => e.phase === 'done' && done.push(`pages=${e.pages} rows=${e.rows} requests=${e.requests}`) });
    // Rows of overflowing pages that were cut further are not counted as extracted.
    expect(done).toEqual(['pages=6 rows=9 requests=6']);
    expect(server.requests).toEqual([
      '/prs?start_date=2026-01-01&end_date=2026-01-12&page=1&page_size=4', // 9: overflow → 3 windows
      '/prs?start_date=2026-01-09&end_date=2026-01-12&page=1&page_size=4', // 9: all of them, so 01..08 is skipped; → 09 | 10 | 11..12
      '/prs?start_date=2026-01-11&end_date=2026-01-12&page=1&page_size=4', // 9 again: 09 and 10 skipped; → 11 | 12
      '/prs?start_date=2026-01-12&end_date=2026-01-12&page=1&page_size=4', // 5: one day, no split values → paged
      '/prs?start_date=2026-01-12&end_date=2026-01-12&page=2&page_size=4',
      '/prs?start_date=2026-01-11&end_date=2026-01-11&page=1&page_size=4', // 4 known: asked for its rows
    ]);
    expect(r.streams[0]).toMatchObject({ rows: 9, api_total: 9 });
  });
  it('pages an overflowing day of an unstable order by author, and collects empty-author records by asking again', async () => {
    const recs = [
      { id: 1, author: 'a' }, { id: 2, author: 'b' }, { id: 3, author: '' }, { id: 4, author: 'a' }, { id: 5, author: 'b' },
    ];
    let n = 0;
    server = await startServer((url, _req, res) => {
      if (url.pathname === '/members') return json(res, 200, [{ email: 'a' }, { email: 'b' }]);
      const q = url.searchParams;
      const author = q.get('author');
      // Every unfiltered request sees a new order (a rotation), as the real server's hash-map walk.
      const k = (n++ * 3) % recs.length;
      const matched = author ? recs.filter((r) => r.author === author) : [...recs.slice(k), ...recs.slice(0, k)];
      const page = Number(q.get('page') ?? 1);
      const size = Number(q.get('page_size') ?? 20);
      json(res, 200, { data: matched.slice((page - 1) * size, page * size), pagination: { page, page_size: size, total: matched.length } });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:${MEMBERS_STREAM}
  - name: prs
    path: /prs
    records: data
    pagination: { type: date_window, start_param: start_date, end_param: end_date, start: "2026-01-01", end: "2026-01-01", page_by: { param: author, stream: members, field: email, record_field: author }, page_size: 2, total_path: pagination.total }
    primary_key: id
    totals: { on_mismatch: error }
`,
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    const prs = r.streams.find((x) => x.stream === 'prs')!;
    expect(prs).toMatchObject({ rows: 5, api_total: 5 });
    expect(server.requests.filter((u) => u.includes('author=')).sort()).toEqual([
      '/prs?start_date=2026-01-01&end_date=2026-01-01&author=a&page=1&page_size=2',
      '/prs?start_date=2026-01-01&end_date=2026-01-01&author=b&page=1&page_size=2',
    ]);
  });

  it('estimates how many asks of a random order see every record', () => {
    expect(samplingCost(100, 100)).toBe(1);
    expect(samplingCost(110, 100)).toBe(3);
    expect(samplingCost(300, 100)).toBe(16);
  });
});
