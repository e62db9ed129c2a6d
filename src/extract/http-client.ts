import { Pool } from 'undici';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { RetryConfig } from './config-types.js';
import { TokenBucket } from './token-bucket.js';

export type LogFn = (level: 'debug' | 'info' | 'warn', msg: string) => void;

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent on every request (auth included). */
  headers: Record<string, string>;
  /** Added to every request's query (an API key in the query); masked when printed. */
  query?: Record<string, string>;
  timeoutMs: number;
  concurrency: number;
  rateLimitPerMinute: number | null;
  retry: RetryConfig;
  log?: LogFn;
  /** Said on a 401/403, e.g. which env var holds the API key. */
  authHint?: string;
  /** Values (tokens, keys) scrubbed from anything the client prints. */
  secrets?: string[];
}

/** The body of an answer whose status the stream ignores: no records, total 0. */
export const IGNORED: unique symbol = Symbol('ignored response');

export interface JsonResponse {
  body: unknown;
  /** The URL as printed (no credentials). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Counters one stream accumulates; the client increments them. */
export interface RequestStats {
  requests: number;
  retries: number;
}

/** Who is asking: used in error messages and to count requests per stream. */
export interface RequestContext {
  stream: string;
  stats: RequestStats;
  file?: string;
  line?: number;
  /** Called before each retry with what went wrong (for progress lines). */
  onRetry?: (why: string) => void;
  /** Statuses answered as an empty page instead of an error (e.g. 404 for a vanished parent). */
  ignoreStatus?: number[];
  /** Extra headers for this stream (over the source's). */
  headers?: Record<string, string>;
}

/** Most 429s one request sits through before giving up (each waits Retry-After). */
const MAX_RATE_LIMITED = 100;

/**
 * GET-and-parse-JSON over one undici connection pool, with bounded
 * concurrency, an optional client-side token bucket, retries of network
 * errors / timeouts / 5xx (exponential backoff with jitter), 429
 * `Retry-After`, and a debug line per request. Errors are TsdbtErrors that
 * name the stream and the URL (never credentials).
 */
export class HttpClient {
  private readonly pool: Pool;
  private readonly base: URL;
  private readonly bucket: TokenBucket | null;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  totalRequests = 0;

  constructor(private readonly opts: HttpClientOptions) {
    this.base = new URL(opts.baseUrl);
    this.pool = new Pool(this.base.origin, { connections: opts.concurrency, pipelining: 1 });
    this.bucket = opts.rateLimitPerMinute ? new TokenBucket(opts.rateLimitPerMinute) : null;
  }

  /** Full URL for a path relative to the base URL (keeps a base path prefix such as `/api`). */
  url(path: string, params: Record<string, string> = {}): URL {
    const prefix = this.base.pathname.replace(/\/$/, '');
    const u = new URL(prefix + (path.startsWith('/') ? path : `/${path}`), this.base.origin);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    for (const [k, v] of Object.entries(this.opts.query ?? {})) u.searchParams.set(k, v);
    return u;
  }

  /** GET `path` (relative to the base URL) with `params`, retried as configured; the body parsed as JSON. */
  getJson(path: string, params: Record<string, string>, ctx: RequestContext): Promise<JsonResponse> {
    return this.getUrl(this.url(path, params), ctx);
  }

  /** GET an absolute URL (a next-page link); it must be on the base URL's origin, where the credentials belong. */
  getLink(link: string, ctx: RequestContext): Promise<JsonResponse> {
    const url = new URL(link, this.base);
    for (const [k, v] of Object.entries(this.opts.query ?? {})) url.searchParams.set(k, v);
    if (url.origin !== this.base.origin) {
      throw this.error(ctx, `the next-page link ${this.display(url)} leaves ${this.base.origin}`, 'tsdbt only follows links on the base URL\'s host (credentials are sent there).');
    }
    return this.getUrl(url, ctx);
  }

