import { racyRows } from '../util/file-states.js';
import { fastPaths } from '../util/fast-paths.js';
import { patchedHeaderLine } from './cache-header-patch.js';
import { editCacheInPlaceSync } from './parse-cache-edit.js';
import type { ParseCacheCheck, ParseCacheHeader } from './parse-cache.js';

/**
 * Input files modified too shortly before a parse cache was written to be
 * vouched for by size and time alone (util/file-states.ts: racily clean,
 * e.g. every file of a checkout parsed at once) are read and hashed again by
 * every command that checks the cache, until a parse writes it anew: at
 * 10,000 models, ~5% of a compile. When a check finds nothing changed and
 * some of those files now old enough, their states as of this check go into
 * the cache's header, in place (parse-cache-edit.ts): only the file rows and
 * statesAt change; the id and the body stay, as they describe the same parse.
 *
 * Only a head start for later commands: anything not as expected, or any
 * failure, leaves the cache as it is (a failure midway removes it, and the
 * next parse is a full one). Returns whether the header was rewritten.
 */
export function settleCacheStates(check: ParseCacheCheck): boolean {
  const { cache, diff } = check;
  if (!fastPaths() || !cache || !diff || diff.added.length + diff.deleted.length + diff.changed.length > 0) return false;
  const old = cache.header;
  const racy = racyRows(old.files, old.statesAt).length;
  if (racy === 0 || racyRows(check.files, check.statesAt).length >= racy) return false;
  const next: ParseCacheHeader = { ...old, files: check.files, statesAt: check.statesAt };
  try {
    const line = patchedHeaderLine(cache.line, old, next);
    if (!line || line.length !== cache.indexStart) return false;
    return editCacheInPlaceSync(check.path, cache, [{ at: 0, bytes: line }]);
  } catch {
    return false;
  }
}
