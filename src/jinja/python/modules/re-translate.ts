/**
 * Python `re` pattern syntax → a JS RegExp source (no `u` flag), for re.ts.
 *
 * Node 20's V8 has neither scoped modifiers nor atomic groups, so both are
 * rewritten: inside `(?i:...)`, `(?-i:...)`, `(?s:...)`, `(?m:...)` and
 * `(?x:...)` the translator applies the flag itself (letters as `[aA]`, `.`
 * as `[\s\S]`, `^`/`$` as lookarounds, verbose whitespace dropped), and an
 * atomic group `(?>X)` or a possessive `X*+` becomes `(?=(X))\k` with a
 * helper group, whose number is hidden from the match (see `groupMap`).
 * A JS flag (`i`, `m`) is used only when the pattern sets it for its whole
 * length, so most patterns keep the simple form V8's linear engine runs.
 */
import { pyError } from '../errors.js';
import { pyRepr } from '../repr.js';

export interface Translated {
  /** The JS source. */
  source: string;
  /** The same, with each atomic construct as one plain atom: what the backtracking guard inspects. */
  guardSource: string;
  /** Python's flags after the pattern's global inline flags. */
  flags: number;
  /** JS flags to compile with ('i', 'm'). */
  js: string;
  /** Python group n (1-based) is JS group groupMap[n - 1]; null when they coincide. */
  groupMap: number[] | null;
  /** Python's group count. */
  groups: number;
  /** Python's group names → Python group numbers. */
  groupindex: Record<string, number>;
}

const FLAG_BITS: Record<string, number> = { a: 256, i: 2, L: 4, m: 8, s: 16, u: 32, x: 64 };
export const HELPER_PREFIX = '__tsdbt_atomic';

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
}

interface Open {
  outStart: number;
  saved: Flags;
  /** The helper's name when this group is atomic. */
  helper: string | null;
}

export function reError(msg: string, pattern: string): Error {
  return pyError('re.error', msg, `Check the regular expression ${pyRepr(pattern)}.`);
}

/** A `{m,n}` quantifier (a `{` that is not one is a literal). */
const QUANT = /^\{(?=\d|,)(\d*)(,(\d*))?\}/;

const SIMPLE_ESCAPES: Record<string, string> = { a: '\\x07', f: '\\f', n: '\\n', r: '\\r', t: '\\t', v: '\\v' };
/** Escapes Python accepts that mean the same in JS. */
const SAME_ESCAPES = new Set(['b', 'B', 'd', 'D', 's', 'S', 'w', 'W']);

function swapCase(c: string): string {
  const lo = c.toLowerCase();
  return lo === c ? c.toUpperCase() : lo;
}

function isCased(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase() && [...c].length === 1 && c.toLowerCase().length === 1 && c.toUpperCase().length === 1;
}

/** A character class's body with the other case of every letter and ASCII letter range added. */
function foldClass(body: string): string {
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (body[i + 1] === '-' && i + 2 < body.length && body[i + 2] !== '\\') {
      const hi = body[i + 2];
      if (/[a-z]/.test(c) && /[a-z]/.test(hi)) extra += `${c.toUpperCase()}-${hi.toUpperCase()}`;
      else if (/[A-Z]/.test(c) && /[A-Z]/.test(hi)) extra += `${c.toLowerCase()}-${hi.toLowerCase()}`;
      i += 2;
      continue;
    }
    if (isCased(c)) extra += swapCase(c);
  }
  return body + extra;
}

