import { fileURLToPath } from 'node:url';

/**
 * The folder holding tsdbt's package.json (and project/, src/include): two
 * levels above this module, which holds from src/util/, from dist/util/ and
 * from the CLI bundle, whose files all sit in dist/bundle/ (scripts/bundle.mjs).
 */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));
