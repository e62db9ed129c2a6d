/**
 * Python's list, tuple and dict methods, bound to JS arrays and plain objects.
 * Mutating methods change the JS value in place and return None (null), as
 * Python's do, so `{% do xs.append(1) %}` works and `{{ xs.append(1) }}`
 * renders 'None'.
 */
import { absent, bindParams } from './args.js';
import { pyError } from './errors.js';
import { pyCmp, pyEq } from './operators.js';
import { toNum } from './py-float.js';
import { pyRepr } from './repr.js';
import { splitArgs } from '../kwargs.js';
import { setDataKey, unsafeAccess } from './sandbox.js';
import { dictPairs, isObjectSafeKey, promoteDict, PyDictMap } from './py-dict-map.js';
import { isDict, type PyDict, pyDictView, pyTuple, pyTypeName } from './types.js';

type Method = (...args: unknown[]) => unknown;

function intArg(v: unknown, fn: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw pyError('TypeError', `'${pyTypeName(v)}' object cannot be interpreted as an integer`, `${fn}() needs an integer index.`);
}

/** Items of any Python iterable: list, tuple, str (characters), dict (keys). */
export function iterItems(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  if (v instanceof Map) return [...v.keys()];
  if (v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function') return [...(v as Iterable<unknown>)];
  throw pyError('TypeError', `'${pyTypeName(v)}' object is not iterable`, `${fn}() needs a list, tuple, string or dict.`);
}

function indexOf(arr: unknown[], x: unknown, start: unknown, end: unknown): number {
  const len = arr.length;
  const norm = (v: unknown, d: number): number => {
    if (absent(v)) return d;
    let n = toNum(v);
    if (n < 0) n += len;
    return Math.min(Math.max(n, 0), len);
  };
  const a = norm(start, 0);
  const b = norm(end, len);
  for (let i = a; i < b; i++) if (pyEq(arr[i], x)) return i;
  return -1;
}

/** Python's stable sort with `key=` (any callable) and `reverse=`. */
export function pySorted(items: unknown[], key?: (x: unknown) => unknown, reverse = false): unknown[] {
  const keyed = items.map((x, i) => ({ k: key ? key(x) : x, x, i }));
  keyed.sort((p, q) => {
    const c = reverse ? pyCmp(q.k, p.k) : pyCmp(p.k, q.k);
    return c !== 0 ? c : p.i - q.i;
  });
  return keyed.map((e) => e.x);
}

function sequenceMethod(arr: unknown[], name: string, typeName: string): Method | undefined {
  switch (name) {
    case 'index':
      return (...a) => {
        const [x, start, end] = bindParams('index', a, ['value', 'start', 'stop'], 1);
        const at = indexOf(arr, x, start, end);
        if (at < 0) throw pyError('ValueError', typeName === 'tuple' ? 'tuple.index(x): x not in tuple' : `${pyRepr(x)} is not in list`);
        return at;
      };
    case 'count':
      return (x) => arr.reduce<number>((n, y) => (pyEq(y, x) ? n + 1 : n), 0);
  }
  return undefined;
}

const MUTATING_LIST_METHODS: ReadonlySet<string> = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'sort', 'reverse', 'clear']);

let mutatorsBound = 0;

/**
 * How many times a template has looked up a method that changes a list or
 * dict in place (`append`, `update`, `pop`...), on any value: the only ways a
 * template changes a value it was given. A caller that knows the count did
 * not move over some renders knows they changed nothing they were handed
 * (compile copies unchanged nodes' JSON instead of serialising them again).
 */
export function mutatorsBoundCount(): number {
  return mutatorsBound;
}

