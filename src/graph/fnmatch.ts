/**
 * Unix shell-style wildcard matching with Python's `fnmatch.fnmatchcase`
 * semantics, which is what dbt's selector methods use: `*` matches anything
 * (including `/` and `.`), `?` one character, `[abc]`/`[a-z]` a set and
 * `[!abc]` its complement. Case-sensitive, whole-string.
 */

const cache = new Map<string, RegExp>();

/** True when `name` matches the wildcard `pattern` as a whole. */
export function fnmatch(name: string, pattern: string): boolean {
  if (!hasWildcard(pattern)) return name === pattern;
  return fnmatchRegExp(pattern).test(name);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[\]]/.test(pattern);
}

/** The anchored RegExp a wildcard pattern compiles to (cached: selectors are evaluated over thousands of nodes). */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^${translate(pattern, '.')}$`, 's');
    cache.set(pattern, re);
  }
  return re;
}

/** `any` is what `?` and `*` may consume: `.` for fnmatch, `[^/]` inside one path segment. */
function translate(pattern: string, any: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    i += 1;
    if (c === '*') {
      out += `${any}*`;
      while (pattern[i] === '*') i += 1;
    } else if (c === '?') {
      out += any;
    } else if (c === '[') {
      // Find the closing bracket; a `]` right after `[` or `[!` is literal (as in Python).
      let j = i;
      if (pattern[j] === '!') j += 1;
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') j += 1;
      if (j >= pattern.length) {
        out += '\\[';
      } else {
        let body = pattern.slice(i, j);
        i = j + 1;
        let negate = false;
        if (body.startsWith('!')) {
          negate = true;
          body = body.slice(1);
        }
        const escaped = body.replace(/[\\\]^]/g, (ch) => `\\${ch}`);
        out += `[${negate ? '^' : ''}${escaped}]`;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, (ch) => `\\${ch}`);
    }
  }
  return out;
}

/**
 * A path glob in the manner of `pathlib.Path.glob`, used by the `path:` method:
 * `*`, `?` and `[..]` stay inside one path segment, `**` spans segments.
 */
export function pathGlobRegExp(pattern: string): RegExp {
  const key = `path:${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    // `**/` may match zero or more whole segments.
    let body = '';
    const segments = pattern.split('/');
    segments.forEach((seg, ix) => {
      const last = ix === segments.length - 1;
      if (seg === '**') body += last ? '.*' : '(?:[^/]+/)*';
      else body += translate(seg, '[^/]') + (last ? '' : '/');
    });
    re = new RegExp(`^${body}$`, 's');
    cache.set(key, re);
  }
  return re;
}
