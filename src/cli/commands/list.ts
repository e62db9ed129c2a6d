import { resolve } from 'node:path';
import { foldersSignature, quickStartBeforeStats, readCacheLine } from '../../api/quick-start.js';
import { takePrestat } from '../../util/pre-stat.js';
import { refreshWrittenArtifacts } from '../../api/written-artifacts.js';
import { spareCore, statSignatureInWorker } from '../../api/quick-start-stats.js';
import { projectSelectors } from '../../api/project-selectors.js';
import { selectOnGraph } from '../../api/select-graph.js';
import { indexGraph, isSelectionIndex } from '../../api/selection-index.js';
import { writeGraphSummaryQuietly } from '../../artifacts/graph-summary.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { globalOptions, selectionFlags, stateFlags, type Command, type CommandContext } from '../command-context.js';
import { indexAnswersList, listResourceTypes, printLines, selectionLines } from './list-format.js';
import { printWarnings } from '../project-warnings.js';

/**
 * `tsdbt ls`: the selected resources, one a line, as dbt prints them, and
 * target/manifest.json written as `parse` writes it (dbt's list command
 * loads its manifest through requires.manifest, which writes it), and
 * target/graph_summary.json as compile writes it (dbt's ls compiles the
 * graph, which writes it). With
 * nothing changed since the parse cache was written (api/quick-start.ts),
 * no state and a selection the selection index answers, it selects from the
 * index without loading the project and brings manifest.json up to date in
 * place, printing what the full path prints then (list-full.ts); otherwise,
 * or on any error, the full path runs. With --no-write-json no
 * manifest.json is written (the parse cache still is), as dbt's ls.
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
  let graph: DependencyGraph;
  try {
    const index = JSON.parse(line.toString('utf8')) as unknown;
    if (!isSelectionIndex(index)) return undefined;
    graph = indexGraph(index);
    const sel = selectOnGraph(graph, undefined, { ...flags, resourceTypes: undefined }, listResourceTypes(flags.resourceTypes), () => projectSelectors(projectDir));
    warnings = sel.warnings;
    lines = selectionLines(ctx, (id) => graph.member(id), sel.selected, output);
  } catch {
    // A malformed index, a cycle, a bad selector or resource type: the full path reports it, located.
    return undefined;
  }
  if (!(await unchanged)) return undefined;
  const { record } = quick;
  // manifest.json as the last parse wrote it, given this invocation's id and time (else the full path writes it);
  // nothing written with --no-write-json.
  if (opts.writeJson !== false && !refreshWrittenArtifacts(record.targetDir, record.cache.id, new Date().toISOString(), ctx.out.invocationId)) return undefined;
  ctx.out.debug(record.messages.indexed);
  printWarnings(ctx, [...record.loadWarnings, ...record.parseWarnings, ...warnings]);
  const code = printLines(ctx, lines);
  // And graph_summary.json, as dbt's ls compiles the graph (the index's graph is the cache's): after the lines, which
  // wait for nothing it does (made anew, ~0.15 s at 10,000 models).
  writeGraphSummaryQuietly(record.targetDir, graph, ctx.out.invocationId, false, record.cache.id);
  return code;
}
