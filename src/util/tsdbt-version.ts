import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from './package-root.js';

/** tsdbt's own version, from package.json. */
export const TSDBT_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The version and build of this tsdbt: package.json's version and when this
 * module was built (a development build changes without a version bump). From
 * the CLI bundle that is when the bundle's chunk holding this code was written,
 * so a bundled and an unbundled run of the same sources have different builds
 * (their caches are not shared), and every `npm run build` is a new one.
 */
export function tsdbtBuild(): string {
  let built = 0;
  try {
    built = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    // not a file URL: the version alone
  }
  return `${TSDBT_VERSION}+${built}`;
}
