import { loadProject } from '../../api/load-project.js';
import { openTargetConnection } from '../../api/open-connection.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { runExtract, type ExtractResults } from '../../extract/index.js';
import { globalOptions, type Command, type CommandContext } from '../command-context.js';
import { ExtractProgressPrinter } from '../extract-progress.js';
import { renderTable } from '../table.js';
import { reportError } from '../report-error.js';
import { targetDirOf } from '../../api/target-dir.js';

/** `tsdbt extract`: pull the project's declared REST streams, land Parquet, load the raw schema. */
export const extractCommand: Command = async (ctx) => {
  const f = ctx.argv.flags;
  if (f.sim && f.url) throw new TsdbtError('USAGE', '--sim and --url both say where to extract from', { hint: 'Use one: --sim starts the bundled simulator; --url points at a running server.' });
  // --sim: the bundled simulator on a free port (with --developers/--days/--seed), stopped afterwards.
  const sim = f.sim ? await (await import('../../sim/index.js')).startSimulator({
    seed: f.seed === undefined ? undefined : Number(f.seed),
    developers: f.developers === undefined ? undefined : Number(f.developers),
    days: f.days === undefined ? undefined : Number(f.days),
  }) : undefined;
  if (sim) ctx.out.info(`cursor-sim simulator on ${sim.url}`);
  try {
    const results = await extractWith(ctx, sim ? { url: sim.url } : {});
    return results.success ? 0 : 1;
  } catch (e) {
    // A failed stream throws after writing its results; show them, then the error, and exit 1.
    const results = failedResults(e);
    if (!results) throw e;
    printSummary(ctx, results, results.elapsed_ms);
    reportError(e, ctx.out);
    return 1;
  } finally {
    await sim?.close();
  }
};

/** `--streams a,b c` → [a, b, c]. */
export function streamNames(flag: unknown): string[] | undefined {
  if (!Array.isArray(flag)) return undefined;
  const names = (flag as string[]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return names.length > 0 ? names : undefined;
}

function failedResults(e: unknown): ExtractResults | undefined {
  const r = (e as { detail?: { results?: unknown }; results?: unknown } | null)?.detail?.results ?? (e as { results?: unknown } | null)?.results;
  return r && typeof r === 'object' && Array.isArray((r as ExtractResults).streams) ? (r as ExtractResults) : undefined;
}

export async function extractWith(ctx: CommandContext, overrides: { url?: string; rateLimitPerMinute?: number | null }): Promise<ExtractResults> {
  const f = ctx.argv.flags;
  const loaded = loadProject(globalOptions(ctx));
  const target = await openTargetConnection(loaded);
  const started = performance.now();
  const progress = new ExtractProgressPrinter(ctx.out);
  try {
    const results = await runExtract({
      projectDir: loaded.projectDir,
      targetDir: targetDirOf(loaded),
      url: overrides.url ?? (f.url as string | undefined),
      streams: streamNames(f.streams),
      fullRefresh: Boolean(f.fullRefresh),
      connection: target.connection,
      loadDialect: loaded.profile.type === 'snowflake' ? 'snowflake' : 'duckdb',
      rateLimitPerMinute: overrides.rateLimitPerMinute,
      env: ctx.env,
      onProgress: (e) => progress.on(e),
      log: (level, msg) => (level === 'debug' ? ctx.out.debug(msg) : level === 'warn' ? ctx.out.warn(msg) : ctx.out.info(msg)),
    });
    progress.finish();
    printSummary(ctx, results, performance.now() - started);
    return results;
  } finally {
    progress.finish();
    await target.close();
  }
}

function printSummary(ctx: CommandContext, r: ExtractResults, ms: number): void {
  const rows = r.streams.map((s) => [s.stream, s.status, String(s.rows), String(s.requests), String(s.retries)]);
  ctx.out.info(renderTable(['stream', 'status', 'rows', 'requests', 'retries'], rows));
  ctx.out.info(`Extracted ${r.totals.rows} rows in ${r.totals.requests} requests (${r.totals.retries} retries) in ${(ms / 1000).toFixed(2)}s from ${r.base_url}`);
}
