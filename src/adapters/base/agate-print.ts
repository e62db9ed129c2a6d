import { PyFloat } from '../../jinja/python/py-float.js';
import { pyToJson } from '../../jinja/python/json.js';
import { PyDate, PyDateTime } from '../../jinja/python/modules/index.js';
import { isTextedType, templateValue } from './template-value.js';

/**
 * A query result printed and serialised as dbt prints it: dbt turns a result
 * into an agate table (each column typed by its values: whole numbers,
 * decimals, dates, date-times, booleans, and text for any column holding a
 * string, a list or a dict), and `dbt show`, `print_table()` and
 * `show --output json` print that table with agate's print_table and
 * to_json (agate 1.9, dbt 1.10's). Here a column's agate type comes from its
 * database type (the values a Python driver returns for it), or from its
 * values when the type is not known.
 *
 * print_table's rules: at most `maxColumns` columns (then a `...` column)
 * and `maxRows` rows (then a row of `...`); any cell or name longer than
 * `maxColumnWidth` cut to that width ending in `...`; text left-justified,
 * everything else right-justified; whole numbers as Python prints them; a
 * decimal column with as many places as its most precise value (at most
 * `maxPrecision`, then ending in `…`), rounded half to even, with thousands
 * separators (babel's en_US); booleans `True`/`False`; date-times as
 * Python's str() of a datetime.
 */

export interface AgateColumn {
  name: string;
  /** The database's type name ('' when unknown). */
  type: string;
}

export interface PrintTableOptions {
  /** null: every row. */
  maxRows?: number | null;
  /** null: every column. */
  maxColumns?: number | null;
  /** null: no width limit. */
  maxColumnWidth?: number | null;
  /** null: every decimal place. */
  maxPrecision?: number | null;
}

export type Kind = 'integer' | 'number' | 'date' | 'datetime' | 'boolean' | 'text';

const ELLIPSIS = '...';
const NUMBER_TRUNCATION = '…';

/** agate's print_table of these rows, its lines joined (no newline after the last). */
export function agatePrintTable(columns: readonly AgateColumn[], rows: readonly unknown[][], opts: PrintTableOptions = {}): string {
  const maxRows = opts.maxRows ?? rows.length;
  const maxColumns = opts.maxColumns ?? columns.length;
  const width = opts.maxColumnWidth ?? Infinity;
  const maxPrecision = opts.maxPrecision ?? Infinity;
  const kinds = columns.map((c, i) => kindOf(c.type, rows, i));
  const cut = (s: string): string => {
    const chars = [...s];
    return chars.length > width ? chars.slice(0, width - ELLIPSIS.length).join('') + ELLIPSIS : s;
  };
  const shown = columns.slice(0, maxColumns);
  const names = shown.map((c) => cut(c.name));
  const columnsCut = maxColumns < columns.length;
  if (columnsCut) names.push(ELLIPSIS);
  const widths = names.map(length);
  const visible = rows.slice(0, maxRows);
  const formats = shown.map((_, j) => (kinds[j] === 'number' ? numberFormat(visible.map((r) => r[j]), maxPrecision) : undefined));
  const body = visible.map((row) => {
    const cells: string[] = [];
    for (let j = 0; j < row.length && j <= maxColumns; j++) {
      const v = j >= maxColumns ? ELLIPSIS : cut(cellText(row[j], kinds[j]!, columns[j]!.type, formats[j]));
      widths[j] = Math.max(widths[j] ?? 0, length(v));
      cells.push(v);
    }
    return cells;
  });
  const line = (cells: readonly string[]) => `|${cells.map((c, j) => ` ${kinds[j] === 'text' ? padEnd(c, widths[j]!) : padStart(c, widths[j]!)} `).join('|')}|`;
  const out = [line(names), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)];
  if (maxRows < rows.length) out.push(line(names.map(() => ELLIPSIS)));
  return out.join('\n');
}

