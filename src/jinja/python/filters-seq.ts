/**
 * Jinja2 3.1's sequence and number filters. Filters that Jinja2 implements as
 * generators (map, select, reject, selectattr, rejectattr, unique, batch,
 * slice, reverse) return lists here: loops, |list, |join and |first behave
 * the same; only `{{ xs|map('upper') }}` differs (Jinja2 prints
 * `<generator object ...>`, a memory address, here the list).
 */
import { absent, bindParams } from './args.js';
import { dictPairs } from './py-dict-map.js';
import { dictMethod, listMethod, pySorted } from './collection-methods.js';
import { pyError } from './errors.js';
import { attrGetter, hashKey, ignoreCase, items, multiAttrGetter, softStr } from './filter-support.js';
import { toFloat } from './filters-text.js';
import { htmlSafeJson } from './json.js';
import { pyAdd, pyCmp, pyEq, pyTruthy } from './operators.js';
import { isFloatValue, isNumeric, PyFloat, pyFloat, toNum } from './py-float.js';
import { PyDecimal } from './py-decimal.js';
import { pyRepr } from './repr.js';
import { toFixedPy } from './format-spec.js';
import { strMethod } from './str-methods.js';
import { pyGetAttr } from './methods.js';
import { isUnsafeName, unsafeNameLookup } from './sandbox.js';
import { makeKwargs, splitArgs } from '../kwargs.js';
import { isDict, isSafeString, Markup, pyLen, pyTuple, PyTuple, pyTypeName } from './types.js';

type Fn = (...args: unknown[]) => unknown;

/** How map/select find other filters and tests by name (the engine's registries). */
export interface FilterRegistry {
  filter(name: string): Fn | undefined;
  test(name: string): Fn | undefined;
}

function callWith(fn: Fn, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  return Object.keys(kwargs).length ? fn(value, ...args, makeKwargs(kwargs)) : fn(value, ...args);
}

function prepareMap(reg: FilterRegistry, raw: unknown[]): (item: unknown) => unknown {
  const { args, kwargs } = splitArgs(raw);
  if (args.length === 0 && 'attribute' in kwargs) {
    const { attribute, default: dflt, ...rest } = kwargs;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw pyError('FilterArgumentError', `Unexpected keyword argument '${extra}'`);
    return attrGetter(attribute, undefined, dflt);
  }
  if (args.length === 0) throw pyError('FilterArgumentError', 'map requires a filter argument', "Use map('filter_name') or map(attribute='name').");
  const name = softStr(args[0]);
  const fn = reg.filter(name);
  if (!fn) throw pyError('TemplateRuntimeError', `No filter named '${name}'.`);
  const rest = args.slice(1);
  return (item) => callWith(fn, item, rest, kwargs);
}

function prepareSelect(reg: FilterRegistry, raw: unknown[], lookupAttr: boolean): (item: unknown) => boolean {
  const { args, kwargs } = splitArgs(raw);
  let trans: (x: unknown) => unknown = (x) => x;
  let off = 0;
  if (lookupAttr) {
    if (args.length === 0) throw pyError('FilterArgumentError', 'Missing parameter for attribute name');
    trans = attrGetter(args[0]);
    off = 1;
  }
  if (args.length <= off) return (item) => pyTruthy(trans(item));
  const name = softStr(args[off]);
  const test = reg.test(name);
  if (!test) throw pyError('TemplateRuntimeError', `No test named '${name}'.`);
  const rest = args.slice(off + 1);
  return (item) => pyTruthy(callWith(test, trans(item), rest, kwargs));
}

function selectOrReject(reg: FilterRegistry, value: unknown, raw: unknown[], attr: boolean, keep: boolean): unknown[] {
  if (!pyTruthy(value)) return [];
  const f = prepareSelect(reg, raw, attr);
  return items(value, 'select').filter((x) => f(x) === keep);
}

