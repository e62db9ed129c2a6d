import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * A semantic-layer query as MetricFlow users write it (`mf query`):
 * metrics, group-by names, where filters in dbt's template form, order,
 * limit and a metric_time range. Plain data, so the CLI and the server
 * build it the same way.
 */
export interface SemanticQuery {
  metrics: string[];
  groupBy?: string[];
  where?: string[];
  /** Output names; a leading `-` sorts descending. */
  orderBy?: string[];
  limit?: number | null;
  /** Inclusive metric_time bounds, `YYYY-MM-DD` (or an ISO timestamp). */
  startTime?: string | null;
  endTime?: string | null;
}

export const MAX_LIMIT = 1_000_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** Shape checks that need no catalog: limit range, time range. */
export function checkQueryShape(q: SemanticQuery): void {
  if (!Array.isArray(q.metrics) || q.metrics.length === 0) {
    throw new TsdbtError('QUERY_INVALID', 'a query needs at least one metric', { hint: 'Pass --metrics a_metric (see `tsdbt sl list metrics`).' });
  }
  if (q.limit !== undefined && q.limit !== null && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_LIMIT)) {
    throw new TsdbtError('QUERY_LIMIT', `limit ${JSON.stringify(q.limit)} is out of range`, { hint: `Give a whole number from 1 to ${MAX_LIMIT}.` });
  }
  for (const [key, v] of [['start time', q.startTime], ['end time', q.endTime]] as const) {
    if (v !== undefined && v !== null && (!DATE_RE.test(v) || Number.isNaN(Date.parse(v)))) {
      throw new TsdbtError('QUERY_TIME_RANGE', `${key} '${v}' is not a date`, { hint: 'Write dates as YYYY-MM-DD.' });
    }
  }
  if (q.startTime && q.endTime && Date.parse(q.startTime) > Date.parse(q.endTime)) {
    throw new TsdbtError('QUERY_TIME_RANGE', `start time '${q.startTime}' is after end time '${q.endTime}'`, { hint: 'Swap them, or move the start before the end.' });
  }
  const seen = new Set<string>();
  for (const g of q.groupBy ?? []) {
    if (seen.has(g)) throw new TsdbtError('QUERY_INVALID', `group-by '${g}' is given twice`, { hint: 'List each group-by once.' });
    seen.add(g);
  }
}

/** A canonical JSON form of a query (key order fixed, defaults filled): the base of cache keys. */
export function canonicalQuery(q: SemanticQuery): string {
  return JSON.stringify({
    metrics: q.metrics, groupBy: q.groupBy ?? [], where: q.where ?? [], orderBy: q.orderBy ?? [],
    limit: q.limit ?? null, startTime: q.startTime ?? null, endTime: q.endTime ?? null,
  });
}
