import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from './package-root.js';

/** tsdbt's own version, from package.json. */
export const TSDBT_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The version and build of this tsdbt: package.json's version and when this
 * code was built (a development build changes without a version bump). From
 * the CLI bundle (dist/bundle/, scripts/bundle.mjs) that is when its main.js
 * was written, which every `npm run build` writes: the same for the bundle's
 * ES modules and for cli.cjs beside them (bin/tsdbt.js runs either, and
 * their parse caches are one). Unbundled, when this module was written, so a
 * bundled and an unbundled run of the same sources have different builds
 * (their caches are not shared).
 */
export function tsdbtBuild(): string {
  let built = 0;
  try {
    const own = fileURLToPath(import.meta.url);
    built = (statSync(join(dirname(own), 'main.js'), { throwIfNoEntry: false }) ?? statSync(own)).mtimeMs;
  } catch {
    // not a file URL: the version alone
  }
  return `${TSDBT_VERSION}+${built}`;
}
