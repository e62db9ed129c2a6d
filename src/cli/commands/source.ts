import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Command } from '../command-context.js';
import { renderTable } from '../table.js';
import { executionOptions } from './nodes.js';

/** `tsdbt source freshness`: how stale each source is; exit 1 when any is past error_after. */
export const sourceCommand: Command = async (ctx) => {
  if (ctx.argv.positionals[0] !== 'freshness') {
    throw new TsdbtError('USAGE', `Unknown source subcommand '${ctx.argv.positionals[0] ?? ''}'`, { hint: 'Use: tsdbt source freshness [--select source:raw]' });
  }
  const { sourceFreshness } = await import('../../api/source-freshness.js');
  const run = await sourceFreshness(executionOptions(ctx));
  const age = (s: number | null) => (s === null ? 'no rows' : s < 3600 ? `${(s / 60).toFixed(0)} min` : s < 172800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86400).toFixed(1)} d`);
  const rows = run.results.map((r) => [r.unique_id.split('.').slice(2).join('.'), r.status.toUpperCase(), r.max_loaded_at ?? '', age(r.max_loaded_at_time_ago_in_s)]);
  if (rows.length === 0) ctx.out.warn('No sources with a loaded_at_field and a freshness config were selected.');
  else ctx.out.info(renderTable(['source', 'status', 'max_loaded_at', 'age'], rows));
  for (const r of run.results) if (r.error) ctx.out.error(r.error);
  ctx.out.info(`Wrote ${run.path}`);
  return run.success ? 0 : 1;
};
