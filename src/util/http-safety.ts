import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Safe request handling shared by tsdbt's HTTP servers (`tsdbt sim`,
 * `tsdbt docs serve`, and any later server): a malformed request or a
 * handler's error never takes the process down.
 *
 * - `safeHandler` wraps a (sync or async) handler: a thrown error or a
 *   rejected promise becomes a 500 (or, when the headers are already out,
 *   the connection is closed), reported to `onError` instead of crashing.
 * - `decodeRequestPath` decodes the URL path, or gives undefined for a
 *   malformed percent-escape (answer 400 with `sendBadRequest`).
 * - `resolveUnder` maps a decoded path to a file inside a root folder, or
 *   undefined for anything that would leave it (`..`, absolute paths, NUL).
 */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export const DEFAULT_HOST = '127.0.0.1';

export function safeHandler(handle: RequestHandler, onError: (e: unknown) => void = () => {}): (req: IncomingMessage, res: ServerResponse) => void {
  const fail = (res: ServerResponse, e: unknown): void => {
    try {
      onError(e);
    } catch {
      // A failing reporter must not turn a handled error into a crash.
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = 'Internal Server Error\n';
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  return (req, res) => {
    try {
      const done = handle(req, res);
      if (done instanceof Promise) done.catch((e: unknown) => fail(res, e));
    } catch (e) {
      fail(res, e);
    }
  };
}

/** The request's path, percent-decoded; undefined when the URL is malformed (`/%E0%A4%A`). */
export function decodeRequestPath(rawUrl: string | undefined): string | undefined {
  const path = (rawUrl ?? '/').split('?')[0]!.split('#')[0]!;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

export function sendBadRequest(res: ServerResponse, why = 'Bad Request'): void {
  const text = `${why}\n`;
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** `root`/`path` when it stays inside `root` (a decoded path; `/` and `\` both separate), else undefined. */
export function resolveUnder(root: string, path: string): string | undefined {
  if (path.includes('\0')) return undefined;
  const base = resolve(root);
  const parts = path.split(/[/\\]+/).filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  const file = resolve(base, ...parts);
  const rel = relative(base, file);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return file;
}
