import { join } from 'node:path';
import { replayedWarnings } from './replayed-warnings.js';
import type { Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import type { LoadedProject } from './load-project.js';
import { checkParseCache, nothingChangedSince, type OpenParseCache, type ParseCacheCheck } from './parse-cache.js';
import type { CheckedStates } from './quick-start-record.js';
import { INDEXED_MESSAGE, REFRESHED_MESSAGE } from './quick-start.js';
import { indexManifest } from './selection-index.js';
import { writtenArtifactsFor } from './written-artifacts.js';
import { settleCacheStates } from './settle-cache-states.js';
import { targetDirOf } from './target-dir.js';

/**
 * What commands do when the parse cache holds and no input changed, without
 * reading the cache's body: `parse` refreshes the artifacts it wrote last
 * time, `ls` selects from the selection index. Each returns undefined when
 * it does not apply, and the caller then goes the whole way (parseLoaded).
 * Off with partial parsing and with TSDBT_FAST_PATHS=0.
 *
 * When it does not apply, the check made (the cache still open) is handed
 * back for parseLoaded (ParseOptions.check), so the files are not compared twice.
 */
function withUnchangedCache<T>(loaded: LoadedProject, flags: Record<string, unknown>, use: (cache: OpenParseCache) => T | undefined, checked?: ParseCacheCheck, deferNodeFiles = false): { done: T; checked: CheckedParse } | { check?: ParseCacheCheck } {
  if (!loaded.partialParse || !fastPaths()) return {};
  const check = checked ?? checkParseCache(loaded, flags, deferNodeFiles);
  const { cache } = check;
  let done: T | undefined;
  try {
    if (cache && nothingChangedSince(check)) done = use(cache);
  } catch (e) {
    cache?.close();
    throw e;
  }
  if (done === undefined) return { check };
  // Files read and hashed only because they were too new when the cache was written: vouched for from now on.
  settleCacheStates(check);
  cache?.close();
  return { done, checked: { key: check.key, id: cache!.header.id, files: check.files, statesAt: check.statesAt } };
}

/** The cache key and the input files' states of a cache found unchanged (what quick-start-record.ts vouches for). */
export interface CheckedParse extends CheckedStates {
  key: string;
}

export interface RefreshedParse {
  warnings: string[];
  summary: string;
  /** Undefined with --no-write-json: none written. */
  manifestPath: string | undefined;
  /** The quick start record was written already (parse-splice.ts writes it while manifest.json is flushed). */
  quickStartRecorded?: boolean;
}

/**
 * `parse` with nothing changed, when target/manifest.json (and
 * semantic_manifest.json) are still the files the last `parse` wrote from
 * this cache: their generated_at and invocation_id are rewritten in place
 * (written-artifacts.ts) and nothing else is read or written. The graph had
 * no cycle then (it was recorded after the check), so none now.
 */
export function refreshUnchangedParse(loaded: LoadedProject, flags: Record<string, unknown>): { done: RefreshedParse; checked: CheckedParse } | { check?: ParseCacheCheck } {
  // Without a cache the check goes to parseLoaded's full parse, which takes the model files' rows from its own reads (deferred).
  return withUnchangedCache(loaded, flags, (cache) => {
    const targetDir = targetDirOf(loaded);
    const record = writtenArtifactsFor(loaded.writeJson, targetDir, cache.header.id, new Date().toISOString(), loaded.invocationId);
    if (!record) return undefined;
    if (loaded.writeJson) loaded.logger.debug(REFRESHED_MESSAGE);
    return { warnings: [...loaded.warnings, ...replayedWarnings(cache.header.warnings, [])], summary: record.summary, manifestPath: loaded.writeJson ? join(targetDir, 'manifest.json') : undefined };
  }, undefined, true);
}

/**
 * The selection index as a manifest (selection-index.ts: only what
 * selecting and `ls`'s selector, name and path outputs read) with the
 * parse's warnings, when nothing changed since the cache was written.
 */
export function unchangedSelectionManifest(loaded: LoadedProject, flags: Record<string, unknown>, checked?: ParseCacheCheck): { done: { manifest: Manifest; warnings: string[] }; checked: CheckedParse } | { check?: ParseCacheCheck } {
  return withUnchangedCache(loaded, flags, (cache) => {
    const read = cache.index();
    if ('reason' in read) return undefined;
    let manifest: Manifest;
    try {
      manifest = indexManifest(read.index);
    } catch {
      return undefined; // a malformed index: the whole parse instead
    }
    loaded.logger.debug(INDEXED_MESSAGE);
    return { manifest, warnings: [...loaded.warnings, ...replayedWarnings(cache.header.warnings, [])] };
  }, checked);
}
