import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Command } from '../command-context.js';
import { executionOptions, progressCallbacks, reportArtifactErrors } from './nodes.js';

/**
 * `tsdbt show`: the previews of the selected nodes, an inline query or
 * `--inline-direct` SQL, each printed as dbt's ShowNode event prints it.
 */
export const showCommand: Command = async (ctx) => {
  const { show, showInlineDirect } = await import('../../api/show.js');
  const limit = ctx.argv.flags.limit === undefined ? undefined : Number(ctx.argv.flags.limit);
  if (limit !== undefined && !Number.isInteger(limit)) throw new TsdbtError('USAGE', `--limit must be a whole number, got '${String(ctx.argv.flags.limit)}'`, { hint: 'e.g. --limit 10' });
  // show previews the selected node itself: its tests are not pulled in by indirect selection.
  const opts = executionOptions(ctx);
  const direct = ctx.argv.flags.inlineDirect as string | undefined;
  const r = direct !== undefined ? await showInlineDirect(direct, { ...opts, limit }) : await show({ ...opts, indirectSelection: opts.indirectSelection ?? 'empty', inline: ctx.argv.flags.inline as string | undefined, limit, onReady: progressCallbacks(ctx).onReady });
  ctx.report?.(r);
  const { pyJsonCompact, pyJsonIndented } = await import('../../adapters/base/agate-print.js');
  // dbt's ShowNode event, one a node shown: JSON of the rows (with the node's name unless inline), the table alone with --quiet, or a heading and the table.
  const json = ctx.argv.flags.output === 'json';
  const quiet = Boolean(ctx.argv.flags.quiet);
  for (const p of r.previews) {
    const inline = p.source === 'inline_query';
    // The preview as dbt carries it: agate's to_json of the rows, or its print_table's lines (each ending in a newline).
    const preview = json ? pyJsonCompact(p.json) : `${p.table}\n`;
    const msg = json ? pyJsonIndented(inline ? { show: p.json } : { node: p.name, show: p.json }) : quiet ? preview : `Previewing ${inline ? 'inline node' : `node '${p.name}'`}:\n${preview}`;
    ctx.out.resultEvent({ name: 'ShowNode', code: 'Q041', level: 'info', msg, data: { node_name: p.name, preview, is_inline: inline, output_format: json ? 'json' : 'text', unique_id: p.uniqueId, quiet } });
  }
  return reportArtifactErrors(ctx, r.artifactErrors) ? 2 : 0;
};
