import { TsdbtErrorList } from '../errors/tsdbt-error.js';
import { join } from 'node:path';
import type { JsonSpans, WrittenValues } from '../artifacts/json-byte-writer.js';
import { writeManifestSpans } from '../artifacts/manifest-writer.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { VarResolver } from '../context/vars.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { parseProject, type NodeFileRecord, type ParseInput, type ParseResult } from '../project/parse.js';
import { ParseObserver } from '../project/partial-parse-reads.js';
import { updateCachedParse } from '../project/partial-parse-update.js';
import { renderMemoFor } from '../project/partial-parse-memo.js';
import { loadSemanticManifest } from '../semantic/load-semantic.js';
import { resolveExportRelations } from '../semantic/export-relations.js';
import { manifestEntries, semanticManifestJson } from '../semantic/manifest-json.js';
import type { SemanticManifest } from '../semantic/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { hashText, withReadStates, type ReadState } from '../util/file-states.js';
import { recordValues } from '../util/record-values.js';
import type { LoadedProject } from './load-project.js';
import { readBodyLazily } from './lazy-cache-body.js';
import { CacheBytes, readBodyByMap } from './mapped-cache-body.js';
import { mergedMembers, UNREAD, unreadMember } from '../util/lazy-members.js';
import type { SelectionIndex } from './selection-index.js';
import { settleCacheStates } from './settle-cache-states.js';
import { checkParseCache, nothingChangedSince, recordingEnv, writeParseCache, writtenCacheMembers, type OpenParseCache, type ParseCacheBody, type ParseCacheCheck, type WrittenCache } from './parse-cache.js';
import { recordWrittenArtifacts } from './written-artifacts.js';
import { projectHookNodes, recordHookMacros, type ProjectHookNode } from '../project/hook-nodes.js';
import { packageRoots } from '../project/packages.js';
import { graphHookNodes } from '../context/runtime-context.js';
import { replayedWarnings } from './replayed-warnings.js';
import { MANIFEST_SPANS, readSpliceMap, writeSpliceMap } from './splice-map.js';
import { nodesFromSpliceMap, writeCopying, type MapsAsRead } from './cached-nodes-source.js';
import { parseEnv, parseTarget } from './parse-env.js';
import { spawnYamlWorker } from './yaml-worker-spawn.js';
import { tookEarlyYamlWorker } from '../util/early-yaml-worker.js';
import { startRenderShare } from './render-share-start.js';
import type { RenderShare } from '../project/render-share.js';
import { projectManifestSelectors } from './project-selectors.js';
import { targetDirOf } from './target-dir.js';

export interface ParseOptions {
  flags?: Record<string, unknown>;
  /** false: read the parse cache but never write it (render workers: the coordinator writes it). */
  writeCache?: boolean;
  /** The cache already checked for these flags (unchanged-parse.ts); parseLoaded closes it. */
  check?: ParseCacheCheck;
  /**
   * A current cache's nodes are read as they are first used (see
   * lazy-cache-body.ts): for a render worker, which runs a share of them.
   */
  lazyNodes?: boolean | 'mapped';
  /** With lazyNodes 'mapped': the cache file is opened for each node read and closed after it (a render worker). */
  lazyReadsReopen?: boolean;
  /** With lazyNodes 'mapped': every node will be read (a whole compile): their bytes are read at once (mapped-cache-body.ts). */
  lazyReadsAll?: boolean;
  /** A worker already rendering a share of the node files (render-share-start.ts earlyRenderShare); parseLoaded closes it. */
  renderShare?: RenderShare;
}

/**
 * parse: the loaded project's files into a Manifest (every broken file
 * reported at once). With partial parsing on (`loaded.partialParse`), a
 * parse cache in the target path is reused when nothing that parse reads
 * changed, brought up to date when only model, analysis or singular test
 * files changed, and otherwise replaced by a full parse (the reason logged
 * at debug level, as dbt does).
 */
