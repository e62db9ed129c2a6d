/**
 * Pieces the Jinja2 filters share: attribute getters with dotted paths
 * (`"address.city"`, `"age,name"`), case folding for comparisons, and Python's
 * iteration and str() of filter inputs.
 */
import { iterItems } from './collection-methods.js';
import { pyIndex } from './indexing.js';
import { pyStr } from './repr.js';
import { isDict, isSafeString, pyTypeName } from './types.js';
import { pyError } from './errors.js';

type Getter = (item: unknown) => unknown;

function parts(attribute: unknown): unknown[] {
  if (attribute === undefined || attribute === null) return [];
  if (typeof attribute === 'string') return attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return [attribute];
}

/** Jinja2's make_attrgetter: item-then-attribute lookup along a dotted path. */
export function attrGetter(attribute: unknown, postprocess?: (v: unknown) => unknown, dflt?: unknown): Getter {
  const ps = parts(attribute);
  return (item) => {
    let v = item;
    let prev: unknown;
    let prevPart: unknown;
    for (const p of ps) {
      if (v === undefined && prevPart !== undefined) throw undefinedLookup(prev, prevPart);
      prev = v;
      prevPart = p;
      v = pyIndex(v, p);
      if (dflt !== undefined && dflt !== null && v === undefined) v = dflt;
    }
    return postprocess ? postprocess(v) : v;
  };
}

/** Jinja2's UndefinedError for looking into an undefined attribute or element. */
export function undefinedLookup(obj: unknown, name: unknown): Error {
  const what = `${pyTypeName(obj)} object`;
  return typeof name === 'string'
    ? pyError('UndefinedError', `'${what}' has no attribute '${name}'`, `Check that every item has '${name}', or pass default=... to the filter.`)
    : pyError('UndefinedError', `${what} has no element ${String(name)}`, 'Check the index, or pass default=... to the filter.');
}

/** Jinja2's make_multi_attrgetter: `"age,name"` gives a list of keys per item. */
export function multiAttrGetter(attribute: unknown, postprocess?: (v: unknown) => unknown): Getter {
  if (attribute === undefined || attribute === null) return (item) => [postprocess ? postprocess(item) : item];
  const getters = (typeof attribute === 'string' ? attribute.split(',') : [attribute]).map((a) => attrGetter(a, postprocess));
  return (item) => getters.map((g) => g(item));
}

/** Lower-cases strings (Jinja2's ignore_case postprocessor); other values pass through. */
export function ignoreCase(v: unknown): unknown {
  if (typeof v === 'string') return v.toLowerCase();
  if (isSafeString(v)) return v.val.toLowerCase();
  return v;
}

/** Items of a filter's input; Undefined iterates as empty, as in Jinja2. */
export function items(v: unknown, filter: string): unknown[] {
  if (v === undefined) return [];
  return iterItems(v, filter);
}

/** Jinja2's soft_str: str() of the value, '' for Undefined. */
export function softStr(v: unknown): string {
  return pyStr(v);
}

/** A hashable-style key so 1, 1.0 and True collapse as in a Python set. */
export { hashKey } from './py-dict-map.js';
