import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { loadProjectConfig } from '../../project/project-config.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Command } from '../command-context.js';
import { executionOptions } from './nodes.js';

/** `tsdbt docs generate` (catalog.json + index.html) and `tsdbt docs serve` (on 127.0.0.1). */
export const docsCommand: Command = async (ctx) => {
  const sub = ctx.argv.positionals[0];
  if (sub === 'generate') {
    const { docsGenerate } = await import('../../api/docs-generate.js');
    const r = await docsGenerate({ ...executionOptions(ctx), noCompile: Boolean(ctx.argv.flags.noCompile) });
    for (const e of r.compileErrors) ctx.out.error(e);
    ctx.out.info(`Catalog: ${r.nodesInCatalog} nodes and ${r.sourcesInCatalog} sources found in the database.`);
    ctx.out.info(`Catalog written to ${r.catalogPath}`);
    ctx.out.info(`Docs site written to ${r.indexPath}`);
    return r.compileErrors.length > 0 ? 1 : 0;
  }
  if (sub === 'serve') return serve(ctx);
  throw new TsdbtError('USAGE', `Unknown docs subcommand '${sub ?? ''}'`, { hint: 'Use: tsdbt docs generate | tsdbt docs serve [--port 8080]' });
};

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

async function serve(ctx: Parameters<Command>[0]): Promise<number> {
  const projectDir = resolve((ctx.argv.flags.projectDir as string | undefined) ?? ctx.cwd);
  const target = join(projectDir, loadProjectConfig(projectDir, (t) => t).targetPath);
  if (!existsSync(join(target, 'index.html'))) {
    throw new TsdbtError('USAGE', `No docs in ${target}`, { hint: 'Run `tsdbt docs generate` first.' });
  }
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^([/\\])+/, '');
    const file = join(target, path === '' ? 'index.html' : path);
    if (!file.startsWith(target) || !existsSync(file) || !TYPES[extname(file)]) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)]! });
    createReadStream(file).pipe(res);
  });
  const port = ctx.argv.flags.port === undefined ? 8080 : Number(ctx.argv.flags.port);
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  ctx.out.result(`Serving docs at http://127.0.0.1:${(server.address() as { port: number }).port} (Ctrl-C to stop)`);
  await new Promise<void>((stop) => {
    process.once('SIGINT', () => stop());
    process.once('SIGTERM', () => stop());
  });
  server.close();
  return 0;
}
