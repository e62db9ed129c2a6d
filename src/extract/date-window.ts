import { TsdbtError } from '../errors/tsdbt-error.js';
import type { DateWindowPagination } from './config-types.js';
import { readTotal, selectRecords, type FetchJson, type PageSink, type PartitionResult, type SourcedRecord } from './paginate.js';
import { fetchRangeByValue, pageRangeByValueIsCheaper } from './range-by-value.js';
import { allPages, DAY, formatDay, sampleUntilComplete, samplingCost, type RangeState, type WindowPaging } from './window-requests.js';

/** Thrown through a range's walk once paging the whole range by value is found cheaper. */
class Abandoned extends Error {}

export { formatDay, samplingCost } from './window-requests.js';


/**
 * Resolve `YYYY-MM-DD`, an RFC 3339 timestamp (its UTC day), `today`, or
 * `<n>d` (n days before today) to a UTC day number (days since 1970-01-01).
 */
export function resolveDay(spec: string, now: Date = new Date()): number {
  const today = Math.floor(now.getTime() / DAY);
  if (spec === 'today' || spec === 'now') return today;
  const rel = /^(\d+)d$/.exec(spec);
  if (rel) return today - Number(rel[1]);
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(spec) ? `${spec}T00:00:00Z` : spec);
  if (Number.isNaN(t)) {
    throw new TsdbtError('EXTRACT_CONFIG', `Cannot read the date '${spec}'`, {
      hint: "Write a date as YYYY-MM-DD, 'today', or '<n>d' for n days ago.",
    });
  }
  return Math.floor(t / DAY);
}


/** Inclusive [from, to] day windows covering [start, end], `step` at a time. */
export function makeWindows(start: number, end: number, step: DateWindowPagination['step']): [number, number][] {
  if (end < start) return [];
  if (step === 'range') return [[start, end]];
  const out: [number, number][] = [];
  for (let from = start; from <= end; ) {
    let to: number;
    if (step === 'day') to = from;
    else if (step === 'week') to = from + 6;
    else {
      const d = new Date(from * DAY);
      to = Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY) - 1;
    }
    to = Math.min(to, end);
    out.push([from, to]);
    from = to + 1;
  }
  return out;
}

/**
 * Fetch every record of [startDay, endDay] with as few requests as the data
 * allows. A window whose total fits one page costs one request. An
 * overflowing window is cut into smaller windows (with `bisect`, see
 * `subdivide`) down to one day, then split by `split.param`'s values (with
 * `split_first`, split before cutting: fewer requests when one value dominates
 * dense data), and only then paged — paging is last because some APIs order
 * results stably only within a narrow filter.
 * The result's total is the sum of the top-level windows' totals.
 */
export async function fetchDateWindows(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: DateWindowPagination,
  startDay: number,
  endDay: number,
  sink: PageSink,
  pageByValues: string[] = [],
): Promise<PartitionResult> {
  const windows = makeWindows(startDay, endDay, p.step);
  // The end day's last second is left out by the server: with date_field the last window reaches
  // a day further, and the records dated after endDay are dropped (and taken off the total).
  if (p.date_field && windows.length > 0) windows[windows.length - 1]![1] += 1;
  const range: RangeState | undefined = p.page_by && windows.length === 1 ? { total: -1, abandoned: false, accounted: 0, busyDays: 0, busyCost: 0 } : undefined;
  const ps: WindowPaging = { ...p, pageByValues, range };
  let parts: PartitionResult[];
  try {
    parts = await Promise.all(windows.map(([from, to]) => fetchWindow(fetch, path, params, selector, ps, sink, from, to, undefined)));
  } catch (e) {
    if (!(e instanceof Abandoned) || !range) throw e;
    // Busy days throughout: the whole range paged by value costs fewer requests (see pageByValue).
    const [from, to] = windows[0]!;
    parts = [await fetchRangeByValue(fetch, path, params, selector, { ...ps, range: undefined }, sink, from, to, range.total)];
  }
  let records = parts.flatMap((x) => x.records);
  let total = parts.reduce((n, x) => n + (x.total ?? 0), 0);
  if (p.date_field) {
    const after = (endDay + 1) * DAY;
    const kept = records.filter((r) => !(Date.parse(String(r.record[p.date_field!] ?? '')) >= after));
    total -= records.length - kept.length;
    records = kept;
  }
  return { records, total };
}



