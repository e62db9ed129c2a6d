import { decline } from './yaml-decline.js';

/**
 * Scalar values as dbt reads them: plain scalars typed as PyYAML's SafeLoader
 * types them (YAML 1.1, see resolvePlain), single- and double-quoted scalars (escapes, line folding), and
 * the folding of multi-line plain scalars. Each function takes the scalar's
 * source text, which may span lines ('\n' between them; no tabs or CRs: the
 * fast reader leaves those files to `yaml`).
 */

/**
 * Trailing spaces removed. YAML's white space is space and tab only: a no-break
 * space or other Unicode space is data (String#trimEnd would drop it).
 */
export function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

function trimBoth(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) === 32) start++;
  return trimSpaces(start === 0 ? text : text.slice(start));
}

/** `obj[key] = value`, also for `__proto__` (an own data key, as `yaml` makes it, never the prototype). */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Index of the quote closing the quoted scalar that starts `text` (`q` is its
 * opening quote), or -1 when it does not close on this line.
 */
export function closingQuote(text: string, q: string, from = 1): number {
  let i = text.indexOf(q, from);
  if (q === "'") {
    while (i >= 0 && text.charCodeAt(i + 1) === 39 /* ' */) i = text.indexOf(q, i + 2);
    return i;
  }
  // A double quote closes unless an odd number of backslashes precede it.
  while (i >= 0) {
    let n = 0;
    while (i - 1 - n >= from && text.charCodeAt(i - 1 - n) === 92 /* \ */) n++;
    if (n % 2 === 0) return i;
    i = text.indexOf(q, i + 1);
  }
  return -1;
}

/** A one-line quoted scalar token, quotes included. */
export function quoted(token: string): string {
  const body = token.slice(1, -1);
  if (token[0] === "'") return body.includes("''") ? body.replaceAll("''", "'") : body;
  return body.includes('\\') ? doubleQuoted(body) : body;
}

/** A single-quoted scalar's body (between the quotes), over one or more lines. */
export function singleQuoted(body: string): string {
  const v = unfold(body);
  return v.includes("''") ? v.replaceAll("''", "'") : v;
}

/**
 * Line folding of plain and single-quoted scalars: the first line loses its
 * trailing spaces, inner lines both ends, the last line its leading spaces; a
 * single line break becomes a space, n empty lines become n line feeds.
 */
export function unfold(source: string): string {
  if (!source.includes('\n')) return source;
  const lines = source.split('\n');
  let res = trimSpaces(lines[0]!);
  let sep = ' ';
  for (let k = 1; k < lines.length - 1; k++) {
    const inner = trimBoth(lines[k]!);
    if (inner === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + inner;
      sep = ' ';
    }
  }
  const last = lines[lines.length - 1]!;
  let start = 0;
  while (start < last.length && last.charCodeAt(start) === 32) start++;
  return res + sep + last.slice(start);
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX = /^[0-9a-fA-F]+$/;

/**
 * A double-quoted scalar's body: escapes decoded, line breaks folded (spaces
 * before a break dropped, spaces after it skipped; one break is a space, a
 * break followed by n empty lines is n line feeds), an escaped break joins
 * the lines. An escape `yaml` rejects declines.
 */
export function doubleQuoted(body: string): string {
  let out = '';
  const n = body.length;
  for (let i = 0; i < n; i++) {
    const ch = body[i]!;
    if (ch === '\n') {
      let breaks = 0;
      let j = i + 1;
      for (; j < n && (body[j] === ' ' || body[j] === '\n'); j++) if (body[j] === '\n') breaks++;
      out += breaks === 0 ? ' ' : '\n'.repeat(breaks);
      i = j - 1;
    } else if (ch === '\\') {
      const next = body[++i];
      if (next === undefined) decline('double-quoted escape at the end');
      const esc = ESCAPES[next];
      if (esc !== undefined) out += esc;
      else if (next === '\n') {
        while (body[i + 1] === ' ') i++;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = body.substr(i + 1, len);
        if (hex.length !== len || !HEX.test(hex)) decline('invalid double-quoted escape');
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) decline('invalid double-quoted escape');
        out += String.fromCodePoint(code);
        i += len;
      } else decline('invalid double-quoted escape');
    } else if (ch === ' ') {
      let j = i;
      while (body[j + 1] === ' ') j++;
      if (body[j + 1] !== '\n') out += body.slice(i, j + 1);
      i = j;
    } else out += ch;
  }
  return out;
}

