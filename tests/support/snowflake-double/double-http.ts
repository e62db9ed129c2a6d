/**
 * HTTP plumbing of the Snowflake double: request bodies (gzip or plain JSON),
 * Snowflake's response envelope, bind decoding and key-pair JWT checks.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Snowflake bindings `{ "1": { type, value } }` → positional DuckDB values. */
export function decodeBinds(bindings: Record<string, { type: string; value: unknown }> | undefined): unknown[] {
  if (!bindings) return [];
  return Object.keys(bindings)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => {
      const { type, value } = bindings[k]!;
      if (value === null || value === undefined) return null;
      const text = String(value);
      switch (type) {
        case 'FIXED':
          return Number.isSafeInteger(Number(text)) ? Number(text) : BigInt(text);
        case 'REAL':
          return Number(text);
        case 'BOOLEAN':
          return text.toLowerCase() === 'true' || text === '1';
        default:
          return text;
      }
    });
}

export function ok(res: ServerResponse, data: unknown): void {
  send(res, 200, envelope(data));
}

/** Snowflake's success envelope around a response's data. */
export function envelope(data: unknown): object {
  return { data, code: null, message: null, success: true };
}

export function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  let raw = Buffer.concat(parts);
  if (raw.length === 0) return undefined;
  // the driver gzips request bodies when its compression wins the race with sending
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Check an RS256 JWT's signature against the user's public key and its subject against ACCOUNT.USER. */
export function verifyJwt(token: string, publicKeyPem: string, subject: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
  return signed && claims.sub === subject && (claims.exp ?? 0) > Date.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
