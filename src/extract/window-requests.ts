import { TsdbtError } from '../errors/tsdbt-error.js';
import type { DateWindowPagination } from './config-types.js';
import { readTotal, selectRecords, type FetchJson, type PageSink, type PartitionResult, type SourcedRecord } from './paginate.js';

export const DAY = 86_400_000;

export function formatDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/**
 * The pagination plus the values of `page_by` (from its stream's records) and,
 * once known, the whole range's total (which decides between cutting busy days
 * and paging the whole range by value).
 */
export type WindowPaging = DateWindowPagination & { pageByValues: string[]; range?: RangeState };

/** Shared by every window of one range: its total, and whether its walk was abandoned. */
export interface RangeState {
  total: number;
  abandoned: boolean;
  /** Records of the windows done so far, and the requests their busy days cost. */
  accounted: number;
  busyDays: number;
  busyCost: number;
}

/** Every page of one request's result, asked after its first page; `total` from the first. */
export async function allPages(fetch: FetchJson, path: string, params: Record<string, string>, selector: string, p: WindowPaging,
  sink: PageSink): Promise<PartitionResult & { total: number }> {
  const ask = async (page: number) => {
    const got = await fetch(path, { ...params, [p.page_param]: String(page), [p.page_size_param]: String(p.page_size) });
    const records = selectRecords(got.body, selector, got.url, sink);
    sink.onPage(records.length);
    return { records, total: readTotal(got.body, p.total_path, got.url, sink) };
  };
  const first = await ask(1);
  const pages = Math.ceil(first.total / p.page_size);
  if (pages > p.max_pages) {
    throw new TsdbtError('EXTRACT_HTTP', `stream '${sink.stream}': one window needs ${pages} pages, more than max_pages ${p.max_pages}`, {
      file: sink.file,
      line: sink.line,
    });
  }
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => ask(i + 2)));
  return { records: [...first.records, ...rest.flatMap((r) => r.records)], total: first.total };
}

/**
 * Requests a random-order window of `total` records, asked again and again,
 * needs before `wanted` given records of it have likely all been seen
 * (expected misses under 1/2). `wanted` defaults to all of them.
 */
export function samplingCost(total: number, pageSize: number, wanted = total): number {
  if (total <= pageSize) return 1;
  return Math.ceil(Math.log(2 * Math.max(1, wanted)) / -Math.log(1 - pageSize / total));
}

/**
 * Ask a window whose order changes on every request until the distinct
 * records seen (those `keep` accepts) reach `target`, at most `budget` times;
 * returns what it saw.
 */
export async function sampleUntilComplete(fetch: FetchJson, path: string, base: Record<string, string>, selector: string, p: WindowPaging,
  sink: PageSink, target: number, budget: number, already: SourcedRecord[] = [],
  keep: (r: SourcedRecord) => boolean = () => true): Promise<SourcedRecord[]> {
  const seen = new Map<string, SourcedRecord>();
  // What an earlier answer of this same request already showed counts (it is not asked again).
  for (const r of already) if (keep(r)) seen.set(JSON.stringify(r.record), r);
  for (let n = 0; n < budget && seen.size < target && !p.range?.abandoned; n++) {
    const got = await fetch(path, { ...base, [p.page_param]: '1', [p.page_size_param]: String(p.page_size) });
    const records = selectRecords(got.body, selector, got.url, sink);
    const before = seen.size;
    for (const r of records) if (keep(r)) seen.set(JSON.stringify(r.record), r);
    sink.onPage(seen.size - before);
  }
  return [...seen.values()];
}
