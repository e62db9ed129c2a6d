/**
 * The narrowest interface a database driver must satisfy.
 *
 * Everything dialect-specific lives in dispatchable macros (src/include) and
 * in the adapter's declared capabilities; the Connection only moves SQL and
 * rows. Keeping it this small lets a wire-level test double stand in.
 */

/** One result column: its name and the database's type name (e.g. `INTEGER`, `TIMESTAMP WITH TIME ZONE`, `NUMBER(38,0)`). */
export interface ResultColumn {
  name: string;
  type: string;
}

/**
 * Rows come back as arrays in column order, with values converted to plain JS:
 * numbers (or bigint beyond 2^53), strings, booleans, null, Date for
 * timestamps/dates, arrays for lists, plain objects for structs.
 */
export interface QueryResult {
  columns: ResultColumn[];
  rows: unknown[][];
  /** Rows inserted/updated/deleted, when the driver reports it. */
  rowsAffected?: number;
  /** Driver-specific status, e.g. Snowflake's query id. */
  queryId?: string;
  /**
   * The microseconds (1-999) past each timestamp's millisecond, which its Date cannot hold: by column index, then
   * row index; only columns with any, and only when the driver reads them (DuckDB). See templateRowsOf.
   */
  micros?: Record<number, Record<number, number>>;
  /**
   * A DECIMAL column's exact values where the driver's numbers cannot hold them (more than 15 digits): the value
   * times 10^scale, by column index, then row index (DuckDB). See agate-types.ts.
   */
  decimals?: Record<number, Record<number, bigint>>;
}

export interface Connection {
  /** Run one statement; binds are positional (`?` / `$1`, per driver). */
  execute(sql: string, binds?: unknown[]): Promise<QueryResult>;
  /** Run one statement and yield its rows in batches, for large results. */
  stream(sql: string, binds?: unknown[]): AsyncIterable<unknown[][]>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Cancel whatever is running on this connection (Ctrl-C); the running statement's promise rejects. */
  cancel(): Promise<void>;
  close(): Promise<void>;
  /**
   * Another connection to the same database, for another thread of the run
   * (DuckDB: a connection on the same instance, since one process may hold
   * one instance per file). Optional: without it the bridge opens another
   * connection with the same opener (e.g. another Snowflake login).
   */
  sibling?(): Promise<Connection>;
}

/** An error from the database, with the driver's own code and SQL state where it has them. */
export interface DatabaseErrorDetail {
  /** e.g. Snowflake's `002003`. */
  code?: string;
  sqlState?: string;
  sql?: string;
}