/** The bound list method `name` of `arr`, or undefined. */
export function listMethod(arr: unknown[], name: string): Method | undefined {
  if (MUTATING_LIST_METHODS.has(name)) mutatorsBound++;
  switch (name) {
    case 'append':
      return (x) => {
        arr.push(x);
        return null;
      };
    case 'extend':
      return (xs) => {
        for (const x of iterItems(xs, 'extend')) arr.push(x);
        return null;
      };
    case 'insert':
      return (i, x) => {
        let at = intArg(i, 'insert');
        if (at < 0) at = Math.max(0, at + arr.length);
        arr.splice(Math.min(at, arr.length), 0, x);
        return null;
      };
    case 'pop':
      return (...a) => {
        const [i] = bindParams('pop', a, ['index']);
        if (arr.length === 0) throw pyError('IndexError', 'pop from empty list');
        let at = absent(i) ? arr.length - 1 : intArg(i, 'pop');
        if (at < 0) at += arr.length;
        if (at < 0 || at >= arr.length) throw pyError('IndexError', 'pop index out of range');
        return arr.splice(at, 1)[0];
      };
    case 'remove':
      return (x) => {
        const at = indexOf(arr, x, undefined, undefined);
        if (at < 0) throw pyError('ValueError', 'list.remove(x): x not in list', `The list has no ${pyRepr(x)}.`);
        arr.splice(at, 1);
        return null;
      };
    case 'sort':
      return (...a) => {
        const { args, kwargs } = splitArgs(a);
        if (args.length > 0) throw pyError('TypeError', 'sort() takes no positional arguments', 'Use xs.sort(reverse=true) or the |sort filter.');
        const key = kwargs.key;
        if (!absent(key) && typeof key !== 'function') throw pyError('TypeError', `'${pyTypeName(key)}' object is not callable`);
        const sorted = pySorted(arr, absent(key) ? undefined : (key as (x: unknown) => unknown), Boolean(kwargs.reverse));
        for (let i = 0; i < sorted.length; i++) arr[i] = sorted[i];
        return null;
      };
    case 'reverse':
      return () => {
        arr.reverse();
        return null;
      };
    case 'copy':
      return () => arr.slice();
    case 'clear':
      return () => {
        arr.length = 0;
        return null;
      };
  }
  return sequenceMethod(arr, name, 'list');
}

/** The bound tuple method (`index`, `count`), or undefined. */
export function tupleMethod(arr: unknown[], name: string): Method | undefined {
  return sequenceMethod(arr, name, 'tuple');
}

/** Python dict keys are str here; numbers are looked up by their text, as YAML and JSON keys arrive. */
export function dictKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint') return String(k);
  if (k !== null && typeof k === 'object' && typeof (k as { valueOf(): unknown }).valueOf() === 'number') return String(toNum(k));
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  if (k === null) return 'None';
  return String(k);
}

const has = (d: PyDict, k: string): boolean => Object.prototype.hasOwnProperty.call(d, k);

function update(d: PyDict, a: unknown[]): null {
  const { args, kwargs } = splitArgs(a);
  if (args.length > 1) throw pyError('TypeError', `update expected at most 1 argument, got ${args.length}`);
  const other = args[0];
  // A key JS objects cannot keep as Python does (1, True, None, a relation, '2'): this dict becomes a PyDictMap.
  if (hasTypedKey(other)) return dictMapMethod(promoteDict(d), 'update')!(...a) as null;
  if (isDict(other)) {
    for (const k of Object.keys(other)) if (k !== '__keywords') setDataKey(d, k, other[k]);
  } else if (Array.isArray(other)) {
    other.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw pyError('ValueError', `dictionary update sequence element #${i} has length ${Array.isArray(pair) ? pair.length : 1}; 2 is required`);
      }
      setDataKey(d, pair[0] as string, pair[1]);
    });
  } else if (other instanceof Map) {
    // A PyDictMap whose keys are all ordinary text (`{}` filled with names).
    for (const [k, v] of other) setDataKey(d, k as string, v);
  } else if (other !== undefined && other !== null) {
    throw pyError('TypeError', `'${pyTypeName(other)}' object is not iterable`, 'dict.update() takes a dict or a list of (key, value) pairs.');
  }
  for (const [k, v] of Object.entries(kwargs)) setDataKey(d, k, v);
  return null;
}

/** Whether `update(other)` brings a key a plain object cannot hold as Python would. */
function hasTypedKey(other: unknown): boolean {
  if (other instanceof Map) {
    for (const k of other.keys()) if (!isObjectSafeKey(k)) return true;
    return false;
  }
  if (Array.isArray(other)) return other.some((pair) => Array.isArray(pair) && pair.length === 2 && !isObjectSafeKey(pair[0]));
  return false;
}

const MUTATING_DICT_METHODS: ReadonlySet<string> = new Set(['update', 'pop', 'popitem', 'setdefault', 'clear']);

