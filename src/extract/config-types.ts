/**
 * The shape of a project's `extract.yml`, after validation and defaults.
 *
 * Property names follow the YAML keys (snake_case) so an error can name the
 * key exactly as the user wrote it. `loadExtractConfig` fills in every
 * default, so the runner never has to guess.
 */

/** A value taken from an environment variable, a literal, or an env var with a literal fallback. */
export interface ValueRef {
  env_var?: string;
  value?: string;
  default?: string;
}

export type AuthConfig =
  | { type: 'basic'; username: ValueRef; password?: ValueRef }
  | { type: 'bearer'; token: ValueRef }
  | { type: 'api_key'; name: string; location: 'header' | 'query'; value: ValueRef };

export interface RetryConfig {
  /** Total tries for one request, the first included. */
  max_attempts: number;
  /** First backoff delay; doubles each try, with up to 50% jitter. */
  base_delay_ms: number;
  max_delay_ms: number;
  /** Longest `Retry-After` the client agrees to wait (seconds); longer is an error. */
  max_retry_after_s: number;
  /**
   * The run's deadline for an unreachable server: once requests have failed to connect (or timed
   * out) for this long with no answer in between, every request of the run gives up at once.
   */
  give_up_after_s: number;
}

export interface SourceDefaults {
  headers: Record<string, string>;
  timeout_ms: number;
  concurrency: number;
  /** Client-side token bucket, requests per minute; null = off. */
  rate_limit: number | null;
  /** Largest response body read (bytes); a bigger one is an error naming the stream, never read whole. */
  max_body_bytes: number;
  retry: RetryConfig;
  column_naming: ColumnNaming;
  /** Raw schema in the target warehouse. */
  schema: string;
}

export interface SourceConfig {
  name: string;
  base_url?: string;
  /** Environment variable that overrides base_url (TSDBT_EXTRACT_URL always does). */
  base_url_env?: string;
  auth?: AuthConfig;
  defaults: SourceDefaults;
}

export type ColumnNaming = 'snake_case' | 'as_is';

/** Page numbers: stop on total (at total_path), on a has-next flag, or on an empty/short page. */
export interface PageNumberPagination {
  type: 'page_number';
  page_param: string;
  start: number;
  page_size_param?: string;
  page_size?: number;
  /** JSON path to the total record count (e.g. `totalCount`, `pagination.total`). */
  total_path?: string;
  /** JSON path to a boolean saying whether another page exists. */
  has_next_path?: string;
  /** Safety stop against a server that never ends. */
  max_pages: number;
}

/**
 * Date windows over [start, end] (inclusive days). Each window is asked with
 * one request; when a window's total overflows one page it is cut (if
 * `bisect`) into smaller day windows down to one day, then split by
 * `split.param`'s values (before cutting with `split_first`), and only then
 * paged through.
 */
export interface DateWindowPagination {
  type: 'date_window';
  start_param: string;
  end_param: string;
  /** `YYYY-MM-DD`, `<n>d` (days before today) or `today`. */
  start: string;
  end: string;
  step: 'day' | 'week' | 'month' | 'range';
  bisect: boolean;
  /** `record_field`: the record field the param filters on (default: the param's name). */
  split?: { param: string; values: string[]; record_field?: string };
  /** Split by the values before cutting windows (each value's windows are then cut on their own). */
  split_first: boolean;
  /**
   * Where the narrowest window (one day, one split value) still overflows a page, page it once per
   * value of `param` instead (the only filter some APIs order stably), the values being `field` of
   * `stream`'s records; records whose `record_field` is empty are collected by re-asking the window.
   */
  page_by?: { param: string; stream: string; field: string; record_field: string };
  /**
   * The record field the window filters on (e.g. `created_at`). When set and a cut window's
   * sub-windows hold fewer records than its total (a server that leaves out each end day's last
   * second), the two days across each inner boundary are asked for the records of that second.
   */
  date_field?: string;
  page_param: string;
  page_size_param: string;
  page_size: number;
  total_path: string;
  max_pages: number;
}

export interface NoPagination {
  type: 'none';
}

/** offset/limit: stops on an empty or short page, or when the total (at total_path) is reached. */
export interface OffsetPagination {
  type: 'offset';
  offset_param: string;
  limit_param: string;
  limit: number;
  start: number;
  total_path?: string;
  max_pages: number;
}

/** A token in each answer (at cursor_path) is sent back as cursor_param; stops when it is missing or empty. */
export interface CursorPagination {
  type: 'cursor';
  cursor_path: string;
  cursor_param: string;
  max_pages: number;
}

/** The next page's URL, in the body (`json_link`, at next_url_path) or in a `Link: <...>; rel="next"` header (`header_link`). */
export interface LinkPagination {
  type: 'json_link' | 'header_link';
  next_url_path?: string;
  max_pages: number;
}

export type PaginationConfig =
  | PageNumberPagination
  | DateWindowPagination
  | OffsetPagination
  | CursorPagination
  | LinkPagination
  | NoPagination;

export interface ParentConfig {
  stream: string;
  /** Child column name → parent field copied onto every child row. */
  fields: Record<string, string>;
}

/** Look up another stream's row by key and copy fields from it (e.g. a review's PR). */
export interface JoinConfig {
  stream: string;
  /** This stream's field → the other stream's field. */
  on: Record<string, string>;
  /** New field name → the other stream's field. */
  fields: Record<string, string>;
  on_missing: 'error' | 'null';
}

export interface IncrementalConfig {
  /** Record field holding the cursor (API name, e.g. `commitTs`). */
  cursor_field: string;
  /** Request parameter that receives the cursor (not needed for date_window, which moves its start). */
  param?: string;
  /** How the cursor is sent: its day (`date`) or the full value (`datetime`). */
  format: 'date' | 'datetime';
  /** Ask again for this many days before the cursor, to pick up rows that changed since (e.g. a PR merged later). */
  lookback_days: number;
}

export interface TotalsConfig {
  on_mismatch: 'error' | 'warn';
  /** Sum of a field over another stream's rows (e.g. repos.total_pull_requests_count). */
  from_stream?: { stream: string; field: string };
  /** One extra request whose answer holds the expected total. */
  request?: { path: string; params: Record<string, string>; total_path: string };
}

export interface StreamConfig {
  name: string;
  path: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  /** HTTP statuses read as an empty page (e.g. [404] when a parent's children may be gone). */
  ignore_status: number[];
  /** JSON path of the record list in a page; `$` for a root array. */
  records: string;
  pagination: PaginationConfig;
  parent?: ParentConfig;
  join?: JoinConfig;
  primary_key: string[];
  column_naming: ColumnNaming;
  incremental?: IncrementalConfig;
  totals?: TotalsConfig;
  /** Absolute path of the JSON Schema file, when configured. */
  schema?: string;
  /** The schema path as written in extract.yml (for messages). */
  schema_ref?: string;
  on_schema_violation: 'fail' | 'quarantine';
  table: string;
  /** Column → DuckDB type; when absent, types are inferred. */
  columns?: Record<string, string>;
  /** Helper streams (e.g. team members feeding a fan-out) can skip landing. */
  land: boolean;
  /** 1-based line of the stream in extract.yml. */
  line?: number;
}

export interface ExtractConfig {
  /** Absolute path of extract.yml. */
  file: string;
  projectDir: string;
  source: SourceConfig;
  streams: StreamConfig[];
}