export function parseLoaded(loaded: LoadedProject, opts: ParseOptions = {}): ParseResult {
  const result = parseLoadedNodes(loaded, opts);
  const hooks = projectHookNodes(loaded.packages, loaded.target);
  if (hooks.length > 0) {
    const rootDir = loaded.packages.find((p) => p.kind === 'root')!.config.root;
    const errors = recordHookMacros(hooks, result.contexts, rootDir, packageRoots(loaded.packages));
    if (errors.length > 0) throw errors.length === 1 ? errors[0]! : new TsdbtErrorList(errors);
    hooksByManifest.set(result.manifest, hooks);
    graphHookNodes(result.manifest, hooks);
  }
  return result;
}

/**
 * Every package's on-run-start/end hooks are operation nodes of dbt's
 * manifest.json; they are written there and are in templates' `graph.nodes`,
 * but kept out of `manifest.nodes` (no selection, DAG or ref sees them), and made from the packages'
 * configs on every load, so the parse cache does not hold them.
 */
const hooksByManifest = new WeakMap<Manifest, ProjectHookNode[]>();

/** How many on-run-start/end operation nodes a parse made (dbt counts them among the manifest's nodes). */
export function hookCountOf(manifest: Manifest): number {
  return hooksByManifest.get(manifest)?.length ?? 0;
}

function parseLoadedNodes(loaded: LoadedProject, opts: ParseOptions): ParseResult {
  const flags = opts.flags ?? {};
  const log = (m: string) => loaded.logger.debug(m);
  if (!loaded.partialParse) {
    log('Partial parsing not enabled');
    const renderShare = opts.renderShare ?? startRenderShare(loaded, flags, false);
    try {
      return finishFull(loaded, parseProject({ ...parseInput(loaded, flags, loaded.env), renderShare }));
    } finally {
      renderShare?.close();
    }
  }
  const check = opts.check ?? checkParseCache(loaded, flags, true);
  // A full parse with no renders to reuse: a worker renders a share of the node files meanwhile.
  const renderShare = opts.renderShare ?? (check.cache && check.diff && !check.reason ? undefined : startRenderShare(loaded, flags, true));
  try {
    return parseThroughCache(loaded, opts, check, renderShare);
  } finally {
    check.cache?.close();
    renderShare?.close();
  }
}

