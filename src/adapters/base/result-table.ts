import { pyTuple, type PyTuple } from '../../jinja/python/types.js';
import { exposeMembers, splitArgs } from '../../jinja/index.js';
import { pyError } from '../../jinja/python/errors.js';
import { pyEq, pyRepr } from '../../jinja/python/index.js';
import type { QueryResult, ResultColumn } from './connection.js';
import { groupTable, type ResultTableSet } from './result-table-set.js';
import { agatePrintTable } from './agate-print.js';
import { templateRowsOf } from './template-value.js';
import { writeTableJson } from './agate-json.js';
import { agateTable, agateTypeName, type AgateDataType, type ExactDecimals } from './agate-types.js';

/**
 * A query result as dbt's macros use agate tables: `table.rows` (a list of
 * rows; a row is read by index or by column name, iterated, `row.values()`),
 * `table.columns` (by index or name, each with `.name`, `.data_type` and
 * `.values()`), `table.column_names`, `table.column_types`, iteration over
 * rows, `table | length`, `print_table()`, `rename()` and `group_by()`.
 */
export class ResultRow implements Iterable<unknown> {
  [key: string]: unknown;

  constructor(names: readonly string[], values: readonly unknown[]) {
    // Own properties, so the Jinja runtime finds both `row[0]` and `row['name']` / `row.name`.
    values.forEach((v, i) => {
      Object.defineProperty(this, String(i), { value: v, enumerable: false });
    });
    names.forEach((n, i) => {
      if (!(n in this)) Object.defineProperty(this, n, { value: values[i], enumerable: true });
    });
    Object.defineProperty(this, '__values', { value: values, enumerable: false });
    Object.defineProperty(this, '__names', { value: names, enumerable: false });
  }

  [Symbol.iterator](): Iterator<unknown> {
    return (this.__values as unknown[])[Symbol.iterator]();
  }

  __len__(): number {
    return (this.__values as unknown[]).length;
  }

  /** agate's MappedSequence: column names, `(name, value)` pairs, `get(name, default)`. */
  keys(): string[] {
    return [...(this.__names as string[])];
  }

  items(): PyTuple[] {
    const values = this.__values as unknown[];
    return (this.__names as string[]).map((n, i) => pyTuple([n, values[i]]));
  }

  get(key: unknown, fallback: unknown = null): unknown {
    const i = typeof key === 'number' ? key : (this.__names as string[]).indexOf(String(key));
    return i >= 0 && i < (this.__values as unknown[]).length ? (this.__values as unknown[])[i] : fallback;
  }

  /** As a Python dict (`row.dict()`, agate's Row.dict()). */
  dict(): Record<string, unknown> {
    const names = this.__names as string[];
    return Object.fromEntries(names.map((n, i) => [n, (this.__values as unknown[])[i]]));
  }

  toJSON(): unknown[] {
    return [...(this.__values as unknown[])];
  }

  /** agate's MappedSequence repr: `<agate.Row: (1, 'a', ...)>`, its first five values. */
  __repr__(): string {
    return sampleRepr('Row', this.__values as unknown[]);
  }

  __str__(): string {
    return this.__repr__();
  }
}

/** agate's MappedSequence.__repr__ of a `kind` holding `values`. */
function sampleRepr(kind: string, values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map((v) => pyRepr(v)).join(', ');
  return `<agate.${kind}: (${values.length > 5 ? `${shown}, ...` : shown})>`;
}

/**
 * One column of a result: `col.name`, `col.data_type`, `col.values()`; a
 * sequence of its values, as agate's Column (a MappedSequence): iterated,
 * `len`, `value in col`, and equal to a list or tuple of the same values
 * (elementary compares its stored hashes, a column, with a sorted list).
 */
export class ResultColumnView implements Iterable<unknown> {
  constructor(
    readonly name: string,
    private readonly table: ResultTable,
    private readonly index: number,
  ) {}

  /** agate's Column.data_type: the column's agate type (a seed's table: its inferred type's name). */
  get data_type(): unknown {
    return this.table.column_types[this.index];
  }

  /** agate's Column.values(): a tuple. */
  values(): PyTuple {
    return pyTuple(this.table.cells.map((r) => r[this.index]));
  }