/**
 * agate's to_json of these rows as `show --output json` prints them inside
 * its object: a list of objects keyed by column, decimals as Python floats
 * (`33.0`), dates and date-times in ISO format, the rest as printed.
 */
export function agateJsonRows(columns: readonly AgateColumn[], rows: readonly unknown[][]): Record<string, unknown>[] {
  const kinds = columns.map((c, i) => kindOf(c.type, rows, i));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      out[c.name] = jsonValue(row[j], kinds[j]!, c.type);
    });
    return out;
  });
}

/** Python's json.dumps of `value` with indent 2, as dbt's show and compile print their JSON. */
export function pyJsonIndented(value: unknown): string {
  return pyToJson(value, 2);
}

/** Python's json.dumps of `value` on one line (agate's to_json, as dbt's ShowNode event carries the rows). */
export function pyJsonCompact(value: unknown): string {
  return pyToJson(value);
}

/** The agate type dbt's type tester gives a column of this database type (its values decide when the type is unknown). */
export function kindOf(type: string, rows: readonly unknown[][], j: number): Kind {
  const t = type.trim().toUpperCase();
  if (t === '') return kindOfValues(rows, j);
  if (/\[\d*\]$|^(STRUCT|MAP|UNION|LIST|ARRAY|OBJECT|VARIANT|JSON)\b/.test(t)) return 'text';
  if (isWholeNumberType(t)) return 'integer';
  if (/^(DECIMAL|NUMERIC|NUMBER|DOUBLE|FLOAT|REAL)\b/.test(t)) return 'number';
  if (t === 'DATE') return 'date';
  if (/^(TIMESTAMP|DATETIME)/.test(t)) return 'datetime';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  return 'text';
}

/** A database type whose values reach Python as ints (Snowflake's NUMBER(p,0) does; DuckDB's DECIMAL(p,0) is a Decimal). */
export function isWholeNumberType(type: string): boolean {
  return /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT\d*|LONG|SHORT|SIGNED|NUMBER\s*\(\s*\d+\s*,\s*0\s*\))$/i.test(type.trim());
}

/** The type tester's choice from the values alone: the first of integer, number, date-time, boolean that fits every value, else text. */
function kindOfValues(rows: readonly unknown[][], j: number): Kind {
  const values = rows.map((r) => r[j]).filter((v) => v !== null && v !== undefined);
  if (values.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) return 'integer';
  if (values.every((v) => typeof v === 'bigint' || typeof v === 'number')) return 'number';
  if (values.every((v) => v instanceof Date)) return 'datetime';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  return 'text';
}

function cellText(v: unknown, kind: Kind, type: string, format: NumberFormat | undefined): string {
  if (v === null || v === undefined) return '';
  if (format && (typeof v === 'number' || typeof v === 'bigint')) return format(v);
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    case 'date':
    case 'datetime':
      return pyText(templateValue(v, type));
    default:
      return textOf(v, type);
  }
}

function jsonValue(v: unknown, kind: Kind, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'number' && typeof v === 'number') return new PyFloat(v);
  if (kind === 'number' && typeof v === 'bigint') return new PyFloat(Number(v));
  if (kind === 'integer' && (typeof v === 'number' || typeof v === 'bigint')) return v;
  if (kind === 'boolean' && typeof v === 'boolean') return v;
  if (kind === 'date' || kind === 'datetime') {
    const py = templateValue(v, type);
    if (py instanceof PyDate || py instanceof PyDateTime) return py.isoformat();
  }
  return textOf(v, type);
}

/** A text cell: strings as they are; lists and dicts as dbt's JSON of them; an interval, a time and bytes as Python's str() of them. */
function textOf(v: unknown, type: string): string {
  if (typeof v === 'string') return v;
  if (isTextedType(type)) {
    const text = templateValue(v, type);
    if (typeof text === 'string') return text;
  }
  if (v instanceof Uint8Array) return bytesText(v);
  if (v instanceof Date) return pyText(templateValue(v, ''));
  if (typeof v === 'object') return pyToJson(plainForJson(v));
  return String(v);
}

