import { join } from 'node:path';
import { loadProject } from '../../api/load-project.js';
import { earlyRenderShare } from '../../api/render-share-start.js';
import { parseCacheKey } from '../../api/parse-cache.js';
import { parseLoaded, writeParseArtifacts } from '../../api/parse-phase.js';
import { recordQuickStart } from '../../api/quick-start-record.js';
import { refreshUnchangedParse } from '../../api/unchanged-parse.js';
import { checkManifestGraph } from '../../graph/index.js';
import { capInliningForFullParse } from '../full-parse-inlining.js';
import { globalOptions, type CommandContext } from '../command-context.js';
import { summariseManifest } from './summary.js';

/** `tsdbt parse` the whole way (parse.ts comes here when its quick start does not hold), started at `started`. */
export async function fullParse(ctx: CommandContext, started: number): Promise<number> {
  const loaded = loadProject(globalOptions(ctx));
  const flags = { WHICH: 'parse' };
  // No parse cache: a full parse to come, a worker starts on a share of its renders now (parseLoaded closes it).
  const renderShare = earlyRenderShare(loaded, flags);
  // Nothing changed and target/ holds what the last parse wrote: refresh it in place (no manifest to report).
  const quick = ctx.report ? {} : refreshUnchangedParse(loaded, flags);
  // Only model SQL changed: the changed nodes spliced into the files written last time (api/parse-splice.ts).
  const check = 'check' in quick ? quick.check : undefined;
  const spliced = check?.cache ? await (await import('../../api/parse-splice.js')).spliceOrSay(loaded, flags, check) : undefined;
  const unchanged = 'done' in quick ? quick.done : spliced;
  if (unchanged) {
    renderShare?.close();
    for (const w of unchanged.warnings) ctx.out.warn(w);
    ctx.out.info(unchanged.summary);
    ctx.out.info(`Performance info: parsed in ${((performance.now() - started) / 1000).toFixed(2)}s; wrote ${unchanged.manifestPath}`);
    if ('done' in quick) recordQuickStart(loaded, quick.checked.key, quick.checked);
    else if (check && !unchanged.quickStartRecorded) recordQuickStart(loaded, check.key);
    return 0;
  }
  // A full parse (no cache, or one that cannot be reused, as parse-phase.ts decides): V8's inlining capped for it.
  if (!loaded.partialParse || (check && !(check.cache && check.diff && !check.reason))) capInliningForFullParse(ctx.env);
  const result = parseLoaded(loaded, { flags, check, renderShare });
  checkManifestGraph(result.manifest); // a cycle is a parse error
  for (const w of result.warnings) ctx.out.warn(w);
  // With target/semantic_manifest.json when the project declares a semantic layer, as dbt writes it.
  const summary = summariseManifest(result.manifest);
  const path = writeParseArtifacts(join(loaded.projectDir, loaded.root.targetPath), result.manifest, summary);
  ctx.report?.(result.manifest);
  ctx.out.info(summary);
  ctx.out.info(`Performance info: parsed in ${((performance.now() - started) / 1000).toFixed(2)}s; wrote ${path}`);
  // The key the cache was checked (and written) under; computed afresh only when no check was made.
  if (loaded.partialParse) recordQuickStart(loaded, check?.key ?? parseCacheKey(loaded, flags));
  return 0;
}
