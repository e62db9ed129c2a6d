/**
 * How keyword arguments reach a function called from a template.
 *
 * nunjucks passes `f(1, x=2)` as `f(1, {x: 2, __keywords: true})`. Every
 * TypeScript function exposed to templates, and every filter, splits its
 * arguments with `splitArgs` so it sees Python's (args, kwargs) shape.
 */
export interface Kwargs {
  [name: string]: unknown;
}

export function isKwargs(value: unknown): value is Kwargs {
  return value !== null && typeof value === 'object' && (value as { __keywords?: unknown }).__keywords === true;
}

/** Split a call's arguments into positional args and keyword args (without the `__keywords` marker). */
export function splitArgs(args: readonly unknown[]): { args: unknown[]; kwargs: Kwargs } {
  const last = args[args.length - 1];
  if (args.length > 0 && isKwargs(last)) {
    const kwargs: Kwargs = {};
    for (const [k, v] of Object.entries(last)) {
      // A keyword named __proto__ stays an own key: it must never set the object's prototype.
      if (k === '__proto__') Object.defineProperty(kwargs, k, { value: v, writable: true, enumerable: true, configurable: true });
      else if (k !== '__keywords') kwargs[k] = v;
    }
    return { args: args.slice(0, -1), kwargs };
  }
  return { args: [...args], kwargs: {} };
}

/** Build the kwargs object nunjucks expects, to call a template callable from TypeScript. */
export function makeKwargs(kwargs: Kwargs): Kwargs {
  return { ...kwargs, __keywords: true };
}
