import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NoPagination, PageNumberPagination } from './config-types.js';
import { getPath } from './json-path.js';
import { IGNORED, type JsonResponse } from './http-client.js';

/** One record and where it came from, so a bad record can be pointed at. */
export interface SourcedRecord {
  record: Record<string, unknown>;
  url: string;
  /** 0-based position in its page. */
  index: number;
}

/** What a partition (one parent record, one date window) yielded. */
export interface PartitionResult {
  records: SourcedRecord[];
  /** The API's own total for this partition, when it reports one. */
  total?: number;
}

/** Fetch one page of JSON: the runner binds the HTTP client and the stream's context. */
export type FetchJson = (path: string, params: Record<string, string>) => Promise<JsonResponse>;
/** Fetch an absolute next-page link. */
export type FetchLink = (url: string) => Promise<JsonResponse>;

export interface PageSink {
  /** Called after every page (progress). */
  onPage(records: number): void;
  stream: string;
  file?: string;
  line?: number;
}

/** The record list of one page at `selector` (`$` = the body itself); anything but a list of objects is an error. */
export function selectRecords(body: unknown, selector: string, url: string, sink: PageSink): SourcedRecord[] {
  if (body === IGNORED) return [];
  const list = getPath(body, selector);
  if (!Array.isArray(list)) {
    const found = list === undefined ? 'nothing' : Array.isArray(body) ? 'a list' : describe(list);
    const keys = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body).join(', ') : '';
    throw new TsdbtError(
      'EXTRACT_VALIDATION',
      `stream '${sink.stream}': expected a list of records at '${selector}' in the answer of GET ${url}, found ${found}`,
      {
        file: sink.file,
        line: sink.line,
        hint: `Set the stream's \`records:\` to the JSON path of the list${keys ? ` (the answer has keys: ${keys})` : ''}; use '$' when the answer is the list itself.`,
      },
    );
  }
  return list.map((record, index) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new TsdbtError('EXTRACT_VALIDATION', `stream '${sink.stream}': record #${index + 1} in GET ${url} is ${describe(record)}, not an object`, {
        file: sink.file,
        line: sink.line,
      });
    }
    return { record: record as Record<string, unknown>, url, index };
  });
}

/** The API's total at `path`, which must be a non-negative integer. */
export function readTotal(body: unknown, path: string, url: string, sink: PageSink): number {
  if (body === IGNORED) return 0;
  const t = getPath(body, path);
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) {
    throw new TsdbtError('EXTRACT_VALIDATION', `stream '${sink.stream}': expected a total count at '${path}' in the answer of GET ${url}, found ${describe(t)}`, {
      file: sink.file,
      line: sink.line,
      hint: 'Fix `total_path` in the stream\'s pagination.',
    });
  }
  return t;
}

/** A single request, no paging. */
export async function fetchUnpaged(fetch: FetchJson, path: string, params: Record<string, string>, selector: string, sink: PageSink, _p?: NoPagination): Promise<PartitionResult> {
  const { body, url } = await fetch(path, params);
  const records = selectRecords(body, selector, url, sink);
  sink.onPage(records.length);
  return { records };
}

/**
 * Page numbers from `start`. Stops on an empty page; otherwise on the
 * has-next flag when configured, else when the total is reached, else on a
 * page shorter than page_size.
 */
export async function fetchPageNumbers(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: PageNumberPagination,
  sink: PageSink,
): Promise<PartitionResult> {
  const records: SourcedRecord[] = [];
  let total: number | undefined;
  for (let page = p.start, n = 1; ; page += 1, n += 1) {
    if (n > p.max_pages) {
      throw new TsdbtError('EXTRACT_HTTP', `stream '${sink.stream}': still paging after ${p.max_pages} pages of ${path}`, {
        file: sink.file,
        line: sink.line,
        hint: 'The server never signals the last page: set total_path / has_next_path, or raise max_pages.',
      });
    }
    const q = { ...params, [p.page_param]: String(page) };
    if (p.page_size_param && p.page_size) q[p.page_size_param] = String(p.page_size);
    const { body, url } = await fetch(path, q);
    const got = selectRecords(body, selector, url, sink);
    if (p.total_path) total = readTotal(body, p.total_path, url, sink);
    records.push(...got);
    sink.onPage(got.length);
    if (got.length === 0) break;
    if (n === 1 && total !== undefined && p.page_size !== undefined && !p.has_next_path && total > got.length) {
      // The total tells how many pages remain: ask for them at once (the client bounds concurrency).
      const pages = Math.ceil(total / p.page_size);
      if (pages > p.max_pages) continue; // the sequential path below reports it
      const rest = await Promise.all(
        Array.from({ length: pages - 1 }, async (_, i) => {
          const qi = { ...params, [p.page_param]: String(page + 1 + i) };
          if (p.page_size_param) qi[p.page_size_param] = String(p.page_size);
          const r = await fetch(path, qi);
          const recs = selectRecords(r.body, selector, r.url, sink);
          sink.onPage(recs.length);
          return recs;
        }),
      );
      for (const recs of rest) records.push(...recs);
      beyondTotal(records.length, total, page + pages - 1, path, sink);
      break;
    }
    beyondTotal(records.length, total, page, path, sink);
    if (p.has_next_path) {
      if (!getPath(body, p.has_next_path)) break;
    } else if (total !== undefined) {
      if (records.length >= total || (p.page_size !== undefined && n * p.page_size >= total)) break;
    } else if (p.page_size !== undefined && got.length < p.page_size) break;
  }
  return { records, total };
}

/**
 * A server whose pages bring more records than the total it reports is
 * paging without end (or counting wrong): stop at the first such page.
 */
function beyondTotal(count: number, total: number | undefined, page: number, path: string, sink: PageSink): void {
  if (total === undefined || count <= total) return;
  throw new TsdbtError('EXTRACT_VALIDATION', `stream '${sink.stream}': page ${page} of ${path} brings the records to ${count}, more than the total of ${total} the server reports; stopped there`, {
    file: sink.file,
    line: sink.line,
    hint: 'The server pages without end or miscounts its total; check the page parameter names (page_param, page_size_param) and total_path.',
  });
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 8).join(', ')}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}
