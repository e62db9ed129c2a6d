import { createRequire } from 'node:module';
import type * as DuckDBApi from '@duckdb/node-api';

/**
 * @duckdb/node-api, loaded with require(): it is a CommonJS package, and
 * import() first scans each of its files for their exports (cjs-module-lexer),
 * about 0.15 s of CPU in every process that opens a database.
 */
export const duckdbDriver: typeof DuckDBApi = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDBApi;
