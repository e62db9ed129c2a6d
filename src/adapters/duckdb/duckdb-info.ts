import { basename } from 'node:path';
import type { AdapterInfo } from '../base/adapter-info.js';
import { columnApi } from '../base/column.js';
import { externalSourceSql } from './external-source.js';
import { Relation, type QuotePolicy, type RelationFlavor } from '../base/relation.js';

/** DuckDBRelation: limited refs render without an alias, so the model's own alias applies. */
const DUCKDB_RELATION: RelationFlavor = { className: 'DuckDBRelation', requireAlias: false };

/** JSON schema of a DuckDB profile output (as dbt-duckdb reads it). */
export const duckdbProfileSchema = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { const: 'duckdb' },
    path: { type: 'string' },
    database: { type: 'string' },
    schema: { type: 'string' },
    threads: { type: ['integer', 'string'] },
    extensions: { type: 'array', items: { type: ['string', 'object'] } },
    settings: { type: 'object' },
    attach: { type: 'array', items: { type: 'object' } },
    external_root: { type: 'string' },
    filesystems: { type: 'array' },
    plugins: { type: 'array' },
    secrets: { type: 'array' },
    module_paths: { type: 'array' },
    use_credential_provider: { type: 'string' },
    disable_transactions: { type: 'boolean' },
    keep_open: { type: 'boolean' },
    retries: { type: 'object' },
    config_options: { type: 'object' },
    is_ducklake: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

/** The profile fields `target` shows (dbt-duckdb's connection keys): not `secrets`, `module_paths`, `retries`... */
export const DUCKDB_TARGET_KEYS: readonly string[] = [
  'database', 'schema', 'path', 'config_options', 'extensions', 'settings', 'external_root', 'use_credential_provider',
  'attach', 'filesystems', 'remote', 'plugins', 'disable_transactions',
];

/** dbt-duckdb names the database after the file's stem (`dev.duckdb` → `dev`), `memory` for `:memory:`. */
export function duckdbDatabaseName(credentials: Record<string, unknown>): string {
  if (typeof credentials.database === 'string') return credentials.database;
  const path = typeof credentials.path === 'string' ? credentials.path : ':memory:';
  if (path === ':memory:' || path.startsWith(':memory:')) return 'memory';
  return basename(path).replace(/\.[^.]*$/, '');
}

const QUOTE_ALL: QuotePolicy = { database: true, schema: true, identifier: true };

export function duckdbAdapterInfo(credentials: Record<string, unknown>, quoting: Record<string, unknown> = {}): AdapterInfo {
  const quotePolicy: QuotePolicy = {
    database: quoting.database === undefined ? QUOTE_ALL.database : Boolean(quoting.database),
    schema: quoting.schema === undefined ? QUOTE_ALL.schema : Boolean(quoting.schema),
    identifier: quoting.identifier === undefined ? QUOTE_ALL.identifier : Boolean(quoting.identifier),
  };
  return {
    type: 'duckdb',
    column: columnApi(),
    adapterChain: ['duckdb'],
    quoteChar: '"',
    quotePolicy,
    capabilities: {
      supportsTransactionalDdl: true,
      supportsMerge: true,
      atomicCreateOrReplace: false,
      identifierCase: 'preserve',
      foreignKeyNamesDatabase: false,
      defaultIncrementalStrategy: 'delete+insert',
      // as dbt-duckdb on a DuckDB with MERGE (1.4 and later)
      incrementalStrategies: ['append', 'delete+insert', 'merge', 'microbatch'],
      microbatchConcurrency: true,
      tableLastModifiedMetadata: false,
    },
    database: duckdbDatabaseName(credentials),
    schema: typeof credentials.schema === 'string' ? credentials.schema : 'main',
    makeRelation: (spec) => new Relation(spec, quotePolicy, '"', undefined, undefined, DUCKDB_RELATION),
    relationFlavor: DUCKDB_RELATION,
    quote: (identifier) => `"${identifier.split('"').join('""')}"`,
    informationSchema: () => 'information_schema',
    temporaryCatalog: 'temp',
    externalSource: externalSourceSql,
    externalRoot: typeof credentials.external_root === 'string' && credentials.external_root !== '' ? credentials.external_root : '.',
  };
}
