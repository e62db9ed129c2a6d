import type { AdapterInfo } from './adapter-info.js';
import { Column } from './column.js';
import type { QueryResult } from './connection.js';
import { addQueryComment, type QueryCommentText } from './query-comment.js';
import { RelationCache } from './relation-cache.js';
import type { Relation, RelationType } from './relation.js';
import { ResultTable } from './result-table.js';
import type { SyncConnection } from './sync-bridge.js';

/** dbt's AdapterResponse, as written to run_results.json. */
export interface AdapterResponse {
  _message: string;
  code: string;
  rows_affected: number;
  query_id?: string;
}

/** One statement sent to the database, for logs, tests and timing. */
export interface ExecutedStatement {
  sql: string;
  ms: number;
  ok: boolean;
}

const literal = (s: string) => `'${s.split("'").join("''")}'`;

/**
 * The database side of an invocation: the synchronous connection, the
 * transaction state dbt's statement/commit calls drive, the relation cache,
 * and a log of every statement run. Shared by every render context of the
 * invocation (one connection, one cache).
 */
export class DatabaseSession {
  readonly cache: RelationCache;
  private open = false;
  /** begin() was called but not yet sent: it rides along with the next statement (one round trip fewer per node). */
  private pendingBegin = false;
  /** commitLater() was called: the commit rides along with the next statement, or is sent by commit(). */
  private pendingCommit = false;
  private readonly listeners: ((s: ExecutedStatement) => void)[] = [];
  /** dbt's query comment for what runs now (the running node's, or the invocation's); null: none. */
  private comment: QueryCommentText | null = null;

  constructor(
    readonly info: AdapterInfo,
    readonly conn: SyncConnection,
  ) {
    this.cache = new RelationCache((db, schema) => this.listRelationsWithoutCaching(db, schema));
  }

