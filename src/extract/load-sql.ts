/**
 * The SQL that loads a landed Parquet file into the warehouse's raw schema,
 * per dialect. Kept apart from the landing so another warehouse only adds a
 * case here. Every statement list is idempotent: re-running replaces the table.
 */
export type LoadDialect = 'duckdb' | 'snowflake';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB string literal: backslashes are literal there, only quotes double. */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Snowflake string literal: backslash is an escape character there too. */
function snowflakeString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Statements that (re)create `<schema>.<table>` from `parquetFile` (an absolute path).
 * Schema and table names are validated identifiers (`[A-Za-z_][A-Za-z0-9_]*`) in extract.yml.
 */
export function loadStatements(dialect: LoadDialect, schema: string, table: string, parquetFile: string): string[] {
  switch (dialect) {
    case 'duckdb':
      return [
        `create schema if not exists ${quoteIdent(schema)}`,
        `create or replace table ${quoteIdent(schema)}.${quoteIdent(table)} as select * from read_parquet(${quoteString(parquetFile)})`,
      ];
    case 'snowflake': {
      // Unquoted names fold to upper case, as dbt-snowflake models expect. The table takes its
      // columns from the file (INFER_SCHEMA), upper-cased so unquoted references resolve, and
      // COPY matches the file's lower-case names to them case-insensitively.
      const stage = `@~/tsdbt_extract/${table}/`;
      const format = `${schema}.tsdbt_extract_parquet`;
      return [
        `create schema if not exists ${schema}`,
        `create file format if not exists ${format} type = parquet`,
        `remove ${stage}`,
        `put ${snowflakeString(`file://${parquetFile}`)} ${stage} auto_compress = false overwrite = true`,
        `create or replace table ${schema}.${table} using template (` +
          `select array_agg(object_construct('COLUMN_NAME', upper(column_name), 'TYPE', type, 'NULLABLE', nullable, 'EXPRESSION', expression)) within group (order by order_id) ` +
          `from table(infer_schema(location => '${stage}', file_format => '${format}')))`,
        `copy into ${schema}.${table} from ${stage} file_format = (format_name = '${format}') match_by_column_name = case_insensitive`,
      ];
    }
  }
}
