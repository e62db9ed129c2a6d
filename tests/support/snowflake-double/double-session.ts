/**
 * One Snowflake session inside the double: its state (database, schema,
 * warehouse, role, query tag) and its own DuckDB connection, so USE in one
 * session does not leak into another, as in Snowflake.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBConnection } from '../../../src/adapters/duckdb/duckdb-connection.js';
import type { QueryResult } from '../../../src/adapters/base/connection.js';
import { parseCommand, snowflakeTypeName } from './snowflake-commands.js';
import type { Command } from './snowflake-commands.js';
import { SCHEMA_MISSING, fromDuckDBError, objectMissing } from './snowflake-failures.js';
import type { SnowflakeFailure } from './snowflake-failures.js';
import { splitCtasWithColumns } from './ctas-with-columns.js';
import { translateSnowflakeSql } from './sql-translate.js';
import { forgetGrantsOnReplace, grant, showGrants, showParameters } from './double-grants.js';

export class SnowflakeStatementError extends Error {
  constructor(readonly failure: SnowflakeFailure) {
    super(failure.message);
  }
}

export interface SessionState {
  user: string;
  account: string;
  database: string | null;
  schema: string | null;
  warehouse: string | null;
  role: string | null;
  queryTag: string;
  parameters: Record<string, string>;
}

/** Snowflake statement type ids (see snowflake-sdk connection/result/statement_type.js). */
export const STATEMENT_TYPE = { select: 0x1000, insert: 0x3100, update: 0x3200, delete: 0x3300, merge: 0x3400, ddl: 0x6000 };

/** State shared by every session: named internal stages (a directory per stage under `root`) and grants. */
export interface StageRegistry {
  root: string;
  dirs: Map<string, string>;
  /** `DB.SCHEMA.NAME` → privilege → roles granted it. */
  grants?: Map<string, Map<string, Set<string>>>;
  /** `DB.SCHEMA.NAME` of each file format → its TYPE (PARQUET, CSV, ...). */
  formats?: Map<string, string>;
}

export interface StatementOutcome {
  result: QueryResult;
  statementTypeId: number;
}

const OK = (message = 'Statement executed successfully.'): QueryResult => ({
  columns: [{ name: 'status', type: 'VARCHAR' }],
  rows: [[message]],
});

export class DoubleSession {
  private constructor(
    readonly state: SessionState,
    readonly db: DuckDBConnection,
    private readonly warehouses: Record<string, 'started' | 'suspended'>,
    readonly stages: StageRegistry,
  ) {}

  static async open(
    instance: DuckDBInstance,
    state: SessionState,
    warehouses: Record<string, 'started' | 'suspended'>,
    stages: StageRegistry,
  ): Promise<DoubleSession> {
    const session = new DoubleSession(state, await DuckDBConnection.open(instance), warehouses, stages);
    await session.applyUse();
    return session;
  }

  /** Does this statement need a running warehouse? Metadata commands and constant selects do not. */
  needsWarehouse(sql: string): boolean {
    const command = parseCommand(sql);
    if (command) return command.kind === 'copy_into' || command.kind === 'create_table_from_template';
    const s = sql.trim().toLowerCase();
    if (/^(select|with)\b/.test(s)) return /\bfrom\b/.test(s);
    return /^(insert|update|delete|merge|copy)\b/.test(s) || /^create\b[\s\S]*\bas\s*\(?\s*(select|with)\b/.test(s);
  }

  async run(sql: string, binds: unknown[]): Promise<StatementOutcome> {
    const command = parseCommand(sql);
    if (command) return { result: await this.runCommand(command), statementTypeId: STATEMENT_TYPE.ddl };
    const ctas = splitCtasWithColumns(sql);
    if (ctas) {
      // One Snowflake statement (atomic there) as two DuckDB ones, inside a transaction of their own
      // unless the session already has one open, so a failing insert leaves the previous table.
      let began = false;
      try {
        await this.duck('begin transaction');
        began = true;
      } catch {
        // already inside the session's transaction
      }
      try {
        await this.run(ctas.create, []);
        await this.run(ctas.insert, binds);
        if (began) await this.duck('commit');
      } catch (e) {
        if (began) await this.duck('rollback').catch(() => undefined);
        throw e;
      }
      return { result: OK(), statementTypeId: STATEMENT_TYPE.ddl };
    }
    const duck = translateSnowflakeSql(sql, {
      warehouse: this.state.warehouse ?? undefined,
      role: this.state.role ?? undefined,
      database: this.state.database ?? undefined,
      schema: this.state.schema ?? undefined,
      account: this.state.account,
      user: this.state.user,
    });
    const result = await this.duck(duck, binds);
    forgetGrantsOnReplace(this, sql);
    const first = /^\s*(\w+)/.exec(sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, ''))?.[1]?.toLowerCase() ?? '';
    const count = Number(result.rows[0]?.[0] ?? 0);
    switch (first) {
      case 'insert':
        return { result: dml([['number of rows inserted', count]]), statementTypeId: STATEMENT_TYPE.insert };
      case 'update':
        return { result: dml([['number of rows updated', count], ['number of multi-joined rows updated', 0]]), statementTypeId: STATEMENT_TYPE.update };
      case 'delete':
        return { result: dml([['number of rows deleted', count]]), statementTypeId: STATEMENT_TYPE.delete };
      case 'merge':
        // DuckDB reports one total for MERGE; Snowflake splits it, the sum is what the driver reports
        return { result: dml([['number of rows inserted', count], ['number of rows updated', 0]]), statementTypeId: STATEMENT_TYPE.merge };
      case 'select':
      case 'with':
      case 'values':
      case 'show':
      case 'describe':
        return { result, statementTypeId: STATEMENT_TYPE.select };
      default:
        return { result: OK(), statementTypeId: STATEMENT_TYPE.ddl };
    }
  }

