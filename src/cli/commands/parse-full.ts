import { loadProject } from '../../api/load-project.js';
import { earlyRenderShare } from '../../api/render-share-start.js';
import { nothingChangedSince, parseCacheKey } from '../../api/parse-cache.js';
import { lazySelectionIndexOf, parseLoaded, releaseLazyReads, writeParseArtifacts } from '../../api/parse-phase.js';
import { indexIsAcyclic } from '../../api/selection-index.js';
import type { Manifest } from '../../manifest/types.js';
import { fastPaths } from '../../util/fast-paths.js';
import { recordQuickStart } from '../../api/quick-start-record.js';
import { refreshUnchangedParse } from '../../api/unchanged-parse.js';
import { checkManifestGraph } from '../../graph/index.js';
import { capInliningForFullParse } from '../full-parse-inlining.js';
import { globalOptions, type CommandContext } from '../command-context.js';
import { summariseManifest } from './summary.js';
import { parsePerformanceLine } from './parse-performance-line.js';
import { printWarnings } from '../project-warnings.js';
import { targetDirOf } from '../../api/target-dir.js';

/** `tsdbt parse` the whole way (parse.ts comes here when its quick start does not hold), started at `started`. */
export async function fullParse(ctx: CommandContext, started: number): Promise<number> {
  const loaded = loadProject(globalOptions(ctx));
  const flags = { WHICH: 'parse' };
  // No parse cache: a full parse to come, a worker starts on a share of its renders now (parseLoaded closes it).
  const renderShare = earlyRenderShare(loaded, flags);
  // Nothing changed and target/ holds what the last parse wrote: refresh it in place (no manifest to report).
  const quick = ctx.report ? {} : refreshUnchangedParse(loaded, flags);
  // Only model SQL changed: the changed nodes spliced into the files written last time (api/parse-splice.ts); with
  // --no-write-json, which writes no manifest.json, parsed through the cache below instead.
  const check = 'check' in quick ? quick.check : undefined;
  const spliced = check?.cache && loaded.writeJson ? await (await import('../../api/parse-splice.js')).spliceOrSay(loaded, flags, check) : undefined;
  const unchanged = 'done' in quick ? quick.done : spliced;
  if (unchanged) {
    renderShare?.close();
    printWarnings(ctx, unchanged.warnings);
    ctx.out.info(unchanged.summary);
    ctx.out.info(parsePerformanceLine(started, unchanged.manifestPath));
    if ('done' in quick) recordQuickStart(loaded, quick.checked.key, quick.checked);
    else if (check && !unchanged.quickStartRecorded) recordQuickStart(loaded, check.key);
    return 0;
  }
  // A full parse (no cache, or one that cannot be reused, as parse-phase.ts decides): V8's inlining capped for it.
  if (!loaded.partialParse || (check && !(check.cache && check.diff && !check.reason))) capInliningForFullParse(ctx.env);
  // Nothing changed, but target/ is not what the last parse wrote (a compile or run rewrote manifest.json): the cache's
  // nodes are read only as used (none, when the splice map lets manifest.json copy them from the cache).
  const lazyNodes = !ctx.report && check !== undefined && nothingChangedSince(check) && fastPaths() ? 'mapped' : undefined;
  const result = parseLoaded(loaded, { flags, check, renderShare, lazyNodes });
  let path: string | undefined;
  let summary: string;
  try {
    checkParsedGraph(result.manifest); // a cycle is a parse error
    printWarnings(ctx, result.warnings);
    // With target/semantic_manifest.json when the project declares a semantic layer, as dbt writes it; neither with
    // --no-write-json (the parse cache is written all the same, as dbt's partial_parse.msgpack).
    summary = summariseManifest(result.manifest);
    if (loaded.writeJson) path = writeParseArtifacts(targetDirOf(loaded), result.manifest, summary);
  } finally {
    releaseLazyReads(result.manifest);
  }
  ctx.report?.(result.manifest);
  ctx.out.info(summary);
  ctx.out.info(parsePerformanceLine(started, path));
  // The key the cache was checked (and written) under; computed afresh only when no check was made.
  if (loaded.partialParse) recordQuickStart(loaded, check?.key ?? parseCacheKey(loaded, flags));
  return 0;
}

/**
 * checkManifestGraph, from the selection index's rows when the manifest's
 * nodes are read from the cache as used and it has no semantic layer (whose
 * members' edges buildGraph adds beyond depends_on).
 */
function checkParsedGraph(manifest: Manifest): void {
  const index = lazySelectionIndexOf(manifest);
  const semantic = [manifest.semantic_models, manifest.metrics, manifest.saved_queries].some((m) => m && Object.keys(m).length > 0);
  // Otherwise (or not a DAG) the whole manifest is checked, for buildGraph's own error.
  if (!(index && !semantic && indexIsAcyclic(index))) checkManifestGraph(manifest);
}
