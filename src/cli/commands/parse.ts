import { join } from 'node:path';
import { quickStart } from '../../api/quick-start.js';
import { writtenArtifactsFor } from '../../api/written-artifacts.js';
import { globalOptions, type Command, type CommandContext } from '../command-context.js';
import { printWarnings } from '../project-warnings.js';
import { parsePerformanceLine } from './parse-performance-line.js';

/**
 * `tsdbt parse`: parse the project and write target/manifest.json. With
 * nothing changed since the last parse (api/quick-start.ts) and target/
 * still holding what it wrote, the artifacts are refreshed in place
 * without loading the project, printing what the full path prints then
 * (parse-full.ts, api/unchanged-parse.ts); otherwise the full path runs.
 */
export const parseCommand: Command = async (ctx) => {
  const started = performance.now();
  const quick = ctx.report ? undefined : quickParse(ctx, started);
  if (quick !== undefined) return quick;
  return (await import('./parse-full.js')).fullParse(ctx, started);
};

function quickParse(ctx: CommandContext, started: number): number | undefined {
  const opts = globalOptions(ctx);
  const writeJson = opts.writeJson !== false;
  const quick = quickStart(opts, ctx.env, ctx.cwd);
  if (!quick) return undefined;
  const { record } = quick;
  // With --no-write-json nothing is written: the record of what the last parse wrote only gives the summary.
  const written = writtenArtifactsFor(writeJson, record.targetDir, record.cache.id, new Date().toISOString(), ctx.out.invocationId);
  if (!written) return undefined;
  if (writeJson) ctx.out.debug(record.messages.refreshed);
  printWarnings(ctx, [...record.loadWarnings, ...record.parseWarnings]);
  ctx.out.info(written.summary);
  ctx.out.info(parsePerformanceLine(started, writeJson ? join(record.targetDir, 'manifest.json') : undefined));
  return 0;
}
