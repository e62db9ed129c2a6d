import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDocsServer } from '../../src/cli/commands/docs.js';
import { resolveUnder, safeHandler } from '../../src/util/http-safety.js';
import { rawGet as get } from '../support/raw-get.js';

const portOf = (s: Server) => (s.address() as AddressInfo).port;

describe('tsdbt docs serve', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsdbt-docs-serve-'));
  const target = join(root, 'target');
  let server: Server;
  let port: number;
  const errors: unknown[] = [];

  beforeAll(async () => {
    mkdirSync(target);
    mkdirSync(join(root, 'target2'));
    writeFileSync(join(target, 'index.html'), '<html>docs</html>');
    writeFileSync(join(target, 'manifest.json'), '{"ok":true}');
    mkdirSync(join(target, 'assets'));
    writeFileSync(join(target, 'assets', 'flow.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(target, 'assets', 'notes.txt'), 'not served');
    writeFileSync(join(root, 'target2', 'secret.json'), '{"secret":1}');
    writeFileSync(join(root, 'secret.json'), '{"secret":2}');
    server = await startDocsServer(target, 0, (e) => errors.push(e));
    port = portOf(server);
  });
  afterAll(() => {
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 and serves the site', async () => {
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(await get(port, '/')).toEqual({ status: 200, body: '<html>docs</html>' });
    expect(await get(port, '/manifest.json?x=1')).toEqual({ status: 200, body: '{"ok":true}' });
  });

  it("serves an asset-paths folder's images with their types, and nothing else in it", async () => {
    const svg = await fetch(`http://127.0.0.1:${port}/assets/flow.svg`);
    expect([svg.status, svg.headers.get('content-type'), await svg.text()]).toEqual([200, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>']);
    expect((await get(port, '/assets/notes.txt')).status).toBe(404);
  });

  it('answers a malformed URL with 400 and stays up', async () => {
    expect((await get(port, '/%E0%A4%A')).status).toBe(400);
    expect((await get(port, '/%')).status).toBe(400);
    expect((await get(port, '/')).status).toBe(200);
  });

  it('refuses path traversal, encoded or not', async () => {
    for (const path of ['/../secret.json', '/%2e%2e/secret.json', '/..%2fsecret.json', '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '/..%5csecret.json', '/%2e%2e/target2/secret.json', '/../target2/secret.json', '/%00index.html', '//etc/passwd', '/index.html%00.json']) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('secret');
    }
  });

  it('keeps answering under a bounded load (1,000 requests, 20 at a time) with flat memory', async () => {
    const paths = ['/', '/manifest.json', '/%E0%A4%A', '/%2e%2e/secret.json', '/nope.html'];
    const want = [200, 200, 400, 404, 404];
    const round = async (n: number) => {
      let bad = 0;
      for (let i = 0; i < n; i += 20) {
        const batch = await Promise.all(Array.from({ length: 20 }, (_, k) => get(port, paths[(i + k) % paths.length]!).then((r) => ({ r, k: (i + k) % paths.length }))));
        bad += batch.filter(({ r, k }) => r.status !== want[k]).length;
      }
      return bad;
    };
    expect(await round(200)).toBe(0); // warm-up
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    expect(await round(1000)).toBe(0);
    global.gc?.();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(30 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(errors).toEqual([]);
  });
});

describe('safeHandler', () => {
  it('turns a thrown error, a rejected promise and an error after the headers into a 500 or a closed socket, and the server stays up', async () => {
    const seen: string[] = [];
    const server = createServer(
      safeHandler(async (req, res) => {
        if (req.url === '/throw') throw new Error('boom');
        if (req.url === '/reject') return Promise.reject(new Error('later'));
        if (req.url === '/late') {
          res.writeHead(200);
          res.write('partial');
          throw new Error('after headers');
        }
        res.end('fine');
      }, (e) => seen.push((e as Error).message)),
    );
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = portOf(server);
    expect(await get(port, '/throw')).toEqual({ status: 500, body: 'Internal Server Error\n' });
    expect(await get(port, '/reject')).toEqual({ status: 500, body: 'Internal Server Error\n' });
    expect(await get(port, '/late')).toMatchObject({ status: 200, body: 'partial' });
    expect(await get(port, '/')).toEqual({ status: 200, body: 'fine' });
    expect(seen).toEqual(['boom', 'later', 'after headers']);
    server.close();
  });

  it('resolveUnder keeps paths inside the root', () => {
    expect(resolveUnder('/srv/t', '/a/b.json')).toBe('/srv/t/a/b.json');
    expect(resolveUnder('/srv/t', '../t2/x')).toBeUndefined();
    expect(resolveUnder('/srv/t', 'a\\..\\..\\x')).toBeUndefined();
    expect(resolveUnder('/srv/t', 'a\0b')).toBeUndefined();
  });
});
