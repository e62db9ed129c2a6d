/**
 * Lists built at their exact length, for lists a parse keeps (a node's fqn,
 * refs, depends_on). V8 gives a list grown by `push`, or written as
 * `[a, ...xs, b]`, room for 17-19 items whatever it holds: at 40,000 nodes
 * the spare room of four such lists a node was 19 MB of the 153 MB a
 * 10,000-model parse keeps, every byte copied by the young-generation
 * collector. An array literal, `slice` and `concat` allocate exactly.
 */

/** `[first, ...middle, last]`, exactly as long. */
export function framedList<T>(first: T, middle: readonly T[], last: T): T[] {
  return middle.length === 0 ? [first, last] : [first].concat(middle, [last]);
}

/** `list` with `item` after its items, exactly as long (a new list: `list` is unchanged). */
export function withItem<T>(list: readonly T[], item: T): T[] {
  return list.length === 0 ? [item] : list.concat([item]);
}

/** The items of a list grown by `push`, in a list exactly as long (the same list when empty: it has no room to spare). */
export function trimmedList<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}
