import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The bearer token check: `Authorization: Bearer <token>`, or `access_token`
 * in the query of a GET (a browser's EventSource cannot send headers).
 * Compared in constant time; the token itself is never logged or echoed.
 */
export function checkToken(req: IncomingMessage, query: URLSearchParams, token: string): void {
  const header = req.headers.authorization;
  let given: string | undefined;
  if (typeof header === 'string' && /^Bearer\s+/i.test(header)) given = header.replace(/^Bearer\s+/i, '').trim();
  else if (req.method === 'GET') given = query.get('access_token') ?? undefined;
  if (given === undefined) throw new ApiError(401, 'UNAUTHORIZED', 'A bearer token is required: send `Authorization: Bearer <TSDBT_SERVE_TOKEN>`.');
  if (!timingSafeEqual(digest(given), digest(token))) throw new ApiError(401, 'UNAUTHORIZED', 'The bearer token is wrong.');
}
