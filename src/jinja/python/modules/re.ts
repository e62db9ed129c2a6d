/**
 * `modules.re`: Python regular expressions on JS RegExp. Python's syntax is
 * translated by re-translate.ts (named groups, `\A`, `\Z`, Python's `$`,
 * inline and scoped flags, VERBOSE, atomic groups and possessive
 * quantifiers). Match positions are code point indexes, as Python's.
 */
import { absent, bindParams } from '../args.js';
import { pyError } from '../errors.js';
import { toNum } from '../py-float.js';
import { pyRepr, pyStr } from '../repr.js';
import { pyTuple, pyTypeName } from '../types.js';
import { compileRepl, PyMatch } from './re-match.js';
import { catastrophic, guardBacktracking } from './re-guard.js';
import { reError, translatePattern } from './re-translate.js';

export { PyMatch };

export const FLAGS = { A: 256, ASCII: 256, I: 2, IGNORECASE: 2, L: 4, LOCALE: 4, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, U: 32, UNICODE: 32, X: 64, VERBOSE: 64 };
const FLAG_NAMES: [number, string][] = [[2, 're.IGNORECASE'], [4, 're.LOCALE'], [8, 're.MULTILINE'], [16, 're.DOTALL'], [64, 're.VERBOSE'], [256, 're.ASCII']];

const cache = new Map<string, PyPattern>();

/**
 * The compiled forms a pattern is run with. Matching runs without the `d`
 * flag (V8's linear-time fallback does not support it); a match's group
 * positions come from re-running the pattern with `d` at the match, lazily.
 */
interface Compiled {
  search: RegExp;
  sticky: RegExp;
  full: RegExp;
  stickyD: RegExp | null;
  fullD: RegExp | null;
  source: string;
  fullSource: string;
  js: string;
  /** Python group n is JS group groupMap[n - 1] (helper groups hidden); null when equal. */
  groupMap: number[] | null;
}

function compiled(source: string, js: string, multiline: boolean, groupMap: number[] | null): Compiled {
  const fullSource = multiline ? `(?:${source})(?![\\s\\S])` : `(?:${source})$`;
  return { search: new RegExp(source, `${js}g`), sticky: new RegExp(source, `${js}y`), full: new RegExp(fullSource, `${js}y`), stickyD: null, fullD: null, source, fullSource, js, groupMap };
}

/** A match as Python numbers its groups: helper groups (atomic, possessive) left out. */
function remapped(m: RegExpExecArray, map: number[]): RegExpExecArray {
  const r = Object.assign([m[0], ...map.map((j) => m[j])], { index: m.index, input: m.input }) as unknown as RegExpExecArray;
  Object.defineProperty(r, 'indices', {
    configurable: true,
    get() {
      const ind = m.indices;
      const value = ind && Object.assign([ind[0], ...map.map((j) => ind[j])], {});
      Object.defineProperty(r, 'indices', { value });
      return value;
    },
  });
  return r;
}

/** Give `m` (found by `c`) lazy `indices`, as the `d` flag would have, in Python's group numbering. */
function withIndices(c: Compiled, m: RegExpExecArray, s: string, full: boolean): RegExpExecArray {
  Object.defineProperty(m, 'indices', {
    configurable: true,
    get() {
      const re = full ? (c.fullD ??= new RegExp(c.fullSource, `${c.js}dy`)) : (c.stickyD ??= new RegExp(c.source, `${c.js}dy`));
      re.lastIndex = m.index;
      const again = re.exec(s);
      const value = again?.indices;
      Object.defineProperty(m, 'indices', { value });
      return value;
    },
  });
  return c.groupMap ? remapped(m, c.groupMap) : m;
}

export class PyPattern {
  readonly __class__ = 're.Pattern';
  readonly groups: number;
  readonly groupindex: Record<string, number>;
  /** Python's exact semantics (a final newline before $ handled with a lookahead). */
  private readonly exact: Compiled;
  /** For subjects without a final newline: $ as JS's $, so V8's linear engine can take over. */
  private readonly plain: Compiled;
  /** The exact form may backtrack catastrophically (refused on subjects ending with a newline). */
  private readonly exactRisky: boolean;

