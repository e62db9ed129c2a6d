import { TsdbtError } from '../errors/tsdbt-error.js';
import type { StreamConfig } from './config-types.js';
import { fetchDateWindows, resolveDay } from './date-window.js';
import type { HttpClient, RequestStats } from './http-client.js';
import { describe, fetchPageNumbers, fetchUnpaged, type PageSink, type PartitionResult, type SourcedRecord } from './paginate.js';
import { getPath } from './json-path.js';
import { fetchCursors, fetchLinks, fetchOffsets } from './paginate-links.js';

export type Row = Record<string, unknown>;

export interface StreamRunInput {
  stream: StreamConfig;
  client: HttpClient;
  /** extract.yml as shown in messages. */
  file: string;
  /** Rows (API field names) of the streams this one depends on, complete (merged with earlier runs). */
  deps: Map<string, Row[]>;
  /** The cursor from the last run, when running incrementally. */
  cursor?: string;
  now: Date;
  stats: RequestStats & { pages: number; rows: number };
  onPage: () => void;
  onRetry: (why: string) => void;
  onWait?: (ms: number, why: string) => void;
}

export interface StreamRunOutput {
  /** Records as sourced from the API, enriched with parent/join fields, in API field names. */
  records: SourcedRecord[];
  /** Sum of the totals the API reported for what was asked, when it reports them. */
  apiTotal?: number;
}

/**
 * Fetch every record of one stream: one partition per parent record (or one
 * partition), each paged per the stream's pagination, then parent fields and
 * join fields added. De-duplication, validation and renaming happen after.
 */
export async function fetchStream(input: StreamRunInput): Promise<StreamRunOutput> {
  const { stream: s, client, stats } = input;
  const sink: PageSink = {
    stream: s.name,
    file: input.file,
    line: s.line,
    onPage: (n) => {
      stats.pages += 1;
      stats.rows += n;
      input.onPage();
    },
  };
  const fetch = (path: string, params: Record<string, string>) =>
    client.getJson(path, params, { stream: s.name, stats, file: input.file, line: s.line, onRetry: input.onRetry, onWait: input.onWait, headers: s.headers, ignoreStatus: s.ignore_status });

  const fetchLink = (url: string) =>
    client.getLink(url, { stream: s.name, stats, file: input.file, line: s.line, onRetry: input.onRetry, onWait: input.onWait, headers: s.headers, ignoreStatus: s.ignore_status });

  const partitions: { path: string; params: Record<string, string>; parent?: Row; parentIndex?: number }[] = [];
  if (s.parent) {
    const parents = input.deps.get(s.parent.stream) ?? [];
    parents.forEach((parent, i) => {
      const fill = (t: string, encode: boolean) => substitute(t, parent, i, s, input.file, encode);
      partitions.push({
        path: fill(s.path, true),
        params: Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, fill(v, false)])),
        parent,
        parentIndex: i,
      });
    });
  } else {
    partitions.push({ path: s.path, params: { ...s.params } });
  }

  const p = s.pagination;
  const inc = s.incremental;
  // The cursor moved back by lookback_days (re-asked rows merge on the primary key).
  const since = inc && input.cursor !== undefined ? lookBack(input.cursor, inc.lookback_days) : undefined;
  const cursorParam = inc && since !== undefined ? formatCursor(since, inc.format) : undefined;
  const results = await Promise.all(
    partitions.map(async (part): Promise<PartitionResult> => {
      const params = { ...part.params };
      if (cursorParam !== undefined && s.incremental?.param) params[s.incremental.param] = cursorParam;
      let r: PartitionResult;
      if (p.type === 'page_number') r = await fetchPageNumbers(fetch, part.path, params, s.records, p, sink);
      else if (p.type === 'date_window') {
        const start = since !== undefined ? resolveDay(since, input.now) : resolveDay(p.start, input.now);
        const pageBy = p.page_by ? (input.deps.get(p.page_by.stream) ?? []).map((row) => String(row[p.page_by!.field] ?? '')).filter((v) => v !== '') : [];
        r = await fetchDateWindows(fetch, part.path, params, s.records, p, start, resolveDay(p.end, input.now), sink, pageBy);
      } else if (p.type === 'offset') r = await fetchOffsets(fetch, part.path, params, s.records, p, sink);
      else if (p.type === 'cursor') r = await fetchCursors(fetch, part.path, params, s.records, p, sink);
      else if (p.type === 'json_link' || p.type === 'header_link') r = await fetchLinks(fetch, fetchLink, part.path, params, s.records, p, sink);
      else r = await fetchUnpaged(fetch, part.path, params, s.records, sink);
      if (part.parent && s.parent) {
        for (const rec of r.records) {
          for (const [child, field] of Object.entries(s.parent.fields)) rec.record[child] = part.parent[field] ?? null;
        }
      }
      return r;
    }),
  );
  const records = results.flatMap((r) => r.records);
  let apiTotal: number | undefined = results.some((r) => r.total !== undefined)
    ? results.reduce((n, r) => n + (r.total ?? 0), 0)
    : undefined;
  if (s.totals?.request) {
    const t = s.totals.request;
    const { body, url } = await fetch(t.path, t.params);
    const v = getPath(body, t.total_path);
    if (typeof v !== 'number') {
      throw new TsdbtError('EXTRACT_VALIDATION', `stream '${s.name}': expected a total at '${t.total_path}' in the answer of GET ${url}, found ${describe(v)}`, {
        file: input.file,
        line: s.line,
        hint: 'Fix totals.request.total_path.',
      });
    }
    apiTotal = v;
  }
  if (s.join) applyJoin(records, s, input);
  return { records, apiTotal };
}

