import { Pool, type Dispatcher } from 'undici';
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
  /** Largest body read; a bigger answer is an error (default 64 MiB). */
  maxBodyBytes: number;
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
  /** Time spent waiting for the rate limit (client bucket or a 429's pause), ms. */
  waitMs?: number;
}

/** Who is asking: used in error messages and to count requests per stream. */
export interface RequestContext {
  stream: string;
  stats: RequestStats;
  file?: string;
  line?: number;
  /** Called before each retry with what went wrong (for progress lines). */
  onRetry?: (why: string) => void;
  /** Called when a request waits for the rate limit (the client's bucket or a 429 pause). */
  onWait?: (ms: number, why: string) => void;
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
  /** When the current run of unreachable/timed-out requests began (null: the last request got an answer). */
  private downSince: number | null = null;
  /** Set once the server is judged gone: every request after that fails at once with this. */
  private gone: { message: string; hint: string } | null = null;
  /** No request is sent before this time (a 429's Retry-After, shared by every worker). */
  private pausedUntil = 0;
  private readonly sleepers = new Set<() => void>();
  private readonly inFlight = new Set<AbortController>();
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
        this.throwIfGone(ctx);
        if (this.bucket) {
          const waited = await this.bucket.take();
          if (waited > 0) this.waited(ctx, waited, 'client rate limit');
        }
        await this.pausedGate(ctx);
        this.throwIfGone(ctx);
        outcome = await this.once(url, shown, ctx);
      } finally {
        this.release();
      }
      if (outcome.kind !== 'retry' || outcome.unreachable !== true) this.downSince = null;
      if (outcome.kind === 'ok') {
        try {
          return { body: JSON.parse(outcome.text), url: shown, headers: outcome.headers };
        } catch (e) {
          throw this.error(ctx, `GET ${shown} answered ${outcome.status} with malformed JSON (${(e as Error).message}); the body starts ${quote(outcome.text)}`, notJsonHint(outcome));
        }
      }
      if (outcome.kind === 'ignored') {
        this.opts.log?.('info', `${ctx.stream}: ${shown} answered ${outcome.status}; ignored as an empty page (ignore_status)`);
        return { body: IGNORED, url: shown, headers: {} };
      }
      if (outcome.kind === 'rate_limited') {
        if (outcome.waitS === undefined) {
          // No Retry-After: back off like a failure, bounded by max_attempts, and pause every worker.
          if (attempt >= retry.max_attempts) {
            throw this.error(ctx, `GET ${shown} was rate limited (429 without Retry-After) ${attempt} time${attempt === 1 ? '' : 's'}; giving up`, `The server gives no Retry-After; lower source.defaults.rate_limit or concurrency, or raise retry.max_attempts (now ${retry.max_attempts}).`);
          }
          const delay = backoff(attempt, retry);
          this.pause(delay);
          this.note(ctx, `429 without Retry-After from ${shown}; every request waits ${delay} ms (try ${attempt}/${retry.max_attempts - 1})`);
          continue;
        }
        rateLimited += 1;
        attempt -= 1; // a 429 is the server pacing us, not a failure of this request
        if (outcome.waitS > retry.max_retry_after_s || rateLimited > MAX_RATE_LIMITED) {
          throw this.error(ctx, `GET ${shown} is rate limited (429) and asks to wait ${outcome.waitS} s`, `Lower source.defaults.rate_limit or raise retry.max_retry_after_s (now ${retry.max_retry_after_s} s).`);
        }
        // One gate for the whole client: every worker waits out the same pause, then goes on.
        this.pause(outcome.waitS * 1000);
        this.note(ctx, `429 from ${shown}; every request waits ${outcome.waitS} s (Retry-After)`);
        continue;
      }
      if (outcome.kind === 'fatal') throw this.error(ctx, outcome.message, outcome.hint);
      // retryable: network error, timeout or 5xx
      if (outcome.unreachable) {
        this.throwIfGone(ctx);
        const now = Date.now();
        this.downSince ??= now;
        const left = this.downSince + retry.give_up_after_s * 1000 - now;
        if (attempt >= retry.max_attempts || left <= 0) {
          // The server is gone: every queued and future request of this run fails at once with this message.
          const message = `GET ${shown} failed ${attempt} time${attempt === 1 ? "" : "s"}; last: ${outcome.message}`;
          this.gone = { message, hint: outcome.hint };
          this.wakeAll();
          throw this.error(ctx, message, outcome.hint);
        }
        const delay = Math.min(backoff(attempt, retry), left);
        this.note(ctx, `${outcome.message} from ${shown}; retry ${attempt}/${retry.max_attempts - 1} in ${delay} ms`);
        await this.sleepUnlessGone(delay);
        continue;
      }
      if (attempt >= retry.max_attempts) {
        throw this.error(ctx, `GET ${shown} failed ${attempt} time${attempt === 1 ? '' : 's'}; last: ${outcome.message}`, outcome.hint);
      }
      const delay = backoff(attempt, retry);
      this.note(ctx, `${outcome.message} from ${shown}; retry ${attempt}/${retry.max_attempts - 1} in ${delay} ms`);
      await this.sleepUnlessGone(delay);
    }
  }

  /** Requests stop being sent until `ms` from now (the longest pause asked for wins). */
  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** Wait while a 429 pause is on; the wait is reported once per pause per stream. */
  private async pausedGate(ctx: RequestContext): Promise<void> {
    let reported = false;
    for (let left = this.pausedUntil - Date.now(); left > 0 && !this.gone; left = this.pausedUntil - Date.now()) {
      if (!reported) this.waited(ctx, left, 'server rate limit (429)');
      reported = true;
      await this.sleepUnlessGone(left);
    }
  }

  private waited(ctx: RequestContext, ms: number, why: string): void {
    ctx.stats.waitMs = (ctx.stats.waitMs ?? 0) + ms;
    ctx.onWait?.(ms, why);
  }

  private throwIfGone(ctx: RequestContext): void {
    if (this.gone) throw this.error(ctx, `the server is unreachable; gave up (${this.gone.message})`, this.gone.hint);
  }

  /** Sleep `ms`, or less when the server is judged gone meanwhile. */
  private sleepUnlessGone(ms: number): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((r) => {
      const done = () => {
        clearTimeout(t);
        this.sleepers.delete(done);
        r();
      };
      const t = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    for (const c of this.inFlight) c.abort();
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async once(url: URL, shown: string, ctx: RequestContext): Promise<Outcome> {
    const started = performance.now();
    this.totalRequests += 1;
    ctx.stats.requests += 1;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const gone = new AbortController();
    this.inFlight.add(gone);
    const signal = AbortSignal.any([timeout, gone.signal]);
    try {
      const res = await this.pool.request({
        path: url.pathname + url.search,
        method: 'GET',
        headers: { accept: 'application/json', ...this.opts.headers, ...ctx.headers },
        signal,
      });
      const status = res.statusCode;
      const text = await readCapped(res.body, res.headers['content-length'], this.opts.maxBodyBytes);
      const ms = Math.round(performance.now() - started);
      if (text === TOO_BIG) {
        this.opts.log?.('debug', `GET ${shown} ${status} ${ms} ms: body over ${this.opts.maxBodyBytes} bytes`);
        return {
          kind: 'fatal',
          message: `GET ${shown} answered ${status} with a body over ${formatBytes(this.opts.maxBodyBytes)} (source.defaults.max_body_bytes); it was not read`,
          hint: 'Ask for smaller pages (page_size), or raise source.defaults.max_body_bytes if the server really sends pages this big.',
        };
      }
      this.opts.log?.('debug', `GET ${shown} ${status} ${ms} ms`);
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
      if (timeout.aborted) {
        this.opts.log?.('debug', `GET ${shown} timed out ${ms} ms`);
        return { kind: 'retry', unreachable: true, message: `timed out after ${this.opts.timeoutMs} ms`, hint: 'Raise source.defaults.timeout_ms or check the server.' };
      }
      const err = e as Error & { code?: string };
      const why = this.scrub(`${err.code ? `${err.code} ` : ''}${err.message}`);
      this.opts.log?.('debug', `GET ${shown} failed ${ms} ms: ${why}`);
      return {
        kind: 'retry',
        unreachable: true,
        message: `could not reach the server (${why})`,
        hint: 'Is the server running? Check base_url in extract.yml, --url or TSDBT_EXTRACT_URL.',
      };
    } finally {
      this.inFlight.delete(gone);
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
  | { kind: 'rate_limited'; waitS: number | undefined }
  | { kind: 'retry'; message: string; hint: string; unreachable?: boolean }
  | { kind: 'fatal'; message: string; hint: string };

function backoff(attempt: number, retry: RetryConfig): number {
  const exp = Math.min(retry.max_delay_ms, retry.base_delay_ms * 2 ** (attempt - 1));
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}

/** Retry-After in seconds: a number, or an HTTP date; missing or unreadable is undefined (the client backs off). */
function retryAfter(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (Number.isFinite(n) && n >= 0) return n;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - Date.now()) / 1000));
}

const TOO_BIG: unique symbol = Symbol('body over the cap');

/**
 * The body as text, read chunk by chunk and abandoned (the connection
 * destroyed) as soon as it passes `cap` bytes: a huge answer never sits whole in memory.
 */
async function readCapped(body: Dispatcher.ResponseData['body'], length: string | string[] | undefined, cap: number): Promise<string | typeof TOO_BIG> {
  const declared = Number(Array.isArray(length) ? length[0] : length);
  if (Number.isFinite(declared) && declared > cap) {
    body.destroy();
    return TOO_BIG;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > cap) {
      body.destroy();
      return TOO_BIG;
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

/** What to check when a 2xx body is not JSON: an HTML page means the URL points at a web site; a cut body, a broken connection. */
function notJsonHint(o: { text: string; headers: Record<string, string | string[] | undefined> }): string {
  const type = String(o.headers['content-type'] ?? '');
  if (/html/i.test(type) || /^\s*</.test(o.text)) return 'The server answered an HTML page, not JSON: check the path and that base_url points at the API, not a web site or a proxy\'s login page.';
  if (/^\s*[[{]/.test(o.text)) return 'The JSON is cut short or broken (a dropped connection or a server error mid-answer); run again, and check the server if it repeats.';
  return 'The server must answer JSON; check the path and that base_url points at the API.';
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
