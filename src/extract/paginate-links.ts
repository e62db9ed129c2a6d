import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CursorPagination, LinkPagination, OffsetPagination } from './config-types.js';
import { getPath } from './json-path.js';
import { readTotal, selectRecords, type FetchJson, type FetchLink, type PageSink, type PartitionResult, type SourcedRecord } from './paginate.js';

/** offset/limit paging: stops on an empty or short page, or once the total is reached. */
export async function fetchOffsets(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: OffsetPagination,
  sink: PageSink,
): Promise<PartitionResult> {
  const records: SourcedRecord[] = [];
  let total: number | undefined;
  for (let offset = p.start, n = 1; ; offset += p.limit, n += 1) {
    tooMany(n, p.max_pages, path, sink);
    const { body, url } = await fetch(path, { ...params, [p.offset_param]: String(offset), [p.limit_param]: String(p.limit) });
    const got = selectRecords(body, selector, url, sink);
    if (p.total_path) total = readTotal(body, p.total_path, url, sink);
    records.push(...got);
    sink.onPage(got.length);
    if (got.length < p.limit || (total !== undefined && offset + p.limit >= total)) break;
  }
  return { records, total };
}

/** A continuation token from each answer, sent back until the answer has none. */
export async function fetchCursors(
  fetch: FetchJson,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: CursorPagination,
  sink: PageSink,
): Promise<PartitionResult> {
  const records: SourcedRecord[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  for (let n = 1; ; n += 1) {
    tooMany(n, p.max_pages, path, sink);
    const { body, url } = await fetch(path, token === undefined ? params : { ...params, [p.cursor_param]: token });
    const got = selectRecords(body, selector, url, sink);
    records.push(...got);
    sink.onPage(got.length);
    const next = getPath(body, p.cursor_path);
    if (next === undefined || next === null || next === '' || got.length === 0) break;
    token = String(next);
    if (seen.has(token)) {
      throw new TsdbtError('EXTRACT_HTTP', `stream '${sink.stream}': GET ${url} returned the cursor ${JSON.stringify(token)} a second time`, {
        file: sink.file,
        line: sink.line,
        hint: 'The server loops; check cursor_path and cursor_param.',
      });
    }
    seen.add(token);
  }
  return { records };
}

/** Follow next-page links from the body (json_link) or the `Link` header (header_link). */
export async function fetchLinks(
  fetch: FetchJson,
  fetchLink: FetchLink,
  path: string,
  params: Record<string, string>,
  selector: string,
  p: LinkPagination,
  sink: PageSink,
): Promise<PartitionResult> {
  const records: SourcedRecord[] = [];
  let page = await fetch(path, params);
  for (let n = 1; ; n += 1) {
    const got = selectRecords(page.body, selector, page.url, sink);
    records.push(...got);
    sink.onPage(got.length);
    const next = p.type === 'json_link' ? getPath(page.body, p.next_url_path!) : nextFromLinkHeader(page.headers.link);
    if (typeof next !== 'string' || next === '' || got.length === 0) break;
    tooMany(n + 1, p.max_pages, path, sink);
    page = await fetchLink(next);
  }
  return { records };
}

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextFromLinkHeader(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return undefined;
  for (const part of text.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

function tooMany(n: number, max: number, path: string, sink: PageSink): void {
  if (n > max) {
    throw new TsdbtError('EXTRACT_HTTP', `stream '${sink.stream}': still paging after ${max} pages of ${path}`, {
      file: sink.file,
      line: sink.line,
      hint: 'The server never signals the last page; check the pagination settings or raise max_pages.',
    });
  }
}
