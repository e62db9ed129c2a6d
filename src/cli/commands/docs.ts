import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { decodeRequestPath, DEFAULT_HOST, resolveUnder, safeHandler, sendBadRequest } from '../../util/http-safety.js';
import { loadProjectConfig } from '../../project/project-config.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Command } from '../command-context.js';
import { executionOptions } from './nodes.js';
import { pathUnder } from '../../util/files.js';

/** `tsdbt docs generate` (catalog.json + index.html) and `tsdbt docs serve` (on 127.0.0.1). */
export const docsCommand: Command = async (ctx) => {
  const sub = ctx.argv.positionals[0];
  if (sub === 'generate') {
    const { docsGenerate } = await import('../../api/docs-generate.js');
    const r = await docsGenerate({ ...executionOptions(ctx), noCompile: Boolean(ctx.argv.flags.noCompile), emptyCatalog: Boolean(ctx.argv.flags.emptyCatalog), static: Boolean(ctx.argv.flags.static) });
    for (const e of r.compileErrors) ctx.out.error(e);
    ctx.out.info(`Catalog: ${r.nodesInCatalog} nodes and ${r.sourcesInCatalog} sources found in the database.`);
    ctx.out.info(`Catalog written to ${r.catalogPath}`);
    ctx.out.info(`Docs site written to ${r.indexPath}`);
    if (r.staticIndexPath) ctx.out.info(`Static docs site written to ${r.staticIndexPath}`);
    return r.compileErrors.length > 0 ? 1 : 0;
  }
  if (sub === 'serve') return serve(ctx);
  throw new TsdbtError('USAGE', `Unknown docs subcommand '${sub ?? ''}'`, { hint: 'Use: tsdbt docs generate | tsdbt docs serve [--port 8080]' });
};

/** What the server sends: the site, its JSON, and the images an asset-paths folder holds for the docs' markdown. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/**
 * Serve the docs site in `target` on 127.0.0.1 (port 0: any free one). Only
 * the files of TYPES inside `target`; a malformed URL is a 400, a path
 * leaving the folder a 404, and an error while answering a 500 that leaves
 * the server up.
 */
export async function startDocsServer(target: string, port: number, onError?: (e: unknown) => void): Promise<Server> {
  const server = createServer(
    safeHandler((req, res) => {
      const path = decodeRequestPath(req.url);
      if (path === undefined) return sendBadRequest(res, 'Bad Request: malformed URL');
      const file = resolveUnder(target, path === '/' || path === '' ? 'index.html' : path);
      if (file === undefined || !TYPES[extname(file)] || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)]! });
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    }, onError),
  );
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: Error) =>
      fail(new TsdbtError('USAGE', `docs serve could not listen on ${DEFAULT_HOST}:${port}: ${e.message}`, { hint: 'Pick another --port.' })));
    server.listen(port, DEFAULT_HOST, ok);
  });
  return server;
}

async function serve(ctx: Parameters<Command>[0]): Promise<number> {
  const projectDir = resolve((ctx.argv.flags.projectDir as string | undefined) ?? ctx.cwd);
  const target = pathUnder(projectDir, (ctx.argv.flags.targetPath as string | undefined) ?? loadProjectConfig(projectDir, (t) => t).targetPath);
  if (!existsSync(join(target, 'index.html'))) {
    throw new TsdbtError('USAGE', `No docs in ${target}`, { hint: 'Run `tsdbt docs generate` first.' });
  }
  const port = ctx.argv.flags.port === undefined ? 8080 : Number(ctx.argv.flags.port);
  const server = await startDocsServer(target, port, (e) => ctx.out.error(`docs serve: ${e instanceof Error ? e.message : String(e)}`));
  ctx.out.result(`Serving docs at http://127.0.0.1:${(server.address() as { port: number }).port} (Ctrl-C to stop)`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', () => stop());
    process.once('SIGTERM', () => stop());
  });
  server.close();
  return 0;
}
