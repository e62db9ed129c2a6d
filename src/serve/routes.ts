import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';
import { JOB_LIMITS, type AnalyticsService } from './analytics-service.js';
import { isSemanticQueryBody } from './analytics-spec.js';
import { streamJob } from './event-stream.js';
import { readJsonBody, sendJson, sendText, toCsv } from './http-kit.js';
import type { JobManager } from './job-manager.js';
import { askModel } from './nl/ask-model.js';
import type { LanguageModel } from './nl/language-model.js';
import { parseQuestion } from './nl/question-parser.js';
import { openApiDocument } from './openapi.js';
import { servePage } from './page.js';
import { validateBody } from './request-validation.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  service: AnalyticsService;
  version: string;
  model?: LanguageModel;
  now: () => Date;
  heartbeatMs: number;
}

type Handler = (ctx: RouteContext) => Promise<void> | void;
interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
  /** Served without the bearer token. */
  open?: boolean;
}

const routes: Route[] = [];
function route(method: string, path: string, handler: Handler, open = false): void {
  const keys: string[] = [];
  const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, k: string) => { keys.push(k); return '([^/]+)'; })}$`);
  routes.push({ method, pattern, keys, handler, open });
}

/** The route for a method and path: `{route, params}`, or a 404/405 ApiError. */
export function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } {
  const onPath = routes.filter((r) => r.pattern.test(path));
  if (onPath.length === 0) throw new ApiError(404, 'NOT_FOUND', `No route ${path}. GET /openapi.json lists them.`);
  const r = onPath.find((x) => x.method === method || (method === 'HEAD' && x.method === 'GET'));
  if (!r) throw Object.assign(new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${onPath.map((x) => x.method).join(', ')}.`), { allow: onPath.map((x) => x.method).join(', ') });
  const m = r.pattern.exec(path)!;
  return { route: r, params: Object.fromEntries(r.keys.map((k, i) => [k, m[i + 1]!])) };
}

async function queryBody(ctx: RouteContext): Promise<unknown> {
  const body = await readJsonBody(ctx.req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'SPEC_INVALID', 'The body must be a JSON object: a query spec.');
  validateBody(isSemanticQueryBody(body as Record<string, unknown>) ? 'SemanticQuery' : 'AnalyticsSpec', body);
  return body;
}

function job(ctx: RouteContext) {
  const view = ctx.service.jobs.get(ctx.params.id!);
  if (!view) throw new ApiError(404, 'JOB_NOT_FOUND', `No job '${ctx.params.id}'.`);
  return view;
}

route('GET', '/health', ({ res, service }) => sendJson(res, 200, { status: 'ok', target: service.backend.target(), jobs: service.jobs.stats() }), true);
route('GET', '/', ({ res }) => servePage(res));
route('GET', '/openapi.json', ({ res, version }) => sendJson(res, 200, openApiDocument(version)));

route('GET', '/analytics/metrics', ({ res, query, service }) => {
  const category = query.get('category');
  const tag = query.get('tag');
  const q = query.get('q')?.toLowerCase();
  const metrics = service.backend.catalog().metrics.filter((m) =>
    (!category || m.category === category) && (!tag || m.tags.includes(tag)) && (!q || [m.name, m.label, m.description, ...m.synonyms].some((t) => t.toLowerCase().includes(q))));
  sendJson(res, 200, { metrics });
});
route('GET', '/analytics/metrics/{name}', ({ res, params, service }) => {
  const m = service.backend.catalog().metrics.find((x) => x.name === params.name);
  if (!m) throw new ApiError(404, 'METRIC_NOT_FOUND', `No metric '${params.name}'.`);
  sendJson(res, 200, m);
});
route('GET', '/analytics/dimensions', ({ res, service }) => sendJson(res, 200, { dimensions: service.backend.catalog().dimensions }));
route('GET', '/analytics/entities', ({ res, service }) => sendJson(res, 200, { entities: service.backend.catalog().entities }));
route('GET', '/analytics/saved-queries', ({ res, service }) => sendJson(res, 200, { saved_queries: service.backend.catalog().savedQueries }));

