/**
 * The SQL that loads a landed Parquet file into the warehouse's raw schema,
 * per dialect. Kept apart from the landing so another warehouse only adds a
 * function here. Every statement is idempotent: re-running replaces the table.
 */
export type LoadDialect = 'duckdb';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * DuckDB reads the Parquet file directly.
 * (Snowflake would be: `create schema if not exists`, `PUT file://<file> @~/tsdbt_extract/<table>`,
 * `create or replace table ... using template (infer_schema ...)`,
 * `COPY INTO <table> FROM @~/tsdbt_extract/<table> FILE_FORMAT=(TYPE=PARQUET) MATCH_BY_COLUMN_NAME=CASE_INSENSITIVE`.)
 */
export function loadStatements(dialect: LoadDialect, schema: string, table: string, parquetFile: string): string[] {
  switch (dialect) {
    case 'duckdb':
      return [
        `create schema if not exists ${quoteIdent(schema)}`,
        `create or replace table ${quoteIdent(schema)}.${quoteIdent(table)} as select * from read_parquet(${quoteString(parquetFile)})`,
      ];
  }
}
