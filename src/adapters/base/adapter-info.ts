import type { QuotePolicy, Relation, RelationFlavor, RelationSpec } from './relation.js';
import type { AdapterCapabilities } from './capabilities.js';
import type { ColumnApi } from './column.js';
import type { QueryCommentText } from './query-comment.js';

/**
 * What parse and compile need to know about an adapter without a
 * connection: its type, dispatch chain, quoting, and how to build relations.
 */
export interface AdapterInfo {
  /** e.g. `duckdb`, `snowflake`. */
  type: string;
  /** Dispatch prefixes, most specific first (e.g. ['duckdb']). */
  adapterChain: string[];
  quoteChar: string;
  quotePolicy: QuotePolicy;
  /**
   * What templates read as `adapter.config` (dbt's RuntimeConfig): the root project's `quoting:` and `flags:` as
   * written in dbt_project.yml (empty when absent). Set when the project loads.
   */
  runtimeConfig?: { quoting: Record<string, unknown>; flags: Record<string, unknown> };
  capabilities: AdapterCapabilities;
  /** The target's database (DuckDB: the file's stem) and schema. */
  database: string | null;
  schema: string;
  makeRelation(spec: RelationSpec): Relation;
  /** The adapter's relation class (name, subquery alias rule); BaseRelation's when absent. */
  relationFlavor?: RelationFlavor;
  /** Quote an identifier for this dialect. */
  quote(identifier: string): string;
  /** `api.Column` / `adapter.Column` in templates: this adapter's Column class. */
  column: ColumnApi;
  /**
   * The information schema that describes `database` (Snowflake has one per
   * database: `"DB".information_schema`; DuckDB one for every catalog).
   */
  informationSchema(database: string | null): string;
  /**
   * Where an unqualified relation (no database, no schema) lives when it is a
   * temporary table: DuckDB keeps them in the `temp` catalog and resolves an
   * unqualified name there first, then in the default schema. Absent: such a
   * relation is looked for in the target's schema.
   */
  temporaryCatalog?: string;
  /**
   * A source table that is files rather than a table (dbt-duckdb's
   * `external_location`): the SQL that reads them, rendered in place of the
   * relation's name; null for an ordinary table. Absent: sources are tables.
   */
  externalSource?(source: ExternalSourceFields): string | null;
  /** Whether the query comment goes after the statement unless `query-comment: {append: ...}` says (dbt-snowflake: Snowflake drops leading comments). */
  queryCommentAppends?: boolean;
  /** Put the query comment on each statement of a script, where the adapter sends them one by one (Snowflake); absent: once, on the whole text. */
  commentStatements?(sql: string, comment: QueryCommentText): string;
  /** Where files written by the `external` materialization go by default (DuckDB's profile `external_root`, '.' when unset). */
  externalRoot?: string;
}

/** What a source table offers an adapter deciding whether it is files (name, meta, config...). */
export interface ExternalSourceFields {
  name: string;
  identifier: string;
  schema: string;
  database: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Where the source is declared, for errors. */
  file?: string;
  line?: number;
}
