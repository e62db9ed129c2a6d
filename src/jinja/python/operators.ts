/**
 * Python's operators for template expressions. The engine compiles `a + b`,
 * `a % b`, `a == b`, `a in b`, `if a` ... to these, so templates get Python's
 * results and Python's errors (`'a' + 1` is a TypeError, not 'a1').
 *
 * Foreign objects (datetime values in modules/) take part through dunder hooks:
 * `__add__`/`__radd__`, `__sub__`/`__rsub__`, `__mul__`, `__truediv__`,
 * `__eq__`, `__cmp__` (returns a number, or undefined when unorderable),
 * `__bool__`, `__len__`, `__contains__`. A hook returns undefined for
 * NotImplemented.
 */
import { setsEqual } from './py-set.js';
import { dictPairs, PyDictMap } from './py-dict-map.js';
import { pyError } from './errors.js';
import { isFloatValue, isNumeric, PyFloat, pyFloat, toNum } from './py-float.js';
import { pyPercentFormat } from './percent-format.js';
import { isDict, isSafeString, PyDictView, pyLen, PyTuple, pyTuple, pyTypeName, strText } from './types.js';

type Hooked = Record<string, ((other: unknown) => unknown) | undefined>;

function hook(obj: unknown, name: string, other: unknown): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const f = (obj as Hooked)[name];
  return typeof f === 'function' ? f.call(obj, other) : undefined;
}

function undefinedOperand(op: string): never {
  throw pyError('UndefinedError', `an undefined value was used with '${op}'`, 'Define the variable, or give it a fallback with |default(...).');
}

function unsupported(op: string, a: unknown, b: unknown): never {
  if (a === undefined || b === undefined) undefinedOperand(op);
  throw pyError('TypeError', `unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`, `Convert one side first, e.g. (x | int), (x | float) or (x | string).`);
}

/** Result of arithmetic on two numerics: a float when either side is one. */
function num(n: number, float: boolean): number | PyFloat {
  return float ? pyFloat(n) : n;
}

/** Two JS numbers: an int result only when both are ints (1.5 + 1.5 is 3.0). */
function fastNum(a: number, b: number, r: number): number | PyFloat {
  return Number.isInteger(a) && Number.isInteger(b) ? r : pyFloat(r);
}

export function pyAdd(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return fastNum(a, b, a + b);
  const sa = strText(a);
  if (sa !== undefined) {
    const sb = strText(b);
    if (sb !== undefined) return sa + sb;
    if (b === undefined) undefinedOperand('+');
    throw pyError('TypeError', `can only concatenate str (not "${pyTypeName(b)}") to str`, 'Convert the value first, e.g. (x | string).');
  }
  if (isNumeric(a) && isNumeric(b)) return num(toNum(a) + toNum(b), isFloatValue(a) || isFloatValue(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    const ta = a instanceof PyTuple;
    if (ta === b instanceof PyTuple && !(a instanceof PyDictView) && !(b instanceof PyDictView)) {
      return ta ? pyTuple([...a, ...b]) : [...a, ...b];
    }
    throw pyError('TypeError', `can only concatenate ${pyTypeName(a)} (not "${pyTypeName(b)}") to ${pyTypeName(a)}`);
  }
  const r = hook(a, '__add__', b) ?? hook(b, '__radd__', a);
  if (r !== undefined) return r;
  if (Array.isArray(a) && b !== undefined) throw pyError('TypeError', `can only concatenate ${pyTypeName(a)} (not "${pyTypeName(b)}") to ${pyTypeName(a)}`);
  return unsupported('+', a, b);
}

export function pySub(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return fastNum(a, b, a - b);
  if (isNumeric(a) && isNumeric(b)) return num(toNum(a) - toNum(b), isFloatValue(a) || isFloatValue(b));
  const r = hook(a, '__sub__', b) ?? hook(b, '__rsub__', a);
  if (r !== undefined) return r;
  return unsupported('-', a, b);
}

export function pyMul(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return fastNum(a, b, a * b);
  if (isNumeric(a) && isNumeric(b)) return num(toNum(a) * toNum(b), isFloatValue(a) || isFloatValue(b));
  const seqTimes = (seq: unknown, n: unknown): unknown => {
    if (typeof n !== 'number' && typeof n !== 'boolean') {
      throw pyError('TypeError', `can't multiply sequence by non-int of type '${pyTypeName(n)}'`);
    }
    if (!Number.isInteger(toNum(n))) throw pyError('TypeError', `can't multiply sequence by non-int of type 'float'`);
    const k = Math.max(0, toNum(n));
    const s = strText(seq);
    if (s !== undefined) return s.repeat(k);
    const arr = seq as unknown[];
    const out: unknown[] = [];
    for (let i = 0; i < k; i++) out.push(...arr);
    return arr instanceof PyTuple ? pyTuple(out) : out;
  };
  if (strText(a) !== undefined || (Array.isArray(a) && !(a instanceof PyDictView))) return seqTimes(a, b);
  if (strText(b) !== undefined || (Array.isArray(b) && !(b instanceof PyDictView))) return seqTimes(b, a);
  const r = hook(a, '__mul__', b) ?? hook(b, '__rmul__', a);
  if (r !== undefined) return r;
  return unsupported('*', a, b);
}

/** `/`: true division, always a float. */
export function pyDiv(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    const d = toNum(b);
    if (d === 0) throw pyError('ZeroDivisionError', isFloatValue(a) || isFloatValue(b) ? 'float division by zero' : 'division by zero');
    return pyFloat(toNum(a) / d);
  }
  const r = hook(a, '__truediv__', b) ?? hook(b, '__rtruediv__', a);
  if (r !== undefined) return r;
  return unsupported('/', a, b);
}

