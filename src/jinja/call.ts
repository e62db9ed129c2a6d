/** Calling template callables from TypeScript and exposing TypeScript functions to templates. */
import { makeKwargs, splitArgs } from './kwargs.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { JinjaCallable } from './types.js';
import { isDict, PyDictMap } from './py-hooks.js';

/** Call a macro or any template callable with positional and keyword arguments. */
export function callJinja(fn: unknown, args: unknown[] = [], kwargs?: Record<string, unknown>): unknown {
  if (typeof fn !== 'function') throw new TsdbtError('INTERNAL', `callJinja: expected a callable, got ${fn === null ? 'None' : typeof fn}`);
  // What a template hands back to TypeScript is plain: a PyDictMap becomes an object (see toHost).
  if (kwargs && Object.keys(kwargs).length) return toHost(fn(...args, makeKwargs(kwargs)));
  return toHost(fn(...args));
}

/**
 * Wrap a TS function so templates can call it with Python call semantics
 * (positional + keyword args). The boundary into host code: a dict with
 * non-text keys (PyDictMap) reaches it as a plain object keyed by str(key),
 * so context and adapter functions only ever see plain objects.
 */
export function pyFunction(fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown): JinjaCallable {
  return (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    for (let i = 0; i < args.length; i++) args[i] = toHost(args[i]);
    for (const k in kwargs) kwargs[k] = toHost(kwargs[k]);
    return fn(args, kwargs);
  };
}

/** `v` with every PyDictMap in it (inside lists and plain dicts too) as a plain object; `v` itself when it holds none. */
export function toHost(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof PyDictMap) {
    const o = v.toObject();
    for (const k of Object.keys(o)) o[k] = toHost(o[k]);
    return o;
  }
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = toHost(v[i]);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (isDict(v)) {
    let out: Record<string, unknown> | null = null;
    for (const k of Object.keys(v)) {
      const x = toHost(v[k]);
      if (x !== v[k]) (out ??= { ...v })[k] = x;
    }
    return out ?? v;
  }
  return v;
}
