import { resolve } from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { DBT_VERSION } from '../../manifest/dbt-version.js';
import { TSDBT_VERSION } from '../../util/tsdbt-version.js';
import { adapterVersion } from '../adapter-version.js';
import type { Command } from '../command-context.js';
import { freshnessListener, reportFreshnessSummary } from '../freshness-reporter.js';
import { NodeReporter } from '../node-reporter.js';
import { reportError } from '../report-error.js';
import { executionOptions } from './nodes.js';
import { summariseManifest } from './summary.js';
import { printWarnings } from '../project-warnings.js';

/** `tsdbt source freshness`: dbt's console and sources.json; exit 1 when a source is past error_after or could not be checked. */
export const sourceCommand: Command = async (ctx) => {
  if (ctx.argv.positionals[0] !== 'freshness') {
    throw new TsdbtError('USAGE', `Unknown source subcommand '${ctx.argv.positionals[0] ?? ''}'`, { hint: 'Use: tsdbt source freshness [--select source:raw]' });
  }
  const { sourceFreshness } = await import('../../api/source-freshness.js');
  const opts = executionOptions(ctx);
  const header = new NodeReporter(ctx.out);
  let sources: Record<string, import('../../manifest/types.js').SourceTable> = {};
  const listener = freshnessListener(ctx.out, (info) => {
    sources = info.manifest.sources;
    header.header({
      version: TSDBT_VERSION, dbtVersion: DBT_VERSION, adapterType: info.adapterType, adapterVersion: adapterVersion(info.adapterType),
      found: summariseManifest(info.manifest), threads: info.threads, targetName: info.targetName, total: info.total, invocationId: info.invocationId, nothingToDo: info.nothingToDo,
    });
  });
  const run = await sourceFreshness({ ...opts, ...listener, hookEvents: { onStart: header.onStart, onResult: header.onResult } });
  ctx.report?.(run);
  printWarnings(ctx, run.warnings);
  reportFreshnessSummary(ctx.out, run, (id) => sources[id], opts.projectDir);
  for (const e of run.artifactErrors) reportError(e, ctx.out, resolve(ctx.cwd, opts.projectDir ?? '.'));
  if (run.artifactErrors.length > 0) return 2;
  return run.success ? 0 : 1;
};
