import { TsdbtError } from '../../errors/tsdbt-error.js';
import { OpenAiModel } from '../../serve/nl/openai-model.js';
import { SemanticBackend } from '../../serve/semantic-backend.js';
import { startServer } from '../../serve/server.js';
import { globalOptions, type Command } from '../command-context.js';
import { TSDBT_VERSION } from '../../util/tsdbt-version.js';

/** `30s`, `5m`, `1h`, `250ms` or plain seconds → milliseconds. */
export function parseDuration(flag: string, value: unknown, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value).trim());
  if (!m) throw new TsdbtError('USAGE', `${flag} must be a duration like 30s, 5m or 1h, got '${String(value)}'`, { hint: `e.g. ${flag} 30s` });
  const n = Number(m[1]);
  return Math.round(n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2] ?? 's']!);
}

function positiveInt(flag: string, value: unknown, fallback: number, max = 65535): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new TsdbtError('USAGE', `${flag} must be a whole number from 0 to ${max}, got '${String(value)}'`, { hint: `e.g. ${flag} 8580` });
  return n;
}

/**
 * `tsdbt serve`: the project's semantic layer over HTTP on 127.0.0.1 (unless
 * --host says otherwise), with a bearer token from TSDBT_SERVE_TOKEN, until
 * interrupted.
 */
export const serveCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  const token = ctx.env.TSDBT_SERVE_TOKEN;
  if (!token) throw new TsdbtError('USAGE', 'tsdbt serve needs a bearer token in TSDBT_SERVE_TOKEN', { hint: 'e.g. TSDBT_SERVE_TOKEN=$(openssl rand -hex 16) tsdbt serve; clients send `Authorization: Bearer <token>`.' });
  const backend = await SemanticBackend.open(globalOptions(ctx));
  const server = await startServer({
    backend,
    token,
    host: (f.host as string | undefined) ?? '127.0.0.1',
    port: positiveInt('--port', f.port, 8580),
    concurrency: Math.max(1, positiveInt('--concurrency', f.concurrency, 4, 64)),
    cacheTtlMs: parseDuration('--cache-ttl', f.cacheTtl, 5 * 60_000),
    timeoutMs: parseDuration('--timeout', f.timeout, 30_000),
    version: TSDBT_VERSION,
    model: OpenAiModel.fromEnv(ctx.env),
    log: (line) => ctx.out.debug(line),
  });
  ctx.out.info(`tsdbt serve on ${server.url} (target '${backend.target()}', ${backend.catalog().metrics.length} metrics); the page is ${server.url}/?access_token=<token>. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await backend.close();
  ctx.out.info('tsdbt serve stopped.');
  return 0;
};
