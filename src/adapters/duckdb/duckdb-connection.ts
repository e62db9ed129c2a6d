import type { DuckDBConnection as NativeConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { duckdbDriver } from './duckdb-driver.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Connection, QueryResult, ResultColumn } from '../base/connection.js';

/**
 * @duckdb/node-api behind the Connection interface.
 *
 * One DuckDB instance per database file is shared by every thread's
 * connection (DuckDB allows one writer process per file, many connections
 * inside it). Statements may contain several `;`-separated statements; the
 * result is the last one's, as the driver runs them.
 */
export class DuckDBConnection implements Connection {
  private constructor(private readonly native: NativeConnection) {}

  /** Set by openDuckDB: another connection on the same instance (see Connection.sibling). */
  sibling?: () => Promise<DuckDBConnection>;

  static async open(instance: DuckDBInstance): Promise<DuckDBConnection> {
    return new DuckDBConnection(await instance.connect());
  }

  /**
   * The statement's result is materialized by the driver: its chunks are read
   * here, synchronously (`getChunk`), rather than fetched one call at a time
   * (`runAndReadAll` fetches each chunk, and then the end, through libuv's
   * thread pool: two more round trips between threads for a one-row result).
   * Same rows, in the same order, converted by the same converter.
   */
  async execute(sql: string, binds?: unknown[]): Promise<QueryResult> {
    const result = await this.native.run(sql, binds as DuckDBValue[] | undefined);
    const names = result.columnNames();
    const types = result.columnTypes();
    const columns: ResultColumn[] = names.map((name, i) => ({ name, type: types[i]!.toString() }));
    const rows: unknown[][] = [];
    const converter = duckdbDriver.JSDuckDBValueConverter;
    const stamps = types.flatMap((t, j) => (TIMESTAMP_TYPES.has(t.typeId) ? [j] : []));
    const wide = types.flatMap((t, j) => (t.typeId === duckdbDriver.DuckDBTypeId.DECIMAL && (t as { width?: number }).width! > MAX_EXACT_DIGITS ? [j] : []));
    let micros: Record<number, Record<number, number>> | undefined;
    let decimals: Record<number, Record<number, bigint>> | undefined;
    for (let c = 0, n = result.chunkCount; c < n; c++) {
      const chunk = result.getChunk(c);
      const first = rows.length;
      for (let r = 0, m = chunk.rowCount; r < m; r++) rows.push(chunk.convertRowValues(r, converter).map(toPlain));
      for (const j of stamps) micros = keepMicros(chunk.getColumnValues(j), rows, first, j, micros);
      for (const j of wide) decimals = keepDecimals(chunk.getColumnValues(j), first, j, decimals);
    }
    return { columns, rows, rowsAffected: undefined, ...(micros ? { micros } : {}), ...(decimals ? { decimals } : {}) };
  }

  async *stream(sql: string, binds?: unknown[]): AsyncIterable<unknown[][]> {
    const result = await this.native.stream(sql, binds as DuckDBValue[] | undefined);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk.convertRows(duckdbDriver.JSDuckDBValueConverter).map((row) => row.map(toPlain));
    }
  }

  async begin(): Promise<void> {
    await this.native.run('begin transaction');
  }

  async commit(): Promise<void> {
    await this.native.run('commit');
  }

  async rollback(): Promise<void> {
    await this.native.run('rollback');
  }

  async cancel(): Promise<void> {
    this.native.interrupt();
  }

  async close(): Promise<void> {
    this.native.closeSync();
  }
}

/** Open (or create) a DuckDB database; a file that cannot be opened is a clear error naming the path. */
export async function openDuckDBInstance(path: string, settings: Record<string, string> = {}): Promise<DuckDBInstance> {
  try {
    return await duckdbDriver.DuckDBInstance.create(path, settings);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new TsdbtError('DATABASE_OPEN', `Could not open the DuckDB database at ${path}: ${reason}`, {
      file: path === ':memory:' ? undefined : path,
      hint: 'Check that the path is writable and that no other process holds the file open (DuckDB allows one writer).',
      cause: e,
    });
  }
}

const TIMESTAMP_TYPES = new Set<number>([duckdbDriver.DuckDBTypeId.TIMESTAMP, duckdbDriver.DuckDBTypeId.TIMESTAMP_TZ, duckdbDriver.DuckDBTypeId.TIMESTAMP_NS]);

/**
 * The microseconds a timestamp column's Dates lost (the driver's Date is its value truncated to the millisecond)
 * added to `micros` (QueryResult.micros); rows `first`.. are this chunk's. A value before 1970 truncated up is
 * moved down a millisecond, so that what is kept is always 1-999 microseconds past its Date.
 */
function keepMicros(values: readonly DuckDBValue[], rows: unknown[][], first: number, column: number, micros: Record<number, Record<number, number>> | undefined): Record<number, Record<number, number>> | undefined {
  values.forEach((v, i) => {
    const exact = v instanceof duckdbDriver.DuckDBTimestampNanosecondsValue ? floorDiv(v.nanos, 1000n) : v instanceof duckdbDriver.DuckDBTimestampValue || v instanceof duckdbDriver.DuckDBTimestampTZValue ? v.micros : undefined;
    const date = rows[first + i]?.[column];
    if (exact === undefined || !(date instanceof Date)) return;
    let rest = Number(exact % 1000n);
    if (rest === 0) return;
    if (rest < 0) {
      rows[first + i]![column] = new Date(date.getTime() - 1);
      rest += 1000;
    }
    micros ??= {};
    (micros[column] ??= {})[first + i] = rest;
  });
  return micros;
}

/** Digits a double holds exactly: a DECIMAL this wide or narrower is exact as the driver's number. */
const MAX_EXACT_DIGITS = 15;

/** A wide DECIMAL column's exact values (QueryResult.decimals): the scaled integers behind the driver's numbers. */
function keepDecimals(values: readonly DuckDBValue[], first: number, column: number, decimals: Record<number, Record<number, bigint>> | undefined): Record<number, Record<number, bigint>> | undefined {
  values.forEach((v, i) => {
    if (!(v instanceof duckdbDriver.DuckDBDecimalValue)) return;
    decimals ??= {};
    (decimals[column] ??= {})[first + i] = v.value;
  });
  return decimals;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** bigint → number where it fits, so rows compare and serialise as plain JSON. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}
