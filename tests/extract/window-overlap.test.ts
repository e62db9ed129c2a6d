import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { FAST_SOURCE, json, makeProject, startServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

/** 6 PRs a day over 10 days; on every day one is created in its last second (23:59:59.5). */
const PRS = Array.from({ length: 60 }, (_, i) => {
  const day = Math.floor(i / 6);
  const at = i % 6 === 5 ? START + day * DAY + DAY - 500 : START + day * DAY + (i % 6) * 3 * 3_600_000;
  return { id: i + 1, created_at: new Date(at).toISOString() };
});

/**
 * /prs as cursor-sim answers it: created_at in [start_date, end_date], the end
 * day included except its last second; random order; page/page_size; a total.
 */
function prsServer(): Promise<TestServer> {
  return startServer((url, _req, res) => {
    const q = url.searchParams;
    const start = Date.parse(`${q.get('start_date')}T00:00:00Z`);
    const end = Date.parse(`${q.get('end_date')}T00:00:00Z`) + DAY - 1000;
    const matched = PRS.filter((p) => Date.parse(p.created_at) >= start && Date.parse(p.created_at) < end).sort(() => Math.random() - 0.5);
    const size = Number(q.get('page_size'));
    const page = Number(q.get('page'));
    json(res, 200, { data: matched.slice((page - 1) * size, page * size), pagination: { total: matched.length } });
  });
}

function project(dateField: boolean): string {
  return makeProject({
    'extract.yml': `${FAST_SOURCE}streams:
  - name: prs
    path: /prs
    records: data
    pagination:
      type: date_window
      start_param: start_date
      end_param: end_date
      start: "2025-12-01"
      end: "2026-01-10"
      step: range
      bisect: true
      page_size: 12
      total_path: pagination.total
${dateField ? '      date_field: created_at\n' : ''}    primary_key: id
    totals: { on_mismatch: error }
    columns: { id: BIGINT, created_at: TIMESTAMPTZ }
`,
  });
}

describe('date windows and the end day\'s last second', () => {
  it('with date_field, the two days across each cut are asked for the PRs of its last second, and every PR is landed once', async () => {
    server = await prsServer();
    const r = await runExtract({ projectDir: project(true), url: server.url });
    expect(r.streams[0]).toMatchObject({ status: 'success', rows: 60, rows_extracted: 60 });
    // The last-second PRs were found by asking the two days across a cut (start_date < end_date on a one-day step).
    const pairs = server.requests.filter((path) => {
      const q = new URL(path, 'http://x').searchParams;
      return Date.parse(q.get('end_date')!) - Date.parse(q.get('start_date')!) === DAY;
    });
    expect(pairs.length).toBeGreaterThan(0);
  });

  it('without it, the windows the totals force lose the last-second PRs (the failure date_field prevents)', async () => {
    server = await prsServer();
    const err = await runExtract({ projectDir: project(false), url: server.url }).then(
      (r) => r.streams[0]!.rows,
      (e: Error) => e.message,
    );
    expect(err).not.toBe(60);
  });
});