  private async getUrl(url: URL, ctx: RequestContext): Promise<JsonResponse> {
    const shown = this.display(url);
    const { retry } = this.opts;
    let attempt = 0;
    let rateLimited = 0;
    for (;;) {
      attempt += 1;
      let outcome: Outcome;
      await this.acquire();
      try {
        if (this.bucket) await this.bucket.take();
        outcome = await this.once(url, shown, ctx);
      } finally {
        this.release();
      }
      if (outcome.kind === 'ok') {
        try {
          return { body: JSON.parse(outcome.text), url: shown, headers: outcome.headers };
        } catch (e) {
          throw this.error(ctx, `GET ${shown} answered ${outcome.status} with malformed JSON (${(e as Error).message}); the body starts ${quote(outcome.text)}`, 'The server must answer JSON; check the path and that base_url points at the API, not a web page.');
        }
      }
      if (outcome.kind === 'ignored') {
        this.opts.log?.('info', `${ctx.stream}: ${shown} answered ${outcome.status}; ignored as an empty page (ignore_status)`);
        return { body: IGNORED, url: shown, headers: {} };
      }
      if (outcome.kind === 'rate_limited') {
        rateLimited += 1;
        attempt -= 1; // a 429 is the server pacing us, not a failure of this request
        if (outcome.waitS > retry.max_retry_after_s || rateLimited > MAX_RATE_LIMITED) {
          throw this.error(ctx, `GET ${shown} is rate limited (429) and asks to wait ${outcome.waitS} s`, `Lower source.defaults.rate_limit or raise retry.max_retry_after_s (now ${retry.max_retry_after_s} s).`);
        }
        this.note(ctx, `429 from ${shown}; waiting ${outcome.waitS} s (Retry-After)`);
        await sleep(outcome.waitS * 1000);
        continue;
      }
      if (outcome.kind === 'fatal') throw this.error(ctx, outcome.message, outcome.hint);
      // retryable: network error, timeout or 5xx
      if (attempt >= retry.max_attempts) {
        throw this.error(ctx, `GET ${shown} failed ${attempt} time${attempt === 1 ? '' : 's'}; last: ${outcome.message}`, outcome.hint);
      }
      const delay = backoff(attempt, retry);
      this.note(ctx, `${outcome.message} from ${shown}; retry ${attempt}/${retry.max_attempts - 1} in ${delay} ms`);
      await sleep(delay);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async once(url: URL, shown: string, ctx: RequestContext): Promise<Outcome> {
    const started = performance.now();
    this.totalRequests += 1;
    ctx.stats.requests += 1;
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      const res = await this.pool.request({
        path: url.pathname + url.search,
        method: 'GET',
        headers: { accept: 'application/json', ...this.opts.headers, ...ctx.headers },
        signal,
      });
      const text = await res.body.text();
      const ms = Math.round(performance.now() - started);
      this.opts.log?.('debug', `GET ${shown} ${res.statusCode} ${ms} ms`);
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { kind: 'ok', status, text, headers: res.headers };
      if (ctx.ignoreStatus?.includes(status)) return { kind: 'ignored', status };
      if (status === 429) return { kind: 'rate_limited', waitS: retryAfter(res.headers['retry-after']) };
      const answer = `${status} ${reason(status)}: ${quote(text)}`;
      if (status >= 500 || status === 408) return { kind: 'retry', message: `answered ${answer}`, hint: 'The server keeps failing; try again later or lower concurrency.' };
      if (status === 401 || status === 403) {
        return { kind: 'fatal', message: `GET ${shown} answered ${answer}`, hint: this.opts.authHint ?? 'Check the credentials in source.auth.' };
      }
      if (status === 404) {
        return { kind: 'fatal', message: `GET ${shown} answered ${answer}`, hint: `Check the stream's path in extract.yml and the base URL (${this.display(this.base)}).` };
      }
      return { kind: 'fatal', message: `GET ${shown} answered ${answer}`, hint: 'Check the stream\'s params in extract.yml.' };
    } catch (e) {
      const ms = Math.round(performance.now() - started);
      if (signal.aborted) {
        this.opts.log?.('debug', `GET ${shown} timed out ${ms} ms`);
        return { kind: 'retry', message: `timed out after ${this.opts.timeoutMs} ms`, hint: 'Raise source.defaults.timeout_ms or check the server.' };
      }
      const err = e as Error & { code?: string };
      const why = this.scrub(`${err.code ? `${err.code} ` : ''}${err.message}`);
      this.opts.log?.('debug', `GET ${shown} failed ${ms} ms: ${why}`);
      return {
        kind: 'retry',
        message: `could not reach the server (${why})`,
        hint: 'Is the server running? Check base_url in extract.yml, --url or TSDBT_EXTRACT_URL.',
      };
    }
  }

  private note(ctx: RequestContext, msg: string): void {
    ctx.stats.retries += 1;
    ctx.onRetry?.(msg);
    this.opts.log?.('info', `${ctx.stream}: ${msg}`);
  }

  private error(ctx: RequestContext, message: string, hint?: string): TsdbtError {
    return new TsdbtError('EXTRACT_HTTP', this.scrub(`stream '${ctx.stream}': ${message}`), {
      file: ctx.file,
      line: ctx.line,
      hint,
      detail: { stream: ctx.stream },
    });
  }

  /** A URL as printed: no user/password, secret-looking query values masked. */
  display(url: URL): string {
    const u = new URL(url.href);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) {
      if (/key|token|secret|password/i.test(k)) u.searchParams.set(k, '***');
    }
    return this.scrub(u.href);
  }

  private scrub(text: string): string {
    let out = text;
    for (const s of this.opts.secrets ?? []) if (s.length >= 3) out = out.split(s).join('***');
    return out;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.opts.concurrency) {
      this.active += 1;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

type Outcome =
  | { kind: 'ok'; status: number; text: string; headers: Record<string, string | string[] | undefined> }
  | { kind: 'ignored'; status: number }
  | { kind: 'rate_limited'; waitS: number }
  | { kind: 'retry'; message: string; hint: string }
  | { kind: 'fatal'; message: string; hint: string };

function backoff(attempt: number, retry: RetryConfig): number {
  const exp = Math.min(retry.max_delay_ms, retry.base_delay_ms * 2 ** (attempt - 1));
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}

/** Retry-After in seconds: a number, or an HTTP date; missing or unreadable means 1 s. */
function retryAfter(h: string | string[] | undefined): number {
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined) return 1;
  const n = Number(v);
  if (Number.isFinite(n) && n >= 0) return n;
  const t = Date.parse(v);
  return Number.isNaN(t) ? 1 : Math.max(0, Math.ceil((t - Date.now()) / 1000));
}

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > 120 ? `${one.slice(0, 120)}…` : one);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function reason(status: number): string {
  return REASONS[status] ?? 'HTTP error';
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