function parseThroughCache(loaded: LoadedProject, opts: ParseOptions, check: ParseCacheCheck, renderShare: RenderShare | undefined): ParseResult {
  const flags = opts.flags ?? {};
  const log = (m: string) => loaded.logger.debug(m);
  const { files, statesAt } = check;
  const observer = new ParseObserver();
  const recorder = recordingEnv(parseEnv(loaded), observer.envVar);
  const input = parseInput(loaded, flags, recorder.env, observer);
  // A cold check left the model files' rows to the parse's reads of them: recorded here (see below).
  const readStates = check.pendingRows ? new Map<string, ReadState>() : undefined;
  if (readStates) input.nodeFileStates = readStates;
  let reason = check.reason;
  const { cache, diff } = check;
  const changedEnv = check.changedEnv ?? [];
  const nothingChanged = nothingChangedSince(check);
  if (cache && diff && !reason) {
    if (!nothingChanged) log(`Partial parsing enabled: ${diff.deleted.length} files deleted, ${diff.added.length} files added, ${diff.changed.length} files changed.`);
  }
  const read = cache && diff && !reason ? ((opts.lazyNodes && nothingChanged && fastPaths() ? readLazily(loaded, check, cache, opts.lazyNodes === 'mapped', !opts.lazyReadsReopen, opts.lazyReadsAll === true) : undefined) ?? cache.body()) : undefined;
  if (read && 'reason' in read) reason = read.reason;
  const prior = read && 'body' in read ? read.body : undefined;
  const lazyIndex = read && 'index' in read ? (read.index as SelectionIndex) : undefined;
  // A full parse still reuses the cached renders of node files nothing they read has changed
  // (made before the partial attempt below, which updates the cached parse in place).
  const memoFor = () => renderMemoFor(prior?.parse, prior?.macroFiles ?? [], { ...(diff ?? { changed: [], deleted: [] }), env: changedEnv }, { macro: observer.macro, env: (n) => void recorder.env[n] });
  // (With nothing changed the partial parse below changes nothing and cannot fail: made only if a full parse needs it,
  // so a cache read as used, mapped-cache-body.ts, does not read its node file records for it.)
  let earlyMemo = nothingChanged && prior ? undefined : memoFor();
  if (cache && diff && prior && !reason) {
    const updated = updateCachedParse(prior.parse, prior.macroFiles, { ...diff, env: changedEnv }, input);
    if ('reason' in updated) reason = updated.reason;
    else {
      const { registry, contexts } = updated;
      const { manifest } = prior.parse;
      manifest.metadata.generated_at = new Date().toISOString();
      manifest.metadata.invocation_id = loaded.invocationId;
      semanticByManifest.set(manifest, prior.semantic);
      if (nothingChanged) {
        // Files read and hashed only because they were too new when the cache was written: vouched for from now on.
        if (opts.writeCache !== false) settleCacheStates(check);
        cacheIdByManifest.set(manifest, cache.header.id);
        if (lazyIndex) indexByManifest.set(manifest, lazyIndex);
        if (read && 'bytes' in read && read.bytes) lazyBytesByManifest.set(manifest, read.bytes as CacheBytes);
        readMapsByManifest.set(manifest, { parent_map: asRead(manifest, 'parent_map'), child_map: asRead(manifest, 'child_map') });
      }
      else {
        if (hasSemanticLayer(prior.semantic)) Object.assign(manifest, manifestEntries(prior.semantic, relationNodesByName(manifest)));
        if (opts.writeCache !== false) {
          const { parse, semantic } = prior;
          noteCacheWrite(loaded, manifest, writeParseCache(check.path, check.key, { files, statesAt, envRead: { ...cache.header.envRead, ...hashesOf(changedEnv, parseEnv(loaded)), ...recorder.read }, parse, macroFiles: updated.macroFiles, semantic }));
        }
      }
      const { warnings, warningsBefore } = prior.parse;
      const result = { manifest, registry, contexts, nodeFiles: [] as NodeFileRecord[], warningsBefore, warnings: [...loaded.warnings, ...replayedWarnings(warnings, [...diff.added, ...diff.changed])] };
      // Read from the cache when used (mapped-cache-body.ts reads them lazily).
      Object.defineProperty(result, 'nodeFiles', { get: () => prior.parse.nodeFiles, enumerable: true, configurable: true });
      return result;
    }
  }
  log(`Unable to do partial parsing because ${reason}`);
  const fallbackMemo = (earlyMemo ??= memoFor());
  const result = parseProject({ ...input, memo: fallbackMemo, renderShare });
  if (renderShare) {
    const { taken, left, claimedHere, listed, waitedMs } = renderShare.counts;
    log(`Rendered ${taken} of ${listed} node files on a worker thread (${left} more rendered there but left to this thread, ${claimedHere} claimed here; waited ${waitedMs.toFixed(0)} ms)`);
  }
  if (fallbackMemo.counts.reused > 0) log(`Reused ${fallbackMemo.counts.reused} node renders, rendered ${fallbackMemo.counts.rendered}`);
  const warnings = [...result.warnings];
  // A full parse in place of the partial one dbt would do: duplicate-key warnings of unchanged files are dbt's only on its full parses.
  if (prior && diff) result.warnings = replayedWarnings(result.warnings, [...diff.added, ...diff.changed]);
  finishFull(loaded, result);
  if (readStates) {
    check.files = withReadStates(files, check.pendingRows!, readStates);
    check.pendingRows = undefined;
  }
  if (opts.writeCache !== false) {
    noteCacheWrite(loaded, result.manifest, writeParseCache(check.path, check.key, {
      files: check.files,
      statesAt,
      envRead: recorder.read,
      parse: { manifest: result.manifest, nodeFiles: result.nodeFiles, warnings, warningsBefore: result.warningsBefore, wideReads: result.wideReads, renders: fallbackMemo.kept(result.nodeFiles) },
      macroFiles: result.registry.files(),
      semantic: semanticManifestOf(result.manifest),
    }));
  }
  return result;
}

/**
 * A current cache's body with its nodes read as used: `mapped` (a command's
 * own thread), where the splice map says they are, each read from the file
 * when used (mapped-cache-body.ts; releaseLazyReads closes it); otherwise,
 * or without a map, from the whole body read at once (lazy-cache-body.ts).
 */
