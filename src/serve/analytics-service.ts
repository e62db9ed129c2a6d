import { ApiError } from './api-error.js';
import { isSemanticQueryBody, translateSemanticBody, translateSpec, type AnalyticsSpec, type LimitRange, type SemanticQueryBody } from './analytics-spec.js';
import { QueryInvalid, type CompiledQuery, type QueryBackend, type QueryResult, type SemanticQuery } from './backend.js';
import { canonicalJson, sha256 } from './canonical-json.js';
import { JobManager, type JobView } from './job-manager.js';
import { LruCache } from './lru-cache.js';

export const QUERY_LIMITS: LimitRange = { min: 1, max: 1000 };
export const JOB_LIMITS: LimitRange = { min: 1, max: 100_000 };

export interface ServiceOptions {
  concurrency: number;
  cacheTtlMs: number;
  timeoutMs: number;
  cacheEntries?: number;
  isTransient?: (e: unknown) => boolean;
  now?: () => number;
}

export interface PreparedQuery {
  query: SemanticQuery;
  compiled: CompiledQuery;
  key: string;
}

/**
 * The server's core, free of HTTP: request bodies → validated semantic
 * queries → compiled SQL, answered from the cache or the database, inline or
 * as jobs. The cache key is the canonical query, the semantic manifest's
 * hash, the target and the data version of the models read.
 */
export class AnalyticsService {
  readonly cache: LruCache<QueryResult>;
  readonly jobs: JobManager<PreparedQuery>;

  constructor(readonly backend: QueryBackend, readonly opts: ServiceOptions) {
    this.cache = new LruCache<QueryResult>(opts.cacheEntries ?? 500, opts.cacheTtlMs, opts.now);
    this.jobs = new JobManager<PreparedQuery>({
      concurrency: opts.concurrency,
      timeoutMs: opts.timeoutMs,
      isTransient: opts.isTransient ?? isTransientError,
      now: opts.now,
      run: async (p, signal, progress) => {
        const hit = this.cache.get(p.key);
        if (hit) return hit;
        progress(0.2);
        const result = await this.backend.execute(p.compiled, { timeoutMs: opts.timeoutMs, signal });
        progress(0.9);
        this.cache.set(p.key, result);
        return result;
      },
    });
  }

  /** Validate and compile a request body (the seed's spec or the semantic form); every problem at once as a 400. */
  prepare(body: unknown, limits: LimitRange): PreparedQuery {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'SPEC_INVALID', 'The body must be a JSON object: a query spec.');
    const catalog = this.backend.catalog();
    const semantic = isSemanticQueryBody(body as Record<string, unknown>);
    const { query, issues } = semantic
      ? translateSemanticBody(body as SemanticQueryBody, catalog, limits)
      : translateSpec(body as AnalyticsSpec, catalog, limits);
    if (issues.length > 0) throw new ApiError(400, 'SPEC_INVALID', `The query has ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, issues);
    let compiled: CompiledQuery;
    try {
      compiled = this.backend.compile(query);
    } catch (e) {
      if (e instanceof QueryInvalid) throw new ApiError(400, 'SPEC_INVALID', `The query has ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}.`, e.issues);
      throw e;
    }
    return { query, compiled, key: this.cacheKey(query, compiled) };
  }

  cacheKey(query: SemanticQuery, compiled: CompiledQuery): string {
    return sha256([canonicalJson(query), this.backend.manifestHash(), this.backend.target(), this.backend.dataVersion(compiled.models)].join('\n'));
  }

  /** An interactive query: from the cache, or run now with the timeout. */
  async query(body: unknown, signal?: AbortSignal): Promise<{ result: QueryResult; cached: boolean; prepared: PreparedQuery }> {
    const prepared = this.prepare(body, QUERY_LIMITS);
    const hit = this.cache.get(prepared.key);
    if (hit) return { result: hit, cached: true, prepared };
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new ApiError(504, 'QUERY_TIMEOUT', `The query ran past its timeout of ${this.opts.timeoutMs} ms and was cancelled.`)), this.opts.timeoutMs);
    try {
      const result = await this.backend.execute(prepared.compiled, { timeoutMs: this.opts.timeoutMs, signal: controller.signal });
      this.cache.set(prepared.key, result);
      return { result, cached: false, prepared };
    } catch (e) {
      if (controller.signal.aborted && controller.signal.reason instanceof ApiError) throw controller.signal.reason;
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  submitJob(body: unknown): { job: JobView; reused: boolean } {
    const prepared = this.prepare(body, JOB_LIMITS);
    return this.jobs.submit(prepared.key, prepared, () => this.cache.peek(prepared.key) !== undefined);
  }

  close(): void {
    this.jobs.close();
  }
}

/** Errors worth another attempt: lost connections, busy databases (codes set by the adapters). */
export function isTransientError(e: unknown): boolean {
  const t = (e as { transient?: unknown } | null)?.transient;
  if (t === true) return true;
  const msg = e instanceof Error ? e.message : '';
  return /connection (was )?(reset|lost|closed)|ECONNRESET|could not set lock|Conflict on tuple/i.test(msg);
}
