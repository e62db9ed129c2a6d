import { splitArgs } from '../../jinja/kwargs.js';

const STRING = /^(varchar|text|string|character varying|char|character|bpchar|nvarchar)\b/i;
const INTEGER = /^(integer|int|bigint|smallint|tinyint|hugeint|ubigint|uinteger|usmallint|utinyint|uhugeint|int[1248]|long|short)\b/i;
const FLOAT = /^(double|float|real|float[48]|double precision)\b/i;
const NUMERIC = /^(decimal|numeric|number)\b/i;

/**
 * A column as dbt's macros see it (dbt's base Column): `name`, `dtype`,
 * `data_type` (with size/precision), `quoted`, and the type predicates used by
 * incremental schema-change handling.
 */
export class Column {
  readonly column: string;
  readonly dtype: string;
  readonly char_size: number | null;
  readonly numeric_precision: number | null;
  readonly numeric_scale: number | null;

  constructor(name: string, dtype: string, charSize: number | null = null, numericPrecision: number | null = null, numericScale: number | null = null) {
    this.column = name;
    this.dtype = dtype;
    this.char_size = charSize;
    this.numeric_precision = numericPrecision;
    this.numeric_scale = numericScale;
  }

  /** `Column.create(name, dtype)` / `api.Column(name, dtype)` from templates. */
  static fromJinja(...raw: unknown[]): Column {
    const { args, kwargs } = splitArgs(raw);
    const name = String(kwargs.column ?? kwargs.name ?? args[0]);
    const dtype = String(kwargs.dtype ?? kwargs.data_type ?? args[1] ?? '');
    const n = (v: unknown) => (v === undefined || v === null ? null : Number(v));
    return new Column(name, dtype, n(kwargs.char_size ?? args[2]), n(kwargs.numeric_precision ?? args[3]), n(kwargs.numeric_scale ?? args[4]));
  }

  get name(): string {
    return this.column;
  }

  get quoted(): string {
    return `"${this.column.split('"').join('""')}"`;
  }

  /** The type with its size (`varchar(10)`, `decimal(18,3)`), as dbt's `data_type`. */
  get data_type(): string {
    if (this.is_string() && this.char_size) return `${this.dtype}(${this.char_size})`;
    if (this.is_numeric() && this.numeric_precision !== null && !/\(/.test(this.dtype)) {
      return `${this.dtype}(${this.numeric_precision},${this.numeric_scale ?? 0})`;
    }
    return this.dtype;
  }

  is_string(): boolean {
    return STRING.test(this.dtype);
  }

  is_integer(): boolean {
    return INTEGER.test(this.dtype);
  }

  is_float(): boolean {
    return FLOAT.test(this.dtype);
  }

  is_numeric(): boolean {
    return NUMERIC.test(this.dtype);
  }

  is_number(): boolean {
    return this.is_integer() || this.is_float() || this.is_numeric();
  }

  string_size(): number {
    return this.char_size ?? 256;
  }

  /** A varchar that can grow to hold `other` (dbt's expand_target_column_types). */
  can_expand_to = (other: Column): boolean => this.is_string() && other.is_string() && this.char_size !== null && other.char_size !== null && other.char_size > this.char_size;

  toString(): string {
    return `<Column ${this.column} (${this.data_type})>`;
  }
}