  values_without_nulls(): PyTuple {
    return pyTuple(this.values().filter((v) => v !== null && v !== undefined));
  }

  __repr__(): string {
    return sampleRepr('Column', this.values());
  }

  __str__(): string {
    return this.__repr__();
  }

  __len__(): number {
    return this.table.rawRows.length;
  }

  /**
   * `col[i]`: the value in row i (negative counts from the end), as agate's
   * MappedSequence; out of range or a non-integer key is a miss (the table
   * has no row names), which the template sees as undefined.
   */
  __getitem__(key: unknown): unknown {
    if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
    const rows = this.table.cells;
    return rows[key < 0 ? rows.length + key : key]?.[this.index];
  }

  [Symbol.iterator](): Iterator<unknown> {
    return this.values()[Symbol.iterator]();
  }

  __contains__(value: unknown): boolean {
    return this.values().some((v) => pyEq(v, value));
  }

  __eq__(other: unknown): boolean | undefined {
    if (!Array.isArray(other) && !(other instanceof ResultColumnView)) return undefined;
    const mine = this.values();
    const theirs = [...(other as Iterable<unknown>)];
    return mine.length === theirs.length && mine.every((v, i) => pyEq(v, theirs[i]));
  }
}

/** `table.columns`: indexable by position and by name, iterable. */
export class ResultColumns implements Iterable<ResultColumnView> {
  [key: string]: unknown;

  constructor(views: readonly ResultColumnView[]) {
    views.forEach((v, i) => Object.defineProperty(this, String(i), { value: v, enumerable: false }));
    views.forEach((v) => {
      if (!(v.name in this)) Object.defineProperty(this, v.name, { value: v, enumerable: true });
    });
    Object.defineProperty(this, '__views', { value: views, enumerable: false });
  }

  [Symbol.iterator](): Iterator<ResultColumnView> {
    return (this.__views as ResultColumnView[])[Symbol.iterator]();
  }

  __len__(): number {
    return (this.__views as ResultColumnView[]).length;
  }

  keys(): string[] {
    return (this.__views as ResultColumnView[]).map((v) => v.name);
  }

  values(): ResultColumnView[] {
    return [...(this.__views as ResultColumnView[])];
  }

  /** `(name, column)` pairs, as agate's MappedSequence.items() (dbt_utils.get_query_results_as_dict loops them). */
  items(): PyTuple[] {
    return (this.__views as ResultColumnView[]).map((v) => pyTuple([v.name, v]));
  }

  /** `columns.get(name, default)`: the column by name or position. */
  get(key: unknown, fallback: unknown = null): unknown {
    const views = this.__views as ResultColumnView[];
    const hit = typeof key === 'number' ? views[key] : views.find((v) => v.name === key);
    return hit ?? fallback;
  }
}

/** How a table was made: a query's result is typed as dbt's agate tables are (agate-types.ts); a seed's table keeps its inferred types' names. */
export interface ResultTableOptions {
  /** A query result: templates see agate's types and values (Decimals, JSON text for lists). */
  agate?: boolean;
  /** QueryResult.decimals: DECIMAL values the driver's numbers cannot hold exactly. */
  exact?: ExactDecimals;
}

export class ResultTable implements Iterable<ResultRow> {
  readonly column_names: string[];
  /** The database's type of each column, for TypeScript callers (templates see `column_types`, agate's). */
  readonly dbTypes: string[];
  /** The rows as plain arrays (for TypeScript callers and artifacts). */
  readonly rawRows: unknown[][];

  /** `micros`: QueryResult.micros, what each timestamp has past its millisecond. */
  constructor(
    columns: readonly ResultColumn[],
    rows: readonly unknown[][],
    private readonly micros?: Record<number, Record<number, number>>,
    private readonly options: ResultTableOptions = {},
  ) {
    this.column_names = columns.map((c) => c.name);
    this.dbTypes = columns.map((c) => c.type);
    this.rawRows = rows.map((r) => [...r]);
  }

  private templateRowsCache?: unknown[][];
  private agateCache?: { types: AgateDataType[]; rows: unknown[][] };
  private rowsCache?: ResultRow[];
  private columnsCache?: ResultColumns;

