/**
 * Unix shell-style wildcard matching with Python's `fnmatch.fnmatchcase`
 * semantics, which is what dbt's selector methods use: `*` matches anything
 * (including `/` and `.`), `?` one character, `[abc]`/`[a-z]` a set and
 * `[!abc]` its complement. Case-sensitive, whole-string.
 *
 * Matching never backtracks: a pattern is split at its stars into pieces of
 * one-character tokens, the first piece is anchored at the start, the last
 * at the end, and each middle piece is found leftmost after the previous one
 * (leftmost is always safe when a star sits on both sides). That is
 * O(name × pattern) at worst, where a RegExp with many `*` backtracks
 * exponentially. A range written backwards (`[z-a]`) is a GlobError, which
 * the selector parser turns into a usage error naming the selector.
 */

/** A pattern that cannot be compiled (a backwards range). */
export class GlobError extends Error {}

/** One token that consumes exactly one character. */
type Token = { kind: 'char'; c: string } | { kind: 'any' } | { kind: 'set'; negate: boolean; chars: string; ranges: [string, string][] };

interface Glob {
  /** The pattern's pieces between stars (`a*b*c` → [a, b, c]); one piece means no star. */
  pieces: Token[][];
  /** `any` characters (`?`, `*`) must not be `/` (path globs stay inside one segment). */
  segment: boolean;
}

const cache = new Map<string, Glob>();

/** True when `name` matches the wildcard `pattern` as a whole. Throws GlobError for a malformed pattern. */
export function fnmatch(name: string, pattern: string): boolean {
  if (!hasWildcard(pattern)) return name === pattern;
  return matchGlob(compileCached(pattern, false), name);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[\]]/.test(pattern);
}

/** Why `pattern` is not a valid glob, or undefined when it is. */
export function globProblem(pattern: string): string | undefined {
  try {
    compile(pattern, false);
    return undefined;
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}

function compileCached(pattern: string, segment: boolean): Glob {
  const key = `${segment ? 's' : 'n'}:${pattern}`;
  let glob = cache.get(key);
  if (glob === undefined) {
    glob = compile(pattern, segment);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, glob);
  }
  return glob;
}

function compile(pattern: string, segment: boolean): Glob {
  const pieces: Token[][] = [[]];
  const chars = Array.from(pattern);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    i += 1;
    if (c === '*') {
      while (chars[i] === '*') i += 1;
      pieces.push([]);
    } else if (c === '?') {
      pieces[pieces.length - 1]!.push({ kind: 'any' });
    } else if (c === '[') {
      // Find the closing bracket; a `]` right after `[` or `[!` is literal (as in Python).
      let j = i;
      if (chars[j] === '!') j += 1;
      if (chars[j] === ']') j += 1;
      while (j < chars.length && chars[j] !== ']') j += 1;
      if (j >= chars.length) {
        pieces[pieces.length - 1]!.push({ kind: 'char', c: '[' });
        continue;
      }
      let body = chars.slice(i, j);
      i = j + 1;
      const negate = body[0] === '!';
      if (negate) body = body.slice(1);
      const set: Token & { kind: 'set' } = { kind: 'set', negate, chars: '', ranges: [] };
      for (let k = 0; k < body.length; k += 1) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          const lo = body[k]!;
          const hi = body[k + 2]!;
          if (lo.codePointAt(0)! > hi.codePointAt(0)!) {
            throw new GlobError(`the range '${lo}-${hi}' in '[${negate ? '!' : ''}${body.join('')}]' runs backwards`);
          }
          set.ranges.push([lo, hi]);
          k += 2;
        } else set.chars += body[k]!;
      }
      pieces[pieces.length - 1]!.push(set);
    } else {
      pieces[pieces.length - 1]!.push({ kind: 'char', c });
    }
  }
  return { pieces, segment };
}

function tokenMatches(t: Token, ch: string, segment: boolean): boolean {
  if (t.kind === 'char') return t.c === ch;
  if (segment && ch === '/') return false;
  if (t.kind === 'any') return true;
  let inSet = t.chars.includes(ch);
  for (const [lo, hi] of t.ranges) if (!inSet && ch >= lo && ch <= hi) inSet = true;
  // Code-point comparison of one-character strings: ranges hold single code points.
  return inSet !== t.negate;
}

function pieceAt(piece: Token[], s: string[], at: number, segment: boolean): boolean {
  for (let k = 0; k < piece.length; k += 1) if (!tokenMatches(piece[k]!, s[at + k]!, segment)) return false;
  return true;
}

function matchGlob(glob: Glob, name: string): boolean {
  const s = /[\ud800-\udfff]/.test(name) ? Array.from(name) : name.split('');
  const { pieces, segment } = glob;
  const first = pieces[0]!;
  if (pieces.length === 1) return s.length === first.length && pieceAt(first, s, 0, segment);
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > s.length) return false;
  if (!pieceAt(first, s, 0, segment) || !pieceAt(last, s, s.length - last.length, segment)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  for (let p = 1; p < pieces.length - 1; p += 1) {
    const piece = pieces[p]!;
    let found = -1;
    for (let at = pos; at + piece.length <= end; at += 1) {
      if (pieceAt(piece, s, at, segment)) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + piece.length;
  }
  // What each star spans must itself be free of `/` for a segment glob.
  return !segment || !s.slice(first.length, end).includes('/');
}

/**
 * A path glob in the manner of `pathlib.Path.glob`, used by the `path:` method:
 * `*`, `?` and `[..]` stay inside one path segment, `**` spans segments.
 * Returns a tester; matching is segment by segment (no RegExp backtracking).
 */
export function pathGlob(pattern: string): { test(path: string): boolean } {
  const segs = pattern.split('/');
  const globs = segs.map((seg) => (seg === '**' ? undefined : compileCached(seg, true)));
  return {
    test(path: string): boolean {
      const parts = path.split('/');
      // reach[j]: the pattern's first i segments can match the path's first j parts.
      let reach = new Array<boolean>(parts.length + 1).fill(false);
      reach[0] = true;
      for (let i = 0; i < globs.length; i += 1) {
        const g = globs[i];
        const lastSeg = i === globs.length - 1;
        const next = new Array<boolean>(parts.length + 1).fill(false);
        if (g === undefined) {
          // `**` last matches whatever follows a `/` (as `.*` after `dir/`); elsewhere zero or more whole segments.
          if (lastSeg) return reach.some((r, j) => r && j < parts.length);
          let any = false;
          for (let j = 0; j <= parts.length; j += 1) next[j] = any = any || reach[j]!;
        } else {
          for (let j = 0; j < parts.length; j += 1) if (reach[j] && matchGlob(g, parts[j]!)) next[j + 1] = true;
        }
        reach = next;
      }
      return reach[parts.length]!;
    },
  };
}
