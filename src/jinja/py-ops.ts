/**
 * Jinja operators as the compiled code calls them, with Python semantics
 * (implemented by the Python value layer, see py-hooks.ts): truthiness, `==`
 * without coercion, ordering, `in`, arithmetic, and `~`/`{{ }}` rendering
 * where Undefined is ''.
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isDict, pyAdd, pyCompare, pyDiv, pyEq, pyFloorDiv, pyIn, pyMod, pyMul, pyNeg, pyPos, pyPow, pyStr, pySub, pyTruthy, pyTypeName } from './py-hooks.js';

export function renderError(message: string, hint?: string): TsdbtError {
  return new TsdbtError('JINJA_RENDER', message, hint === undefined ? {} : { hint });
}

export const typeName = pyTypeName;
export const isPlainObject = isDict;
export const truthy = pyTruthy;
export const eq = pyEq;
export const add = pyAdd;
export const sub = pySub;
export const mul = pyMul;
export const div = pyDiv;
export const floordiv = pyFloorDiv;
export const mod = pyMod;
export const pow = pyPow;
export const neg = pyNeg;
export const pos = pyPos;

export function lt(a: unknown, b: unknown): boolean {
  return pyCompare(a, '<', b);
}
export function gt(a: unknown, b: unknown): boolean {
  return pyCompare(a, '>', b);
}
export function le(a: unknown, b: unknown): boolean {
  return pyCompare(a, '<=', b);
}
export function ge(a: unknown, b: unknown): boolean {
  return pyCompare(a, '>=', b);
}

/** `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  return pyIn(item, container);
}

/** `{{ value }}` and `~`: Undefined renders as ''. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : pyStr(v);
}

/** A chained comparison `a < b <= c` (Python: each adjacent pair must hold). */
export function chain(values: unknown[], ops: string[]): boolean {
  for (let i = 0; i < ops.length; i++) {
    const a = values[i];
    const b = values[i + 1];
    const op = ops[i]!;
    const ok = op === 'in' ? pyIn(a, b) : op === 'notin' ? !pyIn(a, b) : pyCompare(a, op as '==', b);
    if (!ok) return false;
  }
  return true;
}