/** Python's global inline flags at the start, `(?i)(?s)` as `(?is)`. */
function leadingFlags(p: string): { flags: number; rest: string } {
  let flags = 0;
  let rest = p;
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(rest); m; m = /^\(\?([aiLmsux]+)\)/.exec(rest)) {
    for (const c of m[1]) flags |= FLAG_BITS[c];
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** Does any scoped group turn flag `c` on or off? */
function scopes(p: string, c: string): boolean {
  return new RegExp(`\\(\\?[aiLmsux]*(-[imsx]*)?:`).test(p) && [...p.matchAll(/\(\?([aiLmsux]*)(?:-([imsx]*))?:/g)].some((m) => m[1].includes(c) || (m[2] ?? '').includes(c));
}

/**
 * Translate a Python pattern. `plainDollar` writes a non-MULTILINE `$` as JS's
 * `$` (right for subjects without a final newline; see re.ts).
 */
export function translatePattern(pattern: string, flags: number, plainDollar = false): Translated {
  const lead = leadingFlags(pattern);
  const f = flags | lead.flags;
  const p = lead.rest;
  const offset = pattern.length - p.length;
  const jsI = (f & 2) !== 0 && !scopes(p, 'i');
  const jsM = (f & 8) !== 0 && !scopes(p, 'm');
  let cur: Flags = { i: (f & 2) !== 0, m: (f & 8) !== 0, s: (f & 16) !== 0, x: (f & 64) !== 0 };
  let out = '';
  let guard = '';
  let atomStart = -1;
  let guardAtomStart = -1;
  let helpers = 0;
  let pyGroups = 0;
  const names: Record<string, number> = {};
  const stack: (Open & { guardStart: number })[] = [];
  const emit = (js: string, g = js): void => {
    atomStart = out.length;
    guardAtomStart = guard.length;
    out += js;
    guard += g;
  };
  const err = (msg: string, at: number): Error => reError(`${msg} at position ${at + offset}`, pattern);

  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw reError('bad escape (end of pattern)', pattern);
      const esc = escape(p, i, cur, jsM, err);
      if (/^\\[1-9]/.test(esc.js) && Number(esc.js.slice(1)) > pyGroups) throw err(`invalid group reference ${esc.js.slice(1)}`, i + 1);
      emit(esc.js);
      i = esc.end;
      continue;
    }
    if (c === '[') {
      const cls = readClass(p, i, err);
      const body = cur.i && !jsI ? foldClass(cls.body) : cls.body;
      emit(`[${cls.negated ? '^' : ''}${body}]`);
      i = cls.end;
      continue;
    }
    if (cur.x && /\s/.test(c)) continue;
    if (cur.x && c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
      continue;
    }
    if (c === '(') {
      const open: Open & { guardStart: number } = { outStart: out.length, guardStart: guard.length, saved: cur, helper: null };
      atomStart = -1;
      if (p[i + 1] !== '?') {
        pyGroups++;
        out += '(';
        guard += '(';
        stack.push(open);
        continue;
      }
      const rest = p.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\(\?P<([^>]*)>/.exec(rest))) {
        if (!/^[A-Za-z_]\w*$/.test(m[1])) throw err(`bad character in group name ${pyRepr(m[1])}`, i + 4);
        if (m[1] in names) throw err(`redefinition of group name ${pyRepr(m[1])} as group ${pyGroups + 1}; was group ${names[m[1]]}`, i + 4);
        names[m[1]] = ++pyGroups;
        out += `(?<${m[1]}>`;
        guard += '(';
        stack.push(open);
        i += m[0].length - 1;
        continue;
      }
      if ((m = /^\(\?P=([^)]*)\)/.exec(rest))) {
        if (!(m[1] in names)) throw err(`unknown group name ${pyRepr(m[1])}`, i + 4);
        emit(`\\k<${m[1]}>`, 'x');
        i += m[0].length - 1;
        continue;
      }
      if (rest.startsWith('(?#')) {
        const end = p.indexOf(')', i);
        if (end < 0) throw err('missing ), unterminated comment', i);
        i = end;
        continue;
      }
      if (rest.startsWith('(?>')) {
        open.helper = `${HELPER_PREFIX}${++helpers}`;
        out += `(?=(?<${open.helper}>`;
        guard += '(?:';
        stack.push(open);
        i += 2;
        continue;
      }
      if ((m = /^\(\?(?::|=|!|<=|<!)/.exec(rest))) {
        out += m[0];
        guard += m[0];
        stack.push(open);
        i += m[0].length - 1;
        continue;
      }
      if ((m = /^\(\?([aiLmsux]*)(?:-([imsx]*))?(:|\))/.exec(rest))) {
        if (m[3] === ')') {
          if (m[2] !== undefined) throw err('missing :', i + m[0].length - 1);
          throw err('global flags not at the start of the expression', i);
        }
        const next = { ...cur };
        for (const on of m[1]) if (on in next) next[on as keyof Flags] = true;
        for (const off of m[2] ?? '') next[off as keyof Flags] = false;
        out += '(?:';
        guard += '(?:';
        stack.push(open);
        cur = next;
        i += m[0].length - 1;
        continue;
      }
      if (rest.startsWith('(?(')) throw err('conditional groups (?(...)...) are not supported by tsdbt', i);
      throw err(`unknown extension ${rest.slice(1, 4)}`, i + 1);
    }
    if (c === ')') {
      const open = stack.pop();
      if (!open) throw err('unbalanced parenthesis', i);
      cur = open.saved;
      if (open.helper) {
        out += `))\\k<${open.helper}>`;
        guard = `${guard.slice(0, open.guardStart)}x`;
      } else {
        out += ')';
        guard += ')';
      }
      atomStart = open.outStart;
      guardAtomStart = open.guardStart;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && QUANT.test(p.slice(i)))) {
      if (atomStart < 0) throw err('nothing to repeat', i);
      let q = c;
      if (c === '{') {
        const m = QUANT.exec(p.slice(i))!;
        if (m[2] !== undefined && m[1] !== '' && m[3] !== '' && Number(m[3]) < Number(m[1])) throw err('min repeat greater than max repeat', i + m[1].length + 2);
        q = m[1] === '' && m[2] !== undefined ? `{0${m[0].slice(1)}` : m[0];
        i += m[0].length - 1;
      }
      if (p[i + 1] === '?') {
        q += '?';
        i++;
      } else if (p[i + 1] === '+') {
        // Possessive: the quantified atom matched once, as an atomic group.
        const name = `${HELPER_PREFIX}${++helpers}`;
        out = `${out.slice(0, atomStart)}(?=(?<${name}>${out.slice(atomStart)}${q}))\\k<${name}>`;
        guard = `${guard.slice(0, guardAtomStart)}x`;
        i++;
        atomStart = -1;
        continue;
      }
      out += q;
      guard += q;
      atomStart = -1;
      continue;
    }
    if (c === '|') {
      out += c;
      guard += c;
      atomStart = -1;
      continue;
    }
    if (c === '.') {
      emit(cur.s ? '[\\s\\S]' : '[^\\n]');
      continue;
    }
    if (c === '^') {
      emit(cur.m && !jsM ? '(?<![^\\n])' : !cur.m && jsM ? '(?<![\\s\\S])' : '^', '^');
      continue;
    }
    if (c === '$') {
      if (cur.m) emit(jsM ? '$' : '(?=\\n|(?![\\s\\S]))', '$');
      else emit(plainDollar && !jsM ? '$' : '(?=\\n?(?![\\s\\S]))', '$');
      continue;
    }
    if (cur.i && !jsI && isCased(c)) {
      emit(`[${c}${swapCase(c)}]`);
      continue;
    }
    // `{` that is not a quantifier, `]`, `}` and other characters are literals.
    emit(c === '{' || c === '}' || c === ']' ? `\\${c}` : c);
  }
  if (stack.length) throw reError(`missing ), unterminated subpattern at position ${stack[stack.length - 1].outStart + offset}`, pattern);
  const groupMap = helpers ? mapGroups(out) : null;
  const js = `${jsI ? 'i' : ''}${jsM ? 'm' : ''}`;
  return { source: groupMap ? renumberBackrefs(out, groupMap) : out, guardSource: guard, flags: f, js, groupMap, groups: pyGroups, groupindex: names };
}

