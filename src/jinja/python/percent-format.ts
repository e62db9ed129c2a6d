/**
 * Python's printf-style `str % args` (`'%s-%d' % (a, b)`, `'%(x)s' % d`, `'%05.2f' % x`).
 */
import { pyError } from './errors.js';
import { pyFormatValue } from './format-spec.js';
import { isFloatValue, isNumeric, pyFloat, toNum } from './py-float.js';
import { PyDecimal } from './py-decimal.js';
import { pyRepr, pyStr } from './repr.js';
import { isDict, isSafeString, PyTuple, pyTypeName } from './types.js';
import { PyDictMap } from './py-dict-map.js';

/** The text keys of a PyDictMap, for `%(name)s` (a name is always text). */
function textKeys(d: PyDictMap): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of d) if (typeof k === 'string') out[k] = v;
  return out;
}

const CONV = /%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])?/g;

/**
 * Format `fmt % arg`. `arg` is spread when it is a PyTuple; a list is one
 * value, as in Python (`'%s' % [1, 2]` is '[1, 2]').
 */
export function pyPercentFormat(fmt: string, arg: unknown): string {
  const specs = [...fmt.matchAll(CONV)];
  let args: unknown[];
  const isTuple = arg instanceof PyTuple;
  if (isTuple) args = arg as unknown[];
  else args = [arg];
  const mapping = isDict(arg) ? arg : arg instanceof PyDictMap ? textKeys(arg) : undefined;
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw pyError('TypeError', 'not enough arguments for format string', `The format '${fmt}' needs more values than were given.`);
    return args[next++];
  };
  let out = '';
  let last = 0;
  let usedMapping = false;
  for (const m of specs) {
    out += fmt.slice(last, m.index);
    last = m.index + m[0].length;
    const [, key, flags, widthS, precS, type] = m;
    if (type === undefined) throw pyError('ValueError', 'incomplete format', `Write %% for a literal percent sign in '${fmt}'.`);
    if (type === '%' && key === undefined && !flags && !widthS && !precS) {
      out += '%';
      continue;
    }
    let value: unknown;
    let width = widthS === '*' ? Number(toNum(take())) : widthS ? Number(widthS) : 0;
    const precision = precS === '*' ? Number(toNum(take())) : precS !== undefined ? Number(precS) : undefined;
    if (key !== undefined) {
      if (!mapping) throw pyError('TypeError', 'format requires a mapping', `'${fmt}' uses %(${key})s, so give it a dict.`);
      usedMapping = true;
      if (!Object.prototype.hasOwnProperty.call(mapping, key)) throw pyError('KeyError', `'${key}'`, `The dict given to '${fmt}' has no key '${key}'.`);
      value = mapping[key];
    } else if (type !== '%') value = take();
    let left = flags.includes('-');
    if (width < 0) {
      left = true;
      width = -width;
    }
    const zero = flags.includes('0') && !left;
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const alt = flags.includes('#');
    const align = left ? '<' : zero ? '' : '>';
    const numSpec = (t: string): string => `${align}${sign}${alt ? '#' : ''}${zero ? '0' : ''}${width || ''}${precision !== undefined ? `.${precision}` : ''}${t}`;
    // %d and %f take a Decimal as Python does: int(d), float(d).
    if (value instanceof PyDecimal && 'diu'.includes(type)) value = value.toInt();
    else if (value instanceof PyDecimal && 'eEfFgG'.includes(type)) value = pyFloat(value.toNumber());
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        let s = type === 's' ? pyStr(value) : pyRepr(value);
        if (precision !== undefined) s = [...s].slice(0, precision).join('');
        out += pyFormatValue(s, `${left ? '<' : '>'}${width || ''}`);
        break;
      }
      case 'd':
      case 'i':
      case 'u': {
        if (!isNumeric(value)) throw pyError('TypeError', `%${type} format: a real number is required, not ${pyTypeName(value)}`, `Use %s for text, or convert the value with |int in '${fmt}'.`);
        const n = typeof value === 'bigint' ? value : Math.trunc(toNum(value));
        out += pyFormatValue(n, numSpec('d').replace(/\.\d+d$/, 'd'));
        break;
      }
      case 'x':
      case 'X':
      case 'o': {
        if (!isNumeric(value) || isFloatValue(value)) throw pyError('TypeError', `%${type} format: an integer is required, not ${pyTypeName(value)}`);
        out += pyFormatValue(toNum(value), numSpec(type).replace(/\.\d+/, ''));
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        if (!isNumeric(value)) throw pyError('TypeError', `must be real number, not ${pyTypeName(value)}`, `Use %s for text, or convert the value with |float in '${fmt}'.`);
        const spec = numSpec(type);
        out += pyFormatValue(isFloatValue(value) ? value : toNum(value) + 0, precision === undefined ? spec.replace(type, `.6${type}`) : spec);
        break;
      }
      case 'c': {
        const ch = typeof value === 'string' ? value : String.fromCodePoint(toNum(value));
        out += pyFormatValue(ch, `${left ? '<' : '>'}${width || ''}`);
        break;
      }
      case '%':
        out += '%';
        break;
      default:
        throw pyError('ValueError', `unsupported format character '${type}' (0x${type.charCodeAt(0).toString(16)}) at index ${m.index + m[0].length - 1}`);
    }
  }
  out += fmt.slice(last);
  if (!usedMapping && next < args.length) {
    const lenient = !isTuple && (isDict(arg) || arg instanceof PyDictMap || Array.isArray(arg) || isSafeString(arg));
    if (!lenient) throw pyError('TypeError', 'not all arguments converted during string formatting', `'${fmt}' has fewer % placeholders than values given.`);
  }
  return out;
}