  private async duck(sql: string, binds: unknown[] = []): Promise<QueryResult> {
    try {
      return await this.db.execute(sql, binds.length > 0 ? binds : undefined);
    } catch (e) {
      throw new SnowflakeStatementError(fromDuckDBError(e instanceof Error ? e.message : String(e)));
    }
  }

  private async runCommand(c: Command): Promise<QueryResult> {
    switch (c.kind) {
      case 'use':
        return this.use(c.object, c.name);
      case 'alter_session':
        for (const [k, v] of Object.entries(c.set)) {
          if (k === 'QUERY_TAG') this.state.queryTag = v;
          else this.state.parameters[k] = v;
        }
        for (const k of c.unset) {
          if (k === 'QUERY_TAG') this.state.queryTag = '';
          else delete this.state.parameters[k];
        }
        return OK();
      case 'create_database': {
        const exists = await this.databaseExists(c.name);
        if (exists && c.ifNotExists) return OK(`${c.name} already exists, statement succeeded.`);
        if (exists && !c.orReplace) throw new SnowflakeStatementError({ code: '002002', sqlState: '42710', message: `SQL compilation error:\nObject '${c.name}' already exists.` });
        if (exists) await this.duck(`detach ${q(c.name)}`);
        await this.duck(`attach ':memory:' as ${q(c.name)}`);
        await this.duck(`create schema ${q(c.name)}."PUBLIC"`);
        return OK(`Database ${c.name} successfully created.`);
      }
      case 'show_objects':
        return this.showObjects(c.name, c.terse);
      case 'show_schemas':
        return this.showSchemas(c.database ?? this.state.database ?? '', c.terse);
      case 'describe_table':
        return this.describe(c.name);
      case 'create_stage': {
        const key = this.qualify(c.name).join('.');
        if (this.stages.dirs.has(key) && c.ifNotExists) return OK(`${c.name.at(-1)} already exists, statement succeeded.`);
        const dir = join(this.stages.root, key);
        mkdirSync(dir, { recursive: true });
        this.stages.dirs.set(key, dir);
        return OK(`Stage area ${c.name.at(-1)} successfully created.`);
      }
      case 'put':
        throw new SnowflakeStatementError({ code: '000002', sqlState: '0A000', message: 'PUT is answered by the file transfer path of the double' });
      case 'copy_into':
        return this.copyInto(c);
      case 'remove':
        return this.remove(c.stage, c.path);
      case 'create_file_format': {
        const key = this.qualify(c.name).join('.');
        this.stages.formats ??= new Map();
        if (this.stages.formats.has(key) && c.ifNotExists) return OK(`${c.name.at(-1)} already exists, statement succeeded.`);
        if (this.stages.formats.has(key) && !c.orReplace) throw new SnowflakeStatementError({ code: '002002', sqlState: '42710', message: `SQL compilation error:\nObject '${key}' already exists.` });
        this.stages.formats.set(key, c.fileType);
        return OK(`File format ${c.name.at(-1)} successfully created.`);
      }
      case 'create_table_from_template':
        return this.createFromTemplate(c);
      case 'show_parameters':
        return showParameters(this.state, c.like);
      case 'show_grants':
        return showGrants(this, c.name);
      case 'grant':
      case 'revoke':
        return grant(this, c);
      case 'alter_clustering':
        await this.describe(c.name);
        return OK();
    }
  }

  /** The directory behind a stage name (`~` the user stage, `my_stage`, `s.my_stage`, `db.s.my_stage`) and a path in it. */
  stageDir(name: string[], path = ''): string {
    let dir: string;
    if (name.length === 1 && name[0] === '~') {
      dir = join(this.stages.root, `~${this.state.user}`);
    } else {
      const key = this.qualify(name).join('.');
      const found = this.stages.dirs.get(key);
      if (!found) throw new SnowflakeStatementError(objectMissing(key));
      dir = found;
    }
    const full = path ? join(dir, path) : dir;
    mkdirSync(full, { recursive: true });
    return full;
  }

