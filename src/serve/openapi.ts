import { FILTER_OPS, INTERVALS } from './analytics-spec.js';

/**
 * The OpenAPI 3.1 document of `tsdbt serve`. Its component schemas are the
 * ones request bodies are validated with (request-validation.ts), so the
 * document cannot drift from what the server accepts.
 */
const issue = { type: 'object', required: ['code', 'message', 'path'], properties: { code: { type: 'string' }, message: { type: 'string' }, path: { type: 'string' }, hint: { type: 'string' } } };

export const SCHEMAS = {
  AnalyticsSpec: {
    type: 'object',
    required: ['metrics'],
    additionalProperties: false,
    properties: {
      entity: { type: 'string' },
      metrics: { type: 'array', items: { type: 'string' }, maxItems: 200 },
      filters: {
        type: 'array', maxItems: 100,
        items: { type: 'object', required: ['field', 'op'], additionalProperties: false, properties: { field: { type: 'string' }, op: { enum: [...FILTER_OPS] }, values: { type: 'array', maxItems: 1000 } } },
      },
      group_by: {
        type: 'array', maxItems: 20,
        items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['field'], additionalProperties: false, properties: { field: { type: 'string' }, interval: { type: 'string', examples: [...INTERVALS] } } }] },
      },
      sort_by: {
        type: 'array', maxItems: 20,
        items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['field'], additionalProperties: false, properties: { field: { type: 'string' }, direction: { enum: ['asc', 'desc'] } } }] },
      },
      dates: { type: 'object', additionalProperties: false, properties: { start: { type: 'string' }, end: { type: 'string' } } },
      limit: { type: 'integer' },
    },
  },
  SemanticQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      metrics: { type: 'array', items: { type: 'string' }, maxItems: 200 },
      group_by: { type: 'array', items: { type: 'string' }, maxItems: 20 },
      where: { type: 'array', items: { type: 'string', maxLength: 4000 }, maxItems: 100 },
      order_by: { type: 'array', items: { type: 'string' }, maxItems: 20 },
      limit: { type: 'integer' },
      start_time: { type: 'string' },
      end_time: { type: 'string' },
      saved_query: { type: 'string' },
    },
  },
  Question: { type: 'object', required: ['question'], additionalProperties: false, properties: { question: { type: 'string', minLength: 1, maxLength: 2000 } } },
  Issue: issue,
  Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array', items: issue } } } } },
  Job: {
    type: 'object',
    required: ['id', 'status', 'progress'],
    properties: {
      id: { type: 'string' }, status: { enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] }, progress: { type: 'number', minimum: 0, maximum: 1 },
      attempts: { type: 'integer' }, created_at: { type: 'string' }, started_at: { type: ['string', 'null'] }, finished_at: { type: ['string', 'null'] },
      queued_ms: { type: ['integer', 'null'] }, run_ms: { type: ['integer', 'null'] }, row_count: { type: ['integer', 'null'] },
      error: { oneOf: [{ type: 'null' }, { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } }] },
    },
  },
  QueryResult: {
    type: 'object',
    required: ['columns', 'rows'],
    properties: { columns: { type: 'array', items: { type: 'string' } }, rows: { type: 'array', items: { type: 'object' } }, elapsed_ms: { type: 'number' }, cached: { type: 'boolean' }, sql: { type: 'string' } },
  },
} as const;

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json(ref('Error')) });
const querySpec = { oneOf: [ref('AnalyticsSpec'), ref('SemanticQuery')] };
const jobId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function openApiDocument(version: string): Record<string, unknown> {
  const list = (summary: string, params: string[] = []) => ({
    get: { summary, parameters: params.map((p) => ({ name: p, in: 'query', required: false, schema: { type: 'string' } })), responses: { 200: { description: 'OK', ...json({ type: 'object' }) }, 401: err('No or wrong bearer token') } },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'tsdbt serve', version, description: 'The semantic layer of a dbt project over HTTP: the metrics catalog, queries, background jobs with server-sent progress, and questions in plain language.' },
    components: { schemas: SCHEMAS, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/health': { get: { summary: 'Liveness (no token needed)', security: [], responses: { 200: { description: 'OK' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OK' } } } },
      '/analytics/metrics': list('The metrics catalog', ['category', 'tag', 'q']),
      '/analytics/metrics/{name}': { get: { summary: 'One metric', parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'OK' }, 404: err('No such metric') } } },
      '/analytics/dimensions': list('Dimensions to group and filter by'),
      '/analytics/entities': list('Entities (join keys)'),
      '/analytics/saved-queries': list('Saved queries'),
      '/analytics/compile': { post: { summary: 'A spec to SQL and binds, without running it', requestBody: json(querySpec), responses: { 200: { description: 'OK', ...json({ type: 'object', properties: { sql: { type: 'string' }, binds: { type: 'array' } } }) }, 400: err('Invalid spec') } } },
      '/analytics/query': { post: { summary: 'An interactive query (limit 1–1,000)', requestBody: json(querySpec), responses: { 200: { description: 'Rows', ...json(ref('QueryResult')) }, 400: err('Invalid spec'), 504: err('Timed out') } } },
      '/analytics/jobs': { post: { summary: 'A background query (limit 1–100,000)', requestBody: json(querySpec), responses: { 202: { description: 'The job', ...json(ref('Job')) }, 400: err('Invalid spec') } } },
      '/analytics/jobs/{id}': {
        get: { summary: 'A job', parameters: [jobId], responses: { 200: { description: 'OK', ...json(ref('Job')) }, 404: err('No such job') } },
        delete: { summary: 'Cancel a job', parameters: [jobId], responses: { 200: { description: 'Cancelled', ...json(ref('Job')) }, 404: err('No such job'), 409: err('Already finished') } },
      },
      '/analytics/jobs/{id}/result': { get: { summary: 'A completed job\'s rows (JSON, or ?format=csv)', parameters: [jobId, { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } }], responses: { 200: { description: 'Rows', ...json(ref('QueryResult')) }, 404: err('No such job'), 409: err('Not completed') } } },
      '/analytics/jobs/{id}/stream': { get: { summary: 'Server-sent events: status, progress, heartbeat, then completed|failed|cancelled', parameters: [jobId], responses: { 200: { description: 'text/event-stream' }, 404: err('No such job') } } },
      '/analytics/nl': { post: { summary: 'A question in plain language to a spec (?run=true also runs it)', requestBody: json(ref('Question')), parameters: [{ name: 'run', in: 'query', schema: { enum: ['true', 'false'] } }], responses: { 200: { description: 'The spec', ...json({ type: 'object' }) }, 422: err('Nothing matched') } } },
      '/analytics/cache/stats': list('Cache hits, misses, evictions'),
    },
  };
}
