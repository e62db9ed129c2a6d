import { exposeMembers } from '../../jinja/index.js';
import { PyDate, PyDecimal, pyError, pyFloat, pyStr, pyToJson } from '../../jinja/python/index.js';
import { kindOf, type Kind } from './agate-print.js';
import { templateValue } from './template-value.js';

/**
 * The types of dbt's agate tables (its type tester, dbt_common's
 * agate_helper), as a query result's columns hold them: `column_types[i]`
 * and `columns[i].data_type`, with agate's `jsonify`, `csvify`, `cast` and
 * `test`. Each column is typed as dbt types it: a column holding text (or a
 * list or struct, which dbt writes as JSON text) is Text; a column with no
 * value but nulls is Integer; otherwise the database type tells, as the
 * Python driver's values would (ints, Decimals and floats, booleans, dates,
 * datetimes).
 */
export class AgateDataType {
  readonly __class__: string;

  constructor(readonly kind: Kind) {
    this.__class__ = CLASS_NAMES[kind];
  }

  /** The class's own name (`Number`), as print_structure and CastError name it. */
  get name(): string {
    return this.__class__.slice(this.__class__.lastIndexOf('.') + 1);
  }

  /** agate's DataType.jsonify: a Number as a float, a date as ISO text, text as itself; None stays None. */
  jsonify(d: unknown): unknown {
    if (d === null || d === undefined) return null;
    switch (this.kind) {
      case 'number':
        return pyFloat(d instanceof PyDecimal ? d.toNumber() : Number(d));
      case 'integer':
      case 'boolean':
        return d;
      case 'date':
      case 'datetime':
        return this.csvify(d);
      case 'text':
        return pyStr(d);
    }
  }

  /** agate's DataType.csvify: dates and datetimes in ISO form, anything else as it is (text as str). */
  csvify(d: unknown): unknown {
    if (d === null || d === undefined) return null;
    if ((this.kind === 'date' || this.kind === 'datetime') && d instanceof PyDate) return d.isoformat();
    return this.kind === 'text' ? pyStr(d) : d;
  }

  /** agate's DataType.cast for values this column already holds (a value of another type is agate's CastError). */
  cast(d: unknown): unknown {
    if (d === null || d === undefined) return null;
    if (this.test(d)) return this.kind === 'text' ? pyStr(d) : d;
    throw pyError('ValueError', `Can not parse value "${pyStr(d)}" as ${this.name}.`);
  }

  /** agate's DataType.test: whether `d` is a value of this type. */
  test(d: unknown): boolean {
    if (d === null || d === undefined) return true;
    switch (this.kind) {
      case 'integer':
        return (typeof d === 'number' && Number.isInteger(d)) || typeof d === 'bigint';
      case 'number':
        return d instanceof PyDecimal || typeof d === 'number' || typeof d === 'bigint';
      case 'boolean':
        return typeof d === 'boolean';
      case 'date':
        return d instanceof PyDate && d.__class__ === 'datetime.date';
      case 'datetime':
        return d instanceof PyDate && d.__class__ === 'datetime.datetime';
      case 'text':
        return true;
    }
  }

  /** Python's default repr of the instance (the address is made up, as templates cannot use it). */
  __repr__(): string {
    return `<${this.__class__} object at ${ADDRESSES[this.kind]}>`;
  }

  __str__(): string {
    return this.__repr__();
  }
}

exposeMembers(AgateDataType, ['jsonify', 'csvify', 'cast', 'test']);

const CLASS_NAMES: Record<Kind, string> = {
  integer: 'dbt_common.clients.agate_helper.Integer',
  number: 'dbt_common.clients.agate_helper.Number',
  date: 'agate.data_types.date.Date',
  datetime: 'agate.data_types.date_time.DateTime',
  boolean: 'agate.data_types.boolean.Boolean',
  text: 'agate.data_types.text.Text',
};

const ADDRESSES: Record<Kind, string> = {
  integer: '0x7f0a5c1e0010',
  number: '0x7f0a5c1e0050',
  date: '0x7f0a5c1e0090',
  datetime: '0x7f0a5c1e00d0',
  boolean: '0x7f0a5c1e0110',
  text: '0x7f0a5c1e0150',
};

const TYPES = new Map<Kind, AgateDataType>();