route('POST', '/analytics/compile', async (ctx) => {
  const p = ctx.service.prepare(await queryBody(ctx), JOB_LIMITS);
  sendJson(ctx.res, 200, { sql: p.compiled.sql, binds: p.compiled.binds, query: p.query });
});
route('POST', '/analytics/query', async (ctx) => {
  const body = await queryBody(ctx);
  const controller = new AbortController();
  ctx.res.on('close', () => { if (!ctx.res.writableFinished) controller.abort(new Error('client went away')); });
  const { result, cached } = await ctx.service.query(body, controller.signal);
  sendJson(ctx.res, 200, { columns: result.columns, rows: result.rows, elapsed_ms: result.elapsedMs, cached });
});

route('POST', '/analytics/jobs', async (ctx) => {
  const { job: view, reused } = ctx.service.submitJob(await queryBody(ctx));
  sendJson(ctx.res, 202, { ...view, reused }, { location: `/analytics/jobs/${view.id}` });
});
route('GET', '/analytics/jobs/{id}', (ctx) => sendJson(ctx.res, 200, job(ctx)));
route('DELETE', '/analytics/jobs/{id}', (ctx) => {
  const view = job(ctx);
  if (!ctx.service.jobs.cancel(view.id)) throw new ApiError(409, 'JOB_FINISHED', `Job '${view.id}' has already ${view.status === 'completed' ? 'completed' : `ended (${view.status})`}.`);
  sendJson(ctx.res, 200, job(ctx));
});
route('GET', '/analytics/jobs/{id}/result', (ctx) => {
  const view = job(ctx);
  if (view.status !== 'completed') throw new ApiError(409, 'JOB_NOT_COMPLETED', `Job '${view.id}' is ${view.status}; its result is ready when it has completed.`);
  const result = ctx.service.jobs.result(view.id)!;
  const format = ctx.query.get('format') ?? 'json';
  if (format === 'csv') return sendText(ctx.res, 200, 'text/csv; charset=utf-8', toCsv(result.columns, result.rows));
  if (format !== 'json') throw new ApiError(400, 'FORMAT_INVALID', `'${format}' is not a result format; use json or csv.`);
  sendJson(ctx.res, 200, { columns: result.columns, rows: result.rows, elapsed_ms: result.elapsedMs });
});
route('GET', '/analytics/jobs/{id}/stream', (ctx) => streamJob(ctx.res, ctx.service.jobs as JobManager<unknown>, job(ctx), ctx.heartbeatMs));

route('POST', '/analytics/nl', async (ctx) => {
  const body = await readJsonBody(ctx.req);
  validateBody('Question', body);
  const { question } = body as { question: string };
  const catalog = ctx.service.backend.catalog();
  const parsed = ctx.model ? await askModel(question, catalog, ctx.model, JOB_LIMITS) : parseQuestion(question, catalog, ctx.now);
  if (parsed.spec === null) {
    throw new ApiError(422, 'NL_NO_MATCH', `${parsed.explanation}${parsed.unmatched.length ? ` Not understood: ${parsed.unmatched.join(', ')}.` : ''}`, 'issues' in parsed ? (parsed as { issues: never[] }).issues : undefined);
  }
  const answer: Record<string, unknown> = { spec: parsed.spec, explanation: parsed.explanation, matched: parsed.matched, unmatched: parsed.unmatched };
  if (ctx.query.get('run') === 'true') {
    const { result, cached } = await ctx.service.query({ ...parsed.spec, limit: Math.min(parsed.spec.limit ?? 1000, 1000) });
    answer.result = { columns: result.columns, rows: result.rows, elapsed_ms: result.elapsedMs, cached };
  }
  sendJson(ctx.res, 200, answer);
});
route('GET', '/analytics/cache/stats', ({ res, service }) => sendJson(res, 200, service.cache.stats()));
