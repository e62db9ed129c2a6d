/**
 * The bundled cursor-sim: a deterministic HTTP server on 127.0.0.1 that
 * behaves as /work/shared/cursor-api.md describes the real one (auth, the
 * global token bucket, error shapes per path family, quirky orderings).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { buildIndex } from './dataset-index.js';
import { generateDataset } from './generate-dataset.js';
import type { HandlerContext } from './handler-context.js';
import { handleCommits, handleTeamMembers } from './handlers-cursor.js';
import {
  handleAnalyticsPrs, handleAnalyticsReviews, handlePull, handleRepo, handlePullReviews, handlePulls, handleRepos,
} from './handlers-github.js';
import { decodeRequestPath, safeHandler } from '../util/http-safety.js';
import { sendError, sendJson, sendNotFoundText } from './http-responses.js';
import { Prng } from './prng.js';
import { TokenBucket, type RateLimitOptions } from './token-bucket.js';
import type { SimDataset } from './types.js';

export interface SimOptions {
  /** PRNG seed for the data (default 1). */
  seed?: number;
  /** Team size (default 2). */
  developers?: number;
  /** Days of history before `now` (default 90). */
  days?: number;
  /** The server's clock for data generation and relative dates (default: the current time, whole seconds). */
  now?: Date;
  /** The Basic-auth username clients must send (default `cursor-sim-dev-key`). */
  apiKey?: string;
  /** Server-wide token bucket (default 100 capacity, 100/min); `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
}

export interface RunningSim {
  /** e.g. `http://127.0.0.1:53122` (no trailing slash). */
  url: string;
  close(): Promise<void>;
  /** The records served, so tests can compare what a client fetched. */
  data: SimDataset;
  /** Requests received so far, including the ones answered 401/404/429. */
  readonly requestCount: number;
}

export const DEFAULT_API_KEY = 'cursor-sim-dev-key';

function validate(opts: SimOptions): void {
  const intIn = (name: keyof SimOptions, value: unknown, min: number, max: number): void => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new TsdbtError('SIM_CONFIG', `Simulator option ${name} = ${JSON.stringify(value)} is not an integer from ${min} to ${max}.`, {
        hint: `Pass ${name} as a whole number between ${min} and ${max}, or leave it out for the default.`,
      });
    }
  };
  intIn('developers', opts.developers, 1, 1000);
  intIn('days', opts.days, 1, 3650);
  intIn('port', opts.port, 0, 65535);
  intIn('seed', opts.seed, -(2 ** 31), 2 ** 32);
  if (opts.now !== undefined && !(opts.now instanceof Date && !Number.isNaN(opts.now.getTime()))) {
    throw new TsdbtError('SIM_CONFIG', `Simulator option now = ${String(opts.now)} is not a valid Date.`, {
      hint: "Pass a Date, e.g. new Date('2026-06-01T12:00:00Z').",
    });
  }
  const rl = opts.rateLimit;
  if (rl !== undefined && rl !== false && !(rl.capacity >= 1 && rl.perMinute > 0)) {
    throw new TsdbtError('SIM_CONFIG', `Simulator option rateLimit = ${JSON.stringify(rl)} needs capacity >= 1 and perMinute > 0.`, {
      hint: 'Use e.g. { capacity: 100, perMinute: 100 }, or false to turn rate limiting off.',
    });
  }
  if (opts.apiKey !== undefined && (opts.apiKey === '' || opts.apiKey.includes(':'))) {
    throw new TsdbtError('SIM_CONFIG', 'Simulator option apiKey must be a non-empty string without ":".', {
      hint: 'The key is sent as the Basic-auth username, which cannot contain a colon.',
    });
  }
}

/** Basic auth: the username is the key; the password is ignored. `undefined` when no usable header was sent. */
function basicUser(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(0, colon);
}

function route(ctx: HandlerContext, path: string, params: URLSearchParams, res: ServerResponse): void {
  if (path === '/analytics/ai-code/commits') return handleCommits(ctx, params, res);
  if (path === '/analytics/github/prs') return handleAnalyticsPrs(ctx, params, res);
  if (path === '/analytics/github/reviews') return handleAnalyticsReviews(ctx, params, res);
  if (path === '/teams/members') return handleTeamMembers(ctx, res);
  if (path === '/repos') return handleRepos(ctx, res);
  const repoOnly = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
  if (repoOnly) return handleRepo(ctx, `${decodeURIComponent(repoOnly[1]!)}/${decodeURIComponent(repoOnly[2]!)}`, res);
  const m = /^\/repos\/([^/]+)\/([^/]+)\/pulls(?:\/([^/]+)(\/reviews)?)?$/.exec(path);
  if (m) {
    const repo = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
    if (m[3] === undefined) return handlePulls(ctx, repo, params, res);
    if (m[4] === undefined) return handlePull(ctx, repo, m[3], res);
    return handlePullReviews(ctx, repo, m[3], res);
  }
  sendNotFoundText(res);
}

/** Generate the dataset for `opts` and serve it until `close()`. */
export async function startSimulator(opts: SimOptions = {}): Promise<RunningSim> {
  validate(opts);
  const seed = opts.seed ?? 1;
  const now = opts.now ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const data = generateDataset({ seed, developers: opts.developers ?? 2, days: opts.days ?? 90, now });
  const ctx: HandlerContext = { data, index: buildIndex(data), nowMs: now.getTime(), orderRng: new Prng(seed ^ 0x2c1b3c6d) };
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const bucket = opts.rateLimit === false ? undefined : new TokenBucket(opts.rateLimit ?? { capacity: 100, perMinute: 100 });
  let requestCount = 0;

  const server = createServer(
    safeHandler((req, res) => {
      requestCount++;
      // The limit comes first: it applies to every path, /health and unauthenticated requests included.
      const token = bucket?.take();
      if (token && !token.ok) {
        return sendError(res, 429, 'Rate limit exceeded', { 'Retry-After': String(token.retryAfterSeconds) });
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        return sendError(res, 400, 'Bad Request: malformed URL');
      }
      if (decodeRequestPath(url.pathname) === undefined) return sendError(res, 400, 'Bad Request: malformed URL');
      if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
      const user = basicUser(req);
      if (user === undefined) return sendError(res, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic' });
      if (user !== apiKey) return sendError(res, 401, 'Unauthorized');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
        return void res.end('Method Not Allowed\n');
      }
      route(ctx, url.pathname, url.searchParams, res);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new TsdbtError('SIM_CONFIG', `The simulator could not listen on 127.0.0.1:${opts.port ?? 0}: ${e.message}`, {
        hint: 'Pick another port, or pass port 0 for any free one.',
        cause: e,
      })));
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    data,
    get requestCount() {
      return requestCount;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