/** The one instance of each type (dbt's type tester makes its types once). */
function typeOf(kind: Kind): AgateDataType {
  let t = TYPES.get(kind);
  if (!t) TYPES.set(kind, (t = new AgateDataType(kind)));
  return t;
}

/** The agate class name of a table's column type: a query result's agate type, or a seed table's inferred type (seed-csv.ts: `integer`, `bigint`, `number`...). */
export function agateTypeName(t: unknown): string {
  if (t instanceof AgateDataType) return t.name;
  const kind = t === 'bigint' ? 'integer' : String(t);
  return kind in CLASS_NAMES ? typeOf(kind as Kind).name : 'Text';
}

/** Exact values of DECIMAL columns the driver's numbers cannot hold: the scaled integer by column, then row. */
export type ExactDecimals = Record<number, Record<number, bigint>>;

/**
 * A result's columns typed as dbt's agate table types them, and its rows
 * (as templates see them, templateRowsOf) cast to those types: a Number
 * column's values as Decimals (a DECIMAL(p,s) with its s digits, a float as
 * `Decimal(repr(f))`), a list, struct or map as its JSON text.
 */
export function agateTable(dbTypes: readonly string[], rows: readonly unknown[][], exact?: ExactDecimals): { types: AgateDataType[]; rows: unknown[][] } {
  const kinds = dbTypes.map((type, j) => columnKind(type, rows, j));
  const casts = kinds.map((kind, j) => castFor(kind, dbTypes[j] ?? '', exact?.[j]));
  const out = casts.some((c) => c !== undefined) ? rows.map((r, i) => r.map((v, j) => (casts[j] ? casts[j]!(v, i) : v))) : rows.map((r) => r.slice());
  return { types: kinds.map(typeOf), rows: out };
}

function columnKind(type: string, rows: readonly unknown[][], j: number): Kind {
  let any = false;
  for (const r of rows) {
    const v = r[j];
    if (v === null || v === undefined) continue;
    any = true;
    if (typeof v === 'string' || isContainer(v)) return 'text';
  }
  // agate's tester: a column of nulls fits its first type, dbt's Integer.
  return any ? kindOf(type, rows, j) : 'integer';
}

type Cast = (v: unknown, row: number) => unknown;

function castFor(kind: Kind, type: string, exact: Record<number, bigint> | undefined): Cast | undefined {
  if (kind === 'text') return (v) => (isContainer(v) ? containerJson(v, type) : v);
  if (kind !== 'number') return undefined;
  const scale = /^(?:DECIMAL|NUMERIC|NUMBER)\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(type.trim());
  if (scale) {
    const s = Number(scale[1]);
    return (v, row) => {
      const e = exact?.[row];
      if (e !== undefined) return PyDecimal.fromScaled(e, s);
      if (typeof v === 'bigint') return PyDecimal.fromScaled(v * 10n ** BigInt(s), s);
      return typeof v === 'number' && Number.isFinite(v) ? PyDecimal.fromScaled(BigInt(Math.round(v * 10 ** s)), s) : v;
    };
  }
  return (v) => (typeof v === 'number' ? PyDecimal.fromFloatRepr(v) : typeof v === 'bigint' ? PyDecimal.fromInt(v) : v);
}

function isContainer(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** dbt's json.dumps of a list, dict or tuple value (a DuckDB MAP arrives as key/value entries: a dict). */
function containerJson(v: unknown, type: string): string {
  if (/^MAP\s*\(/i.test(type.trim()) && Array.isArray(v) && v.every((e) => isContainer(e) && 'key' in (e as object) && 'value' in (e as object))) {
    const dict: Record<string, unknown> = {};
    for (const e of v as { key: unknown; value: unknown }[]) dict[String(e.key)] = e.value;
    return pyToJson(forgiving(dict));
  }
  return pyToJson(forgiving(v));
}

/**
 * A value as dbt's ForgivingJSONEncoder writes it: a Decimal as a float, a date or datetime in ISO form (a
 * driver's Date as a naive datetime), any other object as its str().
 */
function forgiving(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(forgiving);
  if (isContainer(v)) return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, forgiving(x)]));
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof PyDecimal) return pyFloat(v.toNumber());
  if (v instanceof PyDate) return v.isoformat();
  if (v instanceof Date) {
    const naive = templateValue(v, 'TIMESTAMP');
    return naive instanceof PyDate ? naive.isoformat() : pyStr(v);
  }
  return pyStr(v);
}
