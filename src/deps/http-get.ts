import { fetch, type Response } from 'undici';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { scrubSecrets } from './secrets.js';

/** Attempts per request; dbt retries flaky hub/GitHub downloads too. */
const ATTEMPTS = 3;
const TIMEOUT_MS = 30_000;

/**
 * GET `url`, retrying network errors and 5xx responses with a short backoff.
 * Returns the final response whatever its status (callers decide what a 404
 * means); throws PACKAGE_ERROR only when no response arrived at all.
 */
export async function httpGet(url: string, what: string): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (res.status < 500 || attempt === ATTEMPTS) return res;
      await res.body?.cancel();
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
  const reason = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
  throw new TsdbtError('PACKAGE_ERROR', scrubSecrets(`Could not download ${what} from ${url}: ${reason}`), {
    hint: 'Check the URL and your network connection (or proxy settings), then run deps again.',
  });
}
