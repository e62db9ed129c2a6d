import { readFileSync } from 'node:fs';
import { ResultTable } from './result-table.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { seedCsvProblemIn } from './seed-csv-problem.js';
import { csvRecords } from '../../util/csv-records.js';

/**
 * `load_agate_table()` for the default seed materialization (adapters that
 * cannot read CSV files themselves): the CSV parsed, each column typed as
 * dbt's agate type tester would (see inferSeedColumnType) and its values
 * converted; `column_types` columns are left as text for the database to cast.
 */
export function loadSeedTable(path: string, file: string, delimiter = ',', columnTypes: Record<string, unknown> = {}): ResultTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TsdbtError('COMPILER_ERROR', `Cannot read the seed file: ${(e as Error).message}`, { file });
  }
  // A row of the wrong width or a quote never closed: one located error, at the line on disk.
  const problem = seedCsvProblemIn(text, file, delimiter);
  if (problem) throw problem;
  const records = parseCsv(text.replace(/^\uFEFF/, ''), delimiter, file);
  const header = agateColumnNames(records.shift() ?? []);
  const types = header.map((name, c) => (name in columnTypes ? 'text' : inferSeedColumnType(records.map((r) => r[c]!))));
  const rows = records.map((r) => r.map((v, c) => convert(v, types[c]!)));
  return new ResultTable(header.map((name, c) => ({ name, type: types[c]! })), rows);
}

/**
 * A CSV header's names as agate's Table names its columns: an empty name is
 * the column's letter name (Excel's: index 0 `a`, 26 `aa`, 36 `kk`), and a
 * name taken already gets `_2`, `_3`... (agate's deduplicate).
 */
export function agateColumnNames(header: readonly string[]): string[] {
  const out: string[] = [];
  const taken = new Set<string>();
  header.forEach((raw, i) => {
    const name = raw === '' ? String.fromCharCode(97 + (i % 26)).repeat(Math.floor(i / 26) + 1) : raw;
    let final = name;
    for (let n = 2; taken.has(final); n++) final = `${name}_${n}`;
    taken.add(final);
    out.push(final);
  });
  return out;
}

// agate's null values for every seed column (dbt's type tester): empty and `null`, any case, after trimming.
const isNull = (v: string) => {
  const t = v.trim().toLowerCase();
  return t === '' || t === 'null';
};
// Python's Decimal() grammar (agate's Number); nan/inf count as numbers with decimals.
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SPECIAL = /^[-+]?(nan|inf|infinity)$/i;
// strptime('%Y-%m-%d') and ('%Y-%m-%d %H:%M:%S'): one- or two-digit fields, as Python accepts.
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/;
// isodate.parse_datetime: an ISO date, `T`, an ISO time with optional fraction and offset.
const ISO_DATETIME = /^(\d{4})-?(\d{2})-?(\d{2})T\d{2}(:?\d{2}(:?\d{2}([.,]\d+)?)?)?(Z|[-+]\d{2}(:?\d{2})?)?$/;

const validDate = (y: string, m: string, d: string) => {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
};

const isDate = (v: string) => {
  const m = DATE.exec(v);
  return m !== null && validDate(m[1]!, m[2]!, m[3]!);
};
const isDateTime = (v: string) => {
  const m = DATETIME.exec(v);
  return m !== null && validDate(m[1]!, m[2]!, m[3]!) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 62;
};
const isIsoDateTime = (v: string) => {
  const m = ISO_DATETIME.exec(v);
  return m !== null && validDate(m[1]!, m[2]!, m[3]!);
};
// agate's DEFAULT_CURRENCY_SYMBOLS, stripped from both ends of a number (agate's Number.cast).
const CURRENCY_SYMBOLS = ['؋', '$', 'ƒ', '៛', '¥', '₡', '₱', '£', '€', '¢', '﷼', '₪', '₩', '₭', '₮', '₦', '฿', '₤', '₫'];

/** Python's str.strip(ch) for one character: every leading and trailing `ch`. */
function stripChar(v: string, ch: string): string {
  let start = 0;
  let end = v.length;
  while (start < end && v.startsWith(ch, start)) start += ch.length;
  while (end > start && v.endsWith(ch, end)) end -= ch.length;
  return start === 0 && end === v.length ? v : v.slice(start, end);
}

