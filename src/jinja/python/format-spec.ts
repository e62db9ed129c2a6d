/**
 * Python's format-spec mini-language (`format(value, spec)`, `'{:>10.2f}'`),
 * shared by str.format, `%` formatting and the `format`/`round` filters.
 */
import { pyError } from './errors.js';
import { formatPyFloat, isFloatValue, isNumeric, PyFloat, toNum } from './py-float.js';
import { pyStr } from './repr.js';
import { isSafeString, pyTypeName } from './types.js';

export interface FormatSpec {
  fill: string;
  align: '' | '<' | '>' | '=' | '^';
  sign: '' | '+' | '-' | ' ';
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: '' | ',' | '_';
  precision: number | undefined;
  type: string;
}

const SPEC = /^(?:([\s\S])?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/u;

export function parseFormatSpec(spec: string): FormatSpec {
  const m = SPEC.exec(spec);
  if (!m) throw pyError('ValueError', `Invalid format specifier '${spec}'`, 'Use [[fill]align][sign][#][0][width][,][.precision][type], e.g. {:>10.2f}.');
  return {
    fill: m[1] ?? (m[2] ? ' ' : ''),
    align: (m[2] ?? '') as FormatSpec['align'],
    sign: (m[3] ?? '') as FormatSpec['sign'],
    alt: m[5] !== undefined,
    zero: m[6] !== undefined,
    width: m[7] ? Number(m[7]) : 0,
    grouping: (m[8] ?? '') as FormatSpec['grouping'],
    precision: m[9] !== undefined ? Number(m[9]) : undefined,
    type: m[10] ?? '',
  };
}

/**
 * `x.toFixed(p)` rounded as Python does: on the exact binary value, with ties
 * to even (JS rounds exact ties away from zero: (2.5).toFixed(0) is '3').
 * `x` must be finite and non-negative.
 */
export function toFixedPy(x: number, p: number): string {
  if (x >= 1e21) return BigInt(Math.round(x)).toString() + (p > 0 ? `.${'0'.repeat(p)}` : '');
  const s = x.toFixed(p);
  if (p + 30 <= 100) {
    const longer = x.toFixed(p + 30);
    if (longer.endsWith(`5${'0'.repeat(29)}`)) {
      let trunc = longer.slice(0, longer.length - 30);
      if (trunc.endsWith('.')) trunc = trunc.slice(0, -1);
      const last = trunc.charCodeAt(trunc.length - 1) - 48;
      if (last % 2 === 0) return trunc;
    }
  }
  return s;
}

/** `x.toExponential(p)` with Python's exponent form (at least two digits: 1.5e+03). */
export function toExponentialPy(x: number, p: number): string {
  const s = x.toExponential(p);
  const at = s.indexOf('e');
  const sign = s[at + 1];
  const digits = s.slice(at + 2);
  return `${s.slice(0, at)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

/** Python's 'g' presentation of a non-negative finite x. */
function toGeneralPy(x: number, precision: number | undefined, alt: boolean, noneType: boolean): string {
  const p = precision === undefined ? 6 : precision === 0 ? 1 : precision;
  if (x === 0) return alt ? `0.${'0'.repeat(p - 1)}` : noneType ? '0.0' : '0';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let s: string;
  let sci = false;
  if (exp >= -4 && exp < p) s = toFixedPy(x, p - 1 - exp);
  else {
    s = toExponentialPy(x, p - 1);
    sci = true;
  }
  if (!alt) {
    // Strip trailing zeros of the mantissa.
    const at = sci ? s.indexOf('e') : s.length;
    let mant = s.slice(0, at);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    if (noneType && !sci && !mant.includes('.')) mant += '.0';
    s = mant + s.slice(at);
  }
  return s;
}

function groupDigits(intPart: string, sep: string, every: number): string {
  let out = '';
  for (let i = 0; i < intPart.length; i++) {
    if (i > 0 && (intPart.length - i) % every === 0) out += sep;
    out += intPart[i];
  }
  return out;
}

function pad(body: string, sign: string, spec: FormatSpec, defaultAlign: '<' | '>'): string {
  let fill = spec.fill;
  let align = spec.align;
  if (spec.zero && !align) {
    fill = '0';
    align = '=';
  }
  if (!fill) fill = ' ';
  const len = [...sign].length + [...body].length;
  const n = spec.width - len;
  if (n <= 0) return sign + body;
  switch (align || defaultAlign) {
    case '<':
      return sign + body + fill.repeat(n);
    case '>':
      return fill.repeat(n) + sign + body;
    case '=':
      return sign + fill.repeat(n) + body;
    case '^': {
      const left = Math.floor(n / 2);
      return fill.repeat(left) + sign + body + fill.repeat(n - left);
    }
  }
  return sign + body;
}

function formatNumber(value: unknown, spec: FormatSpec): string {
  const isFloat = isFloatValue(value);
  let type = spec.type;
  const x = toNum(value);
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const signChar = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  let body: string;
  if (!isFloat && 'bcdoxXn'.includes(type || 'd') && type !== '') {
    switch (type) {
      case 'b':
        body = (spec.alt ? '0b' : '') + abs.toString(2);
        break;
      case 'o':
        body = (spec.alt ? '0o' : '') + abs.toString(8);
        break;
      case 'x':
        body = (spec.alt ? '0x' : '') + abs.toString(16);
        break;
      case 'X':
        body = (spec.alt ? '0X' : '') + abs.toString(16).toUpperCase();
        break;
      case 'c':
        return pad(String.fromCodePoint(x), '', spec, '<');
      default:
        if (typeof value === 'bigint') body = (value < 0n ? -value : value).toString();
        else body = abs < 1e21 ? String(abs) : BigInt(abs).toString();
    }
    if (spec.grouping && 'dn'.includes(type)) body = groupDigits(body, spec.grouping, 3);
    return pad(body, signChar, spec, '>');
  }
  if (!isFloat && type === '') {
    if (spec.precision !== undefined) throw pyError('ValueError', 'Precision not allowed in integer format specifier');
    body = abs < 1e21 ? String(abs) : BigInt(abs).toString();
    if (spec.grouping) body = groupDigits(body, spec.grouping, 3);
    return pad(body, signChar, spec, '>');
  }
  if ('bcoxX'.includes(type) && type !== '') {
    throw pyError('ValueError', `Unknown format code '${type}' for object of type 'float'`);
  }
  if (!Number.isFinite(abs)) {
    body = Number.isNaN(abs) ? 'nan' : 'inf';
    if (type === 'F' || type === 'E' || type === 'G') body = body.toUpperCase();
    if (type === '%') body += '%';
    return pad(body, signChar, spec, '>');
  }
  let suffix = '';
  switch (type) {
    case 'f':
    case 'F':
      body = toFixedPy(abs, spec.precision ?? 6);
      break;
    case 'e':
    case 'E':
      body = toExponentialPy(abs, spec.precision ?? 6);
      if (type === 'E') body = body.toUpperCase();
      break;
    case '%':
      body = toFixedPy(abs * 100, spec.precision ?? 6);
      suffix = '%';
      break;
    case 'g':
    case 'G':
    case 'n':
      body = toGeneralPy(abs, spec.precision, spec.alt, false);
      if (type === 'G') body = body.toUpperCase();
      break;
    case '':
      body = spec.precision === undefined ? formatPyFloat(abs) : toGeneralPy(abs, spec.precision, spec.alt, true);
      break;
    case 'd':
      throw pyError('ValueError', `Unknown format code 'd' for object of type 'float'`, 'Use {:.0f} to format a float without decimals, or convert it with |int.');
    default:
      throw pyError('ValueError', `Unknown format code '${type}' for object of type '${pyTypeName(value)}'`);
  }
  if (spec.grouping) {
    const dot = body.search(/[.e%]/);
    const intPart = dot < 0 ? body : body.slice(0, dot);
    if (/^\d+$/.test(intPart)) body = groupDigits(intPart, spec.grouping, 3) + (dot < 0 ? '' : body.slice(dot));
  }
  if (spec.alt && !body.includes('.') && (type === 'f' || type === 'F' || type === 'e' || type === 'E' || type === '%')) {
    const at = body.search(/[eE%]/);
    body = at < 0 ? `${body}.` : `${body.slice(0, at)}.${body.slice(at)}`;
  }
  type = '';
  return pad(body + suffix, signChar, spec, '>');
}

/** Python's format(value, spec). */
export function pyFormatValue(value: unknown, spec: string): string {
  const custom = value !== null && typeof value === 'object' ? (value as { __format__?: unknown }).__format__ : undefined;
  if (typeof custom === 'function') return String(custom.call(value, spec));
  if (spec === '') return pyStr(value);
  const s = parseFormatSpec(spec);
  if (isNumeric(value) || value instanceof PyFloat) {
    if (typeof value === 'boolean') return formatNumber(value ? 1 : 0, s);
    if (s.type === 's') throw pyError('ValueError', `Unknown format code 's' for object of type '${pyTypeName(value)}'`);
    if ('eEfFgG%'.includes(s.type) && s.type !== '' && !isFloatValue(value)) return formatNumber(toFloatLike(value), s);
    return formatNumber(value, s);
  }
  if (typeof value === 'string' || isSafeString(value)) {
    if (s.type !== '' && s.type !== 's') throw pyError('ValueError', `Unknown format code '${s.type}' for object of type 'str'`, 'Convert the value first, e.g. (x | int) or (x | float).');
    if (s.sign) throw pyError('ValueError', 'Sign not allowed in string format specifier');
    if (s.align === '=') throw pyError('ValueError', "'=' alignment not allowed in string format specifier");
    let str = pyStr(value);
    if (s.precision !== undefined) str = [...str].slice(0, s.precision).join('');
    return pad(str, '', { ...s, zero: false, fill: s.fill || (s.zero ? '0' : ' ') }, '<');
  }
  throw pyError('TypeError', `unsupported format string passed to ${pyTypeName(value)}.__format__`);
}

function toFloatLike(v: unknown): PyFloat {
  return new PyFloat(toNum(v));
}
