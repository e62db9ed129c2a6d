import { resolve } from 'node:path';
import { foldersSignature, quickStartBeforeStats, readCacheLine } from '../../api/quick-start.js';
import { takePrestat } from '../../util/pre-stat.js';
import { refreshWrittenArtifacts } from '../../api/written-artifacts.js';
import { spareCore, statSignatureInWorker } from '../../api/quick-start-stats.js';
import { projectSelectors } from '../../api/project-selectors.js';
import { selectOnGraph } from '../../api/select-graph.js';
import { indexGraph, isSelectionIndex } from '../../api/selection-index.js';
import { globalOptions, selectionFlags, stateFlags, type Command, type CommandContext } from '../command-context.js';
import { indexAnswersList, listResourceTypes, printLines, selectionLines } from './list-format.js';
import { printWarnings } from '../project-warnings.js';

/**
 * `tsdbt ls`: the selected resources, one a line, as dbt prints them, and
 * target/manifest.json written as `parse` writes it (dbt's list command
 * loads its manifest through requires.manifest, which writes it). With
 * nothing changed since the parse cache was written (api/quick-start.ts),
 * no state and a selection the selection index answers, it selects from the
 * index without loading the project and brings manifest.json up to date in
 * place, printing what the full path prints then (list-full.ts); otherwise,
 * or on any error, the full path runs.
 */
export const listCommand: Command = async (ctx) => {
  const quick = await quickList(ctx);
  if (quick !== undefined) return quick;
  return (await import('./list-full.js')).fullList(ctx);
};

async function quickList(ctx: CommandContext): Promise<number | undefined> {
  const opts = globalOptions(ctx);
  const flags = selectionFlags(ctx);
  const output = (ctx.argv.flags.output as string | undefined) ?? 'selector';
  const projectDir = resolve(opts.projectDir ?? ctx.cwd);
  if (stateFlags(ctx).state || !indexAnswersList(projectDir, flags, output)) return undefined;
  const quick = quickStartBeforeStats(opts, ctx.env, ctx.cwd);
  if (!quick) return undefined;
  // With a core to spare, the input files are stat'ed on a worker thread while the index is read and the selection made
  // (nothing is printed before they are found unchanged); else first, here.
  const { folders, signature } = quick.record;
  // Stat'ed already while the CLI loaded (util/pre-stat.ts), or on a worker meanwhile, or here first.
  const pre = takePrestat(folders);
  const inWorker = !pre && spareCore();
  if (!inWorker && foldersSignature(folders) !== signature) return undefined;
  const unchanged = inWorker ? statSignatureInWorker(folders).then((s) => s === signature) : true;
  const line = readCacheLine(quick.cachePath, quick.record, 'index');
  if (!line) return undefined;
  let lines: string[];
  let warnings: string[];
  try {
    const index = JSON.parse(line.toString('utf8')) as unknown;
    if (!isSelectionIndex(index)) return undefined;
    const graph = indexGraph(index);
    const sel = selectOnGraph(graph, undefined, { ...flags, resourceTypes: undefined }, listResourceTypes(flags.resourceTypes), () => projectSelectors(projectDir));
    warnings = sel.warnings;
    lines = selectionLines(ctx, (id) => graph.member(id), sel.selected, output);
  } catch {
    // A malformed index, a cycle, a bad selector or resource type: the full path reports it, located.
    return undefined;
  }
  if (!(await unchanged)) return undefined;
  const { record } = quick;
  // manifest.json as the last parse wrote it, given this invocation's id and time (else the full path writes it).
  if (!refreshWrittenArtifacts(record.targetDir, record.cache.id, new Date().toISOString(), ctx.out.invocationId)) return undefined;
  ctx.out.debug(record.messages.indexed);
  printWarnings(ctx, [...record.loadWarnings, ...record.parseWarnings, ...warnings]);
  return printLines(ctx, lines);
}
