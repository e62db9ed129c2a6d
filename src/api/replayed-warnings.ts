import { duplicateKeyWarningFile } from '../util/duplicate-key-warning.js';

/**
 * A cached parse's warnings as dbt shows them when partial parsing reuses
 * it: dbt warns about a YAML file's duplicate keys when it reads the file,
 * and a partial parse does not read the files that did not change. So a
 * duplicate-key warning is kept only when its file is one of `reread`
 * (absolute paths of the files added or changed since the cache); every
 * other warning is kept. The cache itself keeps them all, for the next
 * full parse.
 */
export function replayedWarnings(warnings: readonly string[], reread: readonly string[]): string[] {
  return warnings.filter((w) => {
    const file = duplicateKeyWarningFile(w);
    // Warnings name the file relative to its package's root.
    return file === undefined || reread.some((abs) => abs === file || abs.endsWith(`/${file}`));
  });
}
