/**
 * `modules.datetime`: the datetime module as templates see it. Classes are
 * callables with class methods as properties, so both
 * `modules.datetime.datetime(2024, 1, 2)` and
 * `modules.datetime.datetime.now()` work.
 */
import { absent, bindParams } from '../args.js';
import { pyError } from '../errors.js';
import { toNum } from '../py-float.js';
import { splitArgs } from '../../kwargs.js';
import { pyTypeName } from '../types.js';
import { daysFromCivil } from './calendar.js';
import { makeDate, makeDateTime, makeTime, PyDate, PyDateTime, PyTime, splitTimestamp } from './datetime.js';
import { strptime } from './strftime.js';
import { makeTimedelta, PyTimedelta } from './timedelta.js';
import { PyFixedTimezone, UTC_FIXED, type TzInfo } from './tz.js';

/** Pins "now" for tests; undefined means the real clock. */
let clock: (() => number) | undefined;

/** Make now()/today()/utcnow() read `ms` (epoch milliseconds) instead of the clock; undefined restores it. */
export function setDatetimeClock(fn: (() => number) | undefined): void {
  clock = fn;
}

function nowMs(): number {
  return clock ? clock() : Date.now();
}

function classObject<T extends object>(name: string, ctor: (...args: unknown[]) => unknown, statics: T): ((...args: unknown[]) => unknown) & T {
  const f = ((...args: unknown[]) => ctor(...args)) as ((...args: unknown[]) => unknown) & T;
  Object.defineProperty(f, 'name', { value: name });
  Object.assign(f, statics, { __str__: () => `<class 'datetime.${name}'>`, __repr__: () => `<class 'datetime.${name}'>` });
  return f;
}

/** Local (machine zone) wall time for an epoch instant in seconds. */
function localWall(utcSec: number): number {
  return utcSec - new Date(utcSec * 1000).getTimezoneOffset() * 60;
}

const ISO_DATE = /^(\d{4})-?(\d{2})-?(\d{2})/;
const ISO_TIME = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,6})\d*)?)?)?/;
const ISO_TZ = /^(?:(Z)|([+-])(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)$/;

function invalidIso(s: string): Error {
  return pyError('ValueError', `Invalid isoformat string: '${s}'`, 'Use the ISO form YYYY-MM-DD[THH:MM[:SS[.ffffff]]][+HH:MM].');
}

function fromIsoFormat(s: unknown): PyDateTime {
  const text = String(s);
  const d = ISO_DATE.exec(text);
  if (!d) throw invalidIso(text);
  let rest = text.slice(d[0].length);
  let h = 0;
  let mi = 0;
  let sec = 0;
  let us = 0;
  let tz: TzInfo | null = null;
  if (rest.length) {
    rest = rest.slice(1); // any single separator character
    const t = ISO_TIME.exec(rest);
    if (!t) throw invalidIso(text);
    h = Number(t[1]);
    mi = Number(t[2] ?? 0);
    sec = Number(t[3] ?? 0);
    us = t[4] ? Number(t[4].padEnd(6, '0')) : 0;
    rest = rest.slice(t[0].length);
    if (rest.length) {
      const z = ISO_TZ.exec(rest);
      if (!z) throw invalidIso(text);
      if (z[1]) tz = UTC_FIXED;
      else {
        const off = (z[2] === '-' ? -1 : 1) * (Number(z[3]) * 3600 + Number(z[4]) * 60 + Number(z[5] ?? 0));
        tz = off === 0 ? UTC_FIXED : new PyFixedTimezone(off);
      }
    }
  }
  try {
    return new PyDateTime(Number(d[1]), Number(d[2]), Number(d[3]), h, mi, sec, us, tz);
  } catch {
    throw invalidIso(text);
  }
}

function fromTimestamp(raw: unknown[], utc: boolean): PyDateTime {
  const [ts, tz] = bindParams('fromtimestamp', raw, ['timestamp', 'tz'], 1);
  const [sec, us] = splitTimestamp(ts);
  if (!absent(tz)) return PyDateTime.fromUtc(sec, us, tz as TzInfo);
  return PyDateTime.fromWall(utc ? sec : localWall(sec), us, null, null);
}

function now(raw: unknown[]): PyDateTime {
  const [tz] = bindParams('now', raw, ['tz']);
  return fromTimestamp([nowMs() / 1000, tz === undefined ? null : tz], false);
}

const datetimeClass = classObject('datetime', (...a) => makeDateTime(a), {
  now: (...a: unknown[]) => now(a),
  utcnow: () => fromTimestamp([nowMs() / 1000], true),
  today: () => now([]),
  fromisoformat: fromIsoFormat,
  fromtimestamp: (...a: unknown[]) => fromTimestamp(a, false),
  utcfromtimestamp: (...a: unknown[]) => fromTimestamp(a, true),
  strptime: (text: unknown, fmt: unknown) => {
    if (typeof text !== 'string' || typeof fmt !== 'string') {
      throw pyError('TypeError', `strptime() argument 1 must be str, not ${pyTypeName(typeof text !== 'string' ? text : fmt)}`);
    }
    const p = strptime(text, fmt);
    const tz = p.offset === null ? null : p.offset === 0 ? UTC_FIXED : new PyFixedTimezone(p.offset);
    return new PyDateTime(p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond, tz);
  },
  combine: (...raw: unknown[]) => {
    const [d, t, tz] = bindParams('combine', raw, ['date', 'time', 'tzinfo'], 2);
    if (!(d instanceof PyDate) || !(t instanceof PyTime)) throw pyError('TypeError', 'combine() needs a date and a time');
    return new PyDateTime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.microsecond, tz === undefined ? t.tzinfo : (tz as TzInfo | null));
  },
  fromordinal: (n: unknown) => {
    const dd = PyDate.fromDays(toNum(n) - 719163);
    return new PyDateTime(dd.year, dd.month, dd.day);
  },
  min: new PyDateTime(1, 1, 1),
  max: new PyDateTime(9999, 12, 31, 23, 59, 59, 999999),
});

