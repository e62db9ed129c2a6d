import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml, type ParsedYaml } from '../util/yaml.js';
import { extractConfigSchema, paginationSchemas } from './config-schema.js';
import type {
  AuthConfig,
  DateWindowPagination,
  ExtractConfig,
  PaginationConfig,
  SourceConfig,
  StreamConfig,
  ValueRef,
} from './config-types.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateTop = ajv.compile(extractConfigSchema);
const validatePagination = Object.fromEntries(
  Object.entries(paginationSchemas).map(([k, s]) => [k, ajv.compile(s)]),
) as Record<keyof typeof paginationSchemas, ReturnType<typeof ajv.compile>>;

/**
 * Read and validate `<projectDir>/extract.yml` (or `file`, relative to the
 * project). Every problem found is reported at once, each naming the file,
 * the line and the key; one problem is thrown as a TsdbtError, several as a
 * TsdbtErrorList, all with code EXTRACT_CONFIG.
 */
export function loadExtractConfig(projectDir: string, file?: string): ExtractConfig {
  const root = resolve(projectDir);
  const path = file ? (isAbsolute(file) ? file : join(root, file)) : join(root, 'extract.yml');
  // Named relative to the project, as dbt names its files (`extract.yml:12`).
  const shown = relative(root, path) || path;
  if (!existsSync(path)) {
    throw new TsdbtError('EXTRACT_CONFIG', `No extract config at ${shown}`, {
      file: shown,
      hint: 'Create extract.yml in the project directory (a `source:` and a list of `streams:`), or pass --config.',
    });
  }
  // tsdbt's own format, read as YAML 1.2 (`on:` is a join's key, not true).
  const parsed = parseYaml(readFileSync(path, 'utf8'), shown, { schema: 'core' });
  const errors: TsdbtError[] = [];
  const fail = (message: string, at: unknown[], hint?: string): void => {
    errors.push(new TsdbtError('EXTRACT_CONFIG', message, { file: shown, line: lineAt(parsed, at), hint }));
  };

  if (!validateTop(parsed.value)) {
    for (const e of validateTop.errors ?? []) reportAjv(e, [], parsed, fail);
  }
  const doc = parsed.value;
  if (errors.length === 0 && isRecord(doc)) {
    const streams = doc.streams as Record<string, unknown>[];
    streams.forEach((s, i) => {
      const pg = s.pagination;
      if (isRecord(pg) && typeof pg.type === 'string' && pg.type in validatePagination) {
        const v = validatePagination[pg.type as keyof typeof validatePagination];
        if (!v(pg)) for (const e of v.errors ?? []) reportAjv(e, ['streams', i, 'pagination'], parsed, fail);
      }
    });
  }
  if (errors.length > 0) throwAll(errors);

  const raw = doc as Record<string, unknown>;
  const source = normaliseSource((raw.source ?? {}) as Record<string, unknown>);
  const streams = (raw.streams as Record<string, unknown>[]).map((s) =>
    normaliseStream(s, source, root, parsed.lineOf(s)),
  );
  checkReferences(streams, fail);
  if (errors.length > 0) throwAll(errors);
  return { file: path, projectDir: root, source, streams };
}

function throwAll(errors: TsdbtError[]): never {
  if (errors.length === 1) throw errors[0];
  throw new TsdbtErrorList(errors);
}

/** Line of the deepest existing node along `path` (a key's own line where there is one). */
function lineAt(parsed: ParsedYaml, path: unknown[]): number | undefined {
  let node: unknown = parsed.value;
  let line = parsed.lineOf(node);
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number' && step < node.length) {
      node = node[step];
      line = parsed.lineOf(node) ?? line;
    } else if (isRecord(node) && typeof step === 'string' && step in node) {
      line = parsed.keyLine(node, step) ?? line;
      node = node[step];
    } else break;
  }
  return line;
}