  /** Call `listener` with every statement run, until the returned function is called. */
  onStatement(listener: (s: ExecutedStatement) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * The comment every statement carries from now on (see query-comment.ts);
   * the adapter may place it on each statement of a script (Snowflake).
   * Begin and commit are sent without it, as dbt sends them.
   */
  setQueryComment(comment: QueryCommentText | null): void {
    this.comment = comment;
  }

  /** `sql` as it is sent: with the query comment, when there is one. */
  private commented(sql: string): string {
    const c = this.comment;
    if (c === null) return sql;
    return this.info.commentStatements ? this.info.commentStatements(sql, c) : addQueryComment(sql, c);
  }

  get inTransaction(): boolean {
    return this.open;
  }

  /** Run SQL; `autoBegin` opens a transaction first when none is open (dbt's statement(auto_begin=True)). */
  execute(sql: string, opts: { autoBegin?: boolean; fetch?: boolean } = {}): { response: AdapterResponse; table: ResultTable; raw: QueryResult } {
    if (opts.autoBegin && !this.open) this.begin();
    const started = performance.now();
    let raw: QueryResult;
    const text = `${this.pendingBegin ? 'begin transaction;\n' : ''}${this.commented(sql)}`;
    this.pendingBegin = false;
    try {
      raw = this.sendCarryingCommit(text);
    } catch (e) {
      this.emit({ sql, ms: performance.now() - started, ok: false });
      throw e;
    }
    this.emit({ sql, ms: performance.now() - started, ok: true });
    return { response: responseOf(raw), table: opts.fetch === false ? ResultTable.empty() : ResultTable.from(raw), raw };
  }

  begin(): void {
    if (this.open) return;
    this.pendingBegin = true;
    this.open = true;
    this.emit({ sql: 'begin', ms: 0, ok: true });
  }

  /**
   * Commit now: commits the open transaction, and sends a deferred commit
   * (see commitLater) unless `flushDeferred` is false (between nodes, where
   * the next statement can carry it). Call it before closing the connection.
   */
  commit(opts: { flushDeferred?: boolean } = {}): void {
    if (this.pendingCommit && opts.flushDeferred !== false) {
      this.pendingCommit = false;
      this.conn.commitSync();
      return;
    }
    if (!this.open) return;
    this.open = false;
    if (this.pendingBegin) {
      // Nothing ran inside the transaction: there is nothing to commit.
      this.pendingBegin = false;
      return;
    }
    this.conn.commitSync();
    this.emit({ sql: 'commit', ms: 0, ok: true });
  }

  /**
   * `adapter.commit()` from a materialization: the transaction is over for
   * the caller, but the COMMIT is sent together with the next statement (or
   * by commit() when the node ends), saving a round trip per node.
   */
  commitLater(): void {
    if (!this.open) return;
    this.open = false;
    if (this.pendingBegin) {
      this.pendingBegin = false;
      return;
    }
    this.pendingCommit = true;
    this.emit({ sql: 'commit', ms: 0, ok: true });
  }

  /** Roll back an open transaction (after a failure); the cache may have followed rolled-back DDL, so it is dropped. */
  rollbackIfOpen(): void {
    // A commit the materialization asked for before failing still happens, as in dbt.
    if (this.pendingCommit) {
      this.pendingCommit = false;
      try {
        this.conn.commitSync();
      } catch {
        this.cache.clear();
      }
    }
    if (!this.open) return;
    this.open = false;
    if (this.pendingBegin) {
      this.pendingBegin = false;
      return;
    }
    try {
      this.conn.rollbackSync();
    } catch {
      // A failed statement may already have aborted the transaction.
    }
    this.emit({ sql: 'rollback', ms: 0, ok: true });
    this.cache.clear();
  }

  /** Relations of a schema, straight from information_schema. */
  listRelationsWithoutCaching(database: string | null, schema: string): Relation[] {
    const where = [`lower(table_schema) = lower(${literal(schema)})`];
    if (database) where.push(`lower(table_catalog) = lower(${literal(database)})`);
    const sql = `select table_catalog, table_schema, table_name, table_type from ${this.info.informationSchema(database)}.tables where ${where.join(' and ')}`;
    const r = this.introspect(sql);
    return r.rows.map((row) =>
      this.info.makeRelation({
        database: String(row[0]),
        schema: String(row[1]),
        identifier: String(row[2]),
        type: relationTypeOf(String(row[3])),
      }),
    );
  }

  /**
   * The columns of a relation, in order; none when it does not exist. A
   * relation with neither database nor schema is a temporary one where the
   * adapter keeps those apart (DuckDB's `temp` catalog): it is found as the
   * database resolves the bare name, in the temporary catalog first, then in
   * the connection's default schema.
   */
  columnsOf(relation: Relation): Column[] {
    const columns = 'column_name, data_type, character_maximum_length, numeric_precision, numeric_scale';
    const name = `lower(table_name) = lower(${literal(relation.identifier ?? '')})`;
    const temp = this.info.temporaryCatalog;
    if (temp !== undefined && relation.database === null && relation.schema === null) {
      const sql =
        `select ${columns}, table_catalog = ${literal(temp)} as in_temp from information_schema.columns where ${name} and ` +
        `(table_catalog = ${literal(temp)} or (table_catalog = current_database() and table_schema = current_schema())) order by in_temp desc, ordinal_position`;
      const rows = this.introspect(sql).rows;
      const first = rows[0]?.[5];
      return rows.filter((row) => row[5] === first).map(columnOf);
    }
    const where = [`lower(table_schema) = lower(${literal(relation.schema ?? this.info.schema)})`, name];
    if (relation.database) where.push(`lower(table_catalog) = lower(${literal(relation.database)})`);
    const sql = `select ${columns} from ${this.info.informationSchema(relation.database)}.columns where ${where.join(' and ')} order by ordinal_position`;
    return this.introspect(sql).rows.map(columnOf);
  }

  schemaExists(database: string | null, schema: string): boolean {
    const where = [`lower(schema_name) = lower(${literal(schema)})`];
    if (database) where.push(`lower(catalog_name) = lower(${literal(database)})`);
    return this.introspect(`select 1 from ${this.info.informationSchema(database)}.schemata where ${where.join(' and ')}`).rows.length > 0;
  }

  /**
   * A catalog query, sent as is (not in a transaction of its own), with the
   * deferred COMMIT when there is one, as execute() sends a statement.
   * Without it the query would run inside the previous node's still-open
   * transaction, whose snapshot predates what other threads committed
   * since: a relation another thread just built would look missing (no
   * columns, not listed).
   */
  private introspect(sql: string): QueryResult {
    return this.sendCarryingCommit(this.commented(sql));
  }

  /**
   * Send `text`, after the deferred COMMIT (see commitLater) when there is
   * one, in the same request. Text that fails to parse fails as a whole, so
   * the COMMIT it carried (the previous node's) never ran: it is sent on its
   * own then, or the next rollback would undo the previous node's work (when
   * it did run, there is no transaction left to commit and that fails
   * harmlessly).
   */
  private sendCarryingCommit(text: string): QueryResult {
    const carriedCommit = this.pendingCommit;
    this.pendingCommit = false;
    try {
      return this.conn.executeSync(carriedCommit ? `commit;\n${text}` : text);
    } catch (e) {
      if (carriedCommit) {
        try {
          this.conn.commitSync();
        } catch {
          // already committed
        }
      }
      throw e;
    }
  }

  private emit(s: ExecutedStatement): void {
    for (const l of this.listeners) l(s);
  }
}

/** A row of information_schema.columns (name, type, char size, precision, scale) as a Column. */
function columnOf(row: unknown[]): Column {
  const type = String(row[1]);
  const isDecimal = /^(decimal|numeric)/i.test(type);
  // DuckDB reports DECIMAL(18,3) with its size already in the type name.
  const sized = isDecimal && !type.includes('(');
  return new Column(String(row[0]), type, row[2] === null ? null : Number(row[2]), sized && row[3] !== null ? Number(row[3]) : null, sized && row[4] !== null ? Number(row[4]) : null);
}

export function relationTypeOf(tableType: string): RelationType {
  const t = tableType.toUpperCase();
  if (t === 'VIEW') return 'view';
  if (t.includes('MATERIALIZED')) return 'materialized_view';
  if (t === 'LOCAL TEMPORARY' || t === 'BASE TABLE' || t === 'TABLE') return 'table';
  return 'table';
}

/** DuckDB answers DML/CTAS with one `Count` column; that is the rows affected. */
export function responseOf(raw: QueryResult): AdapterResponse {
  let rows = raw.rowsAffected ?? -1;
  if (raw.rowsAffected === undefined && raw.columns.length === 1 && raw.columns[0]!.name === 'Count' && raw.rows.length === 1) {
    rows = Number(raw.rows[0]![0]);
  }
  const response: AdapterResponse = { _message: rows >= 0 ? `OK ${rows}` : 'OK', code: 'OK', rows_affected: rows };
  if (raw.queryId) response.query_id = raw.queryId;
  return response;
}