function readLazily(loaded: LoadedProject, check: ParseCacheCheck, cache: OpenParseCache, mapped: boolean, keepOpen: boolean, allNodes: boolean): { body: ParseCacheBody; index: SelectionIndex; bytes?: CacheBytes } | { reason: string } | undefined {
  const map = mapped ? readSpliceMap(targetDirOf(loaded), cache.header.id) : undefined;
  if (map) {
    const bytes = new CacheBytes(check.path, Buffer.from(cache.idPrefix), keepOpen);
    const read = readBodyByMap(cache, map, bytes, allNodes);
    if (read && 'body' in read) return { ...read, bytes };
    bytes.close();
    if (read) return read;
  }
  if (mapped) loaded.logger.debug(`Partial parsing: the parse cache read whole (${map ? 'the splice map does not describe it' : 'no splice map for it'})`);
  return readBodyLazily(cache);
}

/** The cache files whose nodes a manifest reads as used (readLazily `mapped`). */
const lazyBytesByManifest = new WeakMap<Manifest, CacheBytes>();

/**
 * Close the cache file a manifest's nodes are read from as used. A node not
 * read yet is read after this by opening the file again (and is an error
 * if another command has replaced the cache since).
 */
export function releaseLazyReads(manifest: Manifest): void {
  lazyBytesByManifest.get(manifest)?.close();
}

/** manifest[key] as the cache read it, or UNREAD while it is a lazy member not read yet (compiled-manifest.ts copies it then). */
function asRead(manifest: Manifest, key: 'parent_map' | 'child_map'): Manifest[typeof key] | typeof UNREAD {
  return unreadMember(manifest, key) ? UNREAD : manifest[key];
}

/** A changed variable no re-parse read again keeps its new value: whoever read it was parsed again. */
const hashesOf = (names: readonly string[], env: Record<string, string | undefined>) => Object.fromEntries(names.map((n) => [n, env[n] === undefined ? null : hashText(env[n]!)]));

/** The selection index of the cache a manifest's nodes are read from as used (lazy-cache-body.ts), nothing changed since. */
const indexByManifest = new WeakMap<Manifest, SelectionIndex>();

/** The selection index describing `manifest`'s graph members when its nodes are read lazily from an unchanged cache. */
export function lazySelectionIndexOf(manifest: Manifest): SelectionIndex | undefined {
  return indexByManifest.get(manifest);
}

/** The parse cache each manifest was read from or written to (what `parse` records its artifacts against). */
const cacheIdByManifest = new WeakMap<Manifest, string>();
/** The parent and child maps as read from the cache of cacheIdByManifest (nothing changed): compiled-manifest.ts copies their bytes while they are these objects. */
const readMapsByManifest = new WeakMap<Manifest, MapsAsRead>();

/** The cache each manifest was written to: where its nodes sit (splice-map.ts), what manifest.json may copy from it. */
const cacheWrittenByManifest = new WeakMap<Manifest, WrittenCache>();

function noteCacheWrite(loaded: LoadedProject, manifest: Manifest, wrote: WrittenCache | { error: string }): void {
  if ('id' in wrote) {
    cacheIdByManifest.set(manifest, wrote.id);
    cacheWrittenByManifest.set(manifest, wrote);
  } else loaded.logger.debug(`The parse cache could not be written: ${wrote.error}`);
}

/**
 * After a command other than `parse` wrote the parse cache: where its nodes
 * sit, in the splice map (splice-map.ts, without manifest.json's half), so
 * later commands copy and read single nodes from it (compiled-manifest.ts,
 * lazy-cache-body.ts) instead of serialising or parsing them all.
 */
export function recordCacheSpans(loaded: LoadedProject, manifest: Manifest): void {
  const cache = cacheWrittenByManifest.get(manifest);
  if (!cache || !fastPaths()) return;
  writeSpliceMap(targetDirOf(loaded), cache.id, cache.spans, undefined);
}