  /** The rows as Python values (the driver's, before agate's cast: `cells`): dates and timestamps as Python date/datetime, times and intervals as text. */
  get templateRows(): unknown[][] {
    this.templateRowsCache ??= templateRowsOf(this.dbTypes, this.rawRows, this.micros);
    return this.templateRowsCache;
  }

  private get agate(): { types: AgateDataType[]; rows: unknown[][] } | undefined {
    if (!this.options.agate) return undefined;
    this.agateCache ??= agateTable(this.dbTypes, this.templateRows, this.options.exact);
    return this.agateCache;
  }

  /** The cells templates read: a query result's cast to its agate types, else templateRows. */
  get cells(): unknown[][] {
    return this.agate?.rows ?? this.templateRows;
  }

  /** agate's Table.rows. */
  get rows(): ResultRow[] {
    this.rowsCache ??= this.cells.map((r) => new ResultRow(this.column_names, r));
    return this.rowsCache;
  }

  /** agate's Table.columns. */
  get columns(): ResultColumns {
    this.columnsCache ??= new ResultColumns(this.column_names.map((name, i) => new ResultColumnView(name, this, i)));
    return this.columnsCache;
  }

  /** agate's Table.column_types: a query result's agate types; a seed's table, its types' names (`integer`, `number`, ...). */
  get column_types(): readonly unknown[] {
    return this.agate?.types ?? this.dbTypes;
  }

  static from(result: QueryResult): ResultTable {
    return new ResultTable(result.columns, result.rows, result.micros, { agate: true, exact: result.decimals });
  }

  static empty(): ResultTable {
    return new ResultTable([], [], undefined, { agate: true });
  }

  [Symbol.iterator](): Iterator<ResultRow> {
    return this.rows[Symbol.iterator]();
  }

  /** agate's `table[i]`, its rows' shorthand: the i-th row, negative from the end; any other key is a miss (no row names). */
  __getitem__(key: unknown): ResultRow | undefined {
    if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
    const rows = this.rows;
    return rows[key < 0 ? rows.length + key : key];
  }

  /** str(table): agate's print_structure, each column's name and type. */
  __str__(): string {
    const types = this.column_types.map(agateTypeName);
    const structure = [{ name: 'column', type: 'VARCHAR' }, { name: 'data_type', type: 'VARCHAR' }];
    return agatePrintTable(structure, this.column_names.map((n, i) => [n, types[i]]), { maxColumnWidth: null, maxRows: null, maxColumns: null });
  }

  __repr__(): string {
    return '<agate.table.Table object at 0x7f0a5c1e0190>';
  }

  __len__(): number {
    return this.rawRows.length;
  }

  /** Rows as objects keyed by column name. */
  records(): Record<string, unknown>[] {
    return this.rawRows.map((r) => Object.fromEntries(this.column_names.map((n, i) => [n, r[i]])));
  }

  /**
   * agate's print_table(max_rows=20, max_columns=6, output=None,
   * max_column_width=20, locale=None, max_precision=3), as dbt's agate
   * tables print (agate-print.ts), written to the caller's logger. `output`
   * and `locale` are taken and ignored (en_US).
   */
  print_table = (...raw: unknown[]): string => {
    const { args, kwargs } = splitArgs(raw);
    const arg = (i: number, name: string, fallback: number | null): number | null => {
      const v = i < args.length ? args[i] : name in kwargs ? kwargs[name] : fallback;
      return v === null || v === undefined ? null : Number(v);
    };
    const columns = this.column_names.map((name, i) => ({ name, type: this.dbTypes[i] ?? '' }));
    ResultTable.printer(agatePrintTable(columns, this.templateRows, { maxRows: arg(0, 'max_rows', 20), maxColumns: arg(1, 'max_columns', 6), maxColumnWidth: arg(3, 'max_column_width', 20), maxPrecision: arg(5, 'max_precision', 3) }));
    return '';
  };

