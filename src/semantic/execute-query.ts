import type { Connection, ResultColumn } from '../adapters/base/connection.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledQuery } from './compile-query.js';

/**
 * Runs compiled semantic SQL through an adapter connection with its binds
 * and a timeout. Past the timeout the statement is cancelled (the
 * connection stays usable for the next query) and QUERY_TIMEOUT is thrown.
 * An AbortSignal cancels the same way (a job the client gave up on).
 */
export interface ExecuteOptions {
  /** Milliseconds; default 30 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface QueryRows {
  columns: ResultColumn[];
  rows: unknown[][];
  /** Wall time of the statement, in milliseconds. */
  elapsedMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export async function executeCompiled(connection: Connection, compiled: CompiledQuery, opts: ExecuteOptions = {}): Promise<QueryRows> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  let reason: 'timeout' | 'aborted' | null = null;
  const cancel = (why: 'timeout' | 'aborted') => { if (reason) return; reason = why; void connection.cancel().catch(() => {}); };
  const timer = setTimeout(() => cancel('timeout'), timeoutMs);
  const onAbort = () => cancel('aborted');
  opts.signal?.addEventListener('abort', onAbort);
  try {
    if (opts.signal?.aborted) cancel('aborted');
    const result = await connection.execute(compiled.sql, compiled.binds);
    if (reason) throw new Error('cancelled');
    return { columns: result.columns, rows: result.rows, elapsedMs: performance.now() - started };
  } catch (e) {
    if (reason === 'timeout') throw new TsdbtError('QUERY_TIMEOUT', `the query ran past its ${timeoutMs} ms timeout and was cancelled`, { hint: 'Narrow the query (a time range, fewer group-bys) or raise the timeout.' });
    if (reason === 'aborted') throw new TsdbtError('QUERY_TIMEOUT', 'the query was cancelled', { detail: { cancelled: true } });
    throw e;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
