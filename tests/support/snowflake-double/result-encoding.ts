/**
 * DuckDB results → Snowflake's JSON result format (`rowtype` + `rowset`).
 *
 * Snowflake sends every value as a string (or null) and describes each column
 * in `rowtype`; the driver decodes the strings by type (see snowflake-sdk's
 * connection/result/column.js). The encodings used here:
 * - fixed: the decimal digits (scale digits after the point)
 * - real: the number as text; boolean: "1" / "0"
 * - date: days since 1970-01-01
 * - time: seconds since midnight with 9 fraction digits
 * - timestamp_ntz / timestamp_ltz: epoch seconds with 9 fraction digits
 * - timestamp_tz: the same followed by a space and the offset index
 *   (offset minutes + 1440); result version 1 format
 * - variant / array / object: JSON text (the driver JSON.parses it)
 * - binary: hex
 */
import type { ResultColumn } from '../../../src/adapters/base/connection.js';

/** One entry of Snowflake's `rowtype`. */
export interface SnowflakeRowType {
  name: string;
  database: string;
  schema: string;
  table: string;
  nullable: boolean;
  type: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
  byteLength: number | null;
  collation: null;
}

/** A value as Snowflake sends it; `extraNanos`: what a timestamp has past its Date's millisecond. */
export type Encoder = (value: unknown, extraNanos?: number) => string;

interface ColumnCodec {
  type: string;
  precision?: number;
  scale?: number;
  length?: number;
  encode: Encoder;
}

const TEXT_LENGTH = 16777216;

const integer: Encoder = (v) => String(v);
const json: Encoder = (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));

/**
 * Epoch seconds as a signed decimal with 9 fraction digits: `1704070923.123000000`,
 * `-0.500000000` for half a second before 1970 (the driver multiplies the
 * decimal out, so the sign applies to the whole value).
 */
export function epochSeconds(ms: number, extraNanos = 0): string {
  const totalNanos = BigInt(Math.round(ms)) * 1_000_000n + BigInt(extraNanos);
  const abs = totalNanos < 0n ? -totalNanos : totalNanos;
  const secs = abs / 1_000_000_000n;
  const frac = abs % 1_000_000_000n;
  return `${totalNanos < 0n ? '-' : ''}${secs}.${frac.toString().padStart(9, '0')}`;
}

function dateMs(v: unknown): number {
  return v instanceof Date ? v.getTime() : new Date(String(v)).getTime();
}

/** Pick the Snowflake type and encoder for a DuckDB type name (as DuckDBConnection reports it). */
export function codecFor(duckdbType: string): ColumnCodec {
  const t = duckdbType.toUpperCase();
  if (t === 'BOOLEAN') return { type: 'boolean', encode: (v) => (v ? '1' : '0') };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|UHUGEINT|BIGNUM)$/.test(t)) {
    return { type: 'fixed', precision: 38, scale: 0, encode: integer };
  }
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) {
    const scale = Number(dec[2]);
    return { type: 'fixed', precision: Number(dec[1]), scale, encode: (v) => (typeof v === 'number' ? v.toFixed(scale) : String(v)) };
  }
  if (t === 'FLOAT' || t === 'DOUBLE') return { type: 'real', encode: (v) => String(v) };
  if (t === 'DATE') return { type: 'date', encode: (v) => String(Math.floor(dateMs(v) / 86_400_000)) };
  if (t === 'TIME') {
    // DuckDBConnection gives TIME as microseconds since midnight
    return { type: 'time', scale: 9, encode: (v) => epochSeconds(0, Number(v) * 1000) };
  }
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') {
    // DuckDB keeps instants, so the offset is the session's: UTC (index 1440)
    return { type: 'timestamp_tz', scale: 9, encode: (v, nanos) => `${epochSeconds(dateMs(v), nanos)} 1440` };
  }
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(t)) return { type: 'timestamp_ntz', scale: 9, encode: (v, nanos) => epochSeconds(dateMs(v), nanos) };
  if (t === 'BLOB') return { type: 'binary', length: 8388608, encode: (v) => Buffer.from(v as Uint8Array).toString('hex').toUpperCase() };
  if (t === 'VARIANT' || t === 'JSON') return { type: 'variant', encode: json };
  if (t.endsWith(']')) return { type: 'array', encode: json };
  if (t.startsWith('STRUCT') || t.startsWith('MAP')) return { type: 'object', encode: json };
  if (t === 'INTERVAL') return { type: 'text', length: TEXT_LENGTH, encode: json };
  return { type: 'text', length: TEXT_LENGTH, encode: (v) => (typeof v === 'string' ? v : String(v)) };
}

/** Build `rowtype` and the encoders for a result's columns. */
export function describeColumns(columns: ResultColumn[]): { rowtype: SnowflakeRowType[]; encoders: Encoder[] } {
  const rowtype: SnowflakeRowType[] = [];
  const encoders: Encoder[] = [];
  for (const c of columns) {
    const codec = codecFor(c.type);
    rowtype.push({
      name: c.name,
      database: '',
      schema: '',
      table: '',
      nullable: true,
      type: codec.type,
      length: codec.length ?? null,
      precision: codec.precision ?? null,
      scale: codec.scale ?? null,
      byteLength: codec.length !== undefined ? codec.length * (codec.type === 'text' ? 4 : 1) : null,
      collation: null,
    });
    encoders.push(codec.encode);
  }
  return { rowtype, encoders };
}

/** Encode rows (plain JS values, as DuckDBConnection returns them, and the microseconds its timestamps' Dates lost) into Snowflake's rowset. */
export function encodeRows(rows: unknown[][], encoders: Encoder[], micros?: Record<number, Record<number, number>>): (string | null)[][] {
  return rows.map((row, r) => row.map((v, i) => (v === null || v === undefined ? null : encoders[i]!(v, (micros?.[i]?.[r] ?? 0) * 1000))));
}
