/**
 * JSON as Python's `json` module writes and reads it, for the `tojson` filter
 * and dbt's `tojson`/`fromjson` context functions.
 */
import { setDataKey } from './sandbox.js';
import { pyError } from './errors.js';
import { formatPyFloat, PyFloat, pyFloat } from './py-float.js';
import { isDict, isSafeString, pyTypeName } from './types.js';
import { PyDictMap } from './py-dict-map.js';
import { pySorted } from './collection-methods.js';

/**
 * Python's `json.dumps(value, indent=indent, sort_keys=sortKeys)`: separators
 * `', '` and `': '` (`','` at line ends when indented), non-ASCII escaped as
 * `\uXXXX` (ensure_ascii), floats as Python writes them (`1.0`, `NaN`,
 * `Infinity`), tuples as arrays. Anything else throws Python's TypeError.
 */
export function pyToJson(value: unknown, indent?: number | string | null, sortKeys = false): string {
  const ind = indent === undefined || indent === null ? undefined : typeof indent === 'number' ? ' '.repeat(Math.max(0, indent)) : indent;
  return dump(value, ind, sortKeys, '');
}

function dump(v: unknown, ind: string | undefined, sortKeys: boolean, cur: string): string {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      if (Number.isInteger(v)) return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString();
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return formatPyFloat(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
  }
  if (v === null) return 'null';
  if (v instanceof PyFloat) return formatPyFloat(v.value);
  if (isSafeString(v)) return jsonString(v.val);
  const inner = ind === undefined ? undefined : cur + ind;
  const open = (items: string[], o: string, c: string): string => {
    if (items.length === 0) return o + c;
    if (inner === undefined) return o + items.join(', ') + c;
    return `${o}\n${inner}${items.join(`,\n${inner}`)}\n${cur}${c}`;
  };
  if (Array.isArray(v)) return open(v.map((x) => dump(x, ind, sortKeys, inner ?? '')), '[', ']');
  if (isDict(v)) {
    let keys = Object.keys(v).filter((k) => k !== '__keywords');
    if (sortKeys) keys = keys.sort(compareCodePoints);
    return open(
      keys.map((k) => `${jsonString(k)}: ${dump(v[k], ind, sortKeys, inner ?? '')}`),
      '{',
      '}',
    );
  }
  if (v instanceof PyDictMap) {
    // sort_keys sorts the original keys, as Python does (mixed types are its TypeError).
    const entries = sortKeys ? pySorted([...v.entries()], (e) => (e as unknown[])[0]) as [unknown, unknown][] : [...v.entries()];
    return open(entries.map(([k, x]) => `${jsonString(jsonKey(k))}: ${dump(x, ind, sortKeys, inner ?? '')}`), '{', '}');
  }
  const toJson = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function' && !(v instanceof Date)) return dump(toJson.call(v), ind, sortKeys, cur);
  throw pyError('TypeError', `Object of type ${pyTypeName(v)} is not JSON serializable`, 'Convert the value to a string, number, list or dict first.');
}

/** json.dumps's key text: str as is, numbers as JSON writes them, True/False/None lower-case; anything else is Python's TypeError. */
function jsonKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (k === null) return 'null';
  if (typeof k === 'number' || typeof k === 'bigint' || k instanceof PyFloat) return dump(k, undefined, false, '');
  throw pyError('TypeError', `keys must be str, int, float, bool or None, not ${pyTypeName(k)}`);
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal with Python's escaping (ensure_ascii=True). */
export function jsonString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/**
 * Jinja2's `tojson` filter: sorted keys, and `<`, `>`, `&`, `'` escaped so the
 * output is safe inside HTML.
 */
export function htmlSafeJson(value: unknown, indent?: number | string | null): string {
  return pyToJson(value, indent, true)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}

/**
 * Python's `json.loads`: numbers with a fraction or exponent become floats
 * (so `1.0` stays `1.0`), `NaN`/`Infinity` are accepted. Bad input throws a
 * TsdbtError quoting where the text went wrong.
 */
export function pyFromJson(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw pyError('ValueError', `${what}: line ${text.slice(0, i).split('\n').length} column ${i - text.lastIndexOf('\n', i - 1)} (char ${i})`, `Check the JSON near ${JSON.stringify(text.slice(i, i + 20))}.`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
        const k = str();
        ws();
        if (text[i] !== ':') fail("Expecting ':' delimiter");
        i++;
        setDataKey(obj, k, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('Expecting value');
    i += m[0].length;
    const n = Number(m[0]);
    return m[1] !== undefined || m[2] !== undefined ? pyFloat(n) : n;
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) {
        i = start;
        fail('Unterminated string starting at');
      }
      const ch = text[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\uXXXX escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
        } else fail('Invalid \\escape');
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) fail('Invalid control character at');
      out += ch;
      i++;
    }
  };
  const result = value();
  ws();
  if (i < text.length) fail('Extra data');
  return result;
}
