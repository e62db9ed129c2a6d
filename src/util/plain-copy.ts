/**
 * `{ ...record }` for a plain object: the same keys, values and order, made
 * by adding each key to a fresh `{}`. On Node 20 (V8 11.3) a spread at a
 * site that meets many shapes makes a new hidden class for every copy, kept
 * by nothing else: 10,000 models' unrendered_config and 10,000
 * relationships tests' kwargs each had their own (20,000 maps, ~5 MB kept,
 * and every read of them missed V8's caches). Keys added one by one follow
 * the shared transitions from `{}`. An object of another prototype (a
 * promoted Python dict, with its own symbol-keyed state) is spread as before.
 */
export function plainCopy<T extends Record<string, unknown>>(record: T): T {
  if (Object.getPrototypeOf(record) !== Object.prototype) return { ...record };
  const out: Record<string, unknown> = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // `out.__proto__ = v` would set the prototype; a spread makes it an own key.
    if (key === '__proto__') Object.defineProperty(out, key, { value: record[key], enumerable: true, writable: true, configurable: true });
    else out[key] = record[key];
  }
  return out as T;
}