/** `//`: floor division; int for two ints, else a float. */
export function pyFloorDiv(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    const float = isFloatValue(a) || isFloatValue(b);
    const d = toNum(b);
    if (d === 0) throw pyError('ZeroDivisionError', float ? 'float floor division by zero' : 'integer division or modulo by zero');
    return num(Math.floor(toNum(a) / d), float);
  }
  const r = hook(a, '__floordiv__', b) ?? hook(b, '__rfloordiv__', a);
  if (r !== undefined) return r;
  return unsupported('//', a, b);
}

/** `%`: modulo with the divisor's sign, or printf-style formatting when `a` is a string. */
export function pyMod(a: unknown, b: unknown): unknown {
  const s = strText(a);
  if (s !== undefined) return pyPercentFormat(s, b);
  if (isNumeric(a) && isNumeric(b)) {
    const float = isFloatValue(a) || isFloatValue(b);
    const x = toNum(a);
    const d = toNum(b);
    if (d === 0) throw pyError('ZeroDivisionError', float ? 'float modulo' : 'integer modulo by zero');
    let m = x % d;
    if (m !== 0 && m < 0 !== d < 0) m += d;
    return num(m, float);
  }
  const r = hook(a, '__mod__', b) ?? hook(b, '__rmod__', a);
  if (r !== undefined) return r;
  return unsupported('%', a, b);
}

/** `**`: an int for int ** non-negative int, else a float. */
export function pyPow(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNum(a);
    const y = toNum(b);
    const float = isFloatValue(a) || isFloatValue(b) || y < 0;
    if (x === 0 && y < 0) throw pyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
    // C's pow() gives 1/(x**n) for negative integral n; V8's ** can differ in the last digit.
    const r = Number.isInteger(y) && y < 0 && Number.isInteger(x) && Math.abs(x ** -y) < 2 ** 53 ? 1 / x ** -y : x ** y;
    if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) {
      throw pyError('ValueError', 'math domain error (a negative number to a fractional power is complex)');
    }
    if (float && !Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
      throw pyError('OverflowError', "(34, 'Numerical result out of range')");
    }
    return num(r, float);
  }
  const r = hook(a, '__pow__', b);
  if (r !== undefined) return r;
  return unsupported('** or pow()', a, b);
}

/** Unary minus. */
export function pyNeg(a: unknown): unknown {
  if (typeof a === 'number') return -a;
  if (isNumeric(a)) return num(-toNum(a), isFloatValue(a));
  const r = hook(a, '__neg__', undefined);
  if (r !== undefined) return r;
  if (a === undefined) undefinedOperand('-');
  throw pyError('TypeError', `bad operand type for unary -: '${pyTypeName(a)}'`);
}

/** Unary plus. */
export function pyPos(a: unknown): unknown {
  if (typeof a === 'boolean') return a ? 1 : 0;
  if (isNumeric(a)) return a;
  const r = hook(a, '__pos__', undefined);
  if (r !== undefined) return r;
  if (a === undefined) undefinedOperand('+');
  throw pyError('TypeError', `bad operand type for unary +: '${pyTypeName(a)}'`);
}

/** Python truthiness: '', 0, 0.0, [], {}, (), None and undefined are false. */
export function pyTruthy(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0; // nan is true in Python too
    case 'undefined':
      return false;
    case 'bigint':
      return v !== 0n;
    case 'function':
      return true;
  }
  if (v === null) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) {
    for (const k in v) if (k !== '__keywords') return true;
    return false;
  }
  if (isSafeString(v)) return v.val.length > 0;
  const b = (v as { __bool__?: unknown }).__bool__;
  if (typeof b === 'function') return Boolean(b.call(v));
  const n = pyLen(v);
  if (n !== undefined) return n > 0;
  return true;
}

