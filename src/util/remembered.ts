/**
 * The answer `memo[outer][key]` holds, found with `find` the first time it is
 * asked (an answer of undefined is remembered as none: null in the memo).
 */
export function remembered<O, T>(memo: Map<O, Map<string, T | null>>, outer: O, key: string, find: () => T | undefined): T | undefined {
  let known = memo.get(outer);
  if (!known) {
    known = new Map();
    memo.set(outer, known);
  }
  let m = known.get(key);
  if (m === undefined) {
    m = find() ?? null;
    known.set(key, m);
  }
  return m ?? undefined;
}
