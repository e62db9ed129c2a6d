/**
 * What compiled templates call at render time: name resolution through the
 * render context, attribute/item access with Python's rules, calls with the
 * trailing-kwargs convention, loops, macros and error location.
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import { BUILTINS, MacroReturn, Namespace } from './builtins.js';
import { isKwargs } from './kwargs.js';
import { describeJsError, isStackOverflow } from './js-errors.js';
import { contextVar, dictFromPairs, PyDictMap, PyStrEnum, exposeMembers, isExposed, isUnsafeName, lookupPythonMethod, pyRepr, makeTuple, pySlice, setDataKey, unsafeAccess, unsafeNameLookup } from './py-hooks.js';
import { eq, isPlainObject, renderError, typeName } from './py-ops.js';
import type { RenderContext } from './types.js';

/** "Not assigned yet in this scope": loads fall back to the enclosing scope / context. */
export const MISSING: unknown = Object.freeze({ missing: true });


/** Per-render state: the caller's RenderContext plus the macros the template file itself defines (a fallback). */
export class Ctx {
  /** The context's resolve() as it was when this render began, called with the context as `this`. */
  private readonly resolveFn: ((name: string) => unknown) | undefined;
  /** The file's top-level macros made so far; see fileMacro(). Made with the first macro defined (most renders define none). */
  private fileMacros: Map<string, unknown> | undefined;
  /** How to make each top-level macro the file defines (the last definition of a name wins). */
  private macroMakers: Map<string, () => unknown> | undefined;
  /** dbt's parse-time Undefined: attribute, item and call on Undefined give Undefined instead of raising. */
  readonly lenient: boolean;

  constructor(readonly render: RenderContext, lenient = false) {
    this.lenient = lenient || render.lenientUndefined === true;
    this.resolveFn = render.resolve;
  }

  /**
   * vars, then resolve(), then builtins, then this file's own macros. resolve() comes
   * before the builtins because in dbt macros live in the context, which
   * Jinja2 consults before its globals.
   */
  lookup(name: string): unknown {
    // Read through the context each time: a context's vars may be replaced between renders (see RenderContext.vars).
    const v = contextVar(this.render.vars, name);
    if (v !== undefined) return v;
    if (this.resolveFn !== undefined) {
      const r = this.resolveFn.call(this.render, name);
      if (r !== undefined) return r;
    }
    const b = BUILTINS[name];
    if (b !== undefined) return b;
    return this.fileMacro(name);
  }

  /**
   * `{% macro name %}` at the top level of the file. The macro object is made
   * when first looked up: a macro file is run once per render context, and
   * most of its macros are never called from that context.
   */
  defineMacro(name: string, make: () => unknown): void {
    (this.macroMakers ??= new Map()).set(name, make);
    this.fileMacros?.delete(name);
  }

  /** The file's own top-level macro `name` (undefined if it defines none). */
  fileMacro(name: string): unknown {
    if (this.macroMakers === undefined) return undefined;
    let m = this.fileMacros?.get(name);
    if (m === undefined) {
      const make = this.macroMakers.get(name);
      if (make === undefined) return undefined;
      m = make();
      (this.fileMacros ??= new Map()).set(name, m);
    }
    return m;
  }
}

/** Why the last lookup produced Undefined, so the next access on it can say so (Jinja2's undefined hint). */
let lastMiss = '';

function undefinedError(hint: string | null): TsdbtError {
  return renderError(hint ?? (lastMiss || 'a value is undefined'), 'Check the spelling, or guard it with `is defined`.');
}

function miss(obj: unknown, name: unknown): undefined {
  // Jinja2: a missing attribute names it quoted, a missing item shows the key's repr.
  if (typeof name !== 'string') lastMiss = `${obj === null ? 'None' : `${typeName(obj)} object`} has no element ${pyRepr(name)}`;
  else lastMiss = obj === null ? `'None' has no attribute '${name}'` : `'${typeName(obj)} object' has no attribute '${name}'`;
  return undefined;
}

/**
 * `obj.name` (Jinja2 getattr: attribute, then item). `hint` is the undefined
 * message when obj is a bare name. The sandbox's choke point for reads: an
 * unsafe name (see python/sandbox.ts) is only ever a dict key or Map entry;
 * host objects show their own members and their classes' members below
 * Object.prototype, restricted to what they expose.
 */
