import { loadProject } from '../../api/load-project.js';
import { checkAfterSplice, filesChangedSince, parseCacheKey } from '../../api/parse-cache.js';
import { parseCacheIdOf, parseLoaded, recordCacheSpans, releaseLazyReads, writeParseArtifacts } from '../../api/parse-phase.js';
import { writeGraphSummaryQuietly } from '../../artifacts/graph-summary.js';
import { refreshWrittenArtifacts } from '../../api/written-artifacts.js';
import type { LoadedProject } from '../../api/load-project.js';
import { summariseManifest } from './summary.js';
import { recordQuickStart } from '../../api/quick-start-record.js';
import { indexSelects, selectFromManifest, selects } from '../../api/select-phase.js';
import { unchangedSelectionManifest } from '../../api/unchanged-parse.js';
import { resolveStateOptions } from '../../api/state-artifacts.js';
import type { PreviousState } from '../../graph/previous-state.js';
import type { Manifest } from '../../manifest/types.js';
import { fastPaths } from '../../util/fast-paths.js';
import { globalOptions, selectionFlags, stateFlags, type CommandContext } from '../command-context.js';
import { indexAnswersList, listResourceTypes, memberOf, printSelection } from './list-format.js';
import { printWarnings } from '../project-warnings.js';
import { targetDirOf } from '../../api/target-dir.js';

/** `tsdbt ls` the whole way (list.ts comes here when its quick start does not hold). */
export async function fullList(ctx: CommandContext): Promise<number> {
  const loaded = loadProject(globalOptions(ctx));
  const flags = selectionFlags(ctx);
  const stateOptions = { ...stateFlags(ctx), defer: false };
  const output = (ctx.argv.flags.output as string | undefined) ?? 'selector';
  const types = listResourceTypes(flags.resourceTypes);
  // Nothing changed: select from the parse cache's selection index when it holds all the selection and output read.
  const indexed = !stateOptions.state && indexAnswersList(loaded.projectDir, flags, output);
  // A selection the index answers printed with more than it keeps (--output json): the selection made from the
  // index, the cache's nodes read as printed (all at once through its splice map when nothing narrows the selection).
  const lazily = !indexed && !stateOptions.state && fastPaths() && indexSelects(loaded.projectDir, flags, true);
  const select = (manifest: Manifest, state?: PreviousState) => selectFromManifest(loaded.projectDir, manifest, { ...flags, resourceTypes: undefined, state }, types, lazily);
  let quick = indexed ? unchangedSelectionManifest(loaded, { WHICH: 'list' }) : {};
  // Only model SQL edited: spliced into the parse cache (api/parse-splice.ts), whose selection index then answers; into
  // manifest.json at once, as `parse` does, when it is the file the last parse wrote, else (or with --no-write-json)
  // into the cache alone.
  const check = 'check' in quick ? quick.check : undefined;
  let manifestSpliced = false;
  if (indexed && check && filesChangedSince(check)) {
    const splice = await import('../../api/parse-splice.js');
    manifestSpliced = loaded.writeJson && (await splice.spliceOrSay(loaded, { WHICH: 'list' }, check)) !== undefined;
    const after = manifestSpliced ? checkAfterSplice(check) : await splice.checkSplicingChanges(loaded, { WHICH: 'list' }, check);
    if (after !== check) quick = unchangedSelectionManifest(loaded, { WHICH: 'list' }, after);
  }
  let found = 'done' in quick ? quick.done : undefined;
  let sel: ReturnType<typeof select> | undefined;
  if (found) {
    try {
      sel = select(found.manifest);
    } catch {
      // An error (a cycle, a bad selector) is reported from the whole parse, with its locations.
      found = undefined;
    }
  }
  const parsed = found ? undefined : parseLoaded(loaded, { flags: { WHICH: 'list' }, check: 'check' in quick ? quick.check : undefined, ...(lazily ? { lazyNodes: 'mapped' as const, lazyReadsAll: !selects(loaded.projectDir, flags) } : {}) });
  // Where the cache this wrote holds each node: the next command can splice into it (api/parse-phase.ts).
  if (parsed) recordCacheSpans(loaded, parsed.manifest);
  const { manifest, warnings } = found ?? parsed!;
  const targetDir = targetDirOf(loaded);
  // The parse cache the selection index was read from (nothing changed since it was written).
  const indexedCache = 'done' in quick ? quick.checked.id : undefined;
  if (loaded.writeJson && !(manifestSpliced && found)) writeListManifest(loaded, targetDir, parsed?.manifest, indexedCache);
  if (loaded.partialParse) recordQuickStart(loaded, 'done' in quick ? quick.checked.key : parseCacheKey(loaded, { WHICH: 'list' }), 'done' in quick ? quick.checked : undefined);
  let code: number;
  if (!sel) {
    printWarnings(ctx, warnings);
    const { state } = resolveStateOptions(loaded.projectDir, targetDir, stateOptions);
    sel = select(manifest, state);
    code = printSelection(ctx, (id) => memberOf(manifest, id), sel.selected, sel.warnings, output);
  } else {
    code = printSelection(ctx, (id) => memberOf(manifest, id), sel.selected, [...warnings, ...sel.warnings], output);
  }
  // graph_summary.json, as dbt's ls compiles the graph (after the lines: they wait for nothing it does): of the parse
  // cache's graph, taken over when the last command's was.
  writeGraphSummaryQuietly(targetDir, sel.graph, loaded.invocationId, false, !fastPaths() ? undefined : indexedCache ?? parseCacheIdOf(manifest));
  return code;
}

/**
 * target/manifest.json, as `tsdbt parse` writes it (dbt's ls writes it too): the
 * manifest this parsed; or, selected from the selection index, the one the
 * last parse wrote brought up to date in place when it is still that one (for
 * parse cache `cacheId`), else the cache's manifest written afresh (its nodes
 * copied from the cache, not read).
 */
function writeListManifest(loaded: LoadedProject, targetDir: string, parsed: Manifest | undefined, cacheId: string | undefined): void {
  if (parsed) {
    writeParseArtifacts(targetDir, parsed, summariseManifest(parsed));
    return;
  }
  if (refreshWrittenArtifacts(targetDir, cacheId, new Date().toISOString(), loaded.invocationId)) return;
  const whole = parseLoaded(loaded, { flags: { WHICH: 'list' }, lazyNodes: 'mapped' });
  try {
    writeParseArtifacts(targetDir, whole.manifest, summariseManifest(whole.manifest));
  } finally {
    releaseLazyReads(whole.manifest);
  }
}
