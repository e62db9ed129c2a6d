/** Calling template callables from TypeScript and exposing TypeScript functions to templates. */
import { makeKwargs, splitArgs } from './kwargs.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { JinjaCallable } from './types.js';

/** Call a macro or any template callable with positional and keyword arguments. */
export function callJinja(fn: unknown, args: unknown[] = [], kwargs?: Record<string, unknown>): unknown {
  if (typeof fn !== 'function') throw new TsdbtError('INTERNAL', `callJinja: expected a callable, got ${fn === null ? 'None' : typeof fn}`);
  if (kwargs && Object.keys(kwargs).length) return fn(...args, makeKwargs(kwargs));
  return fn(...args);
}

/** Wrap a TS function so templates can call it with Python call semantics (positional + keyword args). */
export function pyFunction(fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown): JinjaCallable {
  return (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    return fn(args, kwargs);
  };
}