export function attr(obj: unknown, name: string, hint: string | null, ctx: Ctx): unknown {
  if (isUnsafeName(name)) {
    if (obj === undefined && ctx.lenient) return undefined;
    // As Jinja2: `d.__class__` is Python's attribute, never the key; `d['__class__']` is the key.
    return unsafeNameLookup(obj, name, isPlainObject(obj) && !/^__.*__$/.test(name));
  }
  if (obj === undefined) {
    if (ctx.lenient) return undefined;
    throw undefinedError(hint);
  }
  if (obj === null) return miss(obj, name);
  if (typeof obj === 'object') {
    if (isPlainObject(obj)) {
      const v = obj[name];
      if (v !== undefined) return v;
    } else if (!Array.isArray(obj) && !(obj instanceof Map) && !(obj instanceof String)) {
      // Foreign objects (relations, context objects) keep their JS members;
      // String objects (Markup) act as Python str below.
      const v = (obj as Record<string, unknown>)[name];
      if (v !== undefined && isExposed(obj, name)) return typeof v === 'function' ? v.bind(obj) : v;
    }
  } else if (typeof obj === 'function') {
    const v = (obj as unknown as Record<string, unknown>)[name];
    if (v !== undefined && Object.prototype.hasOwnProperty.call(obj, name)) return v;
    // dbt's macro objects: `m.call_macro(...)` calls the macro (a return() is its value), as `m(...)` does.
    if (name === 'call_macro' && typeof (obj as Partial<MacroFunction>).jinjaMacroName === 'string') return obj;
  }
  // dbt's str enums: a str with its `.value` and `.name` (node.resource_type.value, result.status.name).
  if (obj instanceof PyStrEnum && (name === 'value' || name === 'name')) return name === 'value' ? obj.val : obj.memberName;
  const m = lookupPythonMethod(obj, name);
  if (m !== undefined) return m;
  // Named fields of tuples (groupby's grouper/list), never indexes or length.
  if (Array.isArray(obj) && Object.prototype.hasOwnProperty.call(obj, name) && name !== 'length' && !/^\d+$/.test(name)) {
    return (obj as unknown as Record<string, unknown>)[name];
  }
  if (obj instanceof Map && obj.has(name)) return obj.get(name);
  return miss(obj, name);
}

/** `obj[key]` (Jinja2 getitem: item, then attribute). */
export function item(obj: unknown, key: unknown, hint: string | null, ctx: Ctx): unknown {
  if (obj === undefined) {
    if (ctx.lenient) return undefined;
    throw undefinedError(hint);
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key === 'number' && Number.isInteger(key)) {
      const i = key < 0 ? obj.length + key : key;
      if (i >= 0 && i < obj.length) return obj[i];
      lastMiss = `${typeName(obj)} index out of range`;
      return undefined;
    }
    if (typeof key === 'string') return attr(obj, key, hint, ctx);
    return miss(obj, key);
  }
  if (obj instanceof Map) {
    if (obj.has(key)) return obj.get(key);
    return typeof key === 'string' ? attr(obj, key, hint, ctx) : miss(obj, key);
  }
  if (obj !== null && typeof obj === 'object') {
    // Host objects with Python's __getitem__ (re.Match, relations) answer first.
    const getitem = (obj as { __getitem__?: unknown }).__getitem__;
    if (typeof getitem === 'function') {
      const v = getitem.call(obj, key);
      if (v !== undefined) return v;
      return typeof key === 'string' ? attr(obj, key, hint, ctx) : miss(obj, key);
    }
    const k = String(key);
    if (Object.prototype.hasOwnProperty.call(obj, k) || (isPlainObject(obj) && !isUnsafeName(k))) {
      const v = (obj as Record<string, unknown>)[k];
      if (v !== undefined) return v;
    }
  }
  return typeof key === 'string' ? attr(obj, key, hint, ctx) : miss(obj, key);
}

/** `seq[start:stop:step]`: Python's slicing (the Python layer's), raising on an Undefined sequence. */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown, ctx: Ctx): unknown {
  if (obj === undefined) {
    if (ctx.lenient) return undefined;
    throw undefinedError(null);
  }
  return pySlice(obj, start, stop, step);
}

/** Call a template callable; `hint` names it for the undefined error. */
export function call(fn: unknown, args: unknown[], hint: string | null, ctx: Ctx): unknown {
  if (typeof fn === 'function') return fn(...args);
  if (fn === undefined) {
    if (ctx.lenient) return undefined;
    throw undefinedError(hint);
  }
  throw renderError(`'${typeName(fn)}' object is not callable`);
}

