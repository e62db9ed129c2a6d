/**
 * Response writers matching the real (Go) server byte for byte where it
 * matters to a client: JSON bodies end with a newline (Go's json.Encoder),
 * unknown paths get net/http's plain-text 404.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendNotFoundText(res: ServerResponse): void {
  const text = '404 page not found\n';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** `/analytics/*`, `/teams/*` and middleware errors: `{"error": "..."}`. */
export function sendError(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error }, headers);
}

/** GitHub-style `/repos/*` errors: `{"message": "..."}`. */
export function sendMessage(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { message });
}

/** A positive integer query parameter: the default when absent, NaN when present but not a positive integer. */
export function positiveInt(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : Number.NaN;
}

export function slicePage<T>(items: readonly T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size);
}
