/**
 * The renderer's sandbox, as Jinja2's SandboxedEnvironment: the one place
 * that decides whether a template may read or write an attribute. Every
 * path that looks a name up on a template value (`.x`, `['x']`, `attr`,
 * filters with `attribute=`, str.format fields, method calls, `{% set ns.x %}`)
 * asks here first.
 *
 * Unsafe: every name JavaScript's Object.prototype and Function.prototype
 * carry (`constructor`, `__proto__`, `__defineGetter__`, `call`, `bind`,
 * `caller`, `arguments`, `valueOf`...), `prototype`, Python's internals
 * (`__class__`, `mro`, `func_globals`, `gi_frame`...) and, on anything but a
 * dict, every name starting with `_` (Jinja2's rule). A dict's own keys are
 * data and stay readable whatever their name.
 */
import { pyError } from './errors.js';
import { pyTypeName } from './types.js';
import { PyDictMap } from './py-dict-map.js';
import type { TsdbtError } from '../../errors/tsdbt-error.js';

const PYTHON_INTERNALS = [
  'prototype', 'callee', 'mro', 'func_globals', 'func_code', 'func_closure', 'func_defaults', 'func_dict',
  'im_func', 'im_self', 'im_class', 'gi_frame', 'gi_code', 'gi_yieldfrom', 'cr_frame', 'cr_code', 'cr_await',
  'ag_frame', 'ag_code', 'ag_await', 'f_globals', 'f_locals', 'f_builtins', 'f_back', 'f_code', 'tb_frame', 'tb_next',
  'co_code', 'format_map',
];

/** Names that are never a template-visible member (`name` and `length` are harmless data and stay). */
const UNSAFE: ReadonlySet<string> = new Set(
  [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Function.prototype), ...PYTHON_INTERNALS].filter((n) => n !== 'name' && n !== 'length'),
);

/** True for a name no template may read or write on a non-dict value (one Set probe and a char test). */
export function isUnsafeName(name: string): boolean {
  return name.charCodeAt(0) === 95 /* _ */ || UNSAFE.has(name);
}

/** True for a name no template may use even as a dict key lookup that is not an own key (`__proto__`, `constructor`...). */
export function isJsInternalName(name: string): boolean {
  return UNSAFE.has(name) || (name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95 && name.endsWith('__'));
}

const OBJECT_MEMBERS = Object.prototype as unknown as Record<string, unknown>;

/**
 * A context variable `name` of `vars`: undefined where the value is what every
 * JavaScript object inherits (Object.prototype's members, `__proto__`), so a
 * name looked up by string (a bare `{{ constructor }}`, `context.get('valueOf')`)
 * never reaches JavaScript internals, however the vars were built (plain, or
 * over a shared prototype whose own members stay readable).
 */
export function contextVar(vars: Record<string, unknown>, name: string): unknown {
  const v = vars[name];
  return v === undefined || v === OBJECT_MEMBERS[name] || name === '__proto__' ? undefined : v;
}

/** Jinja2's SecurityError, worded as Jinja2 words it. */
export function unsafeAccess(obj: unknown, name: string): TsdbtError {
  // Jinja2 names the type as type(obj).__name__: 'datetime', not 'datetime.datetime'.
  const type = pyTypeName(obj);
  return pyError(
    'SecurityError',
    `access to attribute '${name}' of '${type.slice(type.lastIndexOf('.') + 1)}' object is unsafe.`,
    'Templates run sandboxed, as dbt renders them in Jinja2\'s SandboxedEnvironment: use the value\'s documented members and dict keys only.',
  );
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
/**
 * Names only JavaScript's functions carry (Function.prototype's, not
 * Object.prototype's). A dict never has them, so one it lacks is only a
 * missing key: undefined, as Jinja2 reads a dict's missing key
 * (`kwargs.arguments is defined`: dbt 1.10's generic test `arguments`, which
 * dbt_constraints reads so). The other unsafe names stay refused.
 */
const FUNCTION_ONLY: ReadonlySet<string> = new Set(['arguments', 'caller', 'call', 'apply', 'bind']);

/**
 * Read `name` from a value where `name` is unsafe (isUnsafeName): a dict's
 * own key (or, for a dict-like proxy, a non-internal key it answers) and a
 * Map's entry are data; anything else is a SecurityError.
 */
export function unsafeNameLookup(obj: unknown, name: string, isDictValue: boolean): unknown {
  if (isDictValue) {
    const d = obj as Record<string, unknown>;
    if (hasOwn(d, name)) return d[name];
    if (!isJsInternalName(name)) {
      const v = d[name];
      if (v !== undefined) return v;
    }
    if (FUNCTION_ONLY.has(name)) return undefined;
  } else if (obj instanceof Map) {
    if (obj.has(name)) return obj.get(name);
    // A dict with keys of other types than str (`{}` as written): the same.
    if (obj instanceof PyDictMap && FUNCTION_ONLY.has(name)) return undefined;
  }
  throw unsafeAccess(obj, name);
}

/**
 * Store `d[key] = value` as data, never as a prototype change: `__proto__`
 * becomes an own key (Python dicts, namespaces and JSON keep it as text).
 */
export function setDataKey(d: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(d, key, { value, writable: true, enumerable: true, configurable: true });
  else d[key] = value;
}

/**
 * The members a host class lets templates see, declared once on its
 * prototype: `exposeMembers(LoopContext, ['index', ...])`. The engine reads
 * nothing else from its instances.
 */
export const JINJA_MEMBERS: unique symbol = Symbol.for('tsdbt.jinjaMembers');

export function exposeMembers(cls: { prototype: object }, names: readonly string[]): void {
  Object.defineProperty(cls.prototype, JINJA_MEMBERS, { value: new Set(names) });
}

/**
 * Whether a template may read `name` on a host object: true for a declared
 * member (or on an object that declares none); false (Jinja2's undefined)
 * for anything else, including members the JavaScript object carries
 * internally (`flavor`, `table`, `quoteChar`...): dbt's Python object has no
 * such attribute, so `model.alias if model.alias else model.name` (the Tuva
 * Project's generic tests) must see undefined, not an error. Unsafe names
 * (`constructor`, `__class__`, `_private`...) are refused before this, with
 * Jinja2's SecurityError.
 */
export function isExposed(obj: object, name: string): boolean {
  const allowed = (obj as { [JINJA_MEMBERS]?: ReadonlySet<string> })[JINJA_MEMBERS];
  return allowed === undefined || allowed.has(name);
}

/** The members `cls` declared with exposeMembers (for tests and documentation). */
export function exposedMembers(cls: { prototype: object }): readonly string[] {
  return [...((cls.prototype as { [JINJA_MEMBERS]?: ReadonlySet<string> })[JINJA_MEMBERS] ?? [])];
}