/** One escape at p[i] (a backslash): its JS form and the index of its last character. */
function escape(p: string, i: number, cur: Flags, jsM: boolean, err: (m: string, at: number) => Error): { js: string; end: number } {
  const n = p[i + 1];
  if (n === 'A') return { js: jsM ? '(?<![\\s\\S])' : '^', end: i + 1 };
  if (n === 'Z') return { js: jsM ? '(?![\\s\\S])' : '$', end: i + 1 };
  if (SAME_ESCAPES.has(n)) return { js: `\\${n}`, end: i + 1 };
  if (SIMPLE_ESCAPES[n]) return { js: SIMPLE_ESCAPES[n], end: i + 1 };
  if (n === 'x') {
    const m = /^[0-9a-fA-F]{2}/.exec(p.slice(i + 2));
    if (!m) throw err(`incomplete escape \\x${p.slice(i + 2, i + 4)}`, i);
    return { js: `\\x${m[0]}`, end: i + 3 };
  }
  if (n === 'u' || n === 'U') {
    const len = n === 'u' ? 4 : 8;
    const m = new RegExp(`^[0-9a-fA-F]{${len}}`).exec(p.slice(i + 2));
    if (!m) throw err(`incomplete escape \\${n}${p.slice(i + 2, i + 2 + len)}`, i);
    const cp = parseInt(m[0], 16);
    if (cp > 0x10ffff) throw err(`bad escape \\${n}${m[0]}`, i);
    const s = String.fromCodePoint(cp);
    const js = s.length === 1 ? `\\u${s.charCodeAt(0).toString(16).padStart(4, '0')}` : `(?:\\u${s.charCodeAt(0).toString(16)}\\u${s.charCodeAt(1).toString(16)})`;
    return { js, end: i + 1 + len };
  }
  if (n === '0') {
    const m = /^[0-7]{0,2}/.exec(p.slice(i + 2))!;
    return { js: `\\x${parseInt(`0${m[0]}`, 8).toString(16).padStart(2, '0')}`, end: i + 1 + m[0].length };
  }
  if (/[1-9]/.test(n)) {
    const m = /^[0-9]{1,2}/.exec(p.slice(i + 1))!;
    // A backreference, written in Python's numbering: mapGroups renumbers it when helpers shift groups.
    return { js: `\\${m[0]}`, end: i + m[0].length };
  }
  if (/[A-Za-z]/.test(n)) throw err(`bad escape \\${n}`, i);
  if (cur.i && isCased(n)) return { js: `[${n}${swapCase(n)}]`, end: i + 1 };
  return { js: `\\${n}`, end: i + 1 };
}

