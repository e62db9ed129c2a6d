import { resolve } from 'node:path';
import { quickStart, readCacheLine } from '../../api/quick-start.js';
import { selectOnGraph } from '../../api/select-graph.js';
import { indexGraph, type SelectionIndex } from '../../api/selection-index.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { globalOptions, selectionFlags, stateFlags, type Command, type CommandContext } from '../command-context.js';
import { indexAnswersList, listResourceTypes, printSelection } from './list-format.js';

/**
 * `tsdbt ls`: the selected resources, one a line, as dbt prints them. With
 * nothing changed since the parse cache was written (api/quick-start.ts),
 * no state and a selection the selection index answers, it selects from the
 * index without loading the project, printing what the full path prints
 * then (list-full.ts); otherwise, or on any error, the full path runs.
 */
export const listCommand: Command = async (ctx) => {
  const quick = quickList(ctx);
  if (quick !== undefined) return quick;
  return (await import('./list-full.js')).fullList(ctx);
};

function quickList(ctx: CommandContext): number | undefined {
  const opts = globalOptions(ctx);
  const flags = selectionFlags(ctx);
  const output = (ctx.argv.flags.output as string | undefined) ?? 'selector';
  if (stateFlags(ctx).state || !indexAnswersList(resolve(opts.projectDir ?? ctx.cwd), flags, output)) return undefined;
  const quick = quickStart(opts, ctx.env, ctx.cwd);
  if (!quick) return undefined;
  const line = readCacheLine(quick.cachePath, quick.record, 'index');
  if (!line) return undefined;
  let selected: Set<string>;
  let warnings: string[];
  let graph: DependencyGraph;
  try {
    const index = JSON.parse(line.toString('utf8')) as SelectionIndex;
    if (!index || typeof index !== 'object' || !Array.isArray(index.members) || !Array.isArray(index.strings)) return undefined;
    graph = indexGraph(index);
    ({ selected, warnings } = selectOnGraph(graph, undefined, { ...flags, resourceTypes: undefined }, listResourceTypes(flags.resourceTypes), () => undefined));
  } catch {
    // A malformed index, a cycle, a bad selector or resource type: the full path reports it, located.
    return undefined;
  }
  const { record } = quick;
  ctx.out.debug(record.messages.indexed);
  return printSelection(ctx, (id) => graph.member(id), selected, [...record.loadWarnings, ...record.parseWarnings, ...warnings], output);
}
