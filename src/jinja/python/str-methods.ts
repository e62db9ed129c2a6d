/**
 * Python's str methods, bound to a JS string. Indexes are UTF-16 code units
 * (Python counts code points; they differ only for astral characters).
 */
import { absent, bindParams } from './args.js';
import { pyError } from './errors.js';
import { toNum } from './py-float.js';
import { pyRepr } from './repr.js';
import { pyStrFormat } from './str-format.js';
import { splitArgs } from '../kwargs.js';
import { isSafeString, pyTuple, pyTypeName } from './types.js';
import { maketrans, translate } from './str-translate.js';

type Method = (...args: unknown[]) => unknown;

/** Python's whitespace for str.split()/strip()/isspace(). */
const WS = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const LINE_BREAKS = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;

function str(v: unknown, fn: string, what = 'argument'): string {
  if (typeof v === 'string') return v;
  if (isSafeString(v)) return v.val;
  throw pyError('TypeError', `${fn}() ${what} must be str, not ${pyTypeName(v)}`);
}

function int(v: unknown, fn: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw pyError('TypeError', `'${pyTypeName(v)}' object cannot be interpreted as an integer`, `${fn}() needs an integer.`);
}

function stripChars(s: string, chars: unknown, fn: string, left: boolean, right: boolean): string {
  const set = absent(chars) ? WS : str(chars, fn, 'arg');
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** Clamp Python-style optional start/end (negative from the end) to [0, len]. */
function range(len: number, start: unknown, end: unknown): [number, number] {
  const norm = (v: unknown, dflt: number): number => {
    if (absent(v)) return dflt;
    let n = toNum(v);
    if (n < 0) n += len;
    return Math.min(Math.max(n, 0), len);
  };
  return [norm(start, 0), norm(end, len)];
}

function splitWhitespace(s: string, maxsplit: number, fromRight: boolean): string[] {
  const parts: string[] = [];
  if (!fromRight) {
    let i = 0;
    while (i < s.length) {
      while (i < s.length && WS.includes(s[i])) i++;
      if (i >= s.length) break;
      if (maxsplit >= 0 && parts.length === maxsplit) {
        parts.push(s.slice(i));
        break;
      }
      let j = i;
      while (j < s.length && !WS.includes(s[j])) j++;
      parts.push(s.slice(i, j));
      i = j;
    }
    return parts;
  }
  let i = s.length;
  while (i > 0) {
    while (i > 0 && WS.includes(s[i - 1])) i--;
    if (i <= 0) break;
    if (maxsplit >= 0 && parts.length === maxsplit) {
      parts.push(s.slice(0, i));
      break;
    }
    let j = i;
    while (j > 0 && !WS.includes(s[j - 1])) j--;
    parts.push(s.slice(j, i));
    i = j;
  }
  return parts.reverse();
}

function split(s: string, sepArg: unknown, maxArg: unknown, fromRight: boolean): string[] {
  const name = fromRight ? 'rsplit' : 'split';
  const maxsplit = absent(maxArg) ? -1 : int(maxArg, name);
  if (absent(sepArg)) return splitWhitespace(s, maxsplit, fromRight);
  if (typeof sepArg !== 'string' && !isSafeString(sepArg)) throw pyError('TypeError', `must be str or None, not ${pyTypeName(sepArg)}`);
  const sep = String(sepArg);
  if (sep === '') throw pyError('ValueError', 'empty separator', `Give ${name}() a non-empty separator, or none to split on whitespace.`);
  const all = s.split(sep);
  if (maxsplit < 0 || all.length - 1 <= maxsplit) return all;
  if (!fromRight) return [...all.slice(0, maxsplit), all.slice(maxsplit).join(sep)];
  const cut = all.length - maxsplit;
  return [all.slice(0, cut).join(sep), ...all.slice(cut)];
}

function replace(s: string, oldArg: unknown, newArg: unknown, countArg: unknown): string {
  const old = str(oldArg, 'replace', 'argument 1');
  const rep = str(newArg, 'replace', 'argument 2');
  let count = absent(countArg) ? -1 : int(countArg, 'replace');
  if (count < 0) count = Infinity;
  if (old === '') {
    // Python inserts the replacement before every character and at the end.
    let out = '';
    let n = 0;
    for (const ch of s) {
      if (n < count) {
        out += rep;
        n++;
      }
      out += ch;
    }
    if (n < count) out += rep;
    return out;
  }
  if (count === Infinity) return s.split(old).join(rep);
  let out = '';
  let from = 0;
  for (let n = 0; n < count; n++) {
    const at = s.indexOf(old, from);
    if (at < 0) break;
    out += s.slice(from, at) + rep;
    from = at + old.length;
  }
  return out + s.slice(from);
}

function affix(s: string, fn: 'startswith' | 'endswith', raw: unknown[]): boolean {
  const [prefix, start, end] = bindParams(fn, raw, ['prefix', 'start', 'end'], 1);
  const [a, b] = range(s.length, start, end);
  const sub = s.slice(a, b);
  const isTuple = Array.isArray(prefix);
  const options = isTuple ? prefix : [prefix];
  for (const p of options) {
    if (typeof p !== 'string' && !isSafeString(p)) {
      throw pyError('TypeError', isTuple ? `tuple for ${fn} must only contain str, not ${pyTypeName(p)}` : `${fn} first arg must be str or a tuple of str, not ${pyTypeName(p)}`);
    }
    const ps = String(p);
    if (b - a < ps.length && ps !== '') continue;
    if (fn === 'startswith' ? sub.startsWith(ps) : sub.endsWith(ps)) return true;
  }
  return false;
}

function title(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = CASED.test(ch);
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

function justify(s: string, fn: string, raw: unknown[], where: 'l' | 'r' | 'c'): string {
  const [w, f] = bindParams(fn, raw, ['width', 'fillchar'], 1);
  const width = int(w, fn);
  const fill = absent(f) ? ' ' : str(f, fn);
  if ([...fill].length !== 1) throw pyError('TypeError', 'The fill character must be exactly one character long');
  const n = width - [...s].length;
  if (n <= 0) return s;
  if (where === 'l') return s + fill.repeat(n);
  if (where === 'r') return fill.repeat(n) + s;
  // CPython puts the extra pad on the left when both the padding and width are odd.
  const left = Math.floor(n / 2) + (n & width & 1);
  return fill.repeat(left) + s + fill.repeat(n - left);
}

function find(s: string, fn: string, raw: unknown[], fromRight: boolean): number {
  const [subArg, start, end] = bindParams(fn, raw, ['sub', 'start', 'end'], 1);
  const sub = str(subArg, fn, 'argument');
  const [a, b] = range(s.length, start, end);
  if (b - a < sub.length) return -1;
  const hay = s.slice(a, b);
  const at = fromRight ? hay.lastIndexOf(sub) : hay.indexOf(sub);
  return at < 0 ? -1 : at + a;
}

function count(s: string, raw: unknown[]): number {
  const [subArg, start, end] = bindParams('count', raw, ['sub', 'start', 'end'], 1);
  const sub = str(subArg, 'count', 'argument');
  const [a, b] = range(s.length, start, end);
  if (b < a) return 0;
  const hay = s.slice(a, b);
  if (sub === '') return hay.length + 1;
  return hay.split(sub).length - 1;
}

function expandTabs(s: string, tabsize: number): string {
  let out = '';
  let col = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const n = tabsize > 0 ? tabsize - (col % tabsize) : 0;
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

function charTest(s: string, re: RegExp): boolean {
  return s.length > 0 && re.test(s);
}

function isCaseTest(s: string, upper: boolean): boolean {
  let cased = false;
  for (const ch of s) {
    if (!CASED.test(ch)) continue;
    if (upper ? ch !== ch.toUpperCase() || ch === ch.toLowerCase() : ch !== ch.toLowerCase() || ch === ch.toUpperCase()) return false;
    cased = true;
  }
  return cased;
}

/** The bound str method `name` of `s`, or undefined when str has no such method. */
export function strMethod(s: string, name: string): Method | undefined {
  switch (name) {
    case 'upper':
      return () => s.toUpperCase();
    case 'lower':
      return () => s.toLowerCase();
    case 'casefold':
      return () => s.toLowerCase().replace(/\u00df/g, 'ss');
    case 'swapcase':
      return () => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'title':
      return () => title(s);
    case 'capitalize':
      return () => (s.length === 0 ? s : [...s][0].toUpperCase() + [...s].slice(1).join('').toLowerCase());
    case 'strip':
      return (...a) => stripChars(s, bindParams('strip', a, ['chars'])[0], 'strip', true, true);
    case 'lstrip':
      return (...a) => stripChars(s, bindParams('lstrip', a, ['chars'])[0], 'lstrip', true, false);
    case 'rstrip':
      return (...a) => stripChars(s, bindParams('rstrip', a, ['chars'])[0], 'rstrip', false, true);
    case 'split':
      return (...a) => {
        const [sep, max] = bindParams('split', a, ['sep', 'maxsplit']);
        return split(s, sep, max, false);
      };
    case 'rsplit':
      return (...a) => {
        const [sep, max] = bindParams('rsplit', a, ['sep', 'maxsplit']);
        return split(s, sep, max, true);
      };
    case 'splitlines':
      return (...a) => {
        const [keep] = bindParams('splitlines', a, ['keepends']);
        const out: string[] = [];
        let from = 0;
        for (const m of s.matchAll(LINE_BREAKS)) {
          out.push(s.slice(from, keep ? m.index + m[0].length : m.index));
          from = m.index + m[0].length;
        }
        if (from < s.length) out.push(s.slice(from));
        return out;
      };
    case 'startswith':
    case 'endswith':
      return (...a) => affix(s, name, a);
    case 'replace':
      return (...a) => {
        const [o, n, c] = bindParams('replace', a, ['old', 'new', 'count'], 2);
        return replace(s, o, n, c);
      };
    case 'format':
      return (...a) => {
        const { args, kwargs } = splitArgs(a);
        return pyStrFormat(s, args, kwargs);
      };
    case 'format_map':
      return (m) => pyStrFormat(s, [], (m ?? {}) as Record<string, unknown>);
    case 'join':
      return (items) => {
        const list = typeof items === 'string' ? [...items] : Array.isArray(items) ? items : items && typeof items === 'object' ? Object.keys(items) : undefined;
        if (!list) throw pyError('TypeError', 'can only join an iterable');
        return list
          .map((x, i) => {
            if (typeof x === 'string') return x;
            if (isSafeString(x)) return x.val;
            throw pyError('TypeError', `sequence item ${i}: expected str instance, ${pyTypeName(x)} found`, 'Convert the items first, e.g. xs | map("string") | join(",").');
          })
          .join(s);
      };
    case 'find':
      return (...a) => find(s, 'find', a, false);
    case 'rfind':
      return (...a) => find(s, 'rfind', a, true);
    case 'index':
    case 'rindex':
      return (...a) => {
        const at = find(s, name, a, name === 'rindex');
        if (at < 0) throw pyError('ValueError', 'substring not found', `${pyRepr(s)} does not contain ${pyRepr(a[0])}.`);
        return at;
      };
    case 'count':
      return (...a) => count(s, a);
    case 'isdigit':
    case 'isnumeric':
    case 'isdecimal':
      return () => charTest(s, /^\p{Nd}+$/u);
    case 'isalpha':
      return () => charTest(s, /^\p{L}+$/u);
    case 'isalnum':
      return () => charTest(s, /^[\p{L}\p{Nd}\p{Nl}\p{No}]+$/u);
    case 'isspace':
      return () => s.length > 0 && [...s].every((c) => WS.includes(c));
    case 'islower':
      return () => isCaseTest(s, false);
    case 'isupper':
      return () => isCaseTest(s, true);
    case 'istitle':
      return () => s !== '' && title(s) === s && CASED.test(s);
    case 'isidentifier':
      return () => /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(s);
    case 'isascii':
      return () => /^[\x00-\x7f]*$/.test(s);
    case 'zfill':
      return (w) => {
        const width = int(w, 'zfill');
        const n = width - s.length;
        if (n <= 0) return s;
        const signed = s[0] === '-' || s[0] === '+';
        return signed ? s[0] + '0'.repeat(n) + s.slice(1) : '0'.repeat(n) + s;
      };
    case 'center':
      return (...a) => justify(s, 'center', a, 'c');
    case 'ljust':
      return (...a) => justify(s, 'ljust', a, 'l');
    case 'rjust':
      return (...a) => justify(s, 'rjust', a, 'r');
    case 'partition':
    case 'rpartition':
      return (sepArg) => {
        const sep = str(sepArg, name);
        if (sep === '') throw pyError('ValueError', 'empty separator');
        const at = name === 'partition' ? s.indexOf(sep) : s.lastIndexOf(sep);
        if (at < 0) return name === 'partition' ? pyTuple([s, '', '']) : pyTuple(['', '', s]);
        return pyTuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
      };
    case 'expandtabs':
      return (...a) => {
        const [t] = bindParams('expandtabs', a, ['tabsize']);
        return expandTabs(s, absent(t) ? 8 : int(t, 'expandtabs'));
      };
    case 'maketrans':
      // A static method, reached through any str as Python allows (`s.maketrans(...)`).
      return (...a) => maketrans(a);
    case 'translate':
      return (table) => translate(s, table);
    case 'removeprefix':
      return (p) => {
        const ps = str(p, 'removeprefix');
        return ps && s.startsWith(ps) ? s.slice(ps.length) : s;
      };
    case 'removesuffix':
      return (p) => {
        const ps = str(p, 'removesuffix');
        return ps && s.endsWith(ps) ? s.slice(0, s.length - ps.length) : s;
      };
  }
  return undefined;
}