function reportAjv(
  e: ErrorObject,
  prefix: unknown[],
  parsed: ParsedYaml,
  fail: (m: string, at: unknown[], hint?: string) => void,
): void {
  if (e.keyword === 'if') return; // the failing `then` branch says what is wrong
  const steps = [
    ...prefix,
    ...e.instancePath
      .split('/')
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~'))),
  ];
  const key = steps.length === 0 ? '(top level)' : formatPath(steps);
  const got = valueAt(parsed.value, steps);
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = allowedKeys(e);
      fail(`Unknown key '${extra}' in ${key}`, [...steps, extra], allowed ? `Allowed keys: ${allowed}.` : 'Remove it or fix its spelling.');
      return;
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      fail(`${key} is missing the required key '${missing}'`, steps, `Add '${missing}:' to ${key}.`);
      return;
    }
    case 'enum':
      fail(
        `${key} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')} (got ${JSON.stringify(got)})`,
        steps,
      );
      return;
    default:
      fail(`${key} ${e.message ?? 'is invalid'} (got ${JSON.stringify(got)})`, steps);
  }
}

function allowedKeys(e: ErrorObject): string | undefined {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).join(', ') : undefined;
}

function formatPath(steps: unknown[]): string {
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
}

function valueAt(root: unknown, steps: unknown[]): unknown {
  let node = root;
  for (const s of steps) {
    if (Array.isArray(node) && typeof s === 'number') node = node[s];
    else if (isRecord(node) && typeof s === 'string') node = node[s];
    else return undefined;
  }
  return node;
}

