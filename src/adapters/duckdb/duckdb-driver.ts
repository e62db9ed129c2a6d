import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as DuckDBApi from '@duckdb/node-api';

/**
 * @duckdb/node-api, loaded with require(): it is a CommonJS package, and
 * import() first scans each of its files for their exports (cjs-module-lexer),
 * about 0.15 s of CPU in every process that opens a database. From the CLI
 * bundle it is dist/bundle/duckdb-lib.cjs (scripts/bundle.mjs makes it: the
 * package's ~190 files in one, its native binding still the installed
 * @duckdb/node-bindings), which loads in about a third of the time; from tsc's
 * output and the TypeScript sources, the installed package.
 */
export const duckdbDriver: typeof DuckDBApi = loadDriver();

function loadDriver(): typeof DuckDBApi {
  const require = createRequire(import.meta.url);
  const bundled = fileURLToPath(new URL('./duckdb-lib.cjs', import.meta.url));
  return (existsSync(bundled) ? require(bundled) : require('@duckdb/node-api')) as typeof DuckDBApi;
}
