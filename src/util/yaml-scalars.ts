import { isScalar, parseDocument, type Document } from 'yaml';
import { decline } from './yaml-decline.js';

/**
 * Scalar values as the `yaml` package builds them: plain scalars typed by its
 * core schema, single- and double-quoted scalars (escapes, line folding), and
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

type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown };
let core: { tags: ScalarTag[]; options: unknown } | undefined;
const plainCache = new Map<string, unknown>();

/**
 * The first characters a core-schema null, boolean, int or float can start
 * with (`~`, null, true, false, digits, signs, `.inf`, `.nan`, `0x`, `0o`);
 * any other plain scalar is a string without testing yaml's tags (a test
 * holds this set to the tags).
 */
const TYPED_START = /^[-+.0-9~nNtTfF]/;

/** A plain scalar resolved by yaml's own core-schema tags (null, booleans, ints, floats), as `yaml` would. */
export function resolvePlain(value: string): unknown {
  if (value !== '' && !TYPED_START.test(value)) return value;
  const hit = plainCache.get(value);
  if (hit !== undefined) return hit;
  if (!core) {
    const doc: Document = parseDocument('', { merge: true, uniqueKeys: true });
    core = { tags: doc.schema.tags as unknown as ScalarTag[], options: doc.options };
  }
  const tag = core.tags.find((t) => t.default === true && t.test?.test(value));
  let resolved: unknown = value;
  if (tag) {
    const res = tag.resolve(value, () => decline('plain scalar yaml cannot resolve'), core.options);
    resolved = isScalar(res) ? res.value : res;
  }
  if (plainCache.size < 10_000) plainCache.set(value, resolved);
  return resolved;
}
