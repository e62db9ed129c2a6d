/**
 * snowflake-sdk behind tsdbt's Connection interface.
 *
 * `openSnowflakeConnection(profile)` loads the driver lazily, logs in (with
 * connect_retries extra attempts, each bounded by connect_timeout seconds),
 * applies the profile's query_tag with `alter session set query_tag`, and
 * returns a SnowflakeConnection. Every failure is a TsdbtError with code
 * 'SNOWFLAKE_ERROR' (Snowflake's code and SQL state in message and detail)
 * or 'PROFILE_INVALID'; no password, token, key or passphrase ever appears
 * in one.
 */
import type { Binds, Column, Connection as DriverConnection, RowStatement, SnowflakeError } from 'snowflake-sdk';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Connection, QueryResult, ResultColumn } from '../base/connection.js';
import { loadSnowflakeSdk } from './load-snowflake-sdk.js';
import { toSnowflakeError } from './snowflake-error.js';
import { splitStatements } from './split-statements.js';
import { connectRetries, connectTimeoutSeconds, toDriverOptions } from './snowflake-profile.js';
import type { SnowflakeProfile } from './snowflake-profile.js';

export interface OpenSnowflakeOptions {
  /** The profiles.yml path, named in profile errors. */
  profileFile?: string;
  /** Pause between connect attempts, in ms (default 1000). */
  retryDelayMs?: number;
}

/** Rows per batch yielded by `stream()`. */
const STREAM_BATCH = 1000;

export class SnowflakeConnection implements Connection {
  private readonly inFlight = new Set<RowStatement>();

  constructor(
    private readonly driver: DriverConnection,
    private readonly secrets: readonly (string | undefined)[],
  ) {}

  /**
   * Run SQL; a script of several `;`-separated statements runs statement by
   * statement (Snowflake takes one per request) and returns the last result.
   */
  async execute(sql: string, binds?: unknown[]): Promise<QueryResult> {
    const statements = binds && binds.length > 0 ? [sql] : splitStatements(sql);
    let result: QueryResult = { columns: [], rows: [] };
    for (const statement of statements.length > 0 ? statements : [sql]) result = await this.executeOne(statement, binds);
    return result;
  }

  private async executeOne(sql: string, binds?: unknown[]): Promise<QueryResult> {
    const { statement, rows } = await new Promise<{ statement: RowStatement; rows: unknown[][] }>((resolve, reject) => {
      const statement = this.driver.execute({
        sqlText: sql,
        binds: toDriverBinds(binds),
        rowMode: 'array',
        complete: (err, stmt, rows) => {
          this.inFlight.delete(statement);
          if (err) reject(toSnowflakeError(err, this.secrets, sql));
          else resolve({ statement: stmt as RowStatement, rows: (rows ?? []) as unknown[][] });
        },
      }) as RowStatement;
      this.inFlight.add(statement);
    });
    const updated = statement.getNumUpdatedRows();
    return {
      columns: (statement.getColumns() ?? []).map(describeColumn),
      ...plainRows(rows),
      rowsAffected: updated !== undefined && updated >= 0 ? updated : undefined,
      queryId: statement.getQueryId(),
    };
  }