/** The input a parse of `loaded` renders with (parse-splice.ts re-parses changed files with the same). */
export function parseInput(loaded: LoadedProject, flags: Record<string, unknown>, osEnv: Record<string, string | undefined>, observer?: ParseObserver): ParseInput {
  const userPackages = loaded.packages.filter((p) => p.kind !== 'internal');
  const vars = new VarResolver(
    loaded.cliVars,
    loaded.root.name,
    loaded.root.vars,
    Object.fromEntries(userPackages.filter((p) => p.kind === 'dependency').map((p) => [p.config.name, p.config.vars])),
  );
  return {
    packages: loaded.packages,
    env: loaded.jinja,
    adapter: loaded.adapter,
    shared: {
      target: parseTarget(loaded.target, osEnv),
      vars,
      osEnv,
      secrets: loaded.secrets,
      invocationId: loaded.invocationId,
      runStartedAt: loaded.runStartedAt,
      flags: { ...loaded.pathFlags, ...flags },
      logger: loaded.logger,
      onMacroCall: observer?.macro,
    },
    observer,
    yamlWorker: fastPaths() ? spawnYamlWorker : undefined,
  };
}

/** A full parse's result with the load's warnings first, selectors.yml's selectors and the semantic layer attached. */
function finishFull(loaded: LoadedProject, result: ParseResult): ParseResult {
  if (tookEarlyYamlWorker()) loaded.logger.debug('YAML worker: started by bin/tsdbt.js before the CLI loaded');
  result.warnings.unshift(...loaded.warnings);
  result.manifest.selectors = projectManifestSelectors(loaded.projectDir, loaded.selectorsText);
  attachSemanticLayer(loaded, result.manifest);
  return result;
}

const semanticByManifest = new WeakMap<Manifest, SemanticManifest>();

/** Models, seeds and snapshots by name (what a semantic model's ref() may name). */
export function relationNodesByName(manifest: Manifest): Map<string, CompiledNode> {
  const out = new Map<string, CompiledNode>();
  for (const n of recordValues(manifest.nodes)) if (n.resource_type === 'model' || n.resource_type === 'seed' || n.resource_type === 'snapshot') out.set(n.name, n as CompiledNode);
  return out;
}

const hasSemanticLayer = (s: SemanticManifest) => s.semanticModels.length > 0 || s.metrics.length > 0 || s.savedQueries.length > 0;

/**
 * The semantic layer is part of parse, as in dbt: its YAML is read and
 * validated (located errors fail the parse) and the manifest gets its
 * semantic_models, metrics and saved_queries entries.
 */
function attachSemanticLayer(loaded: LoadedProject, manifest: Manifest): void {
  // The map of every model by name only when the project has a semantic layer; without one, the only name asked
  // about (its legacy time spine) is looked for without it.
  let models: Map<string, CompiledNode> | undefined;
  const byName = () => (models ??= relationNodesByName(manifest));
  const knownModels = { has: (name: string) => (models ? models.has(name) : hasRelationNode(manifest, name)), all: () => new Set(byName().keys()) };
  const semantic = loadSemanticManifest({ projectDir: loaded.projectDir, projectName: loaded.root.name, modelPaths: loaded.root.modelPaths, knownModels });
  resolveExportRelations(semantic, loaded.target);
  semanticByManifest.set(manifest, semantic);
  if (!hasSemanticLayer(semantic)) return;
  Object.assign(manifest, manifestEntries(semantic, byName()));
}

/** Whether relationNodesByName(manifest) would have `name`, without building it. */
function hasRelationNode(manifest: Manifest, name: string): boolean {
  const nodes = manifest.nodes;
  for (const key of Object.keys(nodes)) {
    const n = nodes[key]!;
    if (n.name === name && (n.resource_type === 'model' || n.resource_type === 'seed' || n.resource_type === 'snapshot')) return true;
  }
  return false;
}

/** The semantic manifest parse read for this manifest. */
export function semanticManifestOf(manifest: Manifest): SemanticManifest {
  const sm = semanticByManifest.get(manifest);
  if (!sm) throw new Error('semanticManifestOf: the manifest was not produced by parseLoaded');
  return sm;
}

/**
 * Write target/manifest.json and, as dbt does next to it, semantic_manifest.json
 * when the project declares a semantic layer (skipped, at no cost, when it has none
 * or when the manifest did not come from parseLoaded, e.g. a state manifest).
 */
export function writeManifests(targetDir: string, manifest: Manifest): string {
  return writeManifestsSpans(targetDir, manifest).path;
}

/**
 * writeManifests, copying members `written` has from there (compiled-manifest.ts:
 * the nodes from the parse cache after a compile).
 */
export function writeManifestsFrom(targetDir: string, manifest: Manifest, written: WrittenValues): string {
  return writeManifestsSpans(targetDir, manifest, undefined, written).path;
}