const plainCache = new Map<string, unknown>();

/**
 * The first characters PyYAML's implicit resolvers are registered for (null,
 * booleans, ints, floats, timestamps, merge and value keys: resolver.py); a
 * plain scalar starting with any other is a string without testing them.
 */
const TYPED_START = /^[-+.0-9~nNtTfFyYoO]/;

// PyYAML 6's SafeLoader regexes (YAML 1.1), which dbt reads every project YAML file with.
const PY_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_NULL = /^(?:~|null|Null|NULL|)$/;
const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PY_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * A plain scalar typed as dbt reads it: PyYAML's SafeLoader (YAML 1.1), not
 * YAML 1.2's core schema. So `yes`/`no`/`on`/`off` (in their three cases) are
 * booleans; `017` is octal, `0b101` binary, `-0x1F` hex, `1_000` a thousand,
 * `1:30` sexagesimal (90); `08`, `0o17`, `1e3`, `1.5e3` and `-.5` are strings
 * (a float needs a dot and a signed exponent). A timestamp (`2024-01-01`),
 * which PyYAML makes a date, stays its text.
 */
export function resolvePlain(value: string): unknown {
  if (value !== '' && !TYPED_START.test(value)) return value;
  const hit = plainCache.get(value);
  if (hit !== undefined) return hit;
  const resolved = resolveTyped(value);
  if (plainCache.size < 10_000) plainCache.set(value, resolved);
  return resolved;
}

function resolveTyped(value: string): unknown {
  if (PY_NULL.test(value)) return null;
  if (PY_BOOL.test(value)) return PY_TRUE.test(value);
  if (PY_FLOAT.test(value)) return pyFloat(value);
  if (PY_INT.test(value)) return pyInt(value);
  return value;
}

/** PyYAML's construct_yaml_int: underscores dropped; 0b, 0x, a leading 0 (octal), base-60 parts. */
function pyInt(text: string): number | string {
  let v = text.replaceAll('_', '');
  const sign = v[0] === '-' ? -1 : 1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  let n: number;
  if (v === '0') return 0;
  if (v.startsWith('0b')) n = parseInt(v.slice(2), 2);
  else if (v.startsWith('0x')) n = parseInt(v.slice(2), 16);
  else if (v[0] === '0') n = parseInt(v, 8);
  else if (v.includes(':')) n = v.split(':').reduce((acc, part) => acc * 60 + parseInt(part, 10), 0);
  else n = parseInt(v, 10);
  // `0b_` or `0x_`: no digits once the underscores are gone (PyYAML raises; the text is kept).
  return Number.isNaN(n) ? text : sign * n;
}

/** PyYAML's construct_yaml_float: underscores dropped, `.inf`/`.nan`, base-60 parts. */
function pyFloat(text: string): number {
  let v = text.replaceAll('_', '').toLowerCase();
  const sign = v[0] === '-' ? -1 : 1;
  if (v[0] === '-' || v[0] === '+') v = v.slice(1);
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) return sign * v.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return sign * Number(v);
}

type YamlTag = { tag: string; default?: boolean; test?: RegExp; resolve: (text: string) => unknown; identify?: (value: unknown) => boolean };

/**
 * The `yaml` package's scalar tags with null, bool, int and float replaced by
 * PyYAML's (for `parseDocument`'s `customTags`), so the `yaml` fallback reads
 * plain scalars as resolvePlain does, and `!!int`, `!!bool`... as PyYAML would.
 */
export function pyYamlTags(tags: readonly unknown[]): unknown[] {
  const typed = new Set(['tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);
  return [
    ...tags.filter((t) => !(typeof t === 'object' && t !== null && typed.has((t as { tag: string }).tag))),
    ...PY_TAGS,
  ];
}

const PY_TAGS: YamlTag[] = [
  { tag: 'tag:yaml.org,2002:null', default: true, test: PY_NULL, resolve: () => null, identify: (v) => v === null },
  { tag: 'tag:yaml.org,2002:bool', default: true, test: PY_BOOL, resolve: (s) => PY_TRUE.test(s), identify: (v) => typeof v === 'boolean' },
  { tag: 'tag:yaml.org,2002:float', default: true, test: PY_FLOAT, resolve: pyFloat, identify: (v) => typeof v === 'number' && !Number.isInteger(v) },
  { tag: 'tag:yaml.org,2002:int', default: true, test: PY_INT, resolve: pyInt, identify: (v) => typeof v === 'number' && Number.isInteger(v) },
];
