import { PyDate, PyDateTime, pyDateTimeFromJs } from '../../jinja/python/modules/index.js';

/**
 * A database value as templates see it: a DATE as a Python date, a
 * timestamp with time zone as an aware UTC datetime, any other timestamp as
 * a naive datetime (macros call `.strftime()`, compare them, render them as
 * `2024-01-31 12:00:00`); other values unchanged.
 */
export function templateValue(v: unknown, type: string): unknown {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) return v;
  const t = type.toUpperCase();
  try {
    if (t === 'DATE') return new PyDate(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
    if (/TIME ZONE|TIMESTAMPTZ|TIMESTAMP_TZ|TIMESTAMP_LTZ/.test(t)) return pyDateTimeFromJs(v);
    return new PyDateTime(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate(), v.getUTCHours(), v.getUTCMinutes(), v.getUTCSeconds(), v.getUTCMilliseconds() * 1000);
  } catch {
    return v; // outside Python's datetime range (year 0, 10000+): keep the JS value
  }
}
