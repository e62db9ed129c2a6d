/**
 * Jinja2's global functions available in every template (range, dict,
 * namespace, cycler, joiner) plus dbt's `return`. Each takes the
 * trailing-kwargs calling convention of kwargs.ts.
 */
import { splitArgs } from './kwargs.js';
import { dictFromPairs, PyDictMap, isUnsafeName, makeTuple, setDataKey, unsafeAccess, exposeMembers } from './py-hooks.js';
import { isPlainObject, renderError, str, typeName } from './py-ops.js';

/** Thrown by `return(value)`; the enclosing macro call turns it into its result. */
export class MacroReturn {
  constructor(readonly value: unknown) {}
}

/** `namespace(a=1)`: the only object templates may assign attributes on (`{% set ns.a = 2 %}`). */
export class Namespace {
  constructor(init: Record<string, unknown>) {
    for (const k of Object.keys(init)) {
      if (k === '__keywords') continue;
      if (isUnsafeName(k)) throw unsafeAccess(this, k);
      setDataKey(this as unknown as Record<string, unknown>, k, init[k]);
    }
  }
  toString(): string {
    return `<Namespace ${Object.entries(this).map(([k, v]) => `${k}=${str(v)}`).join(', ')}>`;
  }
}

export class Cycler {
  #pos = 0;
  readonly #items: unknown[];
  constructor(items: unknown[]) {
    this.#items = items;
  }
  /** Jinja2's Cycler.items: the values, as a tuple. */
  get items(): unknown[] {
    return makeTuple([...this.#items]);
  }
  get pos(): number {
    return this.#pos;
  }
  get current(): unknown {
    return this.#items[this.#pos];
  }
  next(): unknown {
    const v = this.#items[this.#pos];
    this.#pos = (this.#pos + 1) % this.#items.length;
    return v;
  }
  reset(): null {
    this.#pos = 0;
    return null;
  }
}

// Jinja2's Cycler members.
exposeMembers(Cycler, ['items', 'pos', 'current', 'next', 'reset']);

function intArg(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw renderError(`range() ${what} must be an integer, got '${typeName(v)}'`);
  return v;
}

/** `range(...)`: a list that renders as Python's `range(start, stop[, step])`. */
export class PyRange extends Array<number> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  declare spec: string;
  __str__(): string {
    return this.spec;
  }
  __repr__(): string {
    return this.spec;
  }
}

function range(...raw: unknown[]): number[] {
  const { args } = splitArgs(raw);
  let start = 0;
  let stop: number;
  let step = 1;
  if (args.length === 1) stop = intArg(args[0], 'stop');
  else {
    start = intArg(args[0], 'start');
    stop = intArg(args[1], 'stop');
    if (args.length > 2) step = intArg(args[2], 'step');
  }
  if (step === 0) throw renderError('range() arg 3 must not be zero');
  const out = new PyRange();
  Object.defineProperty(out, 'spec', { value: `range(${start}, ${stop}${step === 1 ? '' : `, ${step}`})` });
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  if (out.length > 100_000) throw renderError('range() is too large (more than 100000 items)');
  return out;
}

/** `dict(...)`: keys keep their Python type (a PyDictMap when one is not ordinary text). */
function dict(...raw: unknown[]): unknown {
  const { args, kwargs } = splitArgs(raw);
  const pairs: [unknown, unknown][] = [];
  const src = args[0];
  if (Array.isArray(src)) {
    for (const pair of src) pairs.push([(pair as unknown[])[0], (pair as unknown[])[1]]);
  } else if (src instanceof Map) {
    for (const [k, v] of src) pairs.push([k, v]);
  } else if (isPlainObject(src)) {
    for (const k of Object.keys(src)) pairs.push([k, src[k]]);
  } else if (src !== undefined && src !== null) {
    throw renderError(`'${typeName(src)}' object is not iterable`, 'dict() takes a dict or a list of (key, value) pairs.');
  }
  for (const k of Object.keys(kwargs)) pairs.push([k, kwargs[k]]);
  return dictFromPairs(pairs);
}

function joiner(...raw: unknown[]): () => string {
  const { args, kwargs } = splitArgs(raw);
  const sep = args[0] ?? kwargs.sep ?? ', ';
  let used = false;
  return () => {
    if (!used) {
      used = true;
      return '';
    }
    return str(sep);
  };
}

/** Names every template sees after its context's vars. */
export const BUILTINS: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, {
  range,
  dict,
  namespace: (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    const init: Record<string, unknown> = {};
    for (const src of [args[0], kwargs]) {
      if (src instanceof PyDictMap) for (const [k, v] of src) setDataKey(init, typeof k === 'string' ? k : String(k), v);
      else if (src !== undefined && src !== null) for (const k of Object.keys(src)) setDataKey(init, k, (src as Record<string, unknown>)[k]);
    }
    return new Namespace(init);
  },
  cycler: (...raw: unknown[]) => new Cycler(splitArgs(raw).args),
  joiner,
  return: (...raw: unknown[]) => {
    throw new MacroReturn(splitArgs(raw).args[0]);
  },
});
