/**
 * Binding template call arguments to Python-style parameters.
 */
import { splitArgs } from '../kwargs.js';
import { pyError } from './errors.js';

/**
 * Bind `raw` (positional args plus an optional nunjucks kwargs object) to the
 * named parameters, as Python binds a call. Missing optional parameters are
 * undefined; unknown keywords and extra positionals raise Python's TypeError.
 */
export function bindParams(fnName: string, raw: readonly unknown[], names: readonly string[], required = 0): unknown[] {
  const { args, kwargs } = splitArgs(raw);
  if (args.length > names.length) {
    throw pyError('TypeError', `${fnName}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${args.length} given)`);
  }
  const out: unknown[] = args.slice();
  out.length = names.length;
  for (const [k, v] of Object.entries(kwargs)) {
    const at = names.indexOf(k);
    if (at < 0) throw pyError('TypeError', `'${k}' is an invalid keyword argument for ${fnName}()`, `${fnName}() accepts: ${names.join(', ') || 'no arguments'}.`);
    if (at < args.length) throw pyError('TypeError', `${fnName}() got multiple values for argument '${k}'`);
    out[at] = v;
  }
  for (let i = 0; i < required; i++) {
    if (out[i] === undefined && i >= args.length && !(names[i] in kwargs)) {
      throw pyError('TypeError', `${fnName}() missing required argument '${names[i]}' (pos ${i + 1})`);
    }
  }
  return out;
}

/** True when a bound optional parameter was not given (undefined) or given as None. */
export function absent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}
