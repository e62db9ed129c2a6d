/**
 * Jinja2's builtin `is` tests (`x is defined`, `x is divisibleby 3`,
 * `x is sameas false`, ...), with Python's notion of each type.
 */
import { isKwargs } from './kwargs.js';
import { PyFloat, isFloat } from './py-hooks.js';
import { contains, eq, ge, gt, isPlainObject, le, lt } from './py-ops.js';

function isNumber(v: unknown): boolean {
  return typeof v === 'number' || v instanceof PyFloat;
}

function isIterable(v: unknown): boolean {
  if (typeof v === 'string' || Array.isArray(v) || v === undefined) return true;
  return v !== null && typeof v === 'object' && (isPlainObject(v) || Symbol.iterator in v);
}

function isMapping(v: unknown): boolean {
  return isPlainObject(v) || v instanceof Map;
}

function numOf(v: unknown): number {
  return v instanceof PyFloat ? v.value : (v as number);
}

export const jinjaTests: Record<string, (...args: unknown[]) => boolean> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  string: (v) => typeof v === 'string',
  number: isNumber,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => isFloat(v),
  mapping: isMapping,
  iterable: isIterable,
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  callable: (v) => typeof v === 'function',
  sameas: (v, other) => v === other,
  divisibleby: (v, n) => numOf(v) % numOf(n) === 0,
  even: (v) => typeof v === 'number' && Number.isInteger(v) && v % 2 === 0,
  odd: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v % 2) === 1,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  in: (v, seq) => contains(seq, v),
  eq: (a, b) => eq(a, b),
  equalto: (a, b) => eq(a, b),
  '==': (a, b) => eq(a, b),
  ne: (a, b) => !eq(a, b),
  '!=': (a, b) => !eq(a, b),
  lt: (a, b) => lt(a, b),
  lessthan: (a, b) => lt(a, b),
  '<': (a, b) => lt(a, b),
  gt: (a, b) => gt(a, b),
  greaterthan: (a, b) => gt(a, b),
  '>': (a, b) => gt(a, b),
  le: (a, b) => le(a, b),
  '<=': (a, b) => le(a, b),
  ge: (a, b) => ge(a, b),
  '>=': (a, b) => ge(a, b),
  escaped: () => false,
  filter: () => false,
  test: () => false,
};

/** Strip a trailing kwargs object before a test sees its arguments. */
export function wrapTest(f: (...args: unknown[]) => boolean): (...args: unknown[]) => boolean {
  return (...args) => (args.length && isKwargs(args[args.length - 1]) ? f(...args.slice(0, -1)) : f(...args));
}