/** `{parent.field}` → the parent's value; path segments are URL-encoded but keep their slashes (`owner/repo`). */
function substitute(template: string, parent: Row, index: number, s: StreamConfig, file: string, encode: boolean): string {
  return template.replace(/\{parent\.([^}]+)\}/g, (_, field: string) => {
    const v = getPath(parent, field);
    if (v === undefined || v === null || v === '') {
      throw new TsdbtError('EXTRACT_VALIDATION', `stream '${s.name}': parent record #${index + 1} of '${s.parent!.stream}' has no value for '${field}' (used in '${template}')`, {
        file,
        line: s.line,
        hint: `Check the field name in {parent.${field}}; the parent record has keys: ${Object.keys(parent).join(', ')}.`,
      });
    }
    const text = String(v);
    return encode ? encodeURIComponent(text).replace(/%2F/gi, '/') : text;
  });
}

function lookBack(cursor: string, days: number): string {
  if (days === 0) return cursor;
  const t = Date.parse(cursor);
  return Number.isNaN(t) ? cursor : new Date(t - days * 86_400_000).toISOString();
}

function formatCursor(cursor: string, format: 'date' | 'datetime'): string {
  if (format === 'datetime') return cursor;
  const t = Date.parse(cursor);
  return Number.isNaN(t) ? cursor.slice(0, 10) : new Date(t).toISOString().slice(0, 10);
}

function keyOf(values: unknown[]): string {
  return JSON.stringify(values);
}

function applyJoin(records: SourcedRecord[], s: StreamConfig, input: StreamRunInput): void {
  const j = s.join!;
  const mine = Object.keys(j.on);
  const theirs = Object.values(j.on);
  const lookup = new Map<string, Row>();
  for (const row of input.deps.get(j.stream) ?? []) lookup.set(keyOf(theirs.map((f) => row[f])), row);
  for (const r of records) {
    const match = lookup.get(keyOf(mine.map((f) => r.record[f])));
    if (!match && j.on_missing === 'error') {
      const want = mine.map((f) => `${f}=${JSON.stringify(r.record[f])}`).join(', ');
      throw new TsdbtError('EXTRACT_VALIDATION', `stream '${s.name}': record #${r.index + 1} of GET ${r.url} (${want}) has no match in stream '${j.stream}'`, {
        file: input.file,
        line: s.line,
        hint: `The ${j.stream} extraction is incomplete or the join keys are wrong; set join.on_missing: null to keep such rows with nulls.`,
      });
    }
    for (const [name, field] of Object.entries(j.fields)) r.record[name] = match ? (match[field] ?? null) : null;
  }
}

/** Largest cursor value among records (timestamps compared as instants), or the previous cursor. */
export function maxCursor(records: SourcedRecord[], field: string, previous?: string): string | undefined {
  let best = previous;
  let bestT = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous);
  for (const { record } of records) {
    const v = record[field];
    if (v === undefined || v === null) continue;
    const text = String(v);
    const t = Date.parse(text);
    if (Number.isNaN(t) ? best === undefined || text > best : t > bestT) {
      best = text;
      bestT = Number.isNaN(t) ? bestT : t;
    }
  }
  return best;
}
