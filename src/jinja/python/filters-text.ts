/**
 * Jinja2 3.1's string filters: upper, lower, capitalize, title, trim,
 * replace, center, indent, truncate, wordwrap, wordcount, striptags, escape,
 * safe, urlencode, filesizeformat, xmlattr, format, string.
 */
import { absent, bindParams } from './args.js';
import { pyError } from './errors.js';
import { pyFormatValue } from './format-spec.js';
import { pyPercentFormat } from './percent-format.js';
import { toNum } from './py-float.js';
import { PyDecimal } from './py-decimal.js';
import { softStr } from './filter-support.js';
import { strMethod } from './str-methods.js';
import { splitArgs } from '../kwargs.js';
import { isDict, isSafeString, Markup, pyTuple } from './types.js';
import { dictPairs } from './py-dict-map.js';
import { pyTruthy } from './operators.js';

type Fn = (...args: unknown[]) => unknown;

const call = (s: string, method: string, ...args: unknown[]): unknown => strMethod(s, method)!(...args);

/** markupsafe's escape(): & < > " ' as entities; Markup passes through. */
export function escapeHtml(v: unknown): Markup {
  if (v instanceof Markup) return v;
  if (isSafeString(v)) return new Markup(v.val);
  const s = softStr(v);
  return new Markup(
    /[&<>"']/.test(s)
      ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
      : s,
  );
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', raquo: '»', laquo: '«', mdash: '—', ndash: '–', hellip: '…' };

function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, body: string) => {
    if (body[0] === '#') return String.fromCodePoint(body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? m;
  });
}

function striptags(v: unknown): string {
  let s = isSafeString(v) ? v.val : softStr(v);
  for (;;) {
    const a = s.indexOf('<!--');
    if (a < 0) break;
    const b = s.indexOf('-->', a);
    if (b < 0) break;
    s = s.slice(0, a) + s.slice(b + 3);
  }
  for (;;) {
    const a = s.indexOf('<');
    if (a < 0) break;
    const b = s.indexOf('>', a);
    if (b < 0) break;
    s = s.slice(0, a) + s.slice(b + 1);
  }
  return unescapeHtml((call(s, 'split') as string[]).join(' '));
}

/** urllib.parse.quote: everything but A-Z a-z 0-9 _ . - ~ (and `safe`) percent-encoded as UTF-8. */
function urlQuote(v: unknown, forQs: boolean): string {
  const s = softStr(v);
  const safe = forQs ? '' : '/';
  let out = '';
  for (const ch of s) {
    if (/[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return forQs ? out.replace(/%20/g, '+') : out;
}

function urlencode(v: unknown): string {
  if (typeof v === 'string' || isSafeString(v) || v === null || typeof v !== 'object') return urlQuote(v, false);
  const pairs = dictPairs(v) ?? (v as unknown[]).map((p) => p as [unknown, unknown]);
  return pairs.map(([k, x]) => `${urlQuote(k, true)}=${urlQuote(x, true)}`).join('&');
}

function filesizeformat(...raw: unknown[]): string {
  const [value, binary] = bindParams('filesizeformat', raw, ['value', 'binary']);
  const bytes = toFloat(value);
  const base = pyTruthy(binary) ? 1024 : 1000;
  const prefixes = pyTruthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = 0;
  let prefix = '';
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i];
    if (bytes < unit) break;
  }
  return `${pyFormatValue((base * bytes) / unit, '.1f')} ${prefix}`;
}

/** Python float() of a filter input (str, int, float, bool); anything else raises ValueError/TypeError. */
export function toFloat(v: unknown): number {
  if (v instanceof PyDecimal) return v.toNumber();
  if (typeof v === 'string') {
    const t = v.trim().replace(/(\d)_(?=\d)/g, '$1');
    if (/^[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?)$/i.test(t)) return Number(t);
    if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^[-+]?nan$/i.test(t)) return NaN;
    throw pyError('ValueError', `could not convert string to float: '${v}'`);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || (v !== null && typeof v === 'object' && typeof (v as { valueOf(): unknown }).valueOf() === 'number')) {
    return toNum(v);
  }
  throw pyError('TypeError', `float() argument must be a string or a real number`);
}

function indent(...raw: unknown[]): string {
  const [value, width, first, blank] = bindParams('indent', raw, ['s', 'width', 'first', 'blank']);
  const ind = typeof width === 'string' ? width : ' '.repeat(absent(width) ? 4 : toNum(width));
  const s = `${softStr(value)}\n`;
  const lines = call(s, 'splitlines') as string[];
  let rv: string;
  if (pyTruthy(blank)) rv = lines.join(`\n${ind}`);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += `\n${lines.map((l) => (l ? ind + l : l)).join('\n')}`;
  }
  return pyTruthy(first) ? ind + rv : rv;
}

function truncate(...raw: unknown[]): string {
  const [value, length, killwords, end, leeway] = bindParams('truncate', raw, ['s', 'length', 'killwords', 'end', 'leeway']);
  const s = softStr(value);
  const len = absent(length) ? 255 : toNum(length);
  const e = absent(end) ? '...' : softStr(end);
  const lw = absent(leeway) ? 5 : toNum(leeway);
  if (len < e.length) throw pyError('AssertionError', `expected length >= ${e.length}, got ${len}`, 'Give truncate() a length at least as long as its end marker.');
  if (s.length <= len + lw) return s;
  if (pyTruthy(killwords)) return s.slice(0, len - e.length) + e;
  return (call(s.slice(0, len - e.length), 'rsplit', ' ', 1) as string[])[0] + e;
}

