/**
 * Python semantics for Jinja operators on JS values: truthiness, `==`
 * (no coercion, by value for lists/dicts), ordering, `in`, arithmetic
 * (`+` concatenates lists/strings, `*` repeats, `/` is true division, `//`
 * and `%` floor like Python), and `~`.
 *
 * Value model: None = null, undefined = Jinja's Undefined, bool = boolean,
 * int = integral number, float = non-integral number or a PyFloat (see
 * py-hooks), str = string, list/tuple = array, dict = plain object or Map.
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import { PyFloat, isFloat, makeFloat, pyStr, isTuple } from './py-hooks.js';

export function renderError(message: string, hint?: string): TsdbtError {
  return new TsdbtError('JINJA_RENDER', message, hint === undefined ? {} : { hint });
}

export function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (v === undefined) return 'Undefined';
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'function':
      return 'function';
  }
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (v instanceof Map) return 'dict';
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return 'dict';
  return (proto?.constructor?.name as string | undefined) ?? 'object';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function truthy(v: unknown): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'undefined':
      return false;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof PyFloat) return v.value !== 0;
      if (v instanceof Map || v instanceof Set) return v.size > 0;
      if (isPlainObject(v)) {
        for (const _ in v) return true;
        return false;
      }
      return true;
    default:
      return true;
  }
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' || tb === 'string') return false;
  const na = num(a);
  if (na !== undefined) {
    const nb = num(b);
    return nb !== undefined && na === nb;
  }
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || isTuple(a) !== isTuple(b)) return false;
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !eq(a[k], b[k])) return false;
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !eq(v, b.get(k))) return false;
    return true;
  }
  return false;
}

/** Python ordering: numbers with numbers, strings with strings, sequences elementwise. */
export function cmp(a: unknown, b: unknown, op: string): number {
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return cmp(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw renderError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function lt(a: unknown, b: unknown): boolean {
  return cmp(a, b, '<') < 0;
}
export function gt(a: unknown, b: unknown): boolean {
  return cmp(a, b, '>') > 0;
}
export function le(a: unknown, b: unknown): boolean {
  return cmp(a, b, '<=') <= 0;
}
export function ge(a: unknown, b: unknown): boolean {
  return cmp(a, b, '>=') >= 0;
}

/** `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw renderError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) {
    for (const x of container) if (eq(x, item)) return true;
    return false;
  }
  if (container === undefined) return false;
  if (container instanceof Map || container instanceof Set) {
    if (container.has(item)) return true;
    for (const k of container.keys()) if (eq(k, item)) return true;
    return false;
  }
  if (container !== null && typeof container === 'object') {
    if (isPlainObject(container)) return (typeof item === 'string' || typeof item === 'number') && Object.prototype.hasOwnProperty.call(container, String(item));
    if (Symbol.iterator in container) {
      for (const x of container as Iterable<unknown>) if (eq(x, item)) return true;
      return false;
    }
  }
  throw renderError(`argument of type '${typeName(container)}' is not iterable`);
}

function opError(op: string, a: unknown, b: unknown): TsdbtError {
  if (a === undefined || b === undefined) return renderError(`an undefined value was used in '${op}'`, 'Check that every variable in the expression is defined.');
  return renderError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function numResult(n: number, float: boolean): unknown {
  return float ? makeFloat(n) : n;
}

function numsOf(a: unknown, b: unknown, op: string): [number, number, boolean] {
  const na = num(a);
  const nb = num(b);
  if (na === undefined || nb === undefined) throw opError(op, a, b);
  return [na, nb, isFloat(a) || isFloat(b)];
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return Number.isInteger(a) && Number.isInteger(b) ? r : makeFloat(r);
  }
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isTuple(a) !== isTuple(b)) throw opError('+', a, b);
    return [...a, ...b];
  }
  const [x, y, f] = numsOf(a, b, '+');
  return numResult(x + y, f);
}

export function sub(a: unknown, b: unknown): unknown {
  const [x, y, f] = numsOf(a, b, '-');
  return numResult(x - y, f);
}

export function mul(a: unknown, b: unknown): unknown {
  if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number' && Number.isInteger(b)) return repeat(a, b);
  if ((typeof b === 'string' || Array.isArray(b)) && typeof a === 'number' && Number.isInteger(a)) return repeat(b, a);
  const [x, y, f] = numsOf(a, b, '*');
  return numResult(x * y, f);
}

function repeat(seq: string | unknown[], n: number): unknown {
  if (typeof seq === 'string') return n > 0 ? seq.repeat(n) : '';
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...seq);
  return out;
}

function zeroCheck(y: number, op: string): void {
  if (y === 0) throw renderError(op === '/' ? 'division by zero' : 'integer division or modulo by zero');
}

export function div(a: unknown, b: unknown): unknown {
  const [x, y] = numsOf(a, b, '/');
  zeroCheck(y, '/');
  return makeFloat(x / y);
}

export function floordiv(a: unknown, b: unknown): unknown {
  const [x, y, f] = numsOf(a, b, '//');
  zeroCheck(y, '//');
  return numResult(Math.floor(x / y), f);
}

export function mod(a: unknown, b: unknown): unknown {
  if (typeof a === 'string') return formatPercent(a, b);
  const [x, y, f] = numsOf(a, b, '%');
  zeroCheck(y, '%');
  const r = x - Math.floor(x / y) * y;
  return numResult(r, f);
}

export function pow(a: unknown, b: unknown): unknown {
  const [x, y, f] = numsOf(a, b, '**');
  return numResult(x ** y, f || y < 0);
}

export function neg(a: unknown): unknown {
  const n = num(a);
  if (n === undefined) throw renderError(`bad operand type for unary -: '${typeName(a)}'`);
  return isFloat(a) ? makeFloat(-n) : -n;
}

export function pos(a: unknown): unknown {
  const n = num(a);
  if (n === undefined) throw renderError(`bad operand type for unary +: '${typeName(a)}'`);
  return typeof a === 'boolean' ? n : a;
}

/** `{{ value }}` and `~`: Undefined renders as ''. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return pyStr(v);
}

/** printf-style `'%s' % args` (the common conversions). */
function formatPercent(fmt: string, args: unknown): string {
  const list = Array.isArray(args) && isTuple(args) ? args : [args];
  let i = 0;
  const out = fmt.replace(/%(\((\w+)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrxXeEg%])/g, (_m, _k, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = key !== undefined ? (args as Record<string, unknown>)[key] : list[i++];
    let s: string;
    switch (conv) {
      case 's':
        s = str(v);
        break;
      case 'r':
        s = pyStr(v === undefined ? '' : v);
        break;
      case 'd':
      case 'i':
        s = String(Math.trunc(num(v) ?? Number(v)));
        break;
      case 'f':
        s = (num(v) ?? Number(v)).toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case 'x':
        s = Math.trunc(num(v) ?? 0).toString(16);
        break;
      case 'X':
        s = Math.trunc(num(v) ?? 0).toString(16).toUpperCase();
        break;
      default:
        s = String(num(v) ?? v);
    }
    if (flags.includes('+') && conv !== 's' && !s.startsWith('-')) s = '+' + s;
    const w = width === undefined ? 0 : Number(width);
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
    return s;
  });
  if (i < list.length && !(list.length === 1 && i === 0 && typeof args === 'object' && !Array.isArray(args))) {
    throw renderError('not all arguments converted during string formatting');
  }
  return out;
}

/** A chained comparison `a < b <= c` (Python: each adjacent pair). */
export function chain(values: unknown[], ops: string[]): boolean {
  for (let i = 0; i < ops.length; i++) {
    const a = values[i];
    const b = values[i + 1];
    let ok: boolean;
    switch (ops[i]) {
      case '==':
        ok = eq(a, b);
        break;
      case '!=':
        ok = !eq(a, b);
        break;
      case '<':
        ok = lt(a, b);
        break;
      case '>':
        ok = gt(a, b);
        break;
      case '<=':
        ok = le(a, b);
        break;
      case '>=':
        ok = ge(a, b);
        break;
      case 'in':
        ok = contains(b, a);
        break;
      default:
        ok = !contains(b, a);
    }
    if (!ok) return false;
  }
  return true;
}