  constructor(
    readonly pattern: string,
    readonly flags: number,
  ) {
    const t = translatePattern(pattern, flags);
    const tp = translatePattern(pattern, flags, true);
    const multiline = (t.flags & 8) !== 0;
    try {
      this.exact = compiled(t.source, t.js, multiline, t.groupMap);
      this.plain = tp.source === t.source ? this.exact : compiled(tp.source, t.js, multiline, t.groupMap);
    } catch (e) {
      throw reError((e as Error).message.replace(/^Invalid regular expression: /, ''), pattern);
    }
    const risky = guardBacktracking(tp.source, tp.guardSource, pattern);
    this.exactRisky = risky && tp.source !== t.source;
    this.flags = t.flags | 32;
    this.groups = t.groups;
    this.groupindex = t.groupindex;
  }

  /** The compiled forms for subject `s`. */
  private forSubject(s: string): Compiled {
    if (s.charCodeAt(s.length - 1) !== 10) return this.plain;
    if (this.exactRisky) throw catastrophic(this.pattern);
    return this.exact;
  }

  private run(kind: 'search' | 'sticky' | 'full', s: string, pos: number): RegExpExecArray | null {
    const c = this.forSubject(s);
    const re = c[kind];
    re.lastIndex = pos;
    const m = re.exec(s);
    return m && withIndices(c, m, s, kind === 'full');
  }

  match(...raw: unknown[]): PyMatch | null {
    const [s, pos] = bindParams('match', raw, ['string', 'pos'], 1);
    const m = this.run('sticky', str(s), absent(pos) ? 0 : toNum(pos));
    return m ? new PyMatch(this, m, str(s)) : null;
  }
  search(...raw: unknown[]): PyMatch | null {
    const [s, pos] = bindParams('search', raw, ['string', 'pos'], 1);
    const m = this.run('search', str(s), absent(pos) ? 0 : toNum(pos));
    return m ? new PyMatch(this, m, str(s)) : null;
  }
  fullmatch(...raw: unknown[]): PyMatch | null {
    const [s, pos] = bindParams('fullmatch', raw, ['string', 'pos'], 1);
    const m = this.run('full', str(s), absent(pos) ? 0 : toNum(pos));
    return m ? new PyMatch(this, m, str(s)) : null;
  }
  /** Every match, left to right, non-overlapping (empty matches advance by one). */
  all(s: string): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    const c = this.forSubject(s);
    const re = c.search;
    re.lastIndex = 0;
    for (;;) {
      const m = re.exec(s);
      if (!m) break;
      out.push(withIndices(c, m, s, false));
      if (m[0] === '') re.lastIndex = m.index + 1;
      if (re.lastIndex > s.length) break;
    }
    return out;
  }
  findall(s: unknown): unknown[] {
    const text = str(s);
    return this.all(text).map((m) => {
      if (this.groups === 0) return m[0];
      if (this.groups === 1) return m[1] ?? '';
      return pyTuple(m.slice(1).map((g) => g ?? ''));
    });
  }
  finditer(s: unknown): PyMatch[] {
    const text = str(s);
    return this.all(text).map((m) => new PyMatch(this, m, text));
  }
  subn(...raw: unknown[]): unknown {
    const [repl, s, count] = bindParams('subn', raw, ['repl', 'string', 'count'], 2);
    const text = str(s);
    const max = absent(count) ? 0 : toNum(count);
    let out = '';
    let last = 0;
    let n = 0;
    const expand = typeof repl === 'function' ? undefined : compileRepl(str(repl), this);
    for (const m of this.all(text)) {
      if (max > 0 && n >= max) break;
      const pm = new PyMatch(this, m, text);
      out += text.slice(last, m.index) + (expand ? expand(pm) : pyStr((repl as (x: unknown) => unknown)(pm)));
      last = m.index + m[0].length;
      n++;
    }
    return pyTuple([out + text.slice(last), n]);
  }
  sub(...raw: unknown[]): string {
    return (this.subn(...raw) as unknown[])[0] as string;
  }
  split(...raw: unknown[]): unknown[] {
    const [s, maxsplit] = bindParams('split', raw, ['string', 'maxsplit'], 1);
    const text = str(s);
    const max = absent(maxsplit) ? 0 : toNum(maxsplit);
    const out: unknown[] = [];
    let last = 0;
    let n = 0;
    for (const m of this.all(text)) {
      if (max > 0 && n >= max) break;
      out.push(text.slice(last, m.index), ...m.slice(1).map((g) => g ?? null));
      last = m.index + m[0].length;
      n++;
    }
    out.push(text.slice(last));
    return out;
  }
  __str__(): string {
    return this.__repr__();
  }
  __repr__(): string {
    const names = FLAG_NAMES.filter(([bit]) => this.flags & bit).map(([, n]) => n);
    return `re.compile(${pyRepr(this.pattern)}${names.length ? `, ${names.join('|')}` : ''})`;
  }
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  throw pyError('TypeError', `expected string or bytes-like object, got '${pyTypeName(v)}'`);
}