/** textwrap.wrap with expand_tabs=False, replace_whitespace=False, as Jinja2's wordwrap calls it. */
function wrapParagraph(text: string, width: number, breakLong: boolean, breakHyphens: boolean): string[] {
  const raw = text.split(/(\s+)/).filter((c) => c !== '');
  const chunks: string[] = [];
  for (const c of raw) {
    if (!breakHyphens || /\s/.test(c)) chunks.push(c);
    else chunks.push(...c.split(/(?<=[^\W\d_]-)(?=\w)/u).filter((x) => x !== ''));
  }
  chunks.reverse();
  const lines: string[] = [];
  if (width <= 0) throw pyError('ValueError', `invalid width ${width} (must be > 0)`);
  while (chunks.length) {
    const cur: string[] = [];
    let curLen = 0;
    if (chunks[chunks.length - 1].trim() === '' && lines.length) chunks.pop();
    while (chunks.length) {
      const l = chunks[chunks.length - 1].length;
      if (curLen + l <= width) {
        cur.push(chunks.pop()!);
        curLen += l;
      } else break;
    }
    if (chunks.length && chunks[chunks.length - 1].length > width) {
      const spaceLeft = width - curLen < 1 ? 1 : width - curLen;
      const chunk = chunks[chunks.length - 1];
      if (breakLong) {
        let endAt = spaceLeft;
        if (breakHyphens && chunk.length > spaceLeft) {
          const hyphen = chunk.lastIndexOf('-', spaceLeft - 1);
          if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) endAt = hyphen + 1;
        }
        cur.push(chunk.slice(0, endAt));
        chunks[chunks.length - 1] = chunk.slice(endAt);
      } else if (!cur.length) cur.push(chunks.pop()!);
    }
    if (cur.length && cur[cur.length - 1].trim() === '') {
      curLen -= cur[cur.length - 1].length;
      cur.pop();
    }
    if (cur.length) lines.push(cur.join(''));
  }
  return lines;
}

function wordwrap(...raw: unknown[]): string {
  const [value, width, breakLong, wrapstring, breakHyphens] = bindParams('wordwrap', raw, ['s', 'width', 'break_long_words', 'wrapstring', 'break_on_hyphens']);
  const w = absent(width) ? 79 : toNum(width);
  const sep = absent(wrapstring) ? '\n' : softStr(wrapstring);
  const lines = call(softStr(value), 'splitlines') as string[];
  return lines.map((l) => wrapParagraph(l, w, breakLong === undefined ? true : pyTruthy(breakLong), breakHyphens === undefined ? true : pyTruthy(breakHyphens)).join(sep)).join(sep);
}

function xmlattr(...raw: unknown[]): string {
  const [d, autospace] = bindParams('xmlattr', raw, ['d', 'autospace']);
  if (!isDict(d)) throw pyError('TypeError', 'xmlattr needs a dict', 'Pass a dict of attribute names to values.');
  const out: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined) continue;
    if (/[\s/>=]/.test(k)) throw pyError('ValueError', `Invalid character in attribute name: '${k}'`);
    out.push(`${escapeHtml(k).val}="${escapeHtml(v).val}"`);
  }
  const rv = out.join(' ');
  return (autospace === undefined || pyTruthy(autospace)) && rv ? ` ${rv}` : rv;
}

function titleFilter(v: unknown): string {
  return softStr(v)
    .split(/([-\s({[<]+)/)
    .filter((x) => x !== '')
    .map((x) => x[0].toUpperCase() + x.slice(1).toLowerCase())
    .join('');
}

function format(value: unknown, ...raw: unknown[]): string {
  const { args, kwargs } = splitArgs(raw);
  const hasKw = Object.keys(kwargs).length > 0;
  if (args.length && hasKw) throw pyError('FilterArgumentError', "can't handle positional and keyword arguments at the same time");
  return pyPercentFormat(softStr(value), hasKw ? kwargs : pyTuple(args));
}

export const textFilters: Record<string, Fn> = {
  upper: (v) => softStr(v).toUpperCase(),
  lower: (v) => softStr(v).toLowerCase(),
  capitalize: (v) => call(softStr(v), 'capitalize'),
  title: titleFilter,
  trim: (v, chars) => call(softStr(v), 'strip', chars),
  replace: (...raw) => {
    const [s, old, rep, count] = bindParams('replace', raw, ['s', 'old', 'new', 'count'], 3);
    return call(softStr(s), 'replace', softStr(old), softStr(rep), absent(count) ? -1 : count);
  },
  center: (v, width) => call(softStr(v), 'center', absent(width) ? 80 : width),
  indent,
  truncate,
  wordwrap,
  wordcount: (v) => (softStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  striptags,
  escape: escapeHtml,
  e: escapeHtml,
  forceescape: (v) => escapeHtml(isSafeString(v) ? v.val : softStr(v)),
  safe: (v) => (isSafeString(v) ? v : new Markup(softStr(v))),
  urlencode,
  filesizeformat,
  xmlattr,
  format,
  string: (v) => (isSafeString(v) ? v : softStr(v)),
};