/** The id of the parse cache `manifest` was read from with nothing changed, or written to by this process. */
export function parseCacheIdOf(manifest: Manifest): string | undefined {
  return cacheIdByManifest.get(manifest);
}

/**
 * The parse cache `manifest`'s nodes are byte for byte the JSON of (as parsed,
 * before anything changed them): the one this process wrote (its spans) or
 * read with nothing changed (its id, and the parent and child maps read from it); undefined when neither.
 */
export function parseCacheOf(manifest: Manifest): { written: WrittenCache } | { id: string; maps?: MapsAsRead } | undefined {
  const written = cacheWrittenByManifest.get(manifest);
  if (written) return { written };
  const id = cacheIdByManifest.get(manifest);
  return id === undefined ? undefined : { id, maps: readMapsByManifest.get(manifest) };
}

function writeManifestsSpans(targetDir: string, manifest: Manifest, spansOf?: ReadonlySet<string>, written?: WrittenValues): { path: string; spans?: JsonSpans } {
  const hooks = hooksByManifest.get(manifest);
  // (A view when nodes are read from the parse cache as used: a spread would read them all.)
  const nodes = hooks ? mergedMembers<CompiledNode>(manifest.nodes, Object.fromEntries(hooks.map((h) => [h.unique_id, h]))) : manifest.nodes;
  // The hooks come after the nodes (a spread keeps a key's first place: none may be a node's): nodes copied, hooks written after.
  const withHooks: WrittenValues | undefined = written && hooks && !hooks.some((h) => h.unique_id in manifest.nodes)
    ? { read: written.read, find: (path, value) => (value === nodes ? extended(written.find(path, manifest.nodes), hooks) : written.find(path, value)) }
    : written;
  const wrote = writeManifestSpans(targetDir, hooks ? { ...manifest, nodes } : manifest, spansOf, withHooks);
  const semantic = semanticByManifest.get(manifest);
  if (semantic && hasSemanticLayer(semantic)) {
    writeFileAtomic(join(targetDir, 'semantic_manifest.json'), JSON.stringify(semanticManifestJson(semantic, relationNodesByName(manifest))), 'the semantic manifest', { durable: false });
  }
  return wrote;
}

/** A copied nodes object with the hook nodes after it (copied as JsonByteWriter copies a padded object). */
function extended(found: ReturnType<WrittenValues['find']>, hooks: readonly ProjectHookNode[]): ReturnType<WrittenValues['find']> {
  return found?.padded ? { ...found, more: hooks.map((h) => [h.unique_id, h]) } : undefined;
}

/**
 * writeManifests for `parse`, then a record of what it wrote
 * (written-artifacts.ts) so the next `parse` with nothing changed only
 * refreshes the files in place. `summary` is the "Found ..." line it printed.
 */
export function writeParseArtifacts(targetDir: string, manifest: Manifest, summary: string): string {
  const id = cacheIdByManifest.get(manifest);
  const cache = cacheWrittenByManifest.get(manifest);
  // The parse cache this parse just wrote, or read with nothing changed, holds the same nodes' bytes: copied, not
  // serialised again. Parse does not change a node after writing or reading the cache (the hooks, added at the end, are
  // not in it). A cache only read is copied where its splice map says, each key proved against the bytes.
  const source = !fastPaths() ? undefined : cache ? writtenCacheMembers(cache) : id !== undefined ? nodesFromSpliceMap(targetDir, manifest, id, {}, readMapsByManifest.get(manifest)) : undefined;
  const spansOf = id !== undefined && fastPaths() ? MANIFEST_SPANS : undefined;
  const { wrote } = writeCopying(source, (values) => writeManifestsSpans(targetDir, manifest, spansOf, values));
  const { path, spans } = wrote;
  const semantic = semanticByManifest.get(manifest);
  if (id !== undefined && fastPaths()) {
    recordWrittenArtifacts(targetDir, id, manifest, summary, semantic !== undefined && hasSemanticLayer(semantic));
    // Where each node sits in the cache and the manifest: the next parse with one model edited splices (parse-splice.ts).
    writeSpliceMap(targetDir, id, cache?.spans, spans);
  }
  return path;
}