/** Python `==`. 1 == 1.0 == True; (1,) != [1]; dicts compare by keys and values. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (isNumeric(a)) return isNumeric(b) ? toNum(a) === toNum(b) : Boolean(hook(b, '__eq__', a) ?? false);
  const sa = strText(a);
  if (sa !== undefined) return sa === strText(b);
  if (Array.isArray(a)) {
    // A list against a host sequence (agate's Column): the sequence's __eq__ answers, as Python reflects it.
    if (!Array.isArray(b)) return Boolean(hook(b, '__eq__', a) ?? false);
    if (a.length !== b.length) return false;
    if (a instanceof PyTuple !== b instanceof PyTuple) return false;
    if (a instanceof PyDictView || b instanceof PyDictView) {
      // dict views compare as views (keys/items as sets), never equal to a list.
      if (!(a instanceof PyDictView && b instanceof PyDictView) || a.kind !== b.kind || a.kind === 'dict_values') return false;
      return a.every((x) => b.some((y) => pyEq(x, y)));
    }
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof PyDictMap || b instanceof PyDictMap) return dictMapsEqual(a, b);
  if (isDict(a)) {
    if (!isDict(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !pyEq(a[k], b[k])) return false;
    return true;
  }
  // Sets compare by membership, in any order.
  if (a instanceof Set) return b instanceof Set && setsEqual(a, b);
  const r = hook(a, '__eq__', b) ?? hook(b, '__eq__', a);
  return r === undefined ? false : Boolean(r);
}

/** A PyDictMap against another dict (either form): the same keys (by hash) with equal values. */
function dictMapsEqual(a: unknown, b: unknown): boolean {
  const pa = dictPairs(a);
  const pb = dictPairs(b);
  if (!pa || !pb || pa.length !== pb.length) return false;
  const mb = b instanceof PyDictMap ? b : new PyDictMap(pb);
  return pa.every(([k, v]) => mb.has(k) && pyEq(v, mb.get(k)));
}

export function pyNe(a: unknown, b: unknown): boolean {
  return !pyEq(a, b);
}

/**
 * Three-way comparison for ordering (`<`, `sorted`, `min`): negative, 0 or
 * positive. Throws Python's TypeError for types that do not order
 * (`'<' not supported between instances of 'int' and 'str'`).
 */
export function pyCmp(a: unknown, b: unknown, op = '<'): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNum(a);
    const y = toNum(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const sa = strText(a);
  const sb = strText(b);
  if (sa !== undefined && sb !== undefined) return sa < sb ? -1 : sa > sb ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEq(a[i], b[i])) return pyCmp(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  const r = hook(a, '__cmp__', b);
  if (typeof r === 'number') return r;
  const r2 = hook(b, '__cmp__', a);
  if (typeof r2 === 'number') return -r2;
  if (a === undefined || b === undefined) undefinedOperand(op);
  throw pyError('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`, 'Compare values of one type; convert with |int, |float or |string.');
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** One comparison as written in a template: `pyCompare(a, '<', b)`. */
export function pyCompare(a: unknown, op: CompareOp, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
    case '<':
      return pyCmp(a, b, op) < 0 && !isNaNPair(a, b);
    case '<=':
      return pyCmp(a, b, op) <= 0 && !isNaNPair(a, b);
    case '>':
      return pyCmp(a, b, op) > 0 && !isNaNPair(a, b);
    case '>=':
      return pyCmp(a, b, op) >= 0 && !isNaNPair(a, b);
  }
}

function isNaNPair(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && Number.isNaN(a)) || (typeof b === 'number' && Number.isNaN(b));
}

/** Python `needle in haystack`. An undefined haystack holds nothing (as Jinja2's Undefined). */
export function pyIn(needle: unknown, haystack: unknown): boolean {
  const hs = strText(haystack);
  if (hs !== undefined) {
    const ns = strText(needle);
    if (ns === undefined) throw pyError('TypeError', `'in <string>' requires string as left operand, not ${pyTypeName(needle)}`);
    return hs.includes(ns);
  }
  if (Array.isArray(haystack)) {
    for (const x of haystack) if (pyEq(x, needle)) return true;
    return false;
  }
  if (haystack === undefined) return false;
  if (haystack === null || typeof haystack !== 'object' || haystack instanceof PyFloat) {
    throw pyError('TypeError', `argument of type '${pyTypeName(haystack)}' is not iterable`);
  }
  if (isDict(haystack)) {
    if ((Array.isArray(needle) && !(needle instanceof PyTuple)) || isDict(needle)) {
      throw pyError('TypeError', `unhashable type: '${pyTypeName(needle)}'`);
    }
    if (typeof needle === 'string') return Object.prototype.hasOwnProperty.call(haystack, needle);
    if (typeof needle === 'number' || needle instanceof PyFloat) return Object.prototype.hasOwnProperty.call(haystack, String(toNum(needle)));
    return false;
  }
  if (haystack instanceof Map) return haystack.has(needle);
  if (haystack instanceof Set) return haystack.has(needle);
  const r = hook(haystack, '__contains__', needle);
  if (r !== undefined) return Boolean(r);
  return typeof needle === 'string' && needle in haystack;
}
