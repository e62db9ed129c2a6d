/**
 * Match objects and replacement templates of `modules.re` (see re.ts).
 */
import { pyError } from '../errors.js';
import { pyRepr } from '../repr.js';
import { pyTuple, pyTypeName } from '../types.js';

/** What a match needs from its compiled pattern. */
export interface PatternInfo {
  readonly pattern: string;
  readonly groups: number;
  readonly groupindex: Record<string, number>;
}

function reError(msg: string, pattern: string): Error {
  return pyError('re.error', msg, `Check the regular expression ${pyRepr(pattern)}.`);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  throw pyError('TypeError', `expected string or bytes-like object, got '${pyTypeName(v)}'`);
}

/** Compile a Python replacement template (`\1`, `\g<name>`, `\g<1>`, `\n`) into a function of the match. */
export function compileRepl(repl: string, pat: PatternInfo): (m: PyMatch) => string {
  const parts: (string | number | { name: string })[] = [];
  let lit = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = repl[i + 1];
    if (n === undefined) throw reError('bad escape (end of pattern)', repl);
    if (/\d/.test(n)) {
      let digits = n;
      if (/\d/.test(repl[i + 2] ?? '')) digits += repl[i + 2];
      i += digits.length;
      const g = Number(digits);
      if (g > pat.groups) throw reError(`invalid group reference ${g} at position ${i - digits.length}`, repl);
      parts.push(lit, g);
      lit = '';
      continue;
    }
    if (n === 'g') {
      const m = /^<([^>]*)>/.exec(repl.slice(i + 2));
      if (!m) throw reError(`missing < at position ${i + 2}`, repl);
      const name = m[1];
      if (/^\d+$/.test(name)) {
        if (Number(name) > pat.groups) throw reError(`invalid group reference ${name} at position ${i + 3}`, repl);
        parts.push(lit, Number(name));
      } else {
        if (!(name in pat.groupindex)) throw pyError('IndexError', `unknown group name '${name}'`);
        parts.push(lit, { name });
      }
      lit = '';
      i += 1 + m[0].length;
      continue;
    }
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
    if (esc[n] !== undefined) lit += esc[n];
    else if (/[A-Za-z]/.test(n)) throw reError(`bad escape \\${n} at position ${i}`, repl);
    else lit += `\\${n}`;
    i++;
  }
  parts.push(lit);
  return (m) => parts.map((p) => (typeof p === 'string' ? p : String(m.group(typeof p === 'number' ? p : p.name) ?? ''))).join('');
}

const SURROGATE = /[\uD800-\uDFFF]/;

export class PyMatch {
  readonly __class__ = 're.Match';
  readonly pos = 0;
  readonly endpos: number;
  constructor(
    readonly re: PatternInfo,
    private readonly m: RegExpExecArray,
    readonly string: string,
  ) {
    this.endpos = string.length;
  }
  private index(g: unknown): number {
    if (typeof g === 'number' && Number.isInteger(g)) {
      if (g < 0 || g > this.re.groups) throw pyError('IndexError', 'no such group');
      return g;
    }
    if (typeof g === 'string' && g in this.re.groupindex) return this.re.groupindex[g];
    throw pyError('IndexError', 'no such group', `The pattern ${pyRepr(this.re.pattern)} has ${this.re.groups} group(s).`);
  }
  group(...args: unknown[]): unknown {
    const get = (g: unknown): string | null => this.m[this.index(g)] ?? null;
    if (args.length === 0) return get(0);
    if (args.length === 1) return get(args[0]);
    return pyTuple(args.map(get));
  }
  __getitem__(g: unknown): unknown {
    return this.group(g);
  }
  groups(dflt: unknown = null): unknown {
    return pyTuple(this.m.slice(1).map((g) => g ?? dflt));
  }
  groupdict(dflt: unknown = null): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, i] of Object.entries(this.re.groupindex)) out[name] = this.m[i] ?? dflt;
    return out;
  }
  span(g: unknown = 0): unknown {
    const i = this.index(g);
    const r = this.m.indices?.[i];
    if (!r) return pyTuple([-1, -1]);
    // Python counts code points: an astral character before a position is one, not two.
    if (!SURROGATE.test(this.string)) return pyTuple([r[0], r[1]]);
    const cp = (at: number): number => Array.from(this.string.slice(0, at)).length;
    return pyTuple([cp(r[0]), cp(r[1])]);
  }
  start(g: unknown = 0): number {
    return (this.span(g) as number[])[0];
  }
  end(g: unknown = 0): number {
    return (this.span(g) as number[])[1];
  }
  get lastindex(): number | null {
    let last: number | null = null;
    let lastEnd = -1;
    for (let i = 1; i < this.m.length; i++) {
      const r = this.m.indices?.[i];
      if (r && r[1] >= lastEnd) {
        last = i;
        lastEnd = r[1];
      }
    }
    return last;
  }
  expand(template: unknown): string {
    return compileRepl(str(template), this.re)(this);
  }
  __bool__(): boolean {
    return true;
  }
  __str__(): string {
    return this.__repr__();
  }
  __repr__(): string {
    return `<re.Match object; span=(${this.start()}, ${this.end()}), match=${pyRepr(this.m[0])}>`;
  }
}

