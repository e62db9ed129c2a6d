import { splitArgs } from '../../jinja/kwargs.js';
import { exposeMembers } from '../../jinja/index.js';

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

/** What templates may read on a column: dbt's Column fields, properties and methods. */
export const COLUMN_MEMBERS: readonly string[] = [
  'column', 'dtype', 'char_size', 'numeric_precision', 'numeric_scale', 'name', 'quoted', 'data_type',
  'is_string', 'is_integer', 'is_float', 'is_numeric', 'is_number', 'string_size',
];
exposeMembers(Column, COLUMN_MEMBERS);

/** dbt's base Column.TYPE_LABELS: what `translate_type` maps (upper-cased) labels to. */
const BASE_TYPE_LABELS: Readonly<Record<string, string>> = { STRING: 'TEXT' };

/** What templates reach as `api.Column` / `adapter.Column`: callable, plus dbt's Column classmethods. */
export interface ColumnApi {
  (...raw: unknown[]): Column;
  create(...raw: unknown[]): Column;
  translate_type(dtype: unknown): string;
  numeric_type(...raw: unknown[]): string;
  string_type(size: unknown): string;
  from_description(name: unknown, rawType: unknown): Column;
}

/**
 * `api.Column` with dbt's classmethods: `translate_type` (labels such as
 * STRING → TEXT), `numeric_type('numeric', 28, 6)` → `numeric(28,6)` (the
 * bare type when precision or scale is None), `string_type(n)` →
 * `character varying(n)`, `create(name, label)` (translating the label) and
 * `from_description(name, 'decimal(10,2)')`. An adapter passes its own labels.
 */
export function columnApi(typeLabels: Readonly<Record<string, string>> = BASE_TYPE_LABELS): ColumnApi {
  const translate = (dtype: unknown): string => {
    const s = String(dtype);
    return typeLabels[s.toUpperCase()] ?? s;
  };
  const api = (...raw: unknown[]) => Column.fromJinja(...raw);
  return Object.assign(api, {
    create: (...raw: unknown[]) => {
      const c = Column.fromJinja(...raw);
      const { kwargs } = splitArgs(raw);
      const dtype = kwargs.label_or_dtype === undefined ? c.dtype : String(kwargs.label_or_dtype);
      return new Column(c.column, translate(dtype), c.char_size, c.numeric_precision, c.numeric_scale);
    },
    translate_type: translate,
    numeric_type: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const dtype = String(kwargs.dtype ?? args[0]);
      const precision = kwargs.precision ?? args[1];
      const scale = kwargs.scale ?? args[2];
      return precision === undefined || precision === null || scale === undefined || scale === null ? dtype : `${dtype}(${String(precision)},${String(scale)})`;
    },
    string_type: (size: unknown) => `character varying(${String(size)})`,
    from_description: (name: unknown, rawType: unknown) => fromDescription(String(name), String(rawType)),
  });
}

/** dbt's Column.from_description: `varchar(10)` → char_size 10, `decimal(10,2)` → precision and scale. */
function fromDescription(name: string, rawType: string): Column {
  const m = /^([^(]+)(\(([^)]+)\))?/.exec(rawType);
  if (!m) return new Column(name, rawType);
  const parts = m[3]?.split(',').map((p) => Number(p.trim())) ?? [];
  if (parts.length === 1) return new Column(name, m[1]!, parts[0]!);
  if (parts.length === 2) return new Column(name, m[1]!, null, parts[0]!, parts[1]!);
  return new Column(name, m[1]!);
}
