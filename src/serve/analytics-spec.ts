import { nearestKey } from '../project/config-keys.js';
import type { Catalog, CatalogDimension, QueryIssue, SemanticQuery } from './backend.js';

/**
 * Seed 004's query spec, and its translation into the semantic layer's query
 * form. Every value becomes a literal of a dbt template filter, which the
 * semantic layer's restricted filter grammar turns into a bind parameter, so
 * both forms compile through the same path.
 */
export const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'between', 'is_null', 'not_null', 'contains'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export const INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;

export interface AnalyticsSpec {
  entity?: string;
  metrics: string[];
  filters?: { field: string; op: FilterOp; values?: unknown[] }[];
  group_by?: (string | { field: string; interval?: string })[];
  sort_by?: (string | { field: string; direction?: 'asc' | 'desc' })[];
  dates?: { start?: string; end?: string };
  limit?: number;
}

/** The semantic layer's own form, as the HTTP API spells it. */
export interface SemanticQueryBody {
  metrics?: string[];
  group_by?: string[];
  where?: string[];
  order_by?: string[];
  limit?: number;
  start_time?: string;
  end_time?: string;
  saved_query?: string;
}

const OPS_BY_TYPE: Record<CatalogDimension['valueType'], readonly FilterOp[]> = {
  string: ['eq', 'ne', 'in', 'not_in', 'contains', 'is_null', 'not_null'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'between', 'is_null', 'not_null'],
  boolean: ['eq', 'ne', 'is_null', 'not_null'],
  time: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null'],
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface LimitRange {
  min: number;
  max: number;
}

/** A request body in the semantic form rather than the seed's spec. */
export function isSemanticQueryBody(body: Record<string, unknown>): boolean {
  return ['where', 'order_by', 'start_time', 'end_time', 'saved_query'].some((k) => k in body) || (Array.isArray(body.group_by) && body.group_by.every((g) => typeof g === 'string') && !('filters' in body) && !('dates' in body) && !('entity' in body) && !('sort_by' in body));
}

/** Resolve a spec field (`repo_name`, `pull_request__repo_name`, `metric_time`) to a catalog dimension. */
function resolveField(catalog: Catalog, field: string, entity: string | undefined): { dim?: CatalogDimension; issue?: Omit<QueryIssue, 'path'> } {
  const exact = catalog.dimensions.find((d) => d.name === field);
  if (exact) return { dim: exact };
  const bySuffix = catalog.dimensions.filter((d) => d.name.endsWith(`__${field}`));
  const preferred = entity ? bySuffix.filter((d) => d.name === `${entity}__${field}`) : [];
  if (preferred.length === 1) return { dim: preferred[0] };
  if (bySuffix.length === 1) return { dim: bySuffix[0] };
  if (bySuffix.length > 1) {
    return { issue: { code: 'FIELD_AMBIGUOUS', message: `'${field}' matches ${bySuffix.map((d) => `'${d.name}'`).join(', ')}`, hint: 'Name it with its entity, or set `entity`.' } };
  }
  const near = nearestKey(field, catalog.dimensions.map((d) => d.name));
  return { issue: { code: 'FIELD_UNKNOWN', message: `'${field}' is not a dimension`, hint: near ? `Did you mean '${near}'?` : 'GET /analytics/dimensions lists them.' } };
}

function literal(value: unknown, type: CatalogDimension['valueType']): string | undefined {
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  if (type === 'boolean') return typeof value === 'boolean' ? String(value) : undefined;
  if (type === 'time') return typeof value === 'string' && (DATE.test(value) || !Number.isNaN(Date.parse(value))) ? quote(value) : undefined;
  return typeof value === 'string' || typeof value === 'number' ? quote(String(value)) : undefined;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function valueCount(op: FilterOp): [number, number] {
  if (op === 'is_null' || op === 'not_null') return [0, 0];
  if (op === 'between') return [2, 2];
  if (op === 'in' || op === 'not_in') return [1, 1000];
  return [1, 1];
}

function filterSql(target: string, op: FilterOp, lits: string[]): string {
  switch (op) {
    case 'eq': return `${target} = ${lits[0]}`;
    case 'ne': return `${target} <> ${lits[0]}`;
    case 'gt': return `${target} > ${lits[0]}`;
    case 'gte': return `${target} >= ${lits[0]}`;
    case 'lt': return `${target} < ${lits[0]}`;
    case 'lte': return `${target} <= ${lits[0]}`;
    case 'in': return `${target} in (${lits.join(', ')})`;
    case 'not_in': return `${target} not in (${lits.join(', ')})`;
    case 'between': return `${target} between ${lits[0]} and ${lits[1]}`;
    case 'is_null': return `${target} is null`;
    case 'not_null': return `${target} is not null`;
    case 'contains': return `${target} like ${lits[0]}`;
  }
}

function templateOf(dim: CatalogDimension): string {
  return dim.type === 'time' ? `{{ TimeDimension('${dim.name}', 'day') }}` : `{{ Dimension('${dim.name}') }}`;
}

/**
 * Check a spec against the catalog, reporting every problem at once, and
 * translate it. `issues` is empty exactly when `query` is usable.
 */
export function translateSpec(spec: AnalyticsSpec, catalog: Catalog, limits: LimitRange): { query: SemanticQuery; issues: QueryIssue[] } {
  const issues: QueryIssue[] = [];
  const entity = spec.entity;
  if (entity !== undefined && !catalog.entities.some((e) => e.name === entity)) {
    const near = nearestKey(entity, catalog.entities.map((e) => e.name));
    issues.push({ code: 'ENTITY_UNKNOWN', message: `'${entity}' is not an entity`, path: '/entity', hint: near ? `Did you mean '${near}'?` : 'GET /analytics/entities lists them.' });
  }
  const metricNames = catalog.metrics.map((m) => m.name);
  if (spec.metrics.length === 0) issues.push({ code: 'METRICS_EMPTY', message: 'a query needs at least one metric', path: '/metrics', hint: 'GET /analytics/metrics lists them.' });
  spec.metrics.forEach((m, i) => {
    if (metricNames.includes(m)) return;
    const near = nearestKey(m, metricNames);
    issues.push({ code: 'METRIC_UNKNOWN', message: `'${m}' is not a metric`, path: `/metrics/${i}`, hint: near ? `Did you mean '${near}'?` : 'GET /analytics/metrics lists them.' });
  });
  const seenMetric = new Set<string>();
  spec.metrics.forEach((m, i) => {
    if (seenMetric.has(m)) issues.push({ code: 'METRIC_DUPLICATE', message: `'${m}' is asked for twice`, path: `/metrics/${i}`, hint: 'Name each metric once.' });
    seenMetric.add(m);
  });

  const groupBy: string[] = [];
  (spec.group_by ?? []).forEach((g, i) => {
    const field = typeof g === 'string' ? g : g.field;
    const interval = typeof g === 'string' ? undefined : g.interval;
    const path = `/group_by/${i}`;
    const { dim, issue } = resolveField(catalog, field, entity);
    if (issue) return void issues.push({ ...issue, path });
    let name = dim!.name;
    if (interval !== undefined) {
      if (!(INTERVALS as readonly string[]).includes(interval)) {
        issues.push({ code: 'INTERVAL_INVALID', message: `'${interval}' is not an interval`, path: `${path}/interval`, hint: `Use one of ${INTERVALS.join(', ')}.` });
        return;
      }
      if (dim!.type !== 'time') {
        issues.push({ code: 'INTERVAL_INVALID', message: `'${dim!.name}' is not a time dimension; an interval needs one`, path: `${path}/interval`, hint: 'Drop the interval, or group by metric_time.' });
        return;
      }
      if (dim!.granularities.length > 0 && !dim!.granularities.includes(interval)) {
        issues.push({ code: 'GRAIN_TOO_FINE', message: `'${dim!.name}' has no '${interval}' grain`, path: `${path}/interval`, hint: `Use one of ${dim!.granularities.join(', ')}.` });
        return;
      }
      name = `${name}__${interval}`;
    }
    if (groupBy.includes(name)) issues.push({ code: 'GROUP_BY_DUPLICATE', message: `'${name}' is grouped by twice`, path, hint: 'Name each group-by once.' });
    else groupBy.push(name);
  });

  const where: string[] = [];
  (spec.filters ?? []).forEach((f, i) => {
    const path = `/filters/${i}`;
    if (!(FILTER_OPS as readonly string[]).includes(f.op)) {
      issues.push({ code: 'OPERATOR_UNKNOWN', message: `'${String(f.op)}' is not an operator`, path: `${path}/op`, hint: `Use one of ${FILTER_OPS.join(', ')}.` });
      return;
    }
    const { dim, issue } = resolveField(catalog, f.field, entity);
    if (issue) return void issues.push({ ...issue, path: `${path}/field` });
    const allowed = OPS_BY_TYPE[dim!.valueType];
    if (!allowed.includes(f.op)) {
      issues.push({ code: 'OPERATOR_TYPE_MISMATCH', message: `'${f.op}' does not apply to '${dim!.name}' (${dim!.valueType})`, path: `${path}/op`, hint: `Use one of ${allowed.join(', ')}.` });
      return;
    }
    const values = f.values ?? [];
    const [lo, hi] = valueCount(f.op);
    if (values.length < lo || values.length > hi) {
      issues.push({ code: 'VALUES_INVALID', message: `'${f.op}' takes ${lo === hi ? lo : `${lo} to ${hi}`} value${hi === 1 ? '' : 's'}, got ${values.length}`, path: `${path}/values`, hint: f.op === 'between' ? 'Give [low, high].' : 'Check the values list.' });
      return;
    }
    const lits: string[] = [];
    for (const [j, v] of values.entries()) {
      // `contains` is LIKE '%value%' (a % or _ in the value acts as a wildcard: LIKE has no portable escape).
      const lit = literal(f.op === 'contains' ? `%${String(v)}%` : v, dim!.valueType);
      if (lit === undefined) {
        issues.push({ code: 'VALUES_INVALID', message: `${JSON.stringify(v)} is not a ${dim!.valueType} value for '${dim!.name}'`, path: `${path}/values/${j}`, hint: dim!.valueType === 'time' ? 'Use a date, YYYY-MM-DD.' : `Give a ${dim!.valueType}.` });
        return;
      }
      lits.push(lit);
    }
    where.push(filterSql(templateOf(dim!), f.op, lits));
  });

  const orderBy: string[] = [];
  (spec.sort_by ?? []).forEach((s, i) => {
    const field = typeof s === 'string' ? s.replace(/^-/, '') : s.field;
    const desc = typeof s === 'string' ? s.startsWith('-') : s.direction === 'desc';
    const path = `/sort_by/${i}`;
    if (typeof s !== 'string' && s.direction !== undefined && s.direction !== 'asc' && s.direction !== 'desc') {
      issues.push({ code: 'SORT_INVALID', message: `'${String(s.direction)}' is not a direction`, path: `${path}/direction`, hint: 'Use asc or desc.' });
      return;
    }
    let name: string | undefined;
    if (spec.metrics.includes(field)) name = field;
    else name = groupBy.find((g) => g === field || g.startsWith(`${field}__`) || g.endsWith(`__${field}`) || g.includes(`__${field}__`));
    if (name === undefined) {
      issues.push({ code: 'SORT_FIELD_UNKNOWN', message: `'${field}' is neither a metric nor a group-by of this query`, path, hint: 'Sort by one of the metrics or group-by fields you asked for.' });
      return;
    }
    orderBy.push(desc ? `-${name}` : name);
  });

  const start = spec.dates?.start;
  const end = spec.dates?.end;
  for (const [k, v] of [['start', start], ['end', end]] as const) {
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) issues.push({ code: 'DATE_INVALID', message: `'${v}' is not a date`, path: `/dates/${k}`, hint: 'Use YYYY-MM-DD.' });
  }
  if (start !== undefined && end !== undefined && DATE.test(start) && DATE.test(end) && start > end) {
    issues.push({ code: 'DATE_RANGE_INVALID', message: `start ${start} is after end ${end}`, path: '/dates', hint: 'Swap them, or move start before end.' });
  }
  if (spec.limit !== undefined && (!Number.isInteger(spec.limit) || spec.limit < limits.min || spec.limit > limits.max)) {
    issues.push({ code: 'LIMIT_OUT_OF_RANGE', message: `limit ${spec.limit} is outside ${limits.min}–${limits.max}`, path: '/limit', hint: limits.max <= 1000 ? 'Use a limit up to 1000, or submit a job (POST /analytics/jobs) for more rows.' : `Use a limit from ${limits.min} to ${limits.max}.` });
  }

  const query: SemanticQuery = { metrics: spec.metrics, groupBy, where, orderBy, ...(spec.limit !== undefined ? { limit: spec.limit } : {}), ...(start ? { startTime: start } : {}), ...(end ? { endTime: end } : {}) };
  return { query, issues };
}

/** The semantic form, checked for what the server owns (limits, dates); the semantic layer checks the rest. */
export function translateSemanticBody(body: SemanticQueryBody, catalog: Catalog, limits: LimitRange): { query: SemanticQuery; issues: QueryIssue[] } {
  const issues: QueryIssue[] = [];
  let base: SemanticQuery = { metrics: [], groupBy: [], where: [], orderBy: [] };
  if (body.saved_query !== undefined) {
    const saved = catalog.savedQueries.find((s) => s.name === body.saved_query);
    if (!saved) {
      const near = nearestKey(body.saved_query, catalog.savedQueries.map((s) => s.name));
      issues.push({ code: 'SAVED_QUERY_UNKNOWN', message: `'${body.saved_query}' is not a saved query`, path: '/saved_query', hint: near ? `Did you mean '${near}'?` : 'GET /analytics/saved-queries lists them.' });
    } else base = saved.query;
  }
  const query: SemanticQuery = {
    metrics: body.metrics ?? base.metrics,
    groupBy: body.group_by ?? base.groupBy,
    where: [...base.where, ...(body.where ?? [])],
    orderBy: body.order_by ?? base.orderBy,
    ...(body.limit ?? base.limit) !== undefined ? { limit: body.limit ?? base.limit } : {},
    ...(body.start_time ?? base.startTime) ? { startTime: body.start_time ?? base.startTime } : {},
    ...(body.end_time ?? base.endTime) ? { endTime: body.end_time ?? base.endTime } : {},
  };
  if (query.metrics.length === 0) issues.push({ code: 'METRICS_EMPTY', message: 'a query needs at least one metric', path: '/metrics', hint: 'GET /analytics/metrics lists them.' });
  for (const [k, v] of [['start_time', query.startTime], ['end_time', query.endTime]] as const) {
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) issues.push({ code: 'DATE_INVALID', message: `'${v}' is not a date`, path: `/${k}`, hint: 'Use YYYY-MM-DD.' });
  }
  if (query.startTime && query.endTime && query.startTime > query.endTime) issues.push({ code: 'DATE_RANGE_INVALID', message: `start ${query.startTime} is after end ${query.endTime}`, path: '/start_time', hint: 'Swap them, or move start before end.' });
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < limits.min || query.limit > limits.max)) {
    issues.push({ code: 'LIMIT_OUT_OF_RANGE', message: `limit ${query.limit} is outside ${limits.min}–${limits.max}`, path: '/limit', hint: `Use a limit from ${limits.min} to ${limits.max}.` });
  }
  return { query, issues };
}
