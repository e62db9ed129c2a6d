import { pyError } from './errors.js';
import { pyTypeName } from './types.js';

/**
 * Python's set for templates (dbt's `set()` / `set_strict()` context
 * functions): a JS Set (so `in`, `len`, iteration and repr already work)
 * with Python's methods. Equality is order-insensitive (see pyEq). Members
 * are compared as JS does (SameValueZero): right for strings and numbers,
 * which is what templates put in sets.
 */
export class PySet extends Set<unknown> {
  update(...others: unknown[]): null {
    for (const o of others) for (const x of iterableOf(o)) super.add(x);
    return null;
  }

  discard(value: unknown): null {
    this.delete(value);
    return null;
  }

  remove(value: unknown): null {
    if (!this.delete(value)) throw pyError('KeyError', String(value));
    return null;
  }

  copy(): PySet {
    return new PySet(this);
  }

  union(...others: unknown[]): PySet {
    const out = new PySet(this);
    for (const o of others) for (const x of iterableOf(o)) out.add(x);
    return out;
  }

  intersection(...others: unknown[]): PySet {
    const sets = others.map((o) => new Set(iterableOf(o)));
    return new PySet([...this].filter((x) => sets.every((s) => s.has(x))));
  }

  difference(...others: unknown[]): PySet {
    const sets = others.map((o) => new Set(iterableOf(o)));
    return new PySet([...this].filter((x) => !sets.some((s) => s.has(x))));
  }

  symmetric_difference(other: unknown): PySet {
    const o = new Set(iterableOf(other));
    return new PySet([...[...this].filter((x) => !o.has(x)), ...[...o].filter((x) => !this.has(x))]);
  }

  issubset(other: unknown): boolean {
    const o = new Set(iterableOf(other));
    return [...this].every((x) => o.has(x));
  }

  issuperset(other: unknown): boolean {
    return [...iterableOf(other)].every((x) => this.has(x));
  }

  isdisjoint(other: unknown): boolean {
    return [...iterableOf(other)].every((x) => !this.has(x));
  }
}

/** `set(xs)`: a new PySet of the items (an absent argument gives the empty set). */
export function pySet(items?: unknown): PySet {
  return new PySet(items === undefined || items === null ? [] : iterableOf(items));
}

/** Two sets hold the same members, in any order (Python's set ==). */
export function setsEqual(a: Set<unknown>, b: Set<unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function iterableOf(v: unknown): Iterable<unknown> {
  if (typeof v === 'string') return [...v];
  if (v !== null && typeof v === 'object') {
    if (Symbol.iterator in v) return v as Iterable<unknown>;
    return Object.keys(v);
  }
  throw pyError('TypeError', `'${pyTypeName(v)}' object is not iterable`);
}