  /** Staged files directly under a stage path, sorted. */
  private stagedFiles(stage: string[], path: string): { dir: string; files: string[] } {
    const dir = this.stageDir(stage, path);
    return { dir, files: readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).sort() };
  }

  private remove(stage: string[], path: string): QueryResult {
    const { dir, files } = this.stagedFiles(stage, path);
    for (const f of files) rmSync(join(dir, f), { force: true });
    const prefix = `${stage.join('.').toLowerCase()}/${path ? `${path}/` : ''}`;
    return { columns: [{ name: 'name', type: 'VARCHAR' }, { name: 'result', type: 'VARCHAR' }], rows: files.map((f) => [prefix + f, 'removed']) };
  }

  private formatType(name: string[]): string {
    const key = this.qualify(name).join('.');
    const type = this.stages.formats?.get(key);
    if (!type) throw new SnowflakeStatementError({ code: '002003', sqlState: '02000', message: `SQL compilation error:\nFile format '${key}' does not exist or not authorized.` });
    return type;
  }

  /** USING TEMPLATE over INFER_SCHEMA: a table with the columns of the first staged Parquet file. */
  private async createFromTemplate(c: Extract<Command, { kind: 'create_table_from_template' }>): Promise<QueryResult> {
    const type = this.formatType(c.formatName);
    if (type !== 'PARQUET') throw new SnowflakeStatementError({ code: '000002', sqlState: '0A000', message: `the double infers schemas of Parquet files only, not ${type}` });
    const { dir, files } = this.stagedFiles(c.stage, c.path);
    if (files.length === 0) throw new SnowflakeStatementError({ code: '002003', sqlState: '02000', message: 'SQL compilation error:\nRemote file does not exist or not authorized.' });
    const described = await this.duck(`describe select * from read_parquet('${join(dir, files[0]!).replace(/'/g, "''")}')`);
    const columns = described.rows.map(([name, type]) => `${q(c.upperNames ? String(name).toUpperCase() : String(name))} ${String(type)}`);
    await this.duck(`create or replace table ${this.qualify(c.table).map(q).join('.')} (${columns.join(', ')})`);
    return OK(`Table ${c.table.at(-1)} successfully created.`);
  }

  /** A name completed with the session's database and schema, as Snowflake resolves it. */
  qualify(name: string[]): string[] {
    const db = this.state.database ?? '';
    const schema = this.state.schema ?? '';
    return name.length === 3 ? name : name.length === 2 ? [db, ...name] : [db, schema, name[0]!];
  }

  /** COPY INTO from a stage: one INSERT per staged file, by column name when MATCH_BY_COLUMN_NAME is given. */
  private async copyInto(c: Extract<Command, { kind: 'copy_into' }>): Promise<QueryResult> {
    const fileType = c.fileType ?? this.formatType(c.formatName!);
    if (fileType !== 'PARQUET') {
      throw new SnowflakeStatementError({ code: '000002', sqlState: '0A000', message: `the double copies Parquet files only, not ${fileType}` });
    }
    const pattern = c.pattern === undefined ? undefined : new RegExp(`^${c.pattern}$`);
    const staged = this.stagedFiles(c.stage, c.path);
    const dir = staged.dir;
    const files = staged.files.filter((f) => (c.files ? c.files.includes(f) : true) && (pattern ? pattern.test(f) : true));
    const table = this.qualify(c.table).map(q).join('.');
    const rows: unknown[][] = [];
    for (const f of files) {
      const path = join(dir, f).replace(/'/g, "''");
      const r = await this.duck(`insert into ${table} ${c.matchByName ? 'by name ' : ''}select * from read_parquet('${path}')`);
      const n = Number(r.rows[0]?.[0] ?? 0);
      rows.push([`${c.stage.at(-1)!.toLowerCase()}/${f}`, 'LOADED', n, n, 1, 0, null, null, null, null]);
    }
    if (rows.length === 0) return OK('Copy executed with 0 files processed.');
    const names = ['file', 'status', 'rows_parsed', 'rows_loaded', 'error_limit', 'errors_seen', 'first_error', 'first_error_line', 'first_error_character', 'first_error_column_name'];
    const types = ['VARCHAR', 'VARCHAR', 'BIGINT', 'BIGINT', 'BIGINT', 'BIGINT', 'VARCHAR', 'BIGINT', 'BIGINT', 'VARCHAR'];
    return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows };
  }

  private async use(object: 'warehouse' | 'role' | 'database' | 'schema', name: string[]): Promise<QueryResult> {
    const last = name[name.length - 1]!;
    if (object === 'warehouse') {
      if (!(last in this.warehouses)) throw new SnowflakeStatementError(objectMissing(last));
      this.state.warehouse = last;
    } else if (object === 'role') {
      this.state.role = last;
    } else if (object === 'database') {
      if (!(await this.databaseExists(last))) throw new SnowflakeStatementError(objectMissing(last));
      this.state.database = last;
      this.state.schema = 'PUBLIC';
    } else {
      const db = name.length > 1 ? name[0]! : this.state.database;
      if (!db || !(await this.schemaExists(db, last))) throw new SnowflakeStatementError(objectMissing(name.join('.')));
      this.state.database = db;
      this.state.schema = last;
    }
    await this.applyUse();
    return OK();
  }

  /** Point DuckDB's default catalog/schema at the session's database/schema where both exist. */
  private async applyUse(): Promise<void> {
    const { database, schema } = this.state;
    if (database && !(await this.databaseExists(database))) this.state.database = null;
    if (this.state.database && schema && (await this.schemaExists(this.state.database, schema))) {
      await this.duck(`use ${q(this.state.database)}.${q(schema)}`);
    } else if (this.state.database) {
      this.state.schema = null;
      await this.duck(`use ${q(this.state.database)}`);
    } else this.state.schema = null;
  }

  private async databaseExists(name: string): Promise<boolean> {
    const r = await this.duck(`select 1 from duckdb_databases() where database_name = ?`, [name]);
    return r.rows.length > 0;
  }

  private async schemaExists(db: string, schema: string): Promise<boolean> {
    const r = await this.duck(`select 1 from duckdb_schemas() where database_name = ? and schema_name = ?`, [db, schema]);
    return r.rows.length > 0;
  }

  private async showObjects(name: string[], terse: boolean): Promise<QueryResult> {
    const [db, schema] = name.length > 1 ? [name[0]!, name[1]!] : [this.state.database ?? '', name[0]!];
    if (!(await this.schemaExists(db, schema))) throw new SnowflakeStatementError(SCHEMA_MISSING);
    const r = await this.duck(
      `select now() as "created_on", table_name as "name", 'TABLE' as "kind", database_name as "database_name", schema_name as "schema_name"
         from duckdb_tables() where database_name = ? and schema_name = ?
       union all
       select now(), view_name, 'VIEW', database_name, schema_name
         from duckdb_views() where not internal and database_name = ? and schema_name = ?
       order by 2`,
      [db, schema, db, schema],
    );
    if (terse) return r;
    return { columns: [...r.columns, { name: 'is_dynamic', type: 'VARCHAR' }], rows: r.rows.map((row) => [...row, 'N']) };
  }

  private async showSchemas(db: string, terse: boolean): Promise<QueryResult> {
    // DuckDB's own schemas (main, pg_catalog, ...) are hidden; Snowflake shows INFORMATION_SCHEMA in every database
    const rest = terse
      ? `'SCHEMA' as "kind", ? as "database_name", null::varchar as "schema_name"`
      : `'N' as "is_default", 'N' as "is_current", ? as "database_name", 'SYSADMIN' as "owner", '' as "comment", '' as "options", '1' as "retention_time"`;
    return this.duck(
      `select now() as "created_on", name as "name", ${rest}
         from (select schema_name as name from duckdb_schemas()
                where database_name = ? and schema_name not in ('main', 'pg_catalog', 'information_schema')
               union all select 'INFORMATION_SCHEMA')
        order by 2`,
      [db, db],
    );
  }

  /** DESCRIBE TABLE; fails with 002003 when the object does not exist. */
  async describe(name: string[]): Promise<QueryResult> {
    const [db, schema, table] =
      name.length === 3 ? name : name.length === 2 ? [this.state.database ?? '', name[0]!, name[1]!] : [this.state.database ?? '', this.state.schema ?? '', name[0]!];
    const r = await this.duck(
      `select column_name, data_type, is_nullable, column_default, comment from duckdb_columns()
        where database_name = ? and schema_name = ? and table_name = ? order by column_index`,
      [db, schema, table],
    );
    if (r.rows.length === 0) throw new SnowflakeStatementError(objectMissing(`${db}.${schema}.${table}`));
    const names = ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment', 'policy name', 'privacy domain'];
    return {
      columns: names.map((n) => ({ name: n, type: 'VARCHAR' })),
      rows: r.rows.map(([col, type, nullable, def, comment]) => [
        col,
        snowflakeTypeName(String(type)),
        'COLUMN',
        nullable ? 'Y' : 'N',
        def ?? null,
        'N',
        'N',
        null,
        null,
        comment ?? null,
        null,
        null,
      ]),
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function q(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function dml(counts: [string, number][]): QueryResult {
  return { columns: counts.map(([name]) => ({ name, type: 'BIGINT' })), rows: [counts.map(([, n]) => n)] };
}
