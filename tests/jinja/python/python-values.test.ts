/**
 * Behaviour the golden corpora cannot express: the engine-facing contracts
 * (own-property rule, subscripts on foreign objects, registries), pinned
 * clocks, error shapes and hints. Expected values are Python's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { makeKwargs } from '../../../src/jinja/kwargs.js';
import {
  createPythonFilters,
  isPyFloat,
  lookupPythonMethod,
  pyFloat,
  pyGetAttr,
  pyIndex,
  pySlice,
  pyStr,
  pyTuple,
  pythonFilters,
  pythonModules,
  pyToJson,
  pyFromJson,
  setDatetimeClock,
  pyAdd,
  pyTruthy,
  pyCompare,
  pyDateTimeFromJs,
} from '../../../src/jinja/python/index.js';

type Fn = (...a: unknown[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
const dt = pythonModules.datetime as Record<string, Fn & Record<string, Fn>>;
const re = pythonModules.re as Record<string, Fn>;
const pytz = pythonModules.pytz as Record<string, Fn> & { utc: Record<string, Fn> };

describe('engine contracts', () => {
  it('pyStr returns a string value itself', () => {
    const s = 'select 1';
    expect(pyStr(s)).toBe(s);
  });

  it('lookupPythonMethod leaves a dict key of the same name to the engine', () => {
    const config = { get: (k: unknown) => `cfg:${String(k)}` };
    expect(lookupPythonMethod(config, 'get')).toBeUndefined();
    expect(lookupPythonMethod({ a: 1 }, 'get')!('a')).toBe(1);
    expect(lookupPythonMethod({ a: 1 }, 'nosuch')).toBeUndefined();
    expect(lookupPythonMethod(new (class Rel {})(), 'get')).toBeUndefined();
  });

  it('pyIndex uses __getitem__ of foreign objects and falls back to methods', () => {
    const m = re.match('(\\w+) (\\w+)', 'hello world');
    expect(pyIndex(m, 1)).toBe('hello');
    expect(pyStr(pyIndex({ a: 1 }, 'items'))).toMatch(/^<function/);
    expect(pyIndex([1, 2, 3], -1)).toBe(3);
    expect(pyIndex([1, 2, 3], 5)).toBeUndefined();
    expect(pyIndex({ '1': 'one' }, 1)).toBe('one');
  });

  it('pySlice keeps tuples as tuples', () => {
    expect(pyStr(pySlice(pyTuple([1, 2, 3]), 1))).toBe('(2, 3)');
    expect(pyStr(pySlice([1, 2, 3], 1))).toBe('[2, 3]');
    expect(() => pySlice({ a: 1 }, 1)).toThrow("TypeError: unhashable type: 'slice'");
  });

  it('groupby tuples expose grouper and list to attribute and item lookup', () => {
    const groups = pythonFilters.groupby([{ c: 'b' }, { c: 'a' }, { c: 'b' }], 'c') as unknown[];
    expect(pyGetAttr(groups[0], 'grouper')).toBe('a');
    expect(pyStr(pyGetAttr(groups[1], 'list'))).toBe("[{'c': 'b'}, {'c': 'b'}]");
    expect(pyIndex(groups[1], 'grouper')).toBe('b');
    expect(pyStr(pythonFilters.map(groups, makeKwargs({ attribute: 'grouper' })))).toBe("['a', 'b']");
  });

  it('createPythonFilters resolves map/select names through the engine registry', () => {
    const filters = createPythonFilters({
      filter: (n) => (n === 'shout' ? (v: unknown) => `${pyStr(v)}!` : undefined),
      test: (n) => (n === 'short' ? (v: unknown) => pyStr(v).length < 3 : undefined),
    });
    expect(filters.map(['a', 'b'], 'shout')).toEqual(['a!', 'b!']);
    expect(filters.map(['a'], 'upper')).toEqual(['A']);
    expect(filters.select(['ab', 'abcd'], 'short')).toEqual(['ab']);
    expect(() => pythonFilters.map(['a'], 'shout')).toThrow("TemplateRuntimeError: No filter named 'shout'.");
  });

  it('pyFloat keeps integral floats apart from ints', () => {
    const one = pyFloat(1);
    expect(isPyFloat(one)).toBe(true);
    expect(pyFloat(1.5)).toBe(1.5);
    expect(pyStr(one)).toBe('1.0');
    expect(pyStr(pyAdd(one, 1))).toBe('2.0');
    expect(Number(one) + 1).toBe(2);
    expect(pyTruthy(pyFloat(0))).toBe(false);
    expect(pyCompare(one, '==', 1)).toBe(true);
  });

  it('dict views compare as Python compares them', () => {
    const d = { a: 1, b: 2 };
    const keys = lookupPythonMethod(d, 'keys')!;
    expect(pyCompare(keys(), '==', ['a', 'b'])).toBe(false);
    expect(pyCompare(keys(), '==', lookupPythonMethod({ b: 0, a: 0 }, 'keys')!())).toBe(true);
    const values = lookupPythonMethod(d, 'values')!;
    expect(pyCompare(values(), '==', values())).toBe(false);
    expect(pyCompare(lookupPythonMethod(d, 'items')!(), '==', lookupPythonMethod({ b: 2, a: 1 }, 'items')!())).toBe(true);
  });
});

describe('errors', () => {
  it('are TsdbtErrors with code JINJA_RENDER, the Python exception and a hint', () => {
    let err: unknown;
    try {
      pyAdd('total: ', 3);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TsdbtError);
    const t = err as TsdbtError;
    expect(t.code).toBe('JINJA_RENDER');
    expect(t.message).toBe('TypeError: can only concatenate str (not "int") to str');
    expect(t.hint).toBe('Convert the value first, e.g. (x | string).');
    expect(t.detail).toEqual({ pythonException: 'TypeError' });
  });

  it('bad JSON names the position', () => {
    expect(() => pyFromJson('{"a": 1,\n "b": }')).toThrow('ValueError: Expecting value: line 2 column 7 (char 15)');
  });

  it('unknown keyword arguments name the accepted ones', () => {
    expect(() => lookupPythonMethod('a b', 'split')!(makeKwargs({ sep: ' ', bogus: 1 }))).toThrow("TypeError: 'bogus' is an invalid keyword argument for split()");
  });
});

describe('modules.datetime with a pinned clock', () => {
  afterEach(() => setDatetimeClock(undefined));

  it('utcnow, now(tz) and today read the clock', () => {
    setDatetimeClock(() => Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(pyStr(dt.datetime.utcnow())).toBe('2024-01-02 03:04:05.678000');
    expect(pyStr(dt.datetime.now(pytz.utc))).toBe('2024-01-02 03:04:05.678000+00:00');
    expect(pyStr(dt.datetime.now(pytz.timezone('Asia/Tokyo')))).toBe('2024-01-02 12:04:05.678000+09:00');
    const local = dt.datetime.now();
    const expected = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(local.hour).toBe(expected.getHours());
    expect(pyStr(dt.date.today())).toBe(pyStr(local.date()));
  });

  it('pytz names zones as the tz database does', () => {
    const ny = pytz.timezone('America/New_York');
    expect(ny.localize(dt.datetime(2024, 1, 15)).tzname()).toBe('EST');
    expect(ny.localize(dt.datetime(2024, 7, 15)).tzname()).toBe('EDT');
    expect(pyStr(ny.localize(dt.datetime(2024, 7, 15)).strftime('%H:%M %Z%z'))).toBe('00:00 EDT-0400');
    expect(pytz.timezone('UTC')).toBe(pytz.utc);
    expect(pyStr(pytz.utc)).toBe('UTC');
  });

  it('an unknown zone is an UnknownTimeZoneError with a hint', () => {
    expect(() => pytz.timezone('Mars/Olympus')).toThrow("UnknownTimeZoneError: 'Mars/Olympus'");
  });

  it("pyDateTimeFromJs gives run_started_at's shape: aware, UTC, microseconds", () => {
    const d = pyDateTimeFromJs(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
    expect(pyStr(d)).toBe('2024-01-02 03:04:05.678000+00:00');
    expect(pyStr(d.astimezone(pytz.timezone('America/New_York')))).toBe('2024-01-01 22:04:05.678000-05:00');
    expect(d.strftime('%Y%m%d%H%M%S')).toBe('20240102030405');
  });

  it('dates are not JSON serializable, as in Python', () => {
    expect(() => pyToJson({ d: dt.date(2024, 1, 2) })).toThrow('TypeError: Object of type date is not JSON serializable');
  });
});
