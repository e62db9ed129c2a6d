/**
 * Python methods of template values: `'a,b'.split(',')`, `xs.append(1)`,
 * `d.items()`. The engine asks here before falling back to JS properties.
 */
import { dictMapMethod, dictMethod, listMethod, tupleMethod } from './collection-methods.js';
import { PyDictMap } from './py-dict-map.js';
import { isFloatValue, PyFloat, toNum } from './py-float.js';
import { strMethod } from './str-methods.js';
import { isDict, isSafeString, PyDictView, PyTuple } from './types.js';
import { isExposed, isUnsafeName, unsafeNameLookup } from './sandbox.js';

/**
 * The bound Python method `name` of `obj`, or undefined when the value's
 * Python type has no such method. Foreign objects (context objects, relations)
 * get undefined: their own JS members apply. So do dicts that have `name` as a
 * key, so an object like `{get: fn}` keeps its own `get`; this differs from
 * Python only for dicts with keys such as 'items' or 'get'.
 */
export function lookupPythonMethod(obj: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof obj === 'string') return strMethod(obj, name);
  if (obj === null || typeof obj !== 'object') {
    if (typeof obj === 'number' && !Number.isInteger(obj)) return floatMethod(obj, name);
    return typeof obj === 'number' ? intMethod(obj, name) : undefined;
  }
  if (Array.isArray(obj)) {
    if (obj instanceof PyTuple || obj instanceof PyDictView) return tupleMethod(obj, name);
    return listMethod(obj, name);
  }
  if (isDict(obj)) {
    if (Object.prototype.hasOwnProperty.call(obj, name)) return undefined;
    return dictMethod(obj, name);
  }
  if (obj instanceof PyDictMap) return obj.has(name) ? undefined : dictMapMethod(obj, name);
  if (obj instanceof PyFloat) return floatMethod(obj.value, name);
  if (isSafeString(obj)) return strMethod(obj.val, name);
  return undefined;
}

function floatMethod(x: number, name: string): ((...args: unknown[]) => unknown) | undefined {
  switch (name) {
    case 'is_integer':
      return () => Number.isInteger(x);
    case 'conjugate':
      return () => x;
  }
  return undefined;
}

function intMethod(x: number, name: string): ((...args: unknown[]) => unknown) | undefined {
  switch (name) {
    case 'bit_length':
      return () => (x === 0 ? 0 : Math.floor(Math.log2(Math.abs(x))) + 1);
    case 'conjugate':
      return () => x;
    case 'is_integer':
      return () => true;
  }
  return undefined;
}

/** Python attribute access as Jinja2 does `obj.name`, for the engine's member lookup. */
export function pyGetAttr(obj: unknown, name: string): unknown {
  if (isUnsafeName(name)) return unsafeNameLookup(obj, name, isDict(obj));
  if (obj === null || obj === undefined) return undefined;
  if (typeof obj === 'string') return strMethod(obj, name);
  if (typeof obj === 'number' || obj instanceof PyFloat) {
    if (name === 'real') return obj;
    if (name === 'imag') return isFloatValue(obj) ? new PyFloat(0) : 0;
    return lookupPythonMethod(toNum(obj), name);
  }
  if (Array.isArray(obj)) {
    const m = lookupPythonMethod(obj, name);
    if (m) return m;
    // groupby's (grouper, list) tuples carry named fields.
    return Object.prototype.hasOwnProperty.call(obj, name) && !/^\d+$/.test(name) ? (obj as unknown as Record<string, unknown>)[name] : undefined;
  }
  if (isDict(obj)) {
    if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
    return dictMethod(obj, name);
  }
  if (obj instanceof PyDictMap) return obj.has(name) ? obj.get(name) : dictMapMethod(obj, name);
  if (typeof obj === 'function' ? !Object.prototype.hasOwnProperty.call(obj, name) : !isExposed(obj as object, name)) return undefined;
  const v = (obj as Record<string, unknown>)[name];
  if (typeof v === 'function') return (...args: unknown[]) => (v as (...a: unknown[]) => unknown).apply(obj, args);
  return v;
}
