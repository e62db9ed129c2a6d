import { TsdbtError } from '../errors/tsdbt-error.js';
import { readTotal, selectRecords, type FetchJson, type PageSink, type PartitionResult, type SourcedRecord } from './paginate.js';
import { allPages, DAY, formatDay, sampleUntilComplete, samplingCost, type RangeState, type WindowPaging } from './window-requests.js';

/**
 * Records no page_by value matches, assumed per busy window when deciding how to fetch a range
 * (cursor-sim: about 1% of PRs have an empty author, a few a day).
 */
const ASSUMED_UNMATCHED = 3;

/**
 * Whether the rest of a range walked day by day (its busy days, more than a
 * page in an order that changes on every request, asked until every record
 * shows, the rest in windows of about 3/4 of a page) likely costs more requests than starting again and paging the whole
 * range by page_by value (stable, full pages) and then looking for the few
 * records no value matches, busy days included. The walk so far, projected
 * over the records not yet accounted for, estimates the busy days left.
 */
export function pageRangeByValueIsCheaper(r: RangeState, dayTotal: number, values: number, pageSize: number): boolean {
  const share = Math.min(1, r.accounted / r.total);
  const rest = (r.total - r.accounted) / (pageSize * CUT_FILL) + r.busyCost * (1 / share - 1);
  const byValue = values * Math.ceil(r.total / Math.max(1, values) / pageSize)
    + Math.ceil(r.total / (pageSize * PLAN_FILL)) * (1 - Math.min(1, r.busyDays * dayTotal / r.accounted))
    + (r.busyDays / share) * samplingCost(dayTotal, pageSize, ASSUMED_UNMATCHED);
  return byValue < rest;
}

/** Share of a page the day-by-day walk's windows fill (date-window's FILL). */
const CUT_FILL = 0.75;
/** Share of a page a window planned from local counts fills, leaving room for the records no value matched. */
const PLAN_FILL = 0.95;
/** Windows asked at once while looking for unmatched records; the search stops when they are all found. */
const BATCH = 4;
/**
 * Asks of a busy window (a random `pageSize` of its `total` records each time) before all of
 * `wanted` given records have shown but for a one-in-a-million chance; asking stops once they have.
 */
function sampleBudget(total: number, pageSize: number, wanted: number): number {
  return Math.ceil(Math.log(1e6 * Math.max(1, wanted)) / -Math.log(1 - pageSize / total));
}

/**
 * The whole range [from, to], paged once per page_by value (the only stable
 * order), then the records no value matches (an empty author): the range's
 * `total` less what the values returned says how many. Those are looked for,
 * per split value, in windows planned from the records already held so that
 * each fits one page; a day busier than a page is asked again until its
 * unmatched records have all shown. Each window's unmatched count is its
 * total less the held records the server would count in it (it leaves out
 * the end day's last second), and the search stops once all are found.
 */