/** A character class starting at p[i] ('['): its body as JS needs it, and the index of its ']'. */
function readClass(p: string, i: number, err: (m: string, at: number) => Error): { body: string; negated: boolean; end: number } {
  let j = i + 1;
  const negated = p[j] === '^';
  if (negated) j++;
  let body = '';
  if (p[j] === ']') {
    body += '\\]';
    j++;
  }
  for (; j < p.length && p[j] !== ']'; j++) {
    const c = p[j];
    if (c === '\\') {
      const n = p[j + 1];
      if (n === undefined) break;
      if (n === 'A' || n === 'Z' || n === 'B') throw err(`bad escape \\${n}`, j);
      if (SIMPLE_ESCAPES[n]) body += SIMPLE_ESCAPES[n];
      else if (/[A-Za-z]/.test(n) && !SAME_ESCAPES.has(n) && n !== 'x' && n !== 'u' && n !== 'U') throw err(`bad escape \\${n}`, j);
      else if (n === 'U') {
        const m = /^[0-9a-fA-F]{8}/.exec(p.slice(j + 2));
        if (!m) throw err(`incomplete escape \\U${p.slice(j + 2, j + 10)}`, j);
        const cp = parseInt(m[0], 16);
        if (cp > 0xffff) throw err('astral characters in a character class are not supported by tsdbt', j);
        body += `\\u${m[0].slice(4)}`;
        j += 8;
      } else body += `\\${n}`;
      j++;
      continue;
    }
    if (c === '[' || c === '/') {
      body += `\\${c}`;
      continue;
    }
    body += c;
  }
  if (j >= p.length) throw err('unterminated character set', i);
  return { body, negated, end: j };
}

/**
 * Python group numbers → JS group numbers when helper groups (atomic,
 * possessive) were inserted; numeric backreferences are rewritten in place.
 * Returns the map; mutation happens through the caller re-reading `source`.
 */
function mapGroups(source: string): number[] {
  const map: number[] = [];
  let js = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && source[i + 1] !== '?') map.push(++js);
    else if (c === '(' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      js++;
      if (!source.startsWith(HELPER_PREFIX, i + 3)) map.push(js);
    }
  }
  return map;
}

/** Rewrite numeric backreferences `\N` (Python numbering) to JS numbering. */
export function renumberBackrefs(source: string, map: number[]): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const m = !inClass && /^[1-9][0-9]?/.exec(source.slice(i + 1));
      if (m) {
        out += `\\${map[Number(m[0]) - 1] ?? m[0]}`;
        i += m[0].length;
      } else {
        out += source.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (inClass && c === ']') inClass = false;
    else if (!inClass && c === '[') inClass = true;
    out += c;
  }
  return out;
}