async function fetchWindow(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: WindowPaging,
  sink: PageSink,
  from: number,
  to: number,
  splitValue: string | undefined,
  known?: number,
): Promise<PartitionResult> {
  const base: Record<string, string> = { ...params, [p.start_param]: formatDay(from), [p.end_param]: formatDay(to) };
  if (splitValue !== undefined && p.split) base[p.split.param] = splitValue;
  const bisectable = p.bisect && from < to;
  // A window whose total is already known needs no request when empty, nor when it must be split anyway.
  if (known === 0) return { records: [], total: 0 };
  if (p.range?.abandoned) throw new Abandoned();
  if (known !== undefined && known < 0) known = undefined;
  let records: SourcedRecord[] = [];
  let total: number;
  if (known !== undefined && known > p.page_size && bisectable) total = known;
  else {
    const first = await fetch(path, { ...base, [p.page_param]: '1', [p.page_size_param]: String(p.page_size) });
    records = selectRecords(first.body, selector, first.url, sink);
    total = readTotal(first.body, p.total_path, first.url, sink);
    if (p.range && p.range.total < 0) p.range.total = total;
    if (p.range && total <= records.length) p.range.accounted += total;
    const kept = total <= records.length || !(bisectable || (p.split && splitValue === undefined));
    // Progress counts rows kept: an overflowing page that is cut or split further is discarded.
    sink.onPage(kept ? records.length : 0);
    if (total <= records.length) return { records, total };
  }

  if (p.split && splitValue === undefined && (p.split_first || !bisectable)) return splitWindow(fetch, path, params, selector, p, sink, from, to, total);
  if (bisectable) return subdivide(fetch, path, params, selector, p, sink, from, to, splitValue, total);
  // Narrowest filter reached: page through the rest, by page_by's stable filter when there is one.
  if (p.page_by) return pageByValue(fetch, path, base, selector, p, sink, from, total, records);
  const pages = Math.ceil(total / p.page_size);
  if (pages > p.max_pages) {
    throw new TsdbtError('EXTRACT_HTTP', `stream '${sink.stream}': one window needs ${pages} pages, more than max_pages ${p.max_pages}`, {
      file: sink.file,
      line: sink.line,
    });
  }
  const rest = await Promise.all(
    Array.from({ length: pages - 1 }, async (_, i): Promise<SourcedRecord[]> => {
      const page = await fetch(path, { ...base, [p.page_param]: String(i + 2), [p.page_size_param]: String(p.page_size) });
      const got = selectRecords(page.body, selector, page.url, sink);
      sink.onPage(got.length);
      return got;
    }),
  );
  return { records: [...records, ...rest.flat()], total };
}

/** Passes over a window's unstable pages to collect the records no page_by value matches. */
const UNMATCHED_PASSES = 8;

/**
 * A one-day window that overflows a page, in an order that changes on every
 * request. When few requests are likely to see every record, the window is
 * simply asked again until the distinct records reach its total. Otherwise
 * (or when that falls short) it is paged once per page_by value, a stable
 * order within each; records whose record_field is empty match no value and
 * are collected by re-asking the window until the totals are accounted for.
 */
async function pageByValue(fetch: FetchJson, path: string, base: Record<string, string>, selector: string, p: WindowPaging,
  sink: PageSink, day: number, total: number, firstPage: SourcedRecord[] = []): Promise<PartitionResult> {
  const by = p.page_by!;
  const cost = samplingCost(total, p.page_size);
  if (p.range && p.range.total > 0) {
    const r = p.range;
    r.accounted += total;
    r.busyDays++;
    r.busyCost += 2 * cost < p.pageByValues.length ? cost : p.pageByValues.length;
    if (pageRangeByValueIsCheaper(r, total, p.pageByValues.length, p.page_size)) {
      r.abandoned = true;
      throw new Abandoned();
    }
  }
  if (2 * cost < p.pageByValues.length) {
    const sampled = await sampleUntilComplete(fetch, path, base, selector, p, sink, total, 2 * cost, firstPage);
    if (sampled.length === total) return { records: sampled, total };
  }
  const parts = await Promise.all(p.pageByValues.map((v) => allPages(fetch, path, { ...base, [by.param]: v }, selector, p, sink)));
  const records = parts.flatMap((x) => x.records);
  let missing = total - parts.reduce((n, x) => n + x.total, 0);
  if (missing > 0) {
    const unmatched = (await sampleUntilComplete(fetch, path, base, selector, p, sink, total, UNMATCHED_PASSES * Math.ceil(total / p.page_size)))
      .filter((r) => { const v = r.record[by.record_field]; return v === '' || v === null || v === undefined; });
    records.push(...unmatched.slice(0, missing));
    missing -= Math.min(missing, unmatched.length);
  }
  if (missing !== 0) {
    throw new TsdbtError(
      'EXTRACT_COUNT',
      `stream '${sink.stream}': ${formatDay(day)} holds ${total} records but paging it by ${by.param} (${p.pageByValues.length} values from stream '${by.stream}') accounts for ${total - missing}`,
      { file: sink.file, line: sink.line, hint: `Some records' ${by.record_field} is not a ${by.stream}.${by.field}; the server's data changed during the run, or the ${by.stream} stream is incomplete.` },
    );
  }
  return { records, total };
}