/** `obj.name(args)` without allocating a bound function for JS methods. */
export function callMethod(obj: unknown, name: string, args: unknown[], hint: string | null, ctx: Ctx): unknown {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj) && !(obj instanceof Map) && !(obj instanceof String) && !isUnsafeName(name)) {
    const f = (obj as Record<string, unknown>)[name];
    if (typeof f === 'function' && isExposed(obj, name)) return f.apply(obj, args);
  }
  const fn = attr(obj, name, hint, ctx);
  if (typeof fn === 'function') return fn(...args);
  if (fn === undefined) {
    if (ctx.lenient) return undefined;
    throw undefinedError(null);
  }
  throw renderError(`'${typeName(fn)}' object is not callable`);
}

/** Build the argument list for `f(*a, **k)` with the trailing-kwargs object. */
export function spreadArgs(args: unknown[], star: unknown, kwargs: Record<string, unknown> | null, starstar: unknown): unknown[] {
  const out = star === undefined ? args : [...args, ...iterate(star)];
  let kw = kwargs;
  if (starstar !== undefined && starstar !== null) kw = { ...(kw ?? {}), ...(starstar instanceof PyDictMap ? starstar.toObject() : (starstar as Record<string, unknown>)) };
  if (kw && Object.keys(kw).length) out.push({ ...kw, __keywords: true });
  return out;
}

