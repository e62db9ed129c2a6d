import { PyDictMap, PyTuple, pyTuple } from '../jinja/python/index.js';

/**
 * Entries templates add to `graph` (dbt's flat graph is one dict every
 * thread shares: elementary's on-run-start sets `graph['elementary']`, and
 * its tests ask `"elementary" in graph`), as they cross to render workers:
 * plain data only (dicts of either form, lists, tuples, text, numbers,
 * booleans, none). A dict with keys that are not all text (an empty `{}`
 * literal is one) and a tuple travel under a marker key, so that the worker
 * gets the same Python types back.
 */

/** The keys of dbt's flat graph; any other key of `graph` is one a template added. */
export const FLAT_GRAPH_KEYS: ReadonlySet<string> = new Set(['exposures', 'groups', 'metrics', 'nodes', 'sources', 'semantic_models', 'saved_queries']);

const DICT = '\u0000dict';
const TUPLE = '\u0000tuple';

/** A value for the wire, or where it holds something that is not plain data (`path (Type)`). */
export function graphValueToWire(v: unknown, path: string, depth = 0): { value: unknown } | { at: string } {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { value: v };
  if (depth > 64) return { at: `${path} (nested too deep)` };
  const list = (xs: readonly unknown[], at: (i: number) => string) => {
    const out: unknown[] = [];
    for (let i = 0; i < xs.length; i++) {
      const w = graphValueToWire(xs[i], at(i), depth + 1);
      if ('at' in w) return w;
      out.push(w.value);
    }
    return { value: out };
  };
  if (Array.isArray(v) && v.constructor === Array) return list(v, (i) => `${path}[${i}]`);
  if (v instanceof PyTuple) {
    const w = list(v, (i) => `${path}[${i}]`);
    return 'at' in w ? w : { value: { [TUPLE]: w.value } };
  }
  if (v instanceof PyDictMap) {
    const pairs = [...v.entries()];
    const keys = list(pairs.map(([k]) => k), (i) => `${path} key ${i}`);
    if ('at' in keys) return keys;
    const values = list(pairs.map(([, x]) => x), (i) => `${path}[${JSON.stringify(String(pairs[i]![0]))}]`);
    if ('at' in values) return values;
    return { value: { [DICT]: (keys.value as unknown[]).map((k, i) => [k, (values.value as unknown[])[i]]) } };
  }
  const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) {
      const w = graphValueToWire(x, `${path}[${JSON.stringify(k)}]`, depth + 1);
      if ('at' in w) return w;
      out[k] = w.value;
    }
    return { value: out };
  }
  return { at: `${path} (${v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v})` };
}

/** The value graphValueToWire sent, with its Python types back. */
export function graphValueFromWire(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(graphValueFromWire);
  const o = v as Record<string, unknown>;
  if (Object.hasOwn(o, TUPLE)) return pyTuple((o[TUPLE] as unknown[]).map(graphValueFromWire));
  if (Object.hasOwn(o, DICT)) return new PyDictMap((o[DICT] as [unknown, unknown][]).map(([k, x]) => [graphValueFromWire(k), graphValueFromWire(x)] as const));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = graphValueFromWire(x);
  return out;
}
