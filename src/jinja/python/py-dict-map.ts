/**
 * A Python dict whose keys are not all text: `{1: 'a', '1': 'b'}`,
 * `{True: 1}`, `{ref('m'): 'a'}`, `{(1, 2): 'x'}`, or text that JS objects
 * would reorder (`{'b': 1, '2': 2}`). Dicts with ordinary string keys stay
 * plain objects (the fast path every dbt context and YAML value uses);
 * `dictFromPairs` picks the form. A plain dict later given such a key
 * (`update`, `setdefault`) becomes a PyDictMap in place (`promoteDict`).
 *
 * A Map whose entries are keyed by Python's hash equality (`1`, `1.0` and
 * `True` are one key, the first written one is kept, as in Python; relations
 * and other objects are one key per `str()`), while `keys()`, iteration and
 * `entries()` give the original keys in insertion order. Everything that
 * handles a Map (iteration, `in`, `len`, indexing, repr) handles it; the
 * Python methods are in collection-methods.ts (`dictMapMethod`).
 */
import { pyError } from './errors.js';
import { pyStr } from './repr.js';
import { pyTypeName } from './types.js';

/** Python's hash identity of a key: equal keys give the same text; lists and dicts are unhashable. */
export function hashKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return `n${v}`;
    case 'boolean':
      return `n${v ? 1 : 0}`;
    case 'bigint':
      return `n${v}`;
    case 'undefined':
      return 'u';
  }
  if (v === null) return 'N';
  if (typeof v === 'object' && typeof (v as { valueOf(): unknown }).valueOf() === 'number') return `n${Number(v)}`;
  if (Array.isArray(v) && !(v.constructor === Array)) return `t${v.map(hashKey).join('\u0000')}`;
  if (Array.isArray(v) || v instanceof Map || v instanceof Set || isPlain(v)) throw pyError('TypeError', `unhashable type: '${pyTypeName(v)}'`);
  return `o${pyStr(v)}`;
}

function isPlain(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The entries: hash identity → the key as first written, and hash identity → the value (both in insertion order). */
const KEYS = Symbol('PyDictMap.keys');
const VALUES = Symbol('PyDictMap.values');

export class PyDictMap extends Map<unknown, unknown> {
  declare [KEYS]: Map<string, unknown>;
  declare [VALUES]: Map<string, unknown>;

  constructor(entries?: Iterable<readonly [unknown, unknown]>) {
    super();
    this[KEYS] = new Map();
    this[VALUES] = new Map();
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  // Every Map method is ours: a promoted plain object (promoteDict) has this
  // prototype but none of Map's internal slots, so none of Map's own may run.
  override get size(): number {
    return this[KEYS].size;
  }
  override has(k: unknown): boolean {
    return this[KEYS].has(hashKey(k));
  }
  override get(k: unknown): unknown {
    return this[VALUES].get(hashKey(k));
  }
  override set(k: unknown, v: unknown): this {
    const h = hashKey(k);
    // An existing key keeps its place and the key as first written, as in Python.
    const keys = this[KEYS];
    if (!keys.has(h)) keys.set(h, k);
    this[VALUES].set(h, v);
    return this;
  }
  override delete(k: unknown): boolean {
    const h = hashKey(k);
    this[VALUES].delete(h);
    return this[KEYS].delete(h);
  }
  override clear(): void {
    this[KEYS].clear();
    this[VALUES].clear();
  }
  override keys(): IterableIterator<unknown> {
    return this[KEYS].values();
  }
  override values(): IterableIterator<unknown> {
    return this[VALUES].values();
  }
  override *entries(): IterableIterator<[unknown, unknown]> {
    const values = this[VALUES];
    for (const [h, k] of this[KEYS]) yield [k, values.get(h)];
  }
  override [Symbol.iterator](): IterableIterator<[unknown, unknown]> {
    return this.entries();
  }
  override forEach(fn: (v: unknown, k: unknown, m: Map<unknown, unknown>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  /** Plain-object form for host code (dbt context functions): keys as Python's str(). */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.entries()) {
      const key = typeof k === 'string' ? k : pyStr(k);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }

  /** JSON of a promoted dict that host code still holds (a node's meta the template changed): its plain form. */
  toJSON(): Record<string, unknown> {
    return this.toObject();
  }
}

/**
 * A plain-object dict given a key that is not ordinary text (`d.update({1:
 * 'x'})`, `d.setdefault(none, [])`) becomes a PyDictMap in place, keeping its
 * keys, values and order, so every reference to it (the template variable, a
 * namespace attribute, a list holding it) sees Python's dict from then on.
 * Plain dicts that never get such a key are untouched: the fast path stays.
 */
export function promoteDict(d: Record<string, unknown>): PyDictMap {
  const pairs = dictPairs(d) ?? [];
  for (const k of Object.keys(d)) delete d[k];
  Object.setPrototypeOf(d, PyDictMap.prototype);
  const m = d as unknown as PyDictMap;
  m[KEYS] = new Map();
  m[VALUES] = new Map();
  for (const [k, v] of pairs) m.set(k, v);
  return m;
}

/** A key JS objects keep in insertion order and as text: a string that is not an array index. */
export function isObjectSafeKey(k: unknown): k is string {
  return typeof k === 'string' && !ARRAY_INDEX.test(k);
}
const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/;

/**
 * A dict of these pairs, in order: a plain object when every key is
 * ordinary text (see isObjectSafeKey), else a PyDictMap.
 */
export function dictFromPairs(pairs: readonly (readonly [unknown, unknown])[]): Record<string, unknown> | PyDictMap {
  for (const p of pairs) if (!isObjectSafeKey(p[0])) return new PyDictMap(pairs);
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
    else out[k as string] = v;
  }
  return out;
}

/** `(k, v)` pairs of a dict in either form, or null for anything else. */
export function dictPairs(v: unknown): [unknown, unknown][] | null {
  if (v instanceof PyDictMap) return [...v.entries()];
  if (isPlain(v)) return Object.keys(v as object).filter((k) => k !== '__keywords').map((k) => [k, (v as Record<string, unknown>)[k]]);
  return null;
}
