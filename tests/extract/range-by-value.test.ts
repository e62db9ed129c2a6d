import { afterEach, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/extract/index.js';
import { pageRangeByValueIsCheaper, planWindows } from '../../src/extract/range-by-value.js';
import { FAST_SOURCE, json, makeProject, MEMBERS_STREAM, startServer, type TestServer } from './helpers.js';

const DAY = 86_400_000;
const day = (s: string) => Date.parse(`${s}T00:00:00Z`) / DAY;

/** A new order for every request (Fisher-Yates over a small seeded generator). */
function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed * 2654435761;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('planning windows from the records already held', () => {
  it('fills each window up to the cap from the latest back, a busier day alone, the earliest reaching the start', () => {
    const at = (d: string, h = 12) => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);
    const times = [
      at('2026-01-02'), at('2026-01-02'), at('2026-01-05'), at('2026-01-06'),
      ...Array.from({ length: 5 }, () => at('2026-01-08')), at('2026-01-09'), at('2026-01-10'),
    ].sort((a, b) => a - b);
    const fmt = (w: [number, number][]) => w.map(([a, b]) => `${new Date(a * DAY).toISOString().slice(5, 10)}..${new Date(b * DAY).toISOString().slice(5, 10)}`);
    expect(fmt(planWindows(times, day('2026-01-01'), day('2026-01-10'), 3))).toEqual([
      '01-09..01-10', // 2; 01-08's 5 would overflow
      '01-08..01-08', // 5 > 3: alone
      '01-03..01-07', // 2; 01-02's 2 would overflow
      '01-01..01-02', // 2, reaching the start
    ]);
  });
  it('counts a record of the last second with the next day (the server leaves it out of its own day)', () => {
    const times = [Date.parse('2026-01-01T23:59:59.5Z'), Date.parse('2026-01-02T10:00:00Z')];
    expect(planWindows(times, day('2026-01-01'), day('2026-01-02'), 1)).toEqual([[day('2026-01-02'), day('2026-01-02')], [day('2026-01-01'), day('2026-01-01')]]);
  });
});

describe('deciding between busy days and the whole range by value', () => {
  const range = (accounted: number, busyDays: number, busyCost: number) => ({ total: 30_000, abandoned: false, accounted, busyDays, busyCost });
  it('pages by value when busy days run throughout and each costs many asks', () => {
    expect(pageRangeByValueIsCheaper(range(300, 1, 16), 300, 200, 100)).toBe(true);
  });
  it('keeps walking day by day when busy days are rare or the walk is nearly done', () => {
    expect(pageRangeByValueIsCheaper(range(15_000, 1, 2), 104, 50, 100)).toBe(false);
    expect(pageRangeByValueIsCheaper(range(29_000, 80, 1200), 300, 200, 100)).toBe(false);
  });
});

describe('a range busy throughout', () => {
  it('is paged whole by author, then its empty-author records are found, the last second of a day included', async () => {
    const members = Array.from({ length: 20 }, (_, i) => `m${i}@x`);
    interface Pr { id: number; author: string; state: string; created_at: string }
    const recs: Pr[] = [];
    for (let d = 1; d <= 20; d++) {
      for (let k = 0; k < 60; k++) {
        const ts = `2026-01-${String(d).padStart(2, '0')}T${String(k % 24).padStart(2, '0')}:${String(k).padStart(2, '0')}:00Z`;
        recs.push({ id: recs.length + 1, author: members[(d + k) % 20]!, state: 'merged', created_at: ts });
      }
    }
    recs.push({ id: 9001, author: '', state: 'merged', created_at: '2026-01-07T23:59:59.5Z' });
    recs.push({ id: 9002, author: '', state: 'open', created_at: '2026-01-15T08:00:00Z' });
    recs.push({ id: 9003, author: 'outsider@x', state: 'merged', created_at: '2026-01-03T08:00:00Z' });
    let n = 0;
    server = await startServer((url, _req, res) => {
      if (url.pathname === '/members') return json(res, 200, members.map((email) => ({ email })));
      const q = url.searchParams;
      const author = q.get('author');
      const status = q.get('status');
      const from = Date.parse(`${q.get('start_date')}T00:00:00Z`);
      const to = Date.parse(`${q.get('end_date')}T00:00:00Z`) + DAY - 1000;
      const matched = recs.filter((r) => {
        const t = Date.parse(r.created_at);
        return t >= from && t < to && (!author || r.author === author) && (!status || r.state === status);
      });
      // A new order on every request unless filtered by author.
      const ordered = author ? matched : shuffle(matched, ++n);
      const page = Number(q.get('page') ?? 1);
      const size = Number(q.get('page_size') ?? 20);
      json(res, 200, { data: ordered.slice((page - 1) * size, page * size), pagination: { page, page_size: size, total: matched.length } });
    });
    const dir = makeProject({
      'extract.yml': `${FAST_SOURCE}streams:${MEMBERS_STREAM}
  - name: prs
    path: /prs
    records: data
    pagination:
      type: date_window
      start_param: start_date
      end_param: end_date
      start: "2026-01-01"
      end: "2026-01-20"
      step: range
      bisect: true
      split_first: true
      split: { param: status, values: [open, closed, merged], record_field: state }
      page_by: { param: author, stream: members, field: email, record_field: author }
      date_field: created_at
      page_size: 10
      total_path: pagination.total
    primary_key: id
    totals: { on_mismatch: error }
`,
    });
    const r = await runExtract({ projectDir: dir, url: server.url });
    const prs = r.streams.find((x) => x.stream === 'prs')!;
    expect(prs).toMatchObject({ rows: 1203, api_total: 1203 });
    // Every member paged over the whole range (the end day + 1 for its last second), 6 pages each.
    const byAuthor = server.requests.filter((u) => u.includes('author='));
    expect(byAuthor.filter((u) => u.includes('start_date=2026-01-01&end_date=2026-01-21'))).toHaveLength(20 * 6);
    // An unfiltered order is never paged past its first page.
    expect(server.requests.filter((u) => !u.includes('author=') && /[?&]page=[2-9]/.test(u))).toEqual([]);
    // Far fewer than paging each busy day by author (20 × 20 days) or asking each until all 61 show.
    expect(server.requests.length).toBeLessThan(300);
  });
});