/** Python iteration: lists, strings (chars), dicts (keys), iterables; Undefined iterates as empty. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined) return [];
  if (typeof v === 'string') return [...v];
  if (v instanceof Map) return [...v.keys()];
  if (v !== null && typeof v === 'object') {
    if (isPlainObject(v)) return Object.keys(v);
    if (Symbol.iterator in v) return [...(v as Iterable<unknown>)];
  }
  throw renderError(`'${typeName(v)}' object is not iterable`);
}

/** `a, b = value`. */
export function unpack(v: unknown, n: number): unknown[] {
  const items = iterate(v);
  if (items.length !== n) {
    throw renderError(items.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${items.length})`);
  }
  return items;
}

export function tuple(items: unknown[]): unknown[] {
  return makeTuple(items);
}

/** A dict literal with a key that is not ordinary text: `{1: 'a', '1': 'b'}`, `{ref('m'): x}`. */
export function dictOf(pairs: [unknown, unknown][] | null): unknown {
  return pairs === null ? new PyDictMap() : dictFromPairs(pairs);
}

/** `{% set ns.attr = value %}`. */
export function setAttr(obj: unknown, name: string, value: unknown, objName: string): void {
  if (!(obj instanceof Namespace)) {
    throw renderError(`cannot assign attribute '${name}' on '${objName}': it is not a namespace()`, `Create it with {% set ${objName} = namespace(${name}=...) %}.`);
  }
  if (isUnsafeName(name)) throw unsafeAccess(obj, name);
  setDataKey(obj as unknown as Record<string, unknown>, name, value);
}

/** The `loop` variable of a for loop. */
export class LoopContext {
  index0 = -1;
  private lastChanged: unknown[] | typeof MISSING = MISSING;
  constructor(
    private readonly items: unknown[],
    private readonly depth0_: number,
  ) {}
  get length(): number {
    return this.items.length;
  }
  get index(): number {
    return this.index0 + 1;
  }
  get revindex(): number {
    return this.items.length - this.index0;
  }
  get revindex0(): number {
    return this.items.length - this.index0 - 1;
  }
  get first(): boolean {
    return this.index0 === 0;
  }
  get last(): boolean {
    return this.index0 === this.items.length - 1;
  }
  get depth(): number {
    return this.depth0_ + 1;
  }
  get depth0(): number {
    return this.depth0_;
  }
  get previtem(): unknown {
    return this.index0 > 0 ? this.items[this.index0 - 1] : undefined;
  }
  get nextitem(): unknown {
    return this.index0 + 1 < this.items.length ? this.items[this.index0 + 1] : undefined;
  }
  cycle(...raw: unknown[]): unknown {
    const args = raw.length && isKwargs(raw[raw.length - 1]) ? raw.slice(0, -1) : raw;
    if (!args.length) throw renderError('no items for cycling given');
    return args[this.index0 % args.length];
  }
  changed(...raw: unknown[]): boolean {
    const args = raw.length && isKwargs(raw[raw.length - 1]) ? raw.slice(0, -1) : raw;
    if (this.lastChanged !== MISSING && eq(this.lastChanged, args)) return false;
    this.lastChanged = args;
    return true;
  }
}

exposeMembers(LoopContext, ['length', 'index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'depth', 'depth0', 'previtem', 'nextitem', 'cycle', 'changed']);

export interface MacroFunction {
  (...args: unknown[]): unknown;
  jinjaMacroName: string;
  __str__?: () => string;
  __repr__?: () => string;
}

/**
 * Wrap a compiled macro body. `impl` receives one slot per parameter (MISSING
 * when not passed), then varargs, kwargs and caller. A `return(...)` inside
 * becomes the call's result.
 */
export function makeMacro(
  name: string,
  params: string[],
  catchVarargs: boolean,
  catchKwargs: boolean,
  impl: (slots: unknown[]) => unknown,
): MacroFunction {
  const np = params.length;
  const fn = function (...raw: unknown[]): unknown {
    let n = raw.length;
    let kw: Record<string, unknown> | null = null;
    if (n > 0 && isKwargs(raw[n - 1])) {
      kw = raw[n - 1] as Record<string, unknown>;
      n--;
    }
    const slots = new Array<unknown>(np + 3);
    for (let i = 0; i < np; i++) slots[i] = i < n ? raw[i] : MISSING;
    // The body reads varargs/kwargs only when it names them (catchVarargs/catchKwargs): build them only then.
    if (n > np) {
      if (!catchVarargs) throw renderError(`macro '${name}' takes not more than ${np} argument(s)`);
      slots[np] = makeTuple(raw.slice(np, n));
    } else if (catchVarargs) slots[np] = makeTuple([]);
    const extra: Record<string, unknown> | null = catchKwargs ? {} : null;
    if (kw !== null) {
      for (const key in kw) {
        if (key === '__keywords') continue;
        if (key === 'caller') {
          slots[np + 2] = kw[key];
          continue;
        }
        const idx = params.indexOf(key);
        if (idx >= 0) {
          if (slots[idx] !== MISSING) throw renderError(`macro '${name}' got multiple values for argument '${key}'`);
          slots[idx] = kw[key];
        } else if (extra !== null) extra[key] = kw[key];
        else throw renderError(`macro '${name}' takes no keyword argument '${key}'`);
      }
    }
    slots[np + 1] = extra;
    try {
      return impl(slots);
    } catch (e) {
      if (e instanceof MacroReturn) return e.value;
      throw e;
    }
  } as MacroFunction;
  fn.jinjaMacroName = name;
  // How Jinja2 shows a macro object: `{{ m }}` renders <Macro 'm'>. Plain properties (a
  // defineProperty per macro per render context cost more than the rest of the binding);
  // code copying a macro's own properties copies jinjaMacroName alone (macro-resolver).
  const shown = (): string => `<Macro '${name}'>`;
  fn.__str__ = shown;
  fn.__repr__ = shown;
  return fn;
}

/** The builtin `return`, which compiled macros may replace with a plain JS return (see JsCompiler). */
export const RETURN = BUILTINS.return;

/** What `return(...)` with these arguments makes the macro return: the first positional argument. */
export function returnedValue(args: unknown[]): unknown {
  const n = args.length > 0 && isKwargs(args[args.length - 1]) ? args.length - 1 : args.length;
  return n > 0 ? args[0] : undefined;
}

/** Attach the template's file and the line being rendered to an error escaping a compiled function. */
export function located(e: unknown, file: string, line: number): unknown {
  if (e instanceof MacroReturn) return e;
  if (e instanceof TsdbtError) {
    if (e.file === undefined) {
      e.file = file;
      e.line = line;
    } else if (e.line === undefined && e.file === file) e.line = line;
    return e;
  }
  if (isStackOverflow(e)) {
    return new TsdbtError('JINJA_RENDER', 'maximum recursion depth exceeded while rendering', {
      file,
      line,
      cause: e,
      hint: 'A macro (or recursive loop) keeps calling itself: check its stopping condition.',
    });
  }
  return new TsdbtError('JINJA_RENDER', describeJsError(e), { file, line, cause: e, hint: 'Check the values this line uses (their types, and that they are defined).' });
}


export function unknownTest(name: string): never {
  throw renderError(`No test named '${name}'.`, 'Use a Jinja2 test such as defined, none, string, number, mapping, sequence, in, eq.');
}
