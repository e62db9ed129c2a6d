import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TestServer {
  url: string;
  /** Path + query of every request, in arrival order. */
  requests: string[];
  /** Authorization header of every request. */
  auth: (string | undefined)[];
  close(): Promise<void>;
}

export type Handler = (url: URL, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A node:http server on 127.0.0.1 answering with `handler`; closed by the test. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  const auth: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    auth.push(req.headers.authorization);
    Promise.resolve(handler(url, req, res)).catch((e) => {
      res.statusCode = 599;
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    auth,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A temp project dir holding `files` (path → contents). */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-extract-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Fast retries so failure tests finish quickly. */
export const FAST_SOURCE = `
source:
  base_url: http://127.0.0.1:9
  defaults:
    timeout_ms: 2000
    concurrency: 2
    retry: { max_attempts: 3, base_delay_ms: 5, max_delay_ms: 20 }
`;

/** A helper stream of team members at /members (an array of `{email}`), for `page_by`; not landed. */
export const MEMBERS_STREAM = `
  - name: members
    path: /members
    records: $
    pagination: { type: none }
    primary_key: email
    land: false`;

/** Ranges of `n` records `{id, name}` from `from`. */
export function items(from: number, n: number): { id: number; name: string }[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => ({ id: from + i, name: `r${from + i}` }));
}