const dateClass = classObject('date', (...a) => makeDate(a), {
  today: () => now([]).date(),
  fromisoformat: (s: unknown) => {
    const text = String(s);
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
    if (!m) throw pyError('ValueError', `Invalid isoformat string: '${text}'`, 'Use YYYY-MM-DD.');
    return new PyDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  fromordinal: (n: unknown) => PyDate.fromDays(toNum(n) - 719163),
  fromtimestamp: (ts: unknown) => fromTimestamp([ts], false).date(),
  min: new PyDate(1, 1, 1),
  max: new PyDate(9999, 12, 31),
});

const timeClass = classObject('time', (...a) => makeTime(a), {});

const timedeltaClass = classObject(
  'timedelta',
  (...raw) => {
    const [days, seconds, microseconds, milliseconds, minutes, hours, weeks] = bindParams('timedelta', raw, ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks']);
    return makeTimedelta({ days, seconds, microseconds, milliseconds, minutes, hours, weeks });
  },
  { min: new PyTimedelta(-999999999, 0, 0), max: new PyTimedelta(999999999, 86399, 999999), resolution: new PyTimedelta(0, 0, 1) },
);

const timezoneClass = classObject(
  'timezone',
  (...raw) => {
    const { args, kwargs } = splitArgs(raw);
    const offset = args[0] ?? kwargs.offset;
    const name = args[1] ?? kwargs.name;
    if (!(offset instanceof PyTimedelta)) throw pyError('TypeError', `timezone() argument 1 must be datetime.timedelta, not ${pyTypeName(offset)}`);
    const secs = offset.days * 86400 + offset.seconds;
    return absent(name) && secs === 0 ? UTC_FIXED : new PyFixedTimezone(secs, absent(name) ? undefined : String(name));
  },
  { utc: UTC_FIXED },
);

/** The `datetime` module object. */
export const datetimeModule = {
  __class__: 'module',
  __str__: () => "<module 'datetime'>",
  datetime: datetimeClass,
  date: dateClass,
  time: timeClass,
  timedelta: timedeltaClass,
  timezone: timezoneClass,
  MINYEAR: 1,
  MAXYEAR: 9999,
};

