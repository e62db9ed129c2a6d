import { readFileSync } from 'node:fs';

/** tsdbt's own version, from package.json. */
export const TSDBT_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
