import { loadProject } from '../../api/load-project.js';
import { openTargetConnection } from '../../api/open-connection.js';
import { runExtract, type ExtractProgress, type ExtractResults } from '../../extract/index.js';
import { globalOptions, type Command, type CommandContext } from '../command-context.js';
import { renderTable } from '../table.js';
import { reportError } from '../report-error.js';

/** `tsdbt extract`: pull the project's declared REST streams, land Parquet, load the raw schema. */
export const extractCommand: Command = async (ctx) => {
  try {
    const results = await extractWith(ctx, {});
    return results.success ? 0 : 1;
  } catch (e) {
    // A failed stream throws after writing its results; show them, then the error, and exit 1.
    const results = failedResults(e);
    if (!results) throw e;
    printSummary(ctx, results, results.elapsed_ms);
    reportError(e, ctx.out);
    return 1;
  }
};

function failedResults(e: unknown): ExtractResults | undefined {
  const r = (e as { detail?: { results?: unknown }; results?: unknown } | null)?.detail?.results ?? (e as { results?: unknown } | null)?.results;
  return r && typeof r === 'object' && Array.isArray((r as ExtractResults).streams) ? (r as ExtractResults) : undefined;
}

export async function extractWith(ctx: CommandContext, overrides: { url?: string; rateLimitPerMinute?: number | null }): Promise<ExtractResults> {
  const f = ctx.argv.flags;
  const loaded = loadProject(globalOptions(ctx));
  const target = await openTargetConnection(loaded);
  const started = performance.now();
  try {
    const results = await runExtract({
      projectDir: loaded.projectDir,
      url: overrides.url ?? (f.url as string | undefined),
      streams: f.streams as string[] | undefined,
      fullRefresh: Boolean(f.fullRefresh),
      connection: target.connection,
      loadDialect: loaded.profile.type === 'snowflake' ? 'snowflake' : 'duckdb',
      rateLimitPerMinute: overrides.rateLimitPerMinute,
      env: ctx.env,
      onProgress: (e) => progressLine(ctx, e),
      log: (level, msg) => (level === 'debug' ? ctx.out.debug(msg) : level === 'warn' ? ctx.out.warn(msg) : ctx.out.info(msg)),
    });
    printSummary(ctx, results, performance.now() - started);
    return results;
  } finally {
    await target.close();
  }
}

function progressLine(ctx: CommandContext, e: ExtractProgress): void {
  if (e.phase === 'page' || e.phase === 'start') return ctx.out.debug(`${e.stream}: ${e.phase} pages=${e.pages} rows=${e.rows} requests=${e.requests}`);
  const detail = `pages=${e.pages} rows=${e.rows} requests=${e.requests} retries=${e.retries}${e.message ? ` ${e.message}` : ''}`;
  if (e.phase === 'error') ctx.out.error(`${e.stream}: ERROR ${detail}`);
  else if (e.phase === 'retry') ctx.out.debug(`${e.stream}: retry ${detail}`);
  else ctx.out.info(`${e.stream}: ${e.phase} ${detail}`);
}

function printSummary(ctx: CommandContext, r: ExtractResults, ms: number): void {
  const rows = r.streams.map((s) => [s.stream, s.status, String(s.rows), String(s.requests), String(s.retries)]);
  ctx.out.info(renderTable(['stream', 'status', 'rows', 'requests', 'retries'], rows));
  ctx.out.info(`Extracted ${r.totals.rows} rows in ${r.totals.requests} requests (${r.totals.retries} retries) in ${(ms / 1000).toFixed(2)}s from ${r.base_url}`);
}