function toValueRef(v: unknown): ValueRef {
  return typeof v === 'string' ? { value: v } : (v as ValueRef);
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

/** 64 MiB: far above any page the cursor-sim API sends (1,000 commits are ~600 kB). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

function normaliseSource(s: Record<string, unknown>): SourceConfig {
  const d = (s.defaults ?? {}) as Record<string, unknown>;
  const r = (d.retry ?? {}) as Record<string, number>;
  let auth: AuthConfig | undefined;
  const a = s.auth as Record<string, unknown> | undefined;
  if (a?.type === 'basic') {
    auth = { type: 'basic', username: toValueRef(a.username), password: a.password === undefined ? undefined : toValueRef(a.password) };
  } else if (a?.type === 'bearer') {
    auth = { type: 'bearer', token: toValueRef(a.token) };
  } else if (a?.type === 'api_key') {
    auth = { type: 'api_key', name: a.name as string, location: (a.location as 'header' | 'query' | undefined) ?? 'header', value: toValueRef(a.value) };
  }
  return {
    name: (s.name as string | undefined) ?? 'source',
    base_url: s.base_url as string | undefined,
    base_url_env: s.base_url_env as string | undefined,
    auth,
    defaults: {
      headers: stringMap(d.headers),
      timeout_ms: (d.timeout_ms as number | undefined) ?? 30_000,
      concurrency: (d.concurrency as number | undefined) ?? 4,
      rate_limit: d.rate_limit === undefined ? null : (d.rate_limit as number | null),
      retry: {
        max_attempts: r.max_attempts ?? 5,
        base_delay_ms: r.base_delay_ms ?? 250,
        max_delay_ms: r.max_delay_ms ?? 10_000,
        max_retry_after_s: r.max_retry_after_s ?? 120,
        give_up_after_s: r.give_up_after_s ?? 20,
      },
      max_body_bytes: (d.max_body_bytes as number | undefined) ?? DEFAULT_MAX_BODY_BYTES,
      column_naming: (d.column_naming as 'snake_case' | 'as_is' | undefined) ?? 'snake_case',
      schema: (d.schema as string | undefined) ?? 'raw',
    },
  };
}

function normalisePagination(p: Record<string, unknown> | undefined): PaginationConfig {
  if (!p || p.type === 'none') return { type: 'none' };
  if (p.type === 'page_number') {
    return {
      type: 'page_number',
      page_param: (p.page_param as string | undefined) ?? 'page',
      start: (p.start as number | undefined) ?? 1,
      page_size_param: p.page_size_param as string | undefined,
      page_size: p.page_size as number | undefined,
      total_path: p.total_path as string | undefined,
      has_next_path: p.has_next_path as string | undefined,
      max_pages: (p.max_pages as number | undefined) ?? 10_000,
    };
  }
  const max_pages = (p.max_pages as number | undefined) ?? 10_000;
  if (p.type === 'offset') {
    return {
      type: 'offset',
      offset_param: (p.offset_param as string | undefined) ?? 'offset',
      limit_param: (p.limit_param as string | undefined) ?? 'limit',
      limit: p.limit as number,
      start: (p.start as number | undefined) ?? 0,
      total_path: p.total_path as string | undefined,
      max_pages,
    };
  }
  if (p.type === 'cursor') {
    return { type: 'cursor', cursor_path: p.cursor_path as string, cursor_param: p.cursor_param as string, max_pages };
  }
  if (p.type === 'json_link' || p.type === 'header_link') {
    return { type: p.type, next_url_path: p.next_url_path as string | undefined, max_pages };
  }
  return {
    type: 'date_window',
    start_param: p.start_param as string,
    end_param: p.end_param as string,
    start: p.start as string,
    end: (p.end as string | undefined) ?? 'today',
    step: (p.step as 'day' | 'week' | 'month' | 'range' | undefined) ?? 'day',
    bisect: (p.bisect as boolean | undefined) ?? false,
    split: p.split as { param: string; values: string[]; record_field?: string } | undefined,
    split_first: (p.split_first as boolean | undefined) ?? false,
    page_by: p.page_by as DateWindowPagination['page_by'],
    date_field: p.date_field as string | undefined,
    page_param: (p.page_param as string | undefined) ?? 'page',
    page_size_param: (p.page_size_param as string | undefined) ?? 'page_size',
    page_size: p.page_size as number,
    total_path: p.total_path as string,
    max_pages: (p.max_pages as number | undefined) ?? 10_000,
  };
}

function normaliseStream(s: Record<string, unknown>, source: SourceConfig, root: string, line?: number): StreamConfig {
  const pk = s.primary_key;
  const parent = s.parent as { stream: string; fields?: Record<string, string> } | undefined;
  const join_ = s.join as { stream: string; on: Record<string, string>; fields: Record<string, string>; on_missing?: 'error' | 'null' } | undefined;
  const inc = s.incremental as { cursor_field: string; param?: string; format?: 'date' | 'datetime'; lookback_days?: number } | undefined;
  const totals = s.totals as Record<string, unknown> | undefined;
  const req = totals?.request as { path: string; params?: unknown; total_path: string } | undefined;
  return {
    name: s.name as string,
    path: s.path as string,
    params: stringMap(s.params),
    headers: stringMap(s.headers),
    ignore_status: (s.ignore_status as number[] | undefined) ?? [],
    records: (s.records as string | undefined) ?? '$',
    pagination: normalisePagination(s.pagination as Record<string, unknown> | undefined),
    parent: parent ? { stream: parent.stream, fields: parent.fields ?? {} } : undefined,
    join: join_ ? { ...join_, on_missing: join_.on_missing ?? 'error' } : undefined,
    primary_key: pk === undefined ? [] : Array.isArray(pk) ? (pk as string[]) : [pk as string],
    column_naming: (s.column_naming as 'snake_case' | 'as_is' | undefined) ?? source.defaults.column_naming,
    incremental: inc
      ? { cursor_field: inc.cursor_field, param: inc.param, format: inc.format ?? 'date', lookback_days: inc.lookback_days ?? 0 }
      : undefined,
    totals: totals
      ? {
          on_mismatch: (totals.on_mismatch as 'error' | 'warn' | undefined) ?? 'error',
          from_stream: totals.from_stream as { stream: string; field: string } | undefined,
          request: req ? { path: req.path, params: stringMap(req.params), total_path: req.total_path } : undefined,
        }
      : undefined,
    schema: typeof s.schema === 'string' ? join(root, s.schema) : undefined,
    schema_ref: s.schema as string | undefined,
    on_schema_violation: (s.on_schema_violation as 'fail' | 'quarantine' | undefined) ?? 'fail',
    table: (s.table as string | undefined) ?? (s.name as string),
    columns: s.columns as Record<string, string> | undefined,
    land: (s.land as boolean | undefined) ?? true,
    line,
  };
}

/** Cross-stream checks ajv cannot express: unique names, known parents, no cycles, schema files present. */
function checkReferences(
  streams: StreamConfig[],
  fail: (m: string, at: unknown[], hint?: string) => void,
): void {
  const names = new Set<string>();
  streams.forEach((s, i) => {
    if (names.has(s.name)) fail(`Stream name '${s.name}' is declared twice`, ['streams', i, 'name'], 'Give each stream a unique name.');
    names.add(s.name);
  });
  const known = [...names].join(', ');
  streams.forEach((s, i) => {
    const refs: [string, string | undefined][] = [
      ['parent', s.parent?.stream],
      ['join', s.join?.stream],
      ['totals', s.totals?.from_stream?.stream],
    ];
    for (const [key, ref] of refs) {
      if (ref !== undefined && !names.has(ref)) {
        fail(`streams[${i}].${key} refers to stream '${ref}', which is not declared`, ['streams', i, key], `Declared streams: ${known}.`);
      }
    }
    const placeholders = [s.path, ...Object.values(s.params)].flatMap((t) => [...t.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!));
    for (const ph of placeholders) {
      if (!ph.startsWith('parent.')) {
        fail(`streams[${i}] uses the placeholder '{${ph}}'; only {parent.<field>} is supported`, ['streams', i, 'path']);
      } else if (!s.parent) {
        fail(`streams[${i}] uses '{${ph}}' but declares no parent stream`, ['streams', i, 'path'], 'Add `parent: {stream: <name>}`.');
      }
    }
    if (s.schema && !existsSync(s.schema)) {
      fail(`streams[${i}].schema points to '${s.schema_ref}', which does not exist`, ['streams', i, 'schema'], `Create ${s.schema_ref} or fix the path.`);
    }
    if (s.incremental && s.primary_key.length === 0) {
      fail(`streams[${i}].incremental needs a primary_key: new rows are merged into the landed file on it`, ['streams', i, 'incremental'], 'Add `primary_key:` to the stream.');
    }
    if (s.incremental && s.pagination.type !== 'date_window' && !s.incremental.param) {
      fail(`streams[${i}].incremental needs 'param' (the request parameter that receives the cursor)`, ['streams', i, 'incremental']);
    }
  });
  // Cycles through parent/join/totals references.
  const deps = new Map(streams.map((s) => [s.name, streamDependencies(s)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, trail: string[]): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') {
      const i = streams.findIndex((s) => s.name === n);
      fail(`Streams depend on each other in a cycle: ${[...trail, n].join(' -> ')}`, ['streams', i], 'Remove one parent/join/totals reference.');
      return;
    }
    state.set(n, 'visiting');
    for (const d of deps.get(n) ?? []) if (deps.has(d)) visit(d, [...trail, n]);
    state.set(n, 'done');
  };
  for (const s of streams) visit(s.name, []);
}

/** Streams whose rows this stream needs before it can run. */
export function streamDependencies(s: StreamConfig): string[] {
  const pageBy = s.pagination.type === 'date_window' ? s.pagination.page_by?.stream : undefined;
  return [s.parent?.stream, s.join?.stream, s.totals?.from_stream?.stream, pageBy].filter((x): x is string => x !== undefined);
}