export async function fetchRangeByValue(fetch: FetchJson, path: string, params: Record<string, string>, selector: string, p: WindowPaging,
  sink: PageSink, from: number, to: number, total: number): Promise<PartitionResult> {
  const by = p.page_by!;
  const window = (a: number, b: number): Record<string, string> => ({ ...params, [p.start_param]: formatDay(a), [p.end_param]: formatDay(b) });
  const parts = await Promise.all(p.pageByValues.map((v) => allPages(fetch, path, { ...window(from, to), [by.param]: v }, selector, p, sink)));
  const held = parts.flatMap((x) => x.records);
  const missing = total - parts.reduce((n, x) => n + x.total, 0);
  if (missing === 0) return { records: held, total };
  const values = new Set(p.pageByValues);
  const unmatched = (r: SourcedRecord) => !values.has(String(r.record[by.record_field] ?? ''));
  const dateField = p.date_field ?? by.record_field;
  const at = (r: SourcedRecord) => Date.parse(String(r.record[dateField] ?? ''));
  const groups: (string | undefined)[] = p.split ? p.split.values : [undefined];
  const found = new Map<string, SourcedRecord>();
  let left = missing;
  for (const value of groups) {
    if (left <= 0) break;
    const base = value === undefined || !p.split ? window(from, to) : { ...window(from, to), [p.split.param]: value };
    const inGroup = (r: SourcedRecord) => value === undefined || String(r.record[p.split!.record_field ?? p.split!.param]) === value;
    const times = held.filter(inGroup).map(at).sort((x, y) => x - y);
    const first = await fetch(path, { ...base, [p.page_param]: '1', [p.page_size_param]: String(p.page_size) });
    const firstRecords = selectRecords(first.body, selector, first.url, sink);
    const groupTotal = readTotal(first.body, p.total_path, first.url, sink);
    sink.onPage(0);
    let groupLeft = groupTotal - times.length;
    if (groupLeft <= 0) continue;
    const take = (rs: SourcedRecord[]) => {
      for (const r of rs) {
        const key = JSON.stringify(r.record);
        if (!found.has(key)) {
          found.set(key, r);
          groupLeft--;
          left--;
        }
      }
    };
    if (groupTotal <= p.page_size) {
      take(firstRecords.filter(unmatched));
      continue;
    }
    const plan = planWindows(times, from, to, Math.floor(p.page_size * PLAN_FILL));
    const counted = (a: number, b: number, rs: Iterable<number>) => {
      let n = 0;
      for (const t of rs) if (t >= a * DAY && t < (b + 1) * DAY - 1000) n++;
      return n;
    };
    /** Window [a, b]'s records that `keep` accepts: `want(total)` of them, asked again while some are unseen. */
    const ask = async ([a, b]: [number, number], keep: (r: SourcedRecord) => boolean, want: (t: number) => number) => {
      const params2 = { ...base, ...window(a, b) };
      const got = await fetch(path, { ...params2, [p.page_param]: '1', [p.page_size_param]: String(p.page_size) });
      const records = selectRecords(got.body, selector, got.url, sink);
      const t = readTotal(got.body, p.total_path, got.url, sink);
      let hits = records.filter(keep);
      const wanted = want(t);
      if (t > p.page_size && hits.length < wanted) {
        hits = await sampleUntilComplete(fetch, path, params2, selector, p, sink, wanted, sampleBudget(t, p.page_size, wanted), records, keep);
      }
      sink.onPage(hits.length);
      return hits;
    };
    for (let i = 0; i < plan.length && groupLeft > 0; i += BATCH) {
      const batch = plan.slice(i, i + BATCH).map(([a, b]) => ask([a, b], unmatched, (t) => t - counted(a, b, times)));
      for (const hits of await Promise.all(batch)) take(hits);
    }
    // The server leaves out each window's end day's last second: look across each inner boundary.
    for (let i = 1; i < plan.length && groupLeft > 0; i++) {
      const day = plan[i]![1];
      const lastSecond = (r: SourcedRecord) => unmatched(r) && at(r) >= (day + 1) * DAY - 1000 && at(r) < (day + 1) * DAY;
      const known = [...found.values()].filter(inGroup).map(at);
      take(await ask([day, day + 1], lastSecond, (t) => t - counted(day, day + 1, times) - counted(day, day + 1, known)));
    }
  }
  if (left !== 0) {
    throw new TsdbtError(
      'EXTRACT_COUNT',
      `stream '${sink.stream}': ${formatDay(from)}..${formatDay(to)} holds ${total} records; paging it by ${by.param} (${p.pageByValues.length} values from stream '${by.stream}') and looking for the ${missing} no value matches accounts for ${total - left}`,
      { file: sink.file, line: sink.line, hint: `The server's data changed during the run, or the ${by.stream} stream is incomplete.` },
    );
  }
  return { records: [...held, ...found.values()], total };
}

/**
 * Windows over [from, to], from the latest back, each holding at most `cap`
 * of the records at `times` (sorted) as the server counts them (a window
 * leaves out its end day's last second); a day holding more is a window alone.
 */
export function planWindows(times: number[], from: number, to: number, cap: number): [number, number][] {
  const dayOf = (t: number) => Math.floor((t + 1000) / DAY);
  const out: [number, number][] = [];
  let end = to;
  let i = times.length - 1;
  while (i >= 0 && dayOf(times[i]!) > to) i--;
  while (end >= from) {
    // Records counted in [start, end]: those with dayOf in that span.
    let j = i;
    let start = end;
    while (j >= 0 && dayOf(times[j]!) >= start) j--;
    if (i - j <= cap) {
      // Extend back while the window still holds at most cap records.
      let n = i - j;
      while (j >= 0 && n + 1 <= cap) {
        const d = dayOf(times[j]!);
        let k = j;
        while (k >= 0 && dayOf(times[k]!) === d) k--;
        if (n + (j - k) > cap) { start = d + 1; break; }
        n += j - k;
        j = k;
        start = d;
      }
      if (j < 0) start = from;
    }
    start = Math.max(from, Math.min(start, end));
    out.push([start, end]);
    i = j;
    end = start - 1;
  }
  return out;
}
