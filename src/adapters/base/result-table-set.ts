import { dictFromPairs, pyEq, pyError, pyRepr, pyStr, pyTuple, type PyTuple } from '../../jinja/python/index.js';
import { hashKey } from '../../jinja/python/py-dict-map.js';
import { exposeMembers, splitArgs } from '../../jinja/index.js';

/**
 * agate's TableSet, as `table.group_by(key)` returns it (agate 1.x): the
 * tables of one grouping, each under its key, in the order the keys were
 * first seen. A MappedSequence: iterating gives the tables (not the keys),
 * `ts[i]` with an int is the i-th table, `ts[key]` the table of a key;
 * `keys()`, `values()`, `items()`, `get(key, default)`, `dict()`, `len`,
 * `in` (a table), and the grouping's `key_name`, `key_type`,
 * `column_names`, `column_types`.
 */
export interface GroupedTable {
  readonly column_names: readonly string[];
  readonly column_types: readonly unknown[];
  /** The database's types (a grouping's key_type when none is given). */
  readonly dbTypes: readonly string[];
}

export class ResultTableSet<T extends GroupedTable = GroupedTable> implements Iterable<T> {
  constructor(
    private readonly tables: readonly T[],
    private readonly groupKeys: readonly unknown[],
    readonly key_name: string,
    readonly key_type: string,
  ) {}

  get column_names(): readonly string[] {
    return this.tables[0]!.column_names;
  }

  get column_types(): readonly unknown[] {
    return this.tables[0]!.column_types;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.tables[Symbol.iterator]();
  }

  __len__(): number {
    return this.tables.length;
  }

  /** A table by position (an int, as agate tests `type(key) is int`), else by key; undefined (Jinja's undefined) when absent. */
  __getitem__(key: unknown): T | undefined {
    if (typeof key === 'number' && Number.isInteger(key)) return this.tables[key < 0 ? this.tables.length + key : key];
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.tables[i];
  }

  __contains__(table: unknown): boolean {
    return this.tables.includes(table as T);
  }

  __eq__(other: unknown): boolean | undefined {
    if (!Array.isArray(other) && !(other instanceof ResultTableSet)) return undefined;
    const values = [...(other as Iterable<unknown>)];
    return values.length === this.tables.length && values.every((v, i) => v === this.tables[i]);
  }

  keys(): PyTuple {
    return pyTuple([...this.groupKeys]);
  }

  values(): PyTuple {
    return pyTuple([...this.tables]);
  }

  /** `(key, table)` pairs; none for a grouping of an empty table (its one empty table has no key). */
  items(): PyTuple {
    return pyTuple(this.groupKeys.map((k, i) => pyTuple([k, this.tables[i]])));
  }

  /** agate's MappedSequence.get: the table of `key`, else `default` when it is truthy, else none. */
  get = (...raw: unknown[]): unknown => {
    const { args, kwargs } = splitArgs(raw);
    const fallback = args.length > 1 ? args[1] : (kwargs.default ?? null);
    const i = this.indexOf(args.length > 0 ? args[0] : kwargs.key);
    if (i >= 0) return this.tables[i];
    return truthy(fallback) ? fallback : null;
  };

  /** The key-to-table mapping, in key order. */
  dict(): unknown {
    return dictFromPairs(this.groupKeys.map((k, i) => [k, this.tables[i]] as const));
  }

  private indexOf(key: unknown): number {
    const h = hashKey(key);
    return this.groupKeys.findIndex((k) => hashKey(k) === h && pyEq(k, key));
  }
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

exposeMembers(ResultTableSet, ['keys', 'values', 'items', 'get', 'dict', 'key_name', 'key_type', 'column_names', 'column_types']);

/** agate's default null strings, which its Text type casts to none (a row function's keys are cast so). */
const TEXT_NULLS = new Set(['', 'na', 'n/a', 'none', 'null', '.']);

/** A row function's result as agate's Text().cast gives it: none, or text (its null strings are none). */
function castText(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const s = pyStr(v);
  if ((typeof v === 'string' || typeof (v as { val?: unknown }).val === 'string') && TEXT_NULLS.has(s.trim().toLowerCase())) return null;
  return s;
}

/**
 * agate's Table.group_by(key, key_name=None, key_type=None): `key` is a
 * column's name (or position), or a function of a row; the rows are split
 * by its value (Python's equality: 1, 1.0 and True are one key) in the
 * order each value is first seen, and `fork` makes a table of the same
 * columns from each group's rows. A column's key keeps its values as they
 * are (its type casts them to themselves); a function's results are cast as
 * agate's Text does. No rows: one empty table under no key. Rows are
 * numbered 0..rowCount-1; `read` gives a cell, the row a function sees,
 * and a table of some rows.
 */
export function groupTable<T extends GroupedTable>(
  table: T,
  rowCount: number,
  read: { value: (row: number, column: number) => unknown; row: (row: number) => unknown; fork: (rows: number[]) => T },
  raw: unknown[],
): ResultTableSet<T> {
  const { args, kwargs } = splitArgs(raw);
  const key = args.length > 0 ? args[0] : kwargs.key;
  const givenName = args[1] ?? kwargs.key_name ?? null;
  const givenType = args[2] ?? kwargs.key_type ?? null;
  if (key === undefined) throw pyError('TypeError', "group_by() missing 1 required positional argument: 'key'");
  let keyOf: (row: number) => unknown;
  let keyName: string;
  let keyType: string;
  if (typeof key === 'function') {
    keyOf = (row) => castText((key as (r: unknown) => unknown)(read.row(row)));
    keyName = givenName ? String(givenName) : 'group';
    keyType = givenType ? String(givenType) : 'Text';
  } else {
    const i = typeof key === 'number' && Number.isInteger(key) ? (key < 0 ? table.column_names.length + key : key) : table.column_names.indexOf(String(key));
    if (i < 0 || i >= table.column_names.length) {
      throw typeof key === 'number' ? pyError('IndexError', 'tuple index out of range') : pyError('KeyError', pyRepr(key), `The table has no column ${pyRepr(key)}; its columns are ${table.column_names.join(', ')}.`);
    }
    keyOf = (row) => read.value(row, i);
    keyName = givenName ? String(givenName) : table.column_names[i]!;
    keyType = givenType ? String(givenType) : (table.dbTypes[i] ?? '');
  }
  const order: string[] = [];
  const groups = new Map<string, { key: unknown; rows: number[] }>();
  for (let row = 0; row < rowCount; row++) {
    const k = keyOf(row);
    const h = hashKey(k);
    let g = groups.get(h);
    if (!g) {
      g = { key: k, rows: [] };
      groups.set(h, g);
      order.push(h);
    }
    g.rows.push(row);
  }
  if (order.length === 0) return new ResultTableSet([read.fork([])], [], keyName, keyType);
  const picked = order.map((h) => groups.get(h)!);
  return new ResultTableSet(picked.map((g) => read.fork(g.rows)), picked.map((g) => g.key), keyName, keyType);
}
