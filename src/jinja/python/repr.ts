/**
 * Python's str() and repr() for template values: how `{{ value }}` renders.
 *
 * `pyStr` is on the hot path of every `{{ }}`: a string returns at once.
 */
import { formatPyFloat, PyFloat } from './py-float.js';
import { isDict, isSafeString, PyDictView, PyTuple } from './types.js';

interface PyObjectLike {
  __str__?: () => string;
  __repr__?: () => string;
}

/**
 * How `{{ value }}` renders, as Python's str(): `True`/`False`/`None`, lists as
 * `['a', 1]`, dicts as `{'a': 1}`, floats keep `.0`. An undefined name renders
 * '' (Jinja2's Undefined) while None renders 'None'.
 */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? intToString(value) : formatPyFloat(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return '';
    case 'bigint':
      return value.toString();
  }
  if (value === null) return 'None';
  if (isSafeString(value)) return value.val;
  const custom = (value as PyObjectLike).__str__;
  if (typeof custom === 'function') return custom.call(value);
  return pyRepr(value);
}

/** Python's repr(). */
export function pyRepr(value: unknown): string {
  return reprInner(value, 0);
}

function reprInner(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return reprString(value);
    case 'number':
      return Number.isInteger(value) ? intToString(value) : formatPyFloat(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return 'Undefined';
    case 'bigint':
      return value.toString();
    case 'function':
      return `<function ${value.name || '<lambda>'}>`;
  }
  if (value === null) return 'None';
  if (depth > 50) return '...';
  if (value instanceof PyFloat) return formatPyFloat(value.value);
  if (isSafeString(value)) return `Markup(${reprString(value.val)})`;
  const custom = (value as PyObjectLike).__repr__;
  if (typeof custom === 'function') return custom.call(value);
  if (Array.isArray(value)) {
    const items = value.map((x) => reprInner(x, depth + 1));
    if (value instanceof PyTuple) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    if (value instanceof PyDictView) return `${value.kind}([${items.join(', ')}])`;
    return `[${items.join(', ')}]`;
  }
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value) parts.push(`${reprInner(k, depth + 1)}: ${reprInner(v, depth + 1)}`);
    return `{${parts.join(', ')}}`;
  }
  if (value instanceof Set) {
    if (value.size === 0) return 'set()';
    return `{${[...value].map((x) => reprInner(x, depth + 1)).join(', ')}}`;
  }
  if (value instanceof Date) return value.toISOString();
  if (!isDict(value)) {
    // A foreign object with its own toString (a relation, a SafeString-like) renders through it.
    const ts = (value as { toString?: unknown }).toString;
    if (typeof ts === 'function' && ts !== Object.prototype.toString) return String(ts.call(value));
  }
  const parts: string[] = [];
  for (const k of Object.keys(value as object)) {
    if (k === '__keywords') continue;
    parts.push(`${reprString(k)}: ${reprInner((value as Record<string, unknown>)[k], depth + 1)}`);
  }
  return `{${parts.join(', ')}}`;
}

function intToString(n: number): string {
  // Python ints print every digit; JS switches to exponent form at 1e21.
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

const NEEDS_ESCAPE = /[\\\n\r\t'"\x00-\x1f\x7f-\xa0\xad\u2028\u2029]/;

/** Python's repr(str): single quotes unless the text has ' and no ". */
export function reprString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `'${s}'`;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return out + quote;
}
