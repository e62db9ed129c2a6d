/**
 * Python subscripts for the engine: `x[i]` (negative indexes, dict keys) and
 * `x[a:b:c]` slices on strings, lists and tuples.
 */
import { dictKey } from './collection-methods.js';
import { pyError } from './errors.js';
import { isExposed, isUnsafeName, unsafeNameLookup } from './sandbox.js';
import { lookupPythonMethod } from './methods.js';
import { isFloatValue, isNumeric, PyFloat, toNum } from './py-float.js';
import { codePoints, isDict, isSafeString, PyTuple, pyTuple, pyTypeName } from './types.js';

/**
 * Jinja2's `obj[key]`: negative indexes count from the end; a missing index
 * or key gives undefined (Jinja2's Undefined) rather than an error; a string
 * key that is not an item falls back to the attribute (`d['items']` is the
 * method), as Jinja2's getitem does.
 */
export function pyIndex(obj: unknown, key: unknown): unknown {
  if (typeof key === 'string' && isUnsafeName(key)) {
    if (obj instanceof Map && !obj.has(key)) return obj.get(key);
    return unsafeNameLookup(obj, key, isDict(obj));
  }
  if (obj === null || obj === undefined) return undefined;
  if (typeof obj === 'string' || isSafeString(obj)) {
    const s = typeof obj === 'string' ? obj : obj.val;
    if (typeof key === 'number' || typeof key === 'boolean') {
      const cps = codePoints(s);
      const len = cps ? cps.length : s.length;
      let i = toNum(key);
      if (!Number.isInteger(i)) return undefined;
      if (i < 0) i += len;
      if (i < 0 || i >= len) return undefined;
      return cps ? cps[i] : s[i];
    }
    return typeof key === 'string' ? lookupPythonMethod(s, key) : undefined;
  }
  if (Array.isArray(obj)) {
    if ((typeof key === 'number' && Number.isInteger(key)) || typeof key === 'boolean') {
      let i = toNum(key);
      if (i < 0) i += obj.length;
      return i >= 0 && i < obj.length ? obj[i] : undefined;
    }
    if (typeof key !== 'string') return undefined;
    // groupby's (grouper, list) tuples carry named fields.
    return lookupPythonMethod(obj, key) ?? (Object.prototype.hasOwnProperty.call(obj, key) && key !== 'length' ? (obj as unknown as Record<string, unknown>)[key] : undefined);
  }
  if (isDict(obj)) {
    const k = dictKey(key);
    if (Object.prototype.hasOwnProperty.call(obj, k)) return obj[k];
    return typeof key === 'string' ? lookupPythonMethod(obj, key) : undefined;
  }
  if (obj instanceof Map) return obj.get(key);
  if (typeof obj === 'object' || typeof obj === 'function') {
    const getitem = (obj as { __getitem__?: unknown }).__getitem__;
    if (typeof getitem === 'function') {
      // Not an item: a string key falls back to the attribute (agate's `column['name']` is its name).
      const v = getitem.call(obj, key);
      if (v !== undefined || typeof key !== 'string') return v;
    }
    const k = dictKey(key);
    if (typeof obj === 'function' ? !Object.prototype.hasOwnProperty.call(obj, k) : isUnsafeName(k) || !isExposed(obj, k)) return undefined;
    const v = (obj as Record<string, unknown>)[k];
    if (typeof v === 'function') return (...args: unknown[]) => (v as (...a: unknown[]) => unknown).apply(obj, args);
    return v;
  }
  return undefined;
}

function sliceIndex(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean') return toNum(v);
  if (isNumeric(v) && !isFloatValue(v)) return toNum(v);
  throw pyError('TypeError', `slice indices must be integers or None or have an __index__ method (${what} is ${pyTypeName(v)})`);
}

/** The positions Python's slice(start, stop, step).indices(len) selects. */
export function sliceIndices(len: number, start: unknown, stop: unknown, step: unknown): number[] {
  const st = sliceIndex(step, 'step') ?? 1;
  if (st === 0) throw pyError('ValueError', 'slice step cannot be zero');
  let a = sliceIndex(start, 'start');
  let b = sliceIndex(stop, 'stop');
  const out: number[] = [];
  if (st > 0) {
    a = a === undefined ? 0 : a < 0 ? Math.max(a + len, 0) : Math.min(a, len);
    b = b === undefined ? len : b < 0 ? Math.max(b + len, 0) : Math.min(b, len);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    a = a === undefined ? len - 1 : a < 0 ? Math.max(a + len, -1) : Math.min(a, len - 1);
    b = b === undefined ? -1 : b < 0 ? Math.max(b + len, -1) : Math.min(b, len - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

/**
 * Python's `obj[start:stop:step]` (omitted parts undefined or null) on a
 * string, list or tuple; a tuple slice is a tuple.
 */
export function pySlice(obj: unknown, start?: unknown, stop?: unknown, step?: unknown): unknown {
  if (typeof obj === 'string' || isSafeString(obj)) {
    const s = typeof obj === 'string' ? obj : obj.val;
    const cps = codePoints(s);
    if (!cps && (step === undefined || step === null || step === 1)) {
      const idx = sliceIndices(s.length, start, stop, 1);
      return idx.length === 0 ? '' : s.slice(idx[0], idx[idx.length - 1] + 1);
    }
    const chars = cps ?? s.split('');
    return sliceIndices(chars.length, start, stop, step)
      .map((i) => chars[i])
      .join('');
  }
  if (Array.isArray(obj)) {
    const picked = sliceIndices(obj.length, start, stop, step).map((i) => obj[i]);
    return obj instanceof PyTuple ? pyTuple(picked) : picked;
  }
  if (obj === undefined) return undefined;
  if (obj instanceof PyFloat || typeof obj !== 'object' || obj === null) {
    throw pyError('TypeError', `'${pyTypeName(obj)}' object is not subscriptable`);
  }
  throw pyError('TypeError', `unhashable type: 'slice'`, `Slicing works on strings, lists and tuples, not on a ${pyTypeName(obj)}.`);
}
