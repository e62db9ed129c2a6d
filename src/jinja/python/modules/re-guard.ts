/**
 * Bounding `modules.re`: a pattern must not hang the renderer on a
 * catastrophic input (`re.match('(a+)+$', 'a' * 40 + 'b')`).
 *
 * JavaScript has no regex timeout, and running each match in a worker with a
 * deadline would cost a thread hop on a hot path. Instead:
 * - V8's linear-time engine takes over a match that backtracks excessively
 *   (`--enable-experimental-regexp-engine-on-excessive-backtracks`, set once
 *   here; results are the same, only the algorithm changes). It runs every
 *   pattern without lookarounds and backreferences, so re.ts translates
 *   Python's `$`, `\A`, `\Z` without lookarounds wherever it can;
 * - a pattern that still needs backtracking (its own lookarounds or
 *   backreferences) and nests unbounded quantifiers (`(\w+\s?)*`, the shape of
 *   every exponential pattern) is refused with a clear re.error at compile.
 */
import v8 from 'node:v8';
import { pyError } from '../errors.js';
import { pyRepr } from '../repr.js';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** True when a group containing an unbounded quantifier is itself repeated without bound. */
export function hasNestedQuantifier(source: string): boolean {
  const stack: boolean[] = [];
  let inner = false;
  const unbounded = (at: number): boolean => {
    const c = source[at];
    if (c === '*' || c === '+') return true;
    if (c === '{') {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(source.slice(at));
      return m !== null && m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
    }
    return false;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      if (unbounded(i + 1)) inner = true;
      continue;
    }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      if (unbounded(i + 1)) inner = true;
      continue;
    }
    if (c === '(') {
      stack.push(inner);
      inner = false;
      continue;
    }
    if (c === ')') {
      const repeated = unbounded(i + 1);
      if (repeated && inner) return true;
      inner = (stack.pop() ?? false) || inner || repeated;
      continue;
    }
    if (unbounded(i + 1) && c !== '(' && c !== '|') inner = true;
  }
  return false;
}

/** Lookarounds or backreferences: the linear-time engine cannot run the pattern. */
export function needsBacktracking(source: string): boolean {
  return /\(\?<?[=!]|\\[1-9]|\\k</.test(source);
}

export function catastrophic(pattern: string): Error {
  return pyError(
    're.error',
    `pattern ${pyRepr(pattern)} repeats a repeated group where it must backtrack (lookarounds, backreferences, or $ before a final newline), which can take exponential time`,
    'Rewrite the nested repetition (for example (a+)+ as a+), or drop the lookaround/backreference.',
  );
}

/**
 * Refuse (re.error) a pattern whose lookaround-free translation still needs
 * backtracking and nests quantifiers; returns whether it nests quantifiers.
 * `shape` is the source with each atomic group as one plain atom (an atomic
 * group matches one way only, so quantifiers inside it cannot compound).
 */
export function guardBacktracking(source: string, shape: string, pattern: string): boolean {
  const nested = hasNestedQuantifier(shape);
  if (nested && needsBacktracking(source)) throw catastrophic(pattern);
  return nested;
}