/** re.compile, cached like Python's module-level cache. */
export function compile(pattern: unknown, flags: unknown = 0): PyPattern {
  if (pattern instanceof PyPattern) {
    if (!absent(flags) && toNum(flags) !== 0) throw pyError('ValueError', 'cannot process flags argument with a compiled pattern');
    return pattern;
  }
  const p = str(pattern);
  const f = absent(flags) ? 0 : toNum(flags);
  const key = `${f}\u0000${p}`;
  let c = cache.get(key);
  if (!c) {
    c = new PyPattern(p, f);
    if (cache.size > 512) cache.clear();
    cache.set(key, c);
  }
  return c;
}

const SPECIAL = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');

/** The `re` module object. */
export const reModule = {
  __class__: 'module',
  __str__: () => "<module 're'>",
  ...FLAGS,
  compile: (...raw: unknown[]) => {
    const [p, f] = bindParams('compile', raw, ['pattern', 'flags'], 1);
    return compile(p, f);
  },
  match: (...raw: unknown[]) => {
    const [p, s, f] = bindParams('match', raw, ['pattern', 'string', 'flags'], 2);
    return compile(p, f).match(s);
  },
  search: (...raw: unknown[]) => {
    const [p, s, f] = bindParams('search', raw, ['pattern', 'string', 'flags'], 2);
    return compile(p, f).search(s);
  },
  fullmatch: (...raw: unknown[]) => {
    const [p, s, f] = bindParams('fullmatch', raw, ['pattern', 'string', 'flags'], 2);
    return compile(p, f).fullmatch(s);
  },
  findall: (...raw: unknown[]) => {
    const [p, s, f] = bindParams('findall', raw, ['pattern', 'string', 'flags'], 2);
    return compile(p, f).findall(s);
  },
  finditer: (...raw: unknown[]) => {
    const [p, s, f] = bindParams('finditer', raw, ['pattern', 'string', 'flags'], 2);
    return compile(p, f).finditer(s);
  },
  sub: (...raw: unknown[]) => {
    const [p, repl, s, count, f] = bindParams('sub', raw, ['pattern', 'repl', 'string', 'count', 'flags'], 3);
    return compile(p, f).sub(repl, s, count ?? 0);
  },
  subn: (...raw: unknown[]) => {
    const [p, repl, s, count, f] = bindParams('subn', raw, ['pattern', 'repl', 'string', 'count', 'flags'], 3);
    return compile(p, f).subn(repl, s, count ?? 0);
  },
  split: (...raw: unknown[]) => {
    const [p, s, maxsplit, f] = bindParams('split', raw, ['pattern', 'string', 'maxsplit', 'flags'], 2);
    return compile(p, f).split(s, maxsplit ?? 0);
  },
  escape: (s: unknown) => [...str(s)].map((c) => (SPECIAL.has(c) ? `\\${c}` : c)).join(''),
  purge: () => {
    cache.clear();
    return null;
  },
};