/** Python int() as Jinja2's int filter applies it, or undefined when it fails. */
function parseInt_(value: unknown, base: number): number | bigint | undefined {
  // int() of a Decimal: a NaN is Jinja2's ValueError, so the default; an infinity's OverflowError is not caught.
  if (value instanceof PyDecimal) return value.special === 'nan' ? undefined : value.toInt();
  if (typeof value === 'string' || isSafeString(value)) {
    const s = String(value).trim().replace(/(\w)_(?=\w)/g, '$1');
    const m = /^([-+]?)(0[xob])?([0-9a-z]+)$/i.exec(s);
    if (m) {
      let b = base;
      const prefix = m[2]?.toLowerCase();
      if (prefix) {
        const pb = prefix === '0x' ? 16 : prefix === '0o' ? 8 : 2;
        if (b === 0) b = pb;
        else if (b !== pb) b = -1;
      } else if (b === 0) b = /^0+$/.test(m[3]) || !m[3].startsWith('0') ? 10 : -1;
      if (b >= 2 && b <= 36) {
        const digits = m[3].toLowerCase();
        const valid = [...digits].every((c) => parseInt(c, 36) < b);
        if (valid) {
          const n = parseInt(digits, b);
          return m[1] === '-' ? -n : n;
        }
      }
    }
    try {
      const f = toFloat(value);
      return Number.isFinite(f) ? Math.trunc(f) : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof value === 'number' || value instanceof PyFloat || typeof value === 'boolean') {
    const n = toNum(value);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  }
  return undefined;
}

/** Python's round(x, n) on a float: correctly rounded, ties to even. */
export function pyRound(x: number, n: number): number {
  if (!Number.isFinite(x)) return x;
  if (n >= 0) {
    const s = toFixedPy(Math.abs(x), Math.min(n, 100));
    const r = Number(s);
    return x < 0 ? -r : r;
  }
  const p = 10 ** -n;
  const q = x / p;
  let r = Math.round(q);
  if (Math.abs(q % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r * p;
}

function round(...raw: unknown[]): unknown {
  const [value, precision, method] = bindParams('round', raw, ['value', 'precision', 'method']);
  const m = absent(method) ? 'common' : softStr(method);
  if (m !== 'common' && m !== 'ceil' && m !== 'floor') throw pyError('FilterArgumentError', 'method must be common, ceil or floor');
  const p = absent(precision) ? 0 : toNum(precision);
  if (value instanceof PyDecimal) return roundDecimal(value, p, m);
  if (!isNumeric(value)) throw pyError('TypeError', `type ${pyTypeName(value)} doesn't define __round__ method`, 'Convert the value first, e.g. (x | float) | round(2).');
  const x = toNum(value);
  if (m === 'common') {
    if (!isFloatValue(value)) return p >= 0 ? x : pyRound(x, p);
    return pyFloat(pyRound(x, p));
  }
  const f = m === 'ceil' ? Math.ceil : Math.floor;
  return pyFloat(f(x * 10 ** p) / 10 ** p);
}

/** Jinja2's round of a Decimal: `round(d, p)` (a Decimal, half to even) for common; floor/ceil of d x 10^p over 10^p, a float. */
function roundDecimal(d: PyDecimal, p: number, method: string): unknown {
  if (method === 'common') return d.round(p);
  return pyFloat(Number(d.floorOrCeilScaled(p, method === 'ceil')) / 10 ** p + 0);
}

function minMax(value: unknown, raw: unknown[], sign: 1 | -1, name: string): unknown {
  const op = sign > 0 ? '<' : '>';
  const [caseSensitive, attribute] = bindParams(name, raw, ['case_sensitive', 'attribute']);
  const list = items(value, name);
  if (list.length === 0) return undefined;
  const key = attrGetter(attribute, pyTruthy(caseSensitive) ? undefined : ignoreCase);
  let best = list[0];
  let bestKey = key(best);
  for (let i = 1; i < list.length; i++) {
    const k = key(list[i]);
    if (pyCmp(k, bestKey, op) * sign < 0) {
      best = list[i];
      bestKey = k;
    }
  }
  return best;
}

/** The (grouper, list) tuples of groupby: a tuple with `.grouper` and `.list`. */
function groupTuple(grouper: unknown, list: unknown[]): PyTuple {
  const t = pyTuple([grouper, list]);
  Object.defineProperty(t, 'grouper', { value: grouper, enumerable: false });
  Object.defineProperty(t, 'list', { value: list, enumerable: false });
  return t;
}

function groupby(value: unknown, ...raw: unknown[]): PyTuple[] {
  const [attribute, dflt, caseSensitive] = bindParams('groupby', raw, ['attribute', 'default', 'case_sensitive'], 1);
  const cs = pyTruthy(caseSensitive);
  const key = attrGetter(attribute, cs ? undefined : ignoreCase, dflt);
  const sorted = pySorted(items(value, 'groupby'), key);
  const out: PyTuple[] = [];
  let curKey: unknown;
  let cur: unknown[] | undefined;
  for (const x of sorted) {
    const k = key(x);
    if (cur && pyEq(k, curKey)) cur.push(x);
    else {
      cur = [x];
      curKey = k;
      out.push(groupTuple(k, cur));
    }
  }
  if (cs) return out;
  const realKey = attrGetter(attribute, undefined, dflt);
  return out.map((g) => groupTuple(realKey((g[1] as unknown[])[0]), g[1] as unknown[]));
}

/** Python's pprint.pformat (width 80, dict keys sorted). */
export function pformat(v: unknown, indent = 0): string {
  const flat = pyRepr(sortDicts(v));
  if (flat.length + indent <= 80) return flat;
  if (Array.isArray(v) && v.length) {
    const [o, c] = v instanceof PyTuple ? ['(', v.length === 1 ? ',)' : ')'] : ['[', ']'];
    return o + v.map((x) => pformat(x, indent + 1)).join(`,\n${' '.repeat(indent + 1)}`) + c;
  }
  if (isDict(v) && Object.keys(v).length) {
    const keys = Object.keys(v).sort();
    return `{${keys
      .map((k) => {
        const kr = pyRepr(k);
        return `${kr}: ${pformat(v[k], indent + 1 + kr.length + 2)}`;
      })
      .join(`,\n${' '.repeat(indent + 1)}`)}}`;
  }
  if (typeof v === 'string' && v.length > 1) {
    const words = v.split(/(?<=\s)/);
    const lines: string[] = [];
    let cur = '';
    for (const w of words) {
      if (cur && pyRepr(cur + w).length + indent > 79) {
        lines.push(cur);
        cur = w;
      } else cur += w;
    }
    if (cur) lines.push(cur);
    if (lines.length > 1) return `(${lines.map((l) => pyRepr(l)).join(`\n${' '.repeat(indent + 1)}`)})`;
  }
  return flat;
}

function sortDicts(v: unknown): unknown {
  if (Array.isArray(v)) {
    const mapped = v.map(sortDicts);
    return v instanceof PyTuple ? pyTuple(mapped) : mapped;
  }
  if (isDict(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDicts(v[k]);
    return out;
  }
  return v;
}

function undefinedValue(filter: string): Error {
  return pyError('UndefinedError', `an undefined value was passed to the ${filter} filter`, `Define the value, or give it a fallback: x | default(0) | ${filter}.`);
}

function length(v: unknown): number {
  if (v === undefined) return 0;
  const n = pyLen(v);
  if (n === undefined) throw pyError('TypeError', `object of type '${pyTypeName(v)}' has no len()`);
  return n;
}

export function sequenceFilters(reg: FilterRegistry): Record<string, Fn> {
  return {
    sort: (value, ...raw) => {
      const [reverse, caseSensitive, attribute] = bindParams('sort', raw, ['reverse', 'case_sensitive', 'attribute']);
      const key = multiAttrGetter(attribute, pyTruthy(caseSensitive) ? undefined : ignoreCase);
      return pySorted(items(value, 'sort'), key, pyTruthy(reverse));
    },
    unique: (value, ...raw) => {
      const [caseSensitive, attribute] = bindParams('unique', raw, ['case_sensitive', 'attribute']);
      const key = attrGetter(attribute, pyTruthy(caseSensitive) ? undefined : ignoreCase);
      const seen = new Set<string>();
      return items(value, 'unique').filter((x) => {
        const k = hashKey(key(x));
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
    map: (value, ...raw) => {
      if (!pyTruthy(value)) return [];
      const f = prepareMap(reg, raw);
      return items(value, 'map').map(f);
    },
    select: (value, ...raw) => selectOrReject(reg, value, raw, false, true),
    reject: (value, ...raw) => selectOrReject(reg, value, raw, false, false),
    selectattr: (value, ...raw) => selectOrReject(reg, value, raw, true, true),
    rejectattr: (value, ...raw) => selectOrReject(reg, value, raw, true, false),
    list: (value) => (value === undefined ? [] : items(value, 'list').slice()),
    int: (...raw) => {
      const [value, dflt, base] = bindParams('int', raw, ['value', 'default', 'base']);
      if (value === undefined) throw undefinedValue('int');
      const n = parseInt_(value, absent(base) ? 10 : toNum(base));
      return n === undefined ? (dflt === undefined ? 0 : dflt) : n;
    },
    float: (...raw) => {
      const [value, dflt] = bindParams('float', raw, ['value', 'default']);
      if (value === undefined) throw undefinedValue('float');
      try {
        return pyFloat(toFloat(value));
      } catch {
        return dflt === undefined ? new PyFloat(0) : dflt;
      }
    },
    round,
    abs: (v) => {
      if (v instanceof PyDecimal) return v.__abs__();
      if (!isNumeric(v)) throw pyError('TypeError', `bad operand type for abs(): '${pyTypeName(v)}'`);
      if (typeof v === 'boolean') return v ? 1 : 0;
      return isFloatValue(v) ? pyFloat(Math.abs(toNum(v))) : Math.abs(toNum(v));
    },
    default: (...raw) => {
      const [value, dflt, boolean] = bindParams('default', raw, ['value', 'default_value', 'boolean']);
      if (value !== undefined && !(pyTruthy(boolean) && !pyTruthy(value))) return value;
      // A fallback given as an undefined value (`x | default(d['missing'])`) stays undefined, as in Jinja2; only an absent one is ''.
      return dflt === undefined && !fallbackGiven(raw) ? '' : dflt;
    },
    join: (value, ...raw) => {
      const [d, attribute] = bindParams('join', raw, ['d', 'attribute']);
      let list = items(value, 'join');
      if (!absent(attribute)) list = list.map(attrGetter(attribute));
      return list.map(softStr).join(absent(d) ? '' : softStr(d));
    },
    length,
    count: length,
    first: (v) => items(v, 'first')[0],
    last: (v) => {
      if (isNumeric(v) || v === null) throw pyError('TypeError', `'${pyTypeName(v)}' object is not reversible`);
      const l = items(v, 'last');
      return l[l.length - 1];
    },
    random: (v) => {
      const l = items(v, 'random');
      return l.length ? l[Math.floor(Math.random() * l.length)] : undefined;
    },
    batch: (value, ...raw) => {
      const [n, fill] = bindParams('batch', raw, ['linecount', 'fill_with'], 1);
      const size = toNum(n);
      const out: unknown[][] = [];
      let tmp: unknown[] = [];
      for (const x of items(value, 'batch')) {
        if (tmp.length === size) {
          out.push(tmp);
          tmp = [];
        }
        tmp.push(x);
      }
      if (tmp.length) {
        if (!absent(fill)) while (tmp.length < size) tmp.push(fill);
        out.push(tmp);
      }
      return out;
    },
    slice: (value, ...raw) => {
      const [n, fill] = bindParams('slice', raw, ['slices', 'fill_with'], 1);
      const seq = items(value, 'slice');
      const slices = toNum(n);
      const per = Math.floor(seq.length / slices);
      const extra = seq.length % slices;
      const out: unknown[][] = [];
      let offset = 0;
      for (let i = 0; i < slices; i++) {
        const start = offset + i * per;
        if (i < extra) offset++;
        const end = offset + (i + 1) * per;
        const tmp = seq.slice(start, end);
        if (!absent(fill) && i >= extra) tmp.push(fill);
        out.push(tmp);
      }
      return out;
    },
    sum: (value, ...raw) => {
      const [attribute, start] = bindParams('sum', raw, ['attribute', 'start']);
      let list = items(value, 'sum');
      if (!absent(attribute)) list = list.map(attrGetter(attribute));
      return list.reduce<unknown>((acc, x) => pyAdd(acc, x), start === undefined ? 0 : start);
    },
    min: (value, ...raw) => minMax(value, raw, 1, 'min'),
    max: (value, ...raw) => minMax(value, raw, -1, 'max'),
    dictsort: (value, ...raw) => {
      const [caseSensitive, by, reverse] = bindParams('dictsort', raw, ['case_sensitive', 'by', 'reverse']);
      const pos = absent(by) || by === 'key' ? 0 : by === 'value' ? 1 : -1;
      if (pos < 0) throw pyError('FilterArgumentError', 'You can only sort by either "key" or "value"');
      const found = dictPairs(value);
      if (!found) throw pyError('TypeError', `dictsort needs a dict, not ${pyTypeName(value)}`);
      const pairs = found.map((p) => pyTuple(p));
      const cs = pyTruthy(caseSensitive);
      return pySorted(pairs, (p) => (cs ? (p as unknown[])[pos] : ignoreCase((p as unknown[])[pos])), pyTruthy(reverse));
    },
    groupby,
    items: (value) => {
      if (value === undefined) return [];
      const pairs = dictPairs(value);
      if (!pairs) throw pyError('TypeError', 'Can only get item pairs from a mapping.');
      return pairs.map((p) => pyTuple(p));
    },
    reverse: (value) => {
      if (typeof value === 'string') return [...value].reverse().join('');
      if (isSafeString(value)) return [...value.val].reverse().join('');
      if (isNumeric(value) || value === null) throw pyError('FilterArgumentError', 'argument must be iterable');
      return items(value, 'reverse').slice().reverse();
    },
    attr: (obj, name) => {
      const n = softStr(name);
      if (typeof obj === 'string') return isUnsafeName(n) ? unsafeNameLookup(obj, n, false) : strMethod(obj, n);
      if (Array.isArray(obj)) return isUnsafeName(n) ? unsafeNameLookup(obj, n, false) : listMethod(obj, n);
      if (isDict(obj)) return isUnsafeName(n) ? unsafeNameLookup(obj, n, false) : dictMethod(obj, n);
      return pyGetAttr(obj, n);
    },
    tojson: (value, ...raw) => {
      const [indent] = bindParams('tojson', raw, ['indent']);
      return new Markup(htmlSafeJson(value, absent(indent) ? undefined : (indent as number | string)));
    },
    pprint: (v) => pformat(v),
  };
}

/** Whether default()'s fallback (its second parameter, `default_value`) was passed at all, even as an undefined value. */
function fallbackGiven(raw: readonly unknown[]): boolean {
  const { args, kwargs } = splitArgs(raw);
  return args.length >= 2 || 'default_value' in kwargs;
}