  /** agate's to_json(path, key=None, newline=False, indent=None): the rows written to a file as JSON (agate-json.ts). */
  to_json = (...raw: unknown[]): string => {
    const { args, kwargs } = splitArgs(raw);
    const at = (i: number, name: string): unknown => (i < args.length ? args[i] : kwargs[name]);
    writeTableJson(this, at(0, 'path'), { key: at(1, 'key'), newline: at(2, 'newline'), indent: at(3, 'indent') });
    return '';
  };

  /**
   * agate's rename(column_names): a new table with the same rows, its columns
   * named by a list (every column, in order) or by a dict of old name to new
   * (the others keep theirs). elementary lower-cases every query's columns so.
   */
  rename = (...raw: unknown[]): ResultTable => {
    const { args, kwargs } = splitArgs(raw);
    const given = args[0] ?? kwargs.column_names ?? null;
    let names = this.column_names;
    if (Array.isArray(given)) {
      if (given.length !== names.length) throw pyError('ValueError', `rename() got ${given.length} column names for a table of ${names.length} columns`);
      names = given.map(String);
    } else if (given instanceof Map) names = names.map((n) => (given.has(n) ? String(given.get(n)) : n));
    else if (given !== null && typeof given === 'object') names = names.map((n) => (Object.hasOwn(given, n) ? String((given as Record<string, unknown>)[n]) : n));
    return new ResultTable(names.map((name, i) => ({ name, type: this.dbTypes[i] ?? '' })), this.rawRows, this.micros, this.options);
  };

  /**
   * agate's group_by(key, key_name=None, key_type=None): a TableSet of
   * tables with these columns, one per value of `key` (a column's name or
   * position, or a function of a row), keyed in first-seen order.
   */
  group_by = (...raw: unknown[]): ResultTableSet<ResultTable> => {
    const cols = this.column_names.map((name, i) => ({ name, type: this.dbTypes[i] ?? '' }));
    const exact = this.options.exact;
    return groupTable<ResultTable>(this, this.rawRows.length, {
      value: (i, c) => this.cells[i]![c],
      row: (i) => this.rows[i],
      fork: (picked) =>
        new ResultTable(cols, picked.map((i) => this.rawRows[i]!), this.micros && pickedCells(this.micros, picked), { ...this.options, exact: exact && pickedCells(exact, picked) }),
    }, raw);
  };

  /** Where print_table writes; the runner points it at the invocation's logger. */
  static printer: (text: string) => void = (text) => process.stdout.write(`${text}\n`);
}

/** QueryResult.micros (or decimals) for the rows `picked` (their indexes in the whole), renumbered from 0. */
function pickedCells<T>(byColumn: Record<number, Record<number, T>>, picked: readonly number[]): Record<number, Record<number, T>> {
  const out: Record<number, Record<number, T>> = {};
  for (const [column, byRow] of Object.entries(byColumn)) {
    const kept: Record<number, T> = {};
    picked.forEach((row, i) => {
      if (byRow[row] !== undefined) kept[i] = byRow[row]!;
    });
    out[Number(column)] = kept;
  }
  return out;
}

/** agate's Table members that templates use (its rows and columns are data). Internal fields (`rawRows`, `templateRows`) are refused. */
exposeMembers(ResultTable, ['rows', 'columns', 'column_names', 'column_types', 'print_table', 'rename', 'group_by', 'to_json']);
/** agate's Column: `name`, `data_type`, `index`, `values()`... (not the table it belongs to). */
exposeMembers(ResultColumnView, ['name', 'data_type', 'index', 'values', 'values_without_nulls']);


export function displayValue(v: unknown, type?: string): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date && type === 'DATE') return v.toISOString().slice(0, 10);
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** A markdown-like grid, left-justified, for tsdbt's own listings (`sl`); dbt's show and print_table() print with agate-print.ts. */
export function formatTable(names: readonly string[], rows: readonly unknown[][], maxWidth = 40, types?: readonly string[]): string {
  const cell = (v: unknown, i: number) => {
    const s = displayValue(v, types?.[i]);
    return s.length > maxWidth ? `${s.slice(0, maxWidth - 3)}...` : s;
  };
  const body = rows.map((r) => r.map((v, i) => cell(v, i)));
  const widths = names.map((n, i) => Math.max(n.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line([...names]), sep, ...body.map(line)].join('\n');
}
