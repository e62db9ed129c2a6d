import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api-error.js';
import { AnalyticsService, type ServiceOptions } from './analytics-service.js';
import { checkToken } from './auth.js';
import type { QueryBackend } from './backend.js';
import { parseRequestUrl, sendJson } from './http-kit.js';
import type { LanguageModel } from './nl/language-model.js';
import { findRoute } from './routes.js';

export interface ServeOptions extends Partial<ServiceOptions> {
  backend: QueryBackend;
  /** The bearer token every route but /health needs. */
  token: string;
  host?: string;
  port?: number;
  version?: string;
  model?: LanguageModel;
  /** One line per request: method, path (never the query: it may hold the token), status, ms. */
  log?: (line: string) => void;
  now?: () => number;
  heartbeatMs?: number;
}

export interface RunningServer {
  url: string;
  service: AnalyticsService;
  server: Server;
  close(): Promise<void>;
}

/**
 * `tsdbt serve`'s HTTP server (node:http; see README.md for why no framework).
 * Every request ends in a JSON answer: handler errors are 500s that leave the
 * server up, malformed URIs 400s.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  if (!opts.token) throw new ApiError(500, 'TOKEN_MISSING', 'Set TSDBT_SERVE_TOKEN: every route but /health needs a bearer token.');
  const service = new AnalyticsService(opts.backend, {
    concurrency: opts.concurrency ?? 4,
    cacheTtlMs: opts.cacheTtlMs ?? 5 * 60_000,
    timeoutMs: opts.timeoutMs ?? 30_000,
    cacheEntries: opts.cacheEntries,
    isTransient: opts.isTransient,
    now: opts.now,
  });
  const now = () => new Date((opts.now ?? Date.now)());
  const server = createServer((req, res) => {
    const started = performance.now();
    let path = '?';
    res.on('finish', () => opts.log?.(`${req.method} ${path} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`));
    void (async () => {
      const url = parseRequestUrl(req);
      path = url.path;
      const { route, params } = findRoute(req.method ?? 'GET', url.path);
      if (!route.open) checkToken(req, url.query, opts.token);
      await route.handler({ req, res, params, query: url.query, service, version: opts.version ?? '0', model: opts.model, now, heartbeatMs: opts.heartbeatMs ?? 2000 });
    })().catch((e: unknown) => {
      if (e instanceof ApiError) return sendJson(res, e.status, e.toJSON(), (e as { allow?: string }).allow ? { allow: (e as { allow?: string }).allow! } : {});
      opts.log?.(`error in ${req.method} ${path}: ${e instanceof Error ? e.message : String(e)}`);
      sendJson(res, 500, { error: { code: 'INTERNAL', message: 'The server failed on this request; it is still up. See its log.' } });
    });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8580, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    service,
    server,
    close: () => new Promise<void>((resolve) => {
      service.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
