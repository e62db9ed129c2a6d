/**
 * JSON Schema for `extract.yml` as the user writes it (before defaults).
 * Unknown keys are rejected so a typo (`page_szie`) is an error, not a silent default.
 */
const str = { type: 'string', minLength: 1 } as const;
const strMap = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } } as const;
const valueRef = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      additionalProperties: false,
      properties: { env_var: str, value: { type: 'string' }, default: { type: 'string' } },
      minProperties: 1,
    },
  ],
} as const;

const pageNumber = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { const: 'page_number' },
    page_param: str,
    start: { type: 'integer', minimum: 0 },
    page_size_param: str,
    page_size: { type: 'integer', minimum: 1 },
    total_path: str,
    has_next_path: str,
    max_pages: { type: 'integer', minimum: 1 },
  },
} as const;

const dateWindow = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'start_param', 'end_param', 'start', 'total_path', 'page_size'],
  properties: {
    type: { const: 'date_window' },
    start_param: str,
    end_param: str,
    start: str,
    end: str,
    step: { enum: ['day', 'week', 'month', 'range'] },
    bisect: { type: 'boolean' },
    split_first: { type: 'boolean' },
    split: {
      type: 'object',
      additionalProperties: false,
      required: ['param', 'values'],
      properties: { param: str, values: { type: 'array', items: str, minItems: 1 }, record_field: str },
    },
    page_by: {
      type: 'object',
      additionalProperties: false,
      required: ['param', 'stream', 'field', 'record_field'],
      properties: { param: str, stream: str, field: str, record_field: str },
    },
    date_field: str,
    page_param: str,
    page_size_param: str,
    page_size: { type: 'integer', minimum: 1 },
    total_path: str,
    max_pages: { type: 'integer', minimum: 1 },
  },
} as const;

const maxPages = { type: 'integer', minimum: 1 } as const;
const offset = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'limit'],
  properties: {
    type: { const: 'offset' },
    offset_param: str,
    limit_param: str,
    limit: { type: 'integer', minimum: 1 },
    start: { type: 'integer', minimum: 0 },
    total_path: str,
    max_pages: maxPages,
  },
} as const;
const cursor = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'cursor_path', 'cursor_param'],
  properties: { type: { const: 'cursor' }, cursor_path: str, cursor_param: str, max_pages: maxPages },
} as const;
const jsonLink = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'next_url_path'],
  properties: { type: { const: 'json_link' }, next_url_path: str, max_pages: maxPages },
} as const;
const headerLink = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: { type: { const: 'header_link' }, max_pages: maxPages },
} as const;

const none = { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { const: 'none' } } } as const;

const stream = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'path'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    path: str,
    params: strMap,
    headers: strMap,
    ignore_status: { type: 'array', items: { type: 'integer', minimum: 400, maximum: 599 } },
    records: { type: 'string' },
    pagination: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: ['page_number', 'date_window', 'offset', 'cursor', 'json_link', 'header_link', 'none'] } },
      // The matching branch is chosen in the loader so an error names the right keys.
    },
    parent: {
      type: 'object',
      additionalProperties: false,
      required: ['stream'],
      properties: { stream: str, fields: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    join: {
      type: 'object',
      additionalProperties: false,
      required: ['stream', 'on', 'fields'],
      properties: {
        stream: str,
        on: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 },
        fields: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 },
        on_missing: { enum: ['error', 'null'] },
      },
    },
    primary_key: { anyOf: [str, { type: 'array', items: str, minItems: 1 }] },
    column_naming: { enum: ['snake_case', 'as_is'] },
    incremental: {
      type: 'object',
      additionalProperties: false,
      required: ['cursor_field'],
      properties: { cursor_field: str, param: str, format: { enum: ['date', 'datetime'] }, lookback_days: { type: 'integer', minimum: 0 } },
    },
    totals: {
      type: 'object',
      additionalProperties: false,
      properties: {
        on_mismatch: { enum: ['error', 'warn'] },
        from_stream: {
          type: 'object',
          additionalProperties: false,
          required: ['stream', 'field'],
          properties: { stream: str, field: str },
        },
        request: {
          type: 'object',
          additionalProperties: false,
          required: ['path', 'total_path'],
          properties: { path: str, params: strMap, total_path: str },
        },
      },
    },
    schema: str,
    on_schema_violation: { enum: ['fail', 'quarantine'] },
    table: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    columns: { type: 'object', additionalProperties: str },
    land: { type: 'boolean' },
  },
} as const;

export const extractConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'streams'],
  properties: {
    version: { const: 1 },
    source: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: str,
        base_url: str,
        base_url_env: str,
        auth: {
          type: 'object',
          required: ['type'],
          properties: { type: { enum: ['basic', 'bearer', 'api_key'] } },
          allOf: [
            {
              if: { properties: { type: { const: 'basic' } } },
              then: {
                additionalProperties: false,
                required: ['username'],
                properties: { type: {}, username: valueRef, password: valueRef },
              },
            },
            {
              if: { properties: { type: { const: 'bearer' } } },
              then: { additionalProperties: false, required: ['token'], properties: { type: {}, token: valueRef } },
            },
            {
              if: { properties: { type: { const: 'api_key' } } },
              then: {
                additionalProperties: false,
                required: ['name', 'value'],
                properties: { type: {}, name: str, location: { enum: ['header', 'query'] }, value: valueRef },
              },
            },
          ],
        },
        defaults: {
          type: 'object',
          additionalProperties: false,
          properties: {
            headers: strMap,
            timeout_ms: { type: 'integer', minimum: 1 },
            concurrency: { type: 'integer', minimum: 1, maximum: 64 },
            rate_limit: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 1 }] },
            max_body_bytes: { type: 'integer', minimum: 1 },
            retry: {
              type: 'object',
              additionalProperties: false,
              properties: {
                max_attempts: { type: 'integer', minimum: 1, maximum: 20 },
                base_delay_ms: { type: 'integer', minimum: 0 },
                max_delay_ms: { type: 'integer', minimum: 0 },
                max_retry_after_s: { type: 'integer', minimum: 0 },
                give_up_after_s: { type: 'integer', minimum: 1 },
              },
            },
            column_naming: { enum: ['snake_case', 'as_is'] },
            schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          },
        },
      },
    },
    streams: { type: 'array', items: stream, minItems: 1 },
  },
} as const;

export const paginationSchemas = {
  page_number: pageNumber,
  date_window: dateWindow,
  offset,
  cursor,
  json_link: jsonLink,
  header_link: headerLink,
  none,
} as const;
