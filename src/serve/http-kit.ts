import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeRequestPath } from '../util/http-safety.js';
import { ApiError } from './api-error.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The request's path and query; a malformed URI or percent-encoding is a 400, never a thrown URIError. */
export function parseRequestUrl(req: IncomingMessage): { path: string; query: URLSearchParams } {
  const path = decodeRequestPath(req.url);
  if (path === undefined) throw new ApiError(400, 'BAD_REQUEST', 'The request URI is malformed.');
  const q = (req.url ?? '').indexOf('?');
  return { path, query: new URLSearchParams(q < 0 ? '' : (req.url ?? '').slice(q + 1).split('#')[0]) };
}

/** The body as JSON, at most MAX_BODY_BYTES; 413 past it, 400 for malformed JSON or a wrong content type. */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new ApiError(413, 'BODY_TOO_LARGE', `The body is ${declared} bytes; the limit is ${maxBytes}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw new ApiError(413, 'BODY_TOO_LARGE', `The body is over the limit of ${maxBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'BODY_MISSING', 'The request needs a JSON body.');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'BAD_JSON', `The body is not valid JSON: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** Rows as CSV (RFC 4180 quoting), header first. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
