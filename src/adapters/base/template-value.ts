import { PyDate, PyDateTime, PyTime, PyTimedelta, pyDateTimeFromJs } from '../../jinja/python/modules/index.js';

/**
 * A database value as templates see it (dbt's agate table of a Python
 * driver's values): a DATE as a Python date, a timestamp with time zone as
 * an aware UTC datetime, any other timestamp as a naive datetime (macros call
 * `.strftime()`, compare them, render them as `2024-01-31 12:00:00`); a TIME
 * and an INTERVAL as the text of Python's time and timedelta (agate's type
 * tester has neither type, so the column is text); other values unchanged.
 *
 * `micros`: the microseconds past the value's millisecond (a JS Date holds
 * milliseconds; the driver gives the rest beside the rows, QueryResult.micros).
 */
export function templateValue(v: unknown, type: string, micros = 0): unknown {
  if (!(v instanceof Date)) return otherValue(v, type);
  if (Number.isNaN(v.getTime())) return v;
  const t = type.toUpperCase();
  try {
    if (t === 'DATE') return new PyDate(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
    if (/TIME ZONE|TIMESTAMPTZ|TIMESTAMP_TZ|TIMESTAMP_LTZ/.test(t)) return pyDateTimeFromJs(v, micros);
    return new PyDateTime(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate(), v.getUTCHours(), v.getUTCMinutes(), v.getUTCSeconds(), v.getUTCMilliseconds() * 1000 + micros);
  } catch {
    return v; // outside Python's datetime range (year 0, 10000+): keep the JS value
  }
}

/**
 * A result's rows as templates see them (each value through templateValue, with its microseconds from
 * QueryResult.micros); the rows themselves when nothing in them changes.
 */
export function templateRowsOf(types: readonly string[], rows: readonly unknown[][], micros?: Record<number, Record<number, number>>): unknown[][] {
  const texted = types.some(isTextedType);
  return rows.map((r, i) =>
    texted || r.some((v) => v instanceof Date) ? r.map((v, j) => templateValue(v, types[j] ?? '', micros?.[j]?.[i])) : (r as unknown[]),
  );
}

/** Whether templateValue can change a value of this type that is not a Date. */
export function isTextedType(type: string): boolean {
  const t = type.toUpperCase();
  return t === 'TIME' || t === 'INTERVAL';
}

function otherValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined || typeof v === 'string' || !isTextedType(type)) return v;
  const t = type.toUpperCase();
  if (t === 'INTERVAL' && isInterval(v)) return intervalText(v);
  if (t === 'TIME' && (typeof v === 'number' || typeof v === 'bigint')) return timeOf(Number(v)).__str__();
  return v;
}

/** A DuckDB interval as the driver gives it: months, days and microseconds. */
export interface Interval {
  months: number;
  days: number;
  micros: number | bigint;
}

export function isInterval(v: unknown): v is Interval {
  return v !== null && typeof v === 'object' && 'months' in v && 'days' in v && 'micros' in v;
}

/** Python's str() of the timedelta DuckDB's Python client makes of an interval (a month as 30 days). */
export function intervalText(v: Interval): string {
  return new PyTimedelta(v.months * 30 + v.days, 0, Number(v.micros)).__str__();
}

/** The datetime.time `micros` after midnight. */
export function timeOf(micros: number): PyTime {
  const secs = Math.floor(micros / 1e6);
  return new PyTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60, micros - secs * 1e6);
}