/** The bound dict method `name` of a PyDictMap (keys keep their Python type), or undefined. */
export function dictMapMethod(d: PyDictMap, name: string): Method | undefined {
  if (MUTATING_DICT_METHODS.has(name)) mutatorsBound++;
  switch (name) {
    case 'items':
      return () => pyDictView('dict_items', [...d.entries()].map((e) => pyTuple(e)));
    case 'keys':
      return () => pyDictView('dict_keys', [...d.keys()]);
    case 'values':
      return () => pyDictView('dict_values', [...d.values()]);
    case 'get':
      return (...a) => {
        const [k, dflt] = bindParams('get', a, ['key', 'default'], 1);
        return d.has(k) ? d.get(k) : dflt === undefined ? null : dflt;
      };
    case 'update':
      return (...a) => {
        const { args, kwargs } = splitArgs(a);
        if (args.length > 1) throw pyError('TypeError', `update expected at most 1 argument, got ${args.length}`);
        const other = args[0];
        const pairs = dictPairs(other);
        if (pairs) for (const [k, v] of pairs) d.set(k, v);
        else if (Array.isArray(other)) {
          other.forEach((pair, i) => {
            if (!Array.isArray(pair) || pair.length !== 2) {
              throw pyError('ValueError', `dictionary update sequence element #${i} has length ${Array.isArray(pair) ? pair.length : 1}; 2 is required`);
            }
            d.set(pair[0], pair[1]);
          });
        } else if (other !== undefined && other !== null) {
          throw pyError('TypeError', `'${pyTypeName(other)}' object is not iterable`, 'dict.update() takes a dict or a list of (key, value) pairs.');
        }
        for (const [k, v] of Object.entries(kwargs)) d.set(k, v);
        return null;
      };
    case 'pop':
      return (...a) => {
        if (d.has(a[0])) {
          const v = d.get(a[0]);
          d.delete(a[0]);
          return v;
        }
        if (a.length > 1) return a[1];
        throw pyError('KeyError', pyRepr(a[0]), `The dict has no key ${pyRepr(a[0])}; give pop() a default.`);
      };
    case 'popitem':
      return () => {
        const last = [...d.entries()].pop();
        if (!last) throw pyError('KeyError', "'popitem(): dictionary is empty'");
        d.delete(last[0]);
        return pyTuple(last);
      };
    case 'setdefault':
      return (k, dflt) => {
        if (!d.has(k)) d.set(k, dflt === undefined ? null : dflt);
        return d.get(k);
      };
    case 'copy':
      return () => new PyDictMap(d.entries());
    case 'clear':
      return () => {
        d.clear();
        return null;
      };
  }
  return undefined;
}

/** The bound dict method `name` of `d`, or undefined. */
export function dictMethod(d: PyDict, name: string): Method | undefined {
  // A frozen dict is shared by every render (modules, modules.re...): no template may change it for the others.
  if (MUTATING_DICT_METHODS.has(name)) {
    if (Object.isFrozen(d)) throw unsafeAccess(d, name);
    mutatorsBound++;
  }
  switch (name) {
    case 'items':
      return () => pyDictView('dict_items', Object.keys(d).map((k) => pyTuple([k, d[k]])));
    case 'keys':
      return () => pyDictView('dict_keys', Object.keys(d));
    case 'values':
      return () => pyDictView('dict_values', Object.values(d));
    case 'get':
      return (...a) => {
        const [k, dflt] = bindParams('get', a, ['key', 'default'], 1);
        const key = dictKey(k);
        return has(d, key) ? d[key] : dflt === undefined ? null : dflt;
      };
    case 'update':
      return (...a) => update(d, a);
    case 'pop':
      return (...a) => {
        const key = dictKey(a[0]);
        if (has(d, key)) {
          const v = d[key];
          delete d[key];
          return v;
        }
        if (a.length > 1) return a[1];
        throw pyError('KeyError', pyRepr(a[0]), `The dict has no key ${pyRepr(a[0])}; give pop() a default.`);
      };
    case 'popitem':
      return () => {
        const keys = Object.keys(d);
        if (keys.length === 0) throw pyError('KeyError', "'popitem(): dictionary is empty'");
        const k = keys[keys.length - 1];
        const v = d[k];
        delete d[k];
        return pyTuple([k, v]);
      };
    case 'setdefault':
      return (k, dflt) => {
        if (!isObjectSafeKey(k)) return dictMapMethod(promoteDict(d), 'setdefault')!(k, dflt);
        if (!has(d, k)) setDataKey(d, k, dflt === undefined ? null : dflt);
        return d[k];
      };
    case 'copy':
      return () => ({ ...d });
    case 'clear':
      return () => {
        for (const k of Object.keys(d)) delete d[k];
        return null;
      };
  }
  return undefined;
}