/**
 * The number agate's Number.cast (en_US) reads from a CSV value, as Decimal
 * text, or undefined when it is none: `%` stripped from both ends, a leading
 * `-` kept aside, currency symbols stripped, `,` group separators removed.
 * So `1,200`, `$1,200.50`, `-€5` and `12%` are numbers (1200, 1200.50, -5, 12).
 */
export function agateNumber(value: string): string | undefined {
  let d = stripChar(value.trim(), '%');
  let sign = '';
  if (d.startsWith('-')) {
    d = d.slice(1);
    sign = '-';
  }
  for (const symbol of CURRENCY_SYMBOLS) d = stripChar(d, symbol);
  if (d.includes(',')) d = d.replaceAll(',', '');
  if (!(DECIMAL.test(d) || SPECIAL.test(d))) return undefined;
  if (sign === '') return d;
  // agate multiplies by -1: a value that was already signed flips again.
  return d.startsWith('-') ? d.slice(1) : d.startsWith('+') ? `-${d.slice(1)}` : `-${d}`;
}

const isBoolean = (v: string) => /^(true|false)$/i.test(v.replace(/,/g, ''));

/** Digits after the decimal point of a Decimal once normalized (agate's MaxPrecision): `1.0` has none. */
function decimalPlaces(v: string): number {
  if (SPECIAL.test(v)) return 1;
  const m = /^[-+]?(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/.exec(v)!;
  const fraction = m[2]!.replace(/0+$/, '');
  return Math.max(0, fraction.length - Number(m[3] ?? 0));
}

const INT32 = 2 ** 31;

/**
 * A column's type as dbt's agate type tester infers it from CSV text: the
 * first of Number (agateNumber: `1,200` and `$5` are numbers), Date (`%Y-%m-%d`), DateTime (`%Y-%m-%d %H:%M:%S`), ISO
 * datetime, Boolean (`true`/`false`, any case) that every non-null value
 * parses as, else text. A Number column is `integer` when no value has
 * decimals once normalized (the adapter's convert_number_type), `bigint` when
 * such a column does not fit in 32 bits, else `number`. A column with no
 * value at all passes Number: it is an `integer` column, as in dbt.
 */
export function inferSeedColumnType(values: readonly string[]): string {
  const present = values.map((v) => v.trim()).filter((v) => !isNull(v));
  const numbers = present.map(agateNumber);
  if (numbers.every((v) => v !== undefined)) {
    if (numbers.some((v) => decimalPlaces(v!) > 0)) return 'number';
    return numbers.some((v) => Math.abs(Number(v)) >= INT32) ? 'bigint' : 'integer';
  }
  if (present.every(isDate)) return 'date';
  if (present.every(isDateTime)) return 'datetime';
  if (present.every(isIsoDateTime)) return 'datetime';
  if (present.every(isBoolean)) return 'boolean';
  return 'text';
}

function convert(v: string, type: string): unknown {
  // agate reads an empty field or `null` as null, whatever the column's type.
  if (isNull(v)) return null;
  if (type === 'integer' || type === 'bigint' || type === 'number') return Number(agateNumber(v));
  if (type === 'boolean') return v.replace(/,/g, '').trim().toLowerCase() === 'true';
  return v;
}

/**
 * A seed's CSV records (util/csv-records.ts: Python's csv reader, as agate
 * reads seeds and DictReader unit test CSV), blank records dropped; a quote
 * never closed is an error at the line it opened.
 */
export function parseCsv(text: string, delimiter: string, file: string): string[][] {
  const { records, openQuoteLine } = csvRecords(text, delimiter);
  if (openQuoteLine !== null) throw new TsdbtError('COMPILER_ERROR', 'A quoted value in the seed is never closed', { file, line: openQuoteLine, hint: 'Close the quote ("), or double quotes inside a quoted value ("").' });
  // A blank line, or one holding only "" (as tsdbt's seeds have always read it).
  return records.filter((r) => !(r.length === 0 || (r.length === 1 && r[0] === '')));
}