/** Split an overflowing window by the split param's values; their totals must add up to the window's. */
async function splitWindow(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: WindowPaging,
  sink: PageSink,
  from: number,
  to: number,
  total: number,
): Promise<PartitionResult> {
  const split = p.split!;
  const parts = await Promise.all(split.values.map((v) => fetchWindow(fetch, path, params, selector, p, sink, from, to, v)));
  const covered = parts.reduce((n, x) => n + (x.total ?? 0), 0);
  if (covered !== total) {
    throw new TsdbtError(
      'EXTRACT_COUNT',
      `stream '${sink.stream}': ${formatDay(from)}..${formatDay(to)} holds ${total} records but splitting by ${split.param} (${split.values.join(', ')}) found ${covered}`,
      { file: sink.file, line: sink.line, hint: `Some records have a ${split.param} not listed in split.values; add it.` },
    );
  }
  return { records: parts.flatMap((x) => x.records), total };
}

/** Share of a page a sub-window aims to fill, so that an uneven spread still mostly fits one page. */
const FILL = 0.75;
/**
 * Sub-windows asked at once while walking back from the latest. One at a time
 * costs the fewest requests (each answer may show that the rest are empty);
 * streams, split values and pages still run concurrently.
 */
const BATCH = 1;

/**
 * Cut an overflowing window into as many equal sub-windows (whole days) as its
 * total needs at FILL pages each, and ask for them from the latest back, a
 * batch at a time. Once the totals seen account for the window's total, the
 * earlier sub-windows are known to be empty and cost nothing; the earliest one
 * left takes the remainder as its known total. Records come back in date order.
 */
async function subdivide(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: WindowPaging,
  sink: PageSink,
  from: number,
  to: number,
  splitValue: string | undefined,
  total: number,
): Promise<PartitionResult> {
  const days = to - from + 1;
  const k = Math.min(days, Math.max(2, Math.ceil(total / (p.page_size * FILL))));
  const bounds = Array.from({ length: k }, (_, i): [number, number] => [
    from + Math.floor((i * days) / k),
    from + Math.floor(((i + 1) * days) / k) - 1,
  ]);
  const parts: PartitionResult[] = bounds.map(() => ({ records: [], total: 0 }));
  let remaining = total;
  for (let i = k - 1; i >= 0 && remaining > 0; ) {
    if (i === 0) {
      parts[0] = await fetchWindow(fetch, path, params, selector, p, sink, bounds[0]![0], bounds[0]![1], splitValue, remaining);
      break;
    }
    const batch = Array.from({ length: Math.min(BATCH, i) }, (_, j) => i - j);
    const got = await Promise.all(batch.map((j) => fetchWindow(fetch, path, params, selector, p, sink, bounds[j]![0], bounds[j]![1], splitValue)));
    batch.forEach((j, n) => {
      parts[j] = got[n]!;
      remaining -= got[n]!.total ?? 0;
    });
    i -= batch.length;
  }
  const records = parts.flatMap((x) => x.records);
  // The server leaves out each end day's last second: records created then at an inner boundary
  // are in this window's total but in no sub-window's. Ask across each boundary for them.
  if (p.date_field && records.length < total) {
    let gap = total - records.length;
    for (let j = 0; j < k - 1 && gap > 0; j++) {
      const found = await lastSecond(fetch, path, params, selector, p, sink, bounds[j]![1], splitValue);
      records.push(...found.slice(0, gap));
      gap -= Math.min(gap, found.length);
    }
  }
  return { records, total };
}

/**
 * The records created in the last second of `day` (23:59:59.x), which a
 * window ending on `day` leaves out: asked as the two days `day`..`day + 1`
 * (the same split value), whose answer holds that second, and kept by
 * `date_field`. A pair that overflows a page is fetched like any window.
 */
async function lastSecond(fetch: FetchJson, path: string, params: Record<string, string>, selector: string, p: WindowPaging,
  sink: PageSink, day: number, splitValue: string | undefined): Promise<SourcedRecord[]> {
  const pair = await fetchWindow(fetch, path, params, selector, { ...p, date_field: undefined }, sink, day, day + 1, splitValue);
  const from = (day + 1) * DAY - 1000;
  return pair.records.filter((r) => {
    const t = Date.parse(String(r.record[p.date_field!] ?? ''));
    return t >= from && t < (day + 1) * DAY;
  });
}
