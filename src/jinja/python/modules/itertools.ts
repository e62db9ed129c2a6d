/**
 * `modules.itertools`: the common subset, eager (results are lists of tuples
 * rather than Python's lazy iterators; iteration, |list and |join render the same).
 */
import { absent, bindParams } from '../args.js';
import { iterItems } from '../collection-methods.js';
import { pyError } from '../errors.js';
import { pyAdd } from '../operators.js';
import { toNum } from '../py-float.js';
import { splitArgs } from '../../kwargs.js';
import { pyTuple, type PyTuple } from '../types.js';

function count(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw pyError('ValueError', `${what} must be a non-negative integer`);
  return n;
}

function product(...raw: unknown[]): PyTuple[] {
  const { args, kwargs } = splitArgs(raw);
  const repeat = absent(kwargs.repeat) ? 1 : count(toNum(kwargs.repeat), 'repeat');
  let pools = args.map((a) => iterItems(a, 'product'));
  const base = pools;
  pools = [];
  for (let i = 0; i < repeat; i++) pools.push(...base);
  let out: unknown[][] = [[]];
  for (const pool of pools) {
    const next: unknown[][] = [];
    for (const prefix of out) for (const x of pool) next.push([...prefix, x]);
    out = next;
  }
  return out.map((t) => pyTuple(t));
}

function combinations(iterable: unknown, rArg: unknown, withReplacement: boolean): PyTuple[] {
  const pool = iterItems(iterable, 'combinations');
  const r = count(toNum(rArg), 'r');
  const out: PyTuple[] = [];
  const rec = (start: number, acc: unknown[]): void => {
    if (acc.length === r) {
      out.push(pyTuple(acc));
      return;
    }
    for (let i = start; i < pool.length; i++) rec(withReplacement ? i : i + 1, [...acc, pool[i]]);
  };
  rec(0, []);
  return out;
}

function permutations(iterable: unknown, rArg: unknown): PyTuple[] {
  const pool = iterItems(iterable, 'permutations');
  const r = absent(rArg) ? pool.length : count(toNum(rArg), 'r');
  const out: PyTuple[] = [];
  const rec = (used: boolean[], acc: unknown[]): void => {
    if (acc.length === r) {
      out.push(pyTuple(acc));
      return;
    }
    for (let i = 0; i < pool.length; i++) {
      if (used[i]) continue;
      used[i] = true;
      rec(used, [...acc, pool[i]]);
      used[i] = false;
    }
  };
  if (r <= pool.length) rec([], []);
  return out;
}

/** The `itertools` object templates see as `modules.itertools`. */
export const itertools = {
  __class__: 'module',
  __str__: () => "<module 'itertools' (built-in)>",
  chain: (...iterables: unknown[]): unknown[] => iterables.flatMap((it) => iterItems(it, 'chain')),
  product,
  combinations: (...raw: unknown[]) => {
    const [it, r] = bindParams('combinations', raw, ['iterable', 'r'], 2);
    return combinations(it, r, false);
  },
  combinations_with_replacement: (...raw: unknown[]) => {
    const [it, r] = bindParams('combinations_with_replacement', raw, ['iterable', 'r'], 2);
    return combinations(it, r, true);
  },
  permutations: (...raw: unknown[]) => {
    const [it, r] = bindParams('permutations', raw, ['iterable', 'r'], 1);
    return permutations(it, r);
  },
  islice: (iterable: unknown, ...bounds: unknown[]): unknown[] => {
    const items = iterItems(iterable, 'islice');
    const [a, b, step] = bounds.length === 1 ? [0, bounds[0], 1] : [bounds[0] ?? 0, bounds[1], bounds[2] ?? 1];
    const out: unknown[] = [];
    const stop = absent(b) ? items.length : Math.min(toNum(b), items.length);
    for (let i = toNum(a); i < stop; i += toNum(step)) out.push(items[i]);
    return out;
  },
  repeat: (x: unknown, times: unknown): unknown[] => {
    if (absent(times)) throw pyError('ValueError', 'itertools.repeat without times would never end in a template', 'Give repeat() a count: repeat(x, 3).');
    return Array.from({ length: Math.max(0, toNum(times)) }, () => x);
  },
  accumulate: (...raw: unknown[]): unknown[] => {
    const { args, kwargs } = splitArgs(raw);
    const items = iterItems(args[0], 'accumulate');
    const fn = (args[1] ?? kwargs.func) as ((a: unknown, b: unknown) => unknown) | undefined;
    const out: unknown[] = [];
    let acc: unknown = kwargs.initial;
    if (acc !== undefined && acc !== null) out.push(acc);
    else acc = undefined;
    for (const x of items) {
      acc = acc === undefined ? x : fn ? fn(acc, x) : pyAdd(acc, x);
      out.push(acc);
    }
    return out;
  },
  zip_longest: (...raw: unknown[]): PyTuple[] => {
    const { args, kwargs } = splitArgs(raw);
    const lists = args.map((a) => iterItems(a, 'zip_longest'));
    const n = Math.max(0, ...lists.map((l) => l.length));
    const fill = kwargs.fillvalue === undefined ? null : kwargs.fillvalue;
    return Array.from({ length: n }, (_, i) => pyTuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  },
  groupby: (iterable: unknown, key?: (x: unknown) => unknown): PyTuple[] => {
    const out: PyTuple[] = [];
    let cur: { k: unknown; items: unknown[] } | undefined;
    for (const x of iterItems(iterable, 'groupby')) {
      const k = key ? key(x) : x;
      if (cur && (cur.k === k || JSON.stringify(cur.k) === JSON.stringify(k))) cur.items.push(x);
      else {
        cur = { k, items: [x] };
        out.push(pyTuple([k, cur.items]));
      }
    }
    return out;
  },
};
