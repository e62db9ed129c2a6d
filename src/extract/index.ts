/**
 * `tsdbt extract`: declarative REST streams (extract.yml) → Parquet files
 * under `<project>/data/raw/` → `raw.<table>` in the target.
 *
 *   const results = await runExtract({ projectDir: 'project', connection });
 *
 * The CLI translates argv into ExtractOptions and draws `onProgress` events;
 * nothing here exits the process.
 */
export { runExtract, type ExtractOptions } from './run-extract.js';
export { loadExtractConfig } from './load-config.js';
export type { ExtractConfig, StreamConfig, SourceConfig, PaginationConfig } from './config-types.js';
export type { ExtractProgress, ExtractResults, StreamResult } from './results.js';
export type { ExtractState, StreamState } from './state.js';
export { statePath } from './state.js';
export { loadStatements, type LoadDialect } from './load-sql.js';
export { URL_ENV } from './source-setup.js';
export { toSnakeCase } from './naming.js';