function plainForJson(v: unknown): unknown {
  if (v instanceof Date) return pyText(templateValue(v, ''));
  if (Array.isArray(v)) return v.map(plainForJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainForJson(x)]));
  return v;
}

/** Python's str() of a value templateValue made (a date or datetime), or the JS value's text when it stayed one. */
function pyText(v: unknown): string {
  return v instanceof PyDate || v instanceof PyDateTime ? v.__str__() : String(v);
}

/** Python's str() of bytes: b'...' (b"..." when it holds a ' and no "), printable ASCII as is and the rest escaped. */
function bytesText(b: Uint8Array): string {
  const quote = b.includes(0x27) && !b.includes(0x22) ? '"' : "'";
  let out = '';
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27 && quote === "'") out += "\\'";
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `b${quote}${out}${quote}`;
}

type NumberFormat = (v: number | bigint) => string;

/**
 * A decimal column's format: as many places as its most precise value (the
 * shortest decimal of each, trailing zeros dropped), at most `maxPrecision`
 * (then every value ends in `…`).
 */
function numberFormat(values: readonly unknown[], maxPrecision: number): NumberFormat {
  let places = 0;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    places = Math.max(places, Math.max(0, -decimalOf(v).exp));
  }
  const truncated = places > maxPrecision;
  if (truncated) places = maxPrecision;
  return (v) => {
    if (typeof v === 'bigint') return group(v < 0n ? (-v).toString() : v.toString(), v < 0n) + (places > 0 ? `.${'0'.repeat(places)}` : '') + (truncated ? NUMBER_TRUNCATION : '');
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    // babel's sign is the value's before rounding (-0.0004 at 3 places is -0.000).
    const { whole, fraction } = roundHalfEven(decimalOf(v), places);
    return group(whole, v < 0) + (places > 0 ? `.${fraction}` : '') + (truncated ? NUMBER_TRUNCATION : '');
  };
}

/** |v| as digits × 10^exp: the shortest decimal that reads back as v (Python's repr), trailing zeros moved into the exponent. */
function decimalOf(v: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(v).toExponential().split('e');
  const digits = mantissa!.replace('.', '');
  let exp = Number(e) - (digits.length - 1);
  let trimmed = digits.replace(/0+$/, '');
  if (trimmed === '') return { digits: '0', exp: 0 };
  exp += digits.length - trimmed.length;
  return { digits: trimmed, exp };
}

/** The decimal rounded to `places` (half to even, as Python's Decimal quantize): its whole part and `places` fraction digits. */
function roundHalfEven(d: { digits: string; exp: number }, places: number): { whole: string; fraction: string } {
  // Scale to an integer count of 10^-places units, with the dropped digits deciding the rounding.
  const shift = d.exp + places;
  let units: bigint;
  if (shift >= 0) units = BigInt(d.digits + '0'.repeat(shift));
  else {
    const keep = d.digits.length + shift;
    const kept = keep > 0 ? BigInt(d.digits.slice(0, keep)) : 0n;
    const dropped = keep > 0 ? d.digits.slice(keep) : '0'.repeat(-keep) + d.digits;
    const first = Number(dropped[0]);
    const more = /[1-9]/.test(dropped.slice(1));
    const up = first > 5 || (first === 5 && (more || kept % 2n === 1n));
    units = up ? kept + 1n : kept;
  }
  const text = units.toString().padStart(places + 1, '0');
  return { whole: text.slice(0, text.length - places), fraction: text.slice(text.length - places) };
}

/** Digits grouped by thousands with ',' (en_US), a '-' before a negative. */
function group(whole: string, negative: boolean): string {
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/** Python's len(): code points. */
function length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - length(s)));
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - length(s))) + s;
}
