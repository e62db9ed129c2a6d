/**
 * How Python values are represented in tsdbt templates, and their type names.
 *
 * | Python          | JavaScript                                          |
 * |-----------------|-----------------------------------------------------|
 * | str             | string                                              |
 * | int / bool      | integral number (or bigint) / boolean               |
 * | float           | non-integral number, or `PyFloat` (py-float.ts)     |
 * | None            | null (an undefined name is `undefined`)             |
 * | list            | Array                                               |
 * | tuple           | `PyTuple` (an Array subclass, so nunjucks loops it) |
 * | dict            | plain object (prototype Object.prototype or null);  |
 *                   `PyDictMap` (py-dict-map.ts) when a key is not text   |
 * | dict views      | `PyDictView` (Array subclass rendering dict_items…) |
 *
 * Any other object is foreign (a context object, a relation...) and keeps its
 * own JS behaviour; it may define `__str__()`, `__repr__()`, `__bool__()` and
 * `__len__()` to take part in rendering and truthiness.
 */
import { PyFloat } from './py-float.js';

/** A Python tuple. Derived arrays (`map`, `slice`) are plain arrays. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

export function pyTuple<T>(items: Iterable<T>): PyTuple<T> {
  const t = new PyTuple<T>();
  for (const x of items) t.push(x);
  return t;
}

export function isPyTuple(v: unknown): v is PyTuple {
  return v instanceof PyTuple;
}

/** `dict.items()` / `.keys()` / `.values()`: a list that renders as `dict_items([...])`. */
export class PyDictView<T = unknown> extends Array<T> {
  kind: 'dict_items' | 'dict_keys' | 'dict_values' = 'dict_items';
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

export function pyDictView<T>(kind: PyDictView['kind'], items: T[]): PyDictView<T> {
  const v = new PyDictView<T>();
  Object.defineProperty(v, 'kind', { value: kind, enumerable: false });
  for (const x of items) v.push(x);
  return v;
}

export type PyDict = Record<string, unknown>;

/** A plain object: what YAML, JSON and template dict literals produce. */
export function isDict(v: unknown): v is PyDict {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Marks a host object (a class instance, not a plain object) as a Python
 * Mapping, as dbt's FakeAPIObject-based values (Relation, Column...) are:
 * `x is mapping` holds for it. Such an object should offer `get(key,
 * default)` and `__getitem__(key)`; the engine routes `x[key]` through
 * `__getitem__`. A symbol, so it never collides with a template-visible name.
 */
export const PY_MAPPING: unique symbol = Symbol.for('tsdbt.pyMapping');

/** A host object that declared itself a Python Mapping with `PY_MAPPING`. */
export function isMappingLike(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (v as { [PY_MAPPING]?: unknown })[PY_MAPPING] === true;
}

/** Python's type name for messages: 'str', 'int', 'NoneType', ... */
export function pyTypeName(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'Undefined';
    case 'function':
      return 'function';
  }
  if (v === null) return 'NoneType';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDictView) return v.kind;
  if (Array.isArray(v)) return 'list';
  if (isDict(v)) return 'dict';
  if (v instanceof Set) return 'set';
  if (v instanceof Map) return 'dict';
  const named = (v as { __class__?: unknown }).__class__;
  if (typeof named === 'string') return named;
  return (v as object).constructor?.name ?? 'object';
}

/** Astral characters make JS string indexes differ from Python's code points. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** The string as code points when it has astral characters, else null (use it as is). */
export function codePoints(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

/** Python's len(): code points for strings, keys for dicts, `__len__()` when defined. */
export function pyLen(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const cps = codePoints(v);
    return cps ? cps.length : v.length;
  }
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (isDict(v)) return Object.keys(v).length;
  if (v !== null && typeof v === 'object') {
    const f = (v as { __len__?: unknown }).__len__;
    if (typeof f === 'function') return Number(f.call(v));
    const s = String((v as { val?: unknown }).val ?? '');
    if (isSafeString(v)) return s.length;
  }
  return undefined;
}

/**
 * Jinja2's Markup: text marked safe, as the escape/safe/tojson filters return
 * it. Like nunjucks' SafeString it is a String object carrying `val`.
 */
export class Markup extends String {
  readonly val: string;
  constructor(val: string) {
    super(val);
    this.val = val;
  }
  override toString(): string {
    return this.val;
  }
  override valueOf(): string {
    return this.val;
  }
}

/**
 * A member of one of dbt's str enums (a node's `resource_type`, a result's
 * `status`): a str wherever a template uses it (Markup's handling of
 * String-like values: compared, joined, filtered, written as JSON as its
 * text), with the member's `.value` and `.name`, which re_data reads
 * (`node.resource_type.value`, `result.status.name`).
 */
export class PyStrEnum extends Markup {
  constructor(
    val: string,
    /** The member's name (`Pass` for 'pass'). */
    readonly memberName: string,
  ) {
    super(val);
  }
}

/** The text of a str (a JS string, Markup or SafeString); undefined for anything else. */
export function strText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return isSafeString(v) ? v.val : undefined;
}

/** Markup or nunjucks' SafeString: a String-like object carrying `val`. */
export function isSafeString(v: unknown): v is { val: string; toString(): string } {
  return v !== null && typeof v === 'object' && v instanceof String && typeof (v as { val?: unknown }).val === 'string';
}
