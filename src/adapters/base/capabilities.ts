/** What an adapter's database can do; materializations branch on these, not on the adapter's name. */
export interface AdapterCapabilities {
  /** DDL runs inside a transaction and can be rolled back (DuckDB yes, Snowflake no). */
  supportsTransactionalDdl: boolean;
  /** `MERGE INTO` is available. */
  supportsMerge: boolean;
  /** `CREATE OR REPLACE TABLE ... AS` is atomic, so no rename swap is needed. */
  atomicCreateOrReplace: boolean;
  /** Unquoted identifiers fold to upper case (Snowflake) or are kept as written/lower (DuckDB). */
  identifierCase: 'upper' | 'lower' | 'preserve';
  /**
   * A foreign key may name its parent with the database part. DuckDB refuses
   * ("FOREIGN KEY constraints cannot be defined cross-database"), so there a
   * `to: ref()` parent is written as schema.table.
   */
  foreignKeyNamesDatabase: boolean;
  /** The incremental strategy used when a model names none. */
  defaultIncrementalStrategy: 'append' | 'delete+insert' | 'merge';
  /**
   * The built-in incremental strategies the adapter runs (dbt's
   * valid_incremental_strategies); a custom strategy needs only its macro.
   */
  incrementalStrategies: readonly string[];
  /**
   * A microbatch model's batches may run at once, each on its own connection
   * (dbt's Capability.MicrobatchConcurrency; dbt-duckdb and dbt-snowflake
   * declare it).
   */
  microbatchConcurrency: boolean;
  /**
   * The database says when a table last changed (dbt's
   * Capability.TableLastModifiedMetadata: Snowflake yes, DuckDB no). dbt
   * warns at parse about a source with freshness but no loaded_at_field
   * where it is missing.
   */
  tableLastModifiedMetadata: boolean;
}