  /** Stream a large result: the driver fetches result chunks as the consumer reads batches. */
  async *stream(sql: string, binds?: unknown[]): AsyncIterable<unknown[][]> {
    const statement = await new Promise<RowStatement>((resolve, reject) => {
      const st = this.driver.execute({
        sqlText: sql,
        binds: toDriverBinds(binds),
        rowMode: 'array',
        streamResult: true,
        complete: (err, stmt) => {
          if (err) {
            this.inFlight.delete(st);
            reject(toSnowflakeError(err, this.secrets, sql));
          } else resolve(stmt as RowStatement);
        },
      }) as RowStatement;
      this.inFlight.add(st);
    });
    try {
      let batch: unknown[][] = [];
      for await (const row of statement.streamRows()) {
        batch.push((row as unknown[]).map(toPlain));
        if (batch.length >= STREAM_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } catch (e) {
      throw toSnowflakeError(e, this.secrets, sql);
    } finally {
      this.inFlight.delete(statement);
    }
  }

  /** Set (or with '' clear) the session's query tag, as dbt-snowflake does per model. */
  async setQueryTag(tag: string): Promise<void> {
    await this.execute(tag === '' ? 'alter session unset query_tag' : `alter session set query_tag = '${tag.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  }

  async begin(): Promise<void> {
    await this.execute('begin');
  }

  async commit(): Promise<void> {
    await this.execute('commit');
  }

  async rollback(): Promise<void> {
    await this.execute('rollback');
  }

  /** Ask Snowflake to abort every statement running on this connection; their promises reject with code 000604. */
  async cancel(): Promise<void> {
    const statements = [...this.inFlight];
    await Promise.all(
      statements.map(
        (st) =>
          new Promise<void>((resolve, reject) =>
            st.cancel((err) => (err ? reject(toSnowflakeError(err, this.secrets)) : resolve())),
          ),
      ),
    );
  }

  async close(): Promise<void> {
    if (!this.driver.isUp()) return;
    await new Promise<void>((resolve, reject) =>
      this.driver.destroy((err: SnowflakeError | undefined) => (err ? reject(toSnowflakeError(err, this.secrets)) : resolve())),
    );
  }
}

/** Log in to Snowflake as the profile says. See the module comment for retries and errors. */
export async function openSnowflakeConnection(profile: SnowflakeProfile, options: OpenSnowflakeOptions = {}): Promise<SnowflakeConnection> {
  const driverOptions = toDriverOptions(profile, options.profileFile);
  const secrets = [profile.password, profile.token, profile.private_key, profile.private_key_passphrase, profile.passcode, driverOptions.privateKey];
  const sdk = await loadSnowflakeSdk();
  const attempts = 1 + connectRetries(profile);
  const timeoutMs = connectTimeoutSeconds(profile) * 1000;
  const endpoint = profile.host ? `${profile.protocol ?? 'https'}://${profile.host}${profile.port ? `:${profile.port}` : ''}` : `account '${profile.account}'`;
  let last: TsdbtError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const driver = sdk.createConnection(driverOptions as never);
    try {
      await withTimeout(connect(driver), timeoutMs);
      const connection = new SnowflakeConnection(driver, secrets);
      if (profile.query_tag) await connection.setQueryTag(profile.query_tag);
      return connection;
    } catch (e) {
      if (e instanceof TimeoutError) {
        last = new TsdbtError('SNOWFLAKE_ERROR', `Snowflake login to ${endpoint} timed out after ${timeoutMs / 1000}s`);
        // the login may still complete later; make sure its session does not linger
        driver.destroy(() => {});
      } else {
        last = toSnowflakeError(e, secrets);
        if (!isRetryable(e)) throw last;
      }
      if (attempt < attempts) await sleep(options.retryDelayMs ?? 1000);
    }
  }
  throw new TsdbtError('SNOWFLAKE_ERROR', `Could not connect to Snowflake (${endpoint}) after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last!.message}`, {
    file: options.profileFile,
    hint: 'Check account/host and the network; raise connect_timeout or connect_retries in the profile if Snowflake is slow to answer.',
    detail: last!.detail,
  });
}

function connect(driver: DriverConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    driver.connect((err) => (err ? reject(err) : resolve()));
  });
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Network trouble is worth another attempt; an answer from Snowflake (bad password, locked user) is not. */
function isRetryable(e: unknown): boolean {
  const err = e as { name?: string; code?: unknown };
  return err.name === 'NetworkError' || err.name === 'RequestFailedError';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Snowflake's type name for a result column, e.g. NUMBER(38,0), VARCHAR, TIMESTAMP_TZ. */
function describeColumn(c: Column): ResultColumn {
  const type = c.getType().toUpperCase();
  if (type === 'FIXED') return { name: c.getName(), type: `NUMBER(${c.getPrecision()},${c.getScale()})` };
  if (type === 'REAL') return { name: c.getName(), type: 'FLOAT' };
  if (type === 'TEXT') return { name: c.getName(), type: 'VARCHAR' };
  return { name: c.getName(), type };
}

/**
 * The driver's rows as plain values (toPlain), and QueryResult.micros: the microseconds past each timestamp's
 * millisecond. The driver's timestamps are Dates with getNanoSeconds(), the nanoseconds past their second (the Date
 * itself is cut to the millisecond).
 */
function plainRows(rows: readonly unknown[][]): Pick<QueryResult, 'rows' | 'micros'> {
  let micros: Record<number, Record<number, number>> | undefined;
  const plain = rows.map((row, r) =>
    row.map((v, c) => {
      const nanos = v instanceof Date ? (v as { getNanoSeconds?: () => unknown }).getNanoSeconds?.() : undefined;
      const rest = typeof nanos === 'number' ? Math.floor(nanos / 1000) % 1000 : 0;
      if (rest > 0) ((micros ??= {})[c] ??= {})[r] = rest;
      return toPlain(v);
    }),
  );
  return micros ? { rows: plain, micros } : { rows: plain };
}

/** Driver values → the plain JS values the Connection contract promises. */
function toPlain(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  // BINARY: a plain Uint8Array, as the DuckDB connection returns BLOBs
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value !== null && typeof value === 'object' && typeof (value as { getMidnightSeconds?: unknown }).getMidnightSeconds === 'function') {
    // TIME comes back as an SfTime; its JSON form is the HH:MM:SS text
    return (value as { toJSON(): string }).toJSON();
  }
  return value;
}

/** Binds: the driver takes strings, numbers, booleans and null. */
function toDriverBinds(binds: unknown[] | undefined): Binds | undefined {
  if (!binds || binds.length === 0) return undefined;
  return binds.map((b) => {
    if (b === null || b === undefined) return null;
    if (typeof b === 'string' || typeof b === 'number' || typeof b === 'boolean') return b;
    if (typeof b === 'bigint') return b.toString();
    if (b instanceof Date) return b.toISOString();
    return JSON.stringify(b);
  });
}
