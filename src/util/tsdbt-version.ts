import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** tsdbt's own version, from package.json. */
export const TSDBT_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The version and build of this tsdbt: package.json's version and when this
 * module was built (a development build changes without a version bump).
 */
export function tsdbtBuild(): string {
  let built = 0;
  try {
    built = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    // not a file URL (bundled): the version alone
  }
  return `${TSDBT_VERSION}+${built}`;
}
