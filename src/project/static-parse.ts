import type { RefCall } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';
import { trimmedList } from '../util/exact-list.js';

/** What a model's Jinja records at parse time, when it can be read without rendering. */
export interface StaticCapture {
  refs: RefCall[];
  sources: [string, string][];
  configCalls: ConfigLayer[];
  /** Unique ids of the macros the template calls, in order, each once (dbt's depends_on.macros; see StaticMacroCall). */
  macros: string[];
}

/**
 * What a call `namespace.name()` (no arguments) records at parse, when it can
 * be known without rendering: the called macro's unique id; undefined when
 * only the renderer can say (ContextFactory.parseTimeMacroCall).
 */
export type StaticMacroCall = (namespace: string, name: string) => string | undefined;

/** What else staticParse may read (see there). */
export interface StaticCalls {
  /** What a call `namespace.name()` records (Tuva's `{{ dbt.type_string() }}`). */
  macro?: StaticMacroCall;
  /**
   * var() as a lone `{{ var(...) }}` reads, whose value a parse does not keep:
   * as readVar, and also a string with Jinja whose render records nothing
   * and cannot fail (any stand-in string then).
   */
  loneVar?: StaticVarReader;
  /** Whether a lone `{{ name.attr }}` renders with no effect and cannot fail (Tuva's `'{{ this.name }}'`). */
  member?: (name: string, attr: string) => boolean;
}

/**
 * How `var(name, default)` reads at parse (a missing var without a default is
 * none there): the value, or undefined when only the renderer can say (a
 * string with Jinja in it, which var() renders in the caller's context; a value
 * that is not a plain boolean, none, string or integer).
 */
export type StaticVarReader = (name: string, fallback: Literal) => Literal | undefined;

const EXPRESSION = /\{\{-?([\s\S]*?)-?\}\}/g;
const CALL = /^\s*(ref|source|config|var)\s*\(([\s\S]*)\)\s*$/;
/** `namespace.name()`: a macro called with no arguments (see StaticMacroCall). */
/** `name.attr`: a member read (see StaticCalls.member). */
const MEMBER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const MACRO_CALL = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*\)\s*$/;
/** `name=` (not `==`) at a LiteralReader's position. */
const KEYWORD = /([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/y;
/** A number, boolean or none literal at a LiteralReader's position. */
const WORD = /(-?\d+(?:\.\d+)?(?![\w.])|True|False|None|true|false|none)(?![\w])/y;
/** A name at a LiteralReader's position (`var`, `and`, `as_bool`...). */
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * dbt's "static parser" idea: most models use Jinja only as
 * `{{ ref('x') }}`, `{{ source('s', 't') }}` and `{{ config(k=literal) }}`.
 * Those are read here without compiling or rendering the template. Anything
 * else — a statement tag, a comment, another call, a non-literal argument —
 * returns null and the model is rendered as usual, so the result is always
 * the same as rendering.
 *
 * With `readVar` (var() is dbt's own, not a project macro), a config value may
 * also be an expression of var() calls, literals, `and`, `or`, `not`,
 * parentheses and the `as_bool` filter (`enabled=var('x', false) | as_bool`,
 * as Tuva writes it), evaluated as the renderer would (as_bool is the identity
 * when rendering text; and/or give an operand, by Python truthiness), and
 * `{{ var('x') }}` may stand alone (it records nothing).
 *
 * With `more.macro`, `{{ namespace.name() }}` (a macro called with no
 * arguments) may stand alone too, when it knows what its render records
 * (Tuva's `{{ dbt.type_string() }}`): the macro goes in `macros`. With
 * `more.loneVar`, a lone `{{ var() }}` is read with it instead of `readVar`
 * (Tuva's `{{ var('tuva_last_run') }}`, a var whose value is Jinja). With
 * `more.member`, a lone `{{ this.name }}` it allows records nothing.
 */
export function staticParse(raw: string, readVar?: StaticVarReader, more: StaticCalls = {}): StaticCapture | null {
  const { macro: macroCall, loneVar = readVar, member } = more;
  if (raw.includes('{%') || raw.includes('{#')) return null;
  const out: StaticCapture = { refs: [], sources: [], configCalls: [], macros: [] };
  // EXPRESSION's matches, found with indexOf (most models fail at their first call of a macro: no regex over all their text).
  // Every expression is checked to be a ref/source/config/var call before any arguments are read
  // (reading them is pure: a model with a macro call anywhere is given up before reading its config).
  const calls: RegExpExecArray[] = [];
  for (let at = raw.indexOf('{{'); at >= 0; at = raw.indexOf('{{', at)) {
    const close = raw.indexOf('}}', at + 2);
    if (close < 0) return null;
    const from = raw.charCodeAt(at + 2) === 45 /* - */ ? at + 3 : at + 2;
    const to = close > from && raw.charCodeAt(close - 1) === 45 ? close - 1 : close;
    at = close + 2;
    const text = raw.slice(from, to);
    const call = CALL.exec(text);
    if (call) {
      calls.push(call);
      continue;
    }
    const read = member && MEMBER.exec(text);
    if (read && member!(read[1]!, read[2]!)) continue;
    const macro = macroCall && MACRO_CALL.exec(text);
    const id = macro ? macroCall!(macro[1]!, macro[2]!) : undefined;
    if (id === undefined) return null;
    if (!out.macros.includes(id)) out.macros.push(id);
  }
  for (const call of calls) {
    const [fn] = [call[1]];
    if (fn === 'var') {
      if (!loneVar || new LiteralReader(`var(${call[2]!})`, loneVar).wholeExpression() === undefined) return null;
      continue;
    }
    const args = parseArguments(call[2]!, fn === 'config' ? readVar : undefined);
    if (!args) return null;
    if (fn === 'ref') {
      const version = args.kwargs.v ?? args.kwargs.version ?? null;
      if (args.positional.length < 1 || args.positional.length > 2 || !args.positional.every((a) => typeof a === 'string')) return null;
      if (Object.keys(args.kwargs).some((k) => k !== 'v' && k !== 'version')) return null;
      if (version !== null && typeof version !== 'string' && typeof version !== 'number') return null;
      const [a, b] = args.positional as string[];
      out.refs.push(b === undefined ? { name: a!, package: null, version } : { package: a!, name: b, version });
    } else if (fn === 'source') {
      if (args.positional.length !== 2 || Object.keys(args.kwargs).length > 0 || !args.positional.every((a) => typeof a === 'string')) return null;
      out.sources.push([args.positional[0] as string, args.positional[1] as string]);
    } else {
      const layer: ConfigLayer = {};
      for (const p of args.positional) {
        if (p === null || typeof p !== 'object' || Array.isArray(p)) return null;
        Object.assign(layer, p);
      }
      Object.assign(layer, args.kwargs);
      out.configCalls.push(layer);
    }
  }
  const withoutExpressions = raw.replace(EXPRESSION, '');
  if (withoutExpressions.includes('{{') || withoutExpressions.includes('}}')) return null;
  return out;
}

export type Literal = string | number | boolean | null | Literal[] | { [k: string]: Literal };

/**
 * `'a', 'b', v=2` → positional and keyword literals; null when anything is not
 * a plain literal (with `readVar`, a keyword's value may be a var() expression).
 */
function parseArguments(text: string, readVar?: StaticVarReader): { positional: Literal[]; kwargs: Record<string, Literal> } | null {
  const p = new LiteralReader(text, readVar);
  const positional: Literal[] = [];
  const kwargs: Record<string, Literal> = {};
  p.space();
  while (!p.done()) {
    const name = p.keyword();
    if (name !== null) {
      const v = readVar ? p.expression() : p.value();
      if (v === undefined) return null;
      kwargs[name] = v;
    } else {
      if (Object.keys(kwargs).length > 0) return null; // positional after keyword
      const v = p.value();
      if (v === undefined) return null;
      positional.push(v);
    }
    p.space();
    if (p.done()) break;
    if (!p.eat(',')) return null;
    p.space();
  }
  return { positional, kwargs };
}

class LiteralReader {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly readVar?: StaticVarReader,
  ) {}

  /** The whole text as one expression (see expression), or undefined. */
  wholeExpression(): Literal | undefined {
    const v = this.expression();
    this.space();
    return this.done() ? v : undefined;
  }

  /**
   * `a or b`, `a and b`, `not a`, `(a)`, `a | as_bool`, var() calls and
   * literals, evaluated; undefined for anything else (the renderer decides).
   * and/or/not take only scalar operands (booleans, none, strings, integers).
   */
  expression(): Literal | undefined {
    return this.chain('or', () => this.chain('and', () => this.negation()));
  }

  /** `a or b or c` / `a and b`: Python's, giving an operand by its truthiness. */
  private chain(word: 'and' | 'or', operand: () => Literal | undefined): Literal | undefined {
    let left = operand();
    while (left !== undefined && this.word(word)) {
      const right = operand();
      if (!isScalar(left) || right === undefined) return undefined;
      // `or` keeps a true left operand, `and` a false one; otherwise the right.
      left = truthy(left) === (word === 'or') ? left : right;
    }
    return left;
  }

  private negation(): Literal | undefined {
    if (this.word('not')) {
      const v = this.negation();
      return v === undefined || !isScalar(v) ? undefined : !truthy(v);
    }
    let v = this.primary();
    // `| as_bool`: the identity when rendering text (dbt's native rendering is not used for a model).
    for (;;) {
      this.space();
      if (v === undefined || this.s[this.i] !== '|') return v;
      this.i++;
      if (!this.word('as_bool')) return undefined;
    }
  }

  private primary(): Literal | undefined {
    this.space();
    if (this.eat('(')) {
      const v = this.expression();
      this.space();
      return v !== undefined && this.eat(')') ? v : undefined;
    }
    if (this.word('var')) return this.varCall();
    return this.value();
  }

  /** `var('name')` or `var('name', default)`, after the name. */
  private varCall(): Literal | undefined {
    this.space();
    if (!this.readVar || !this.eat('(')) return undefined;
    const name = this.value();
    if (typeof name !== 'string') return undefined;
    this.space();
    let fallback: Literal = null;
    if (this.eat(',')) {
      const v = this.expression();
      if (v === undefined) return undefined;
      fallback = v;
      this.space();
    }
    if (!this.eat(')')) return undefined;
    return this.readVar(name, fallback);
  }

  /** The name `w` (not a prefix of a longer name) at the position: the reader moves past it. */
  private word(w: string): boolean {
    this.space();
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.s);
    if (!m || m[0] !== w) return false;
    this.i += w.length;
    return true;
  }

  done(): boolean {
    return this.i >= this.s.length;
  }
  /** Past whitespace (`\s`: ASCII by code, any other character by the regex). */
  space(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || (c >= 9 && c <= 13) || (c >= 128 && /\s/.test(s[this.i]!))) this.i++;
      else return;
    }
  }
  eat(ch: string): boolean {
    if (this.s[this.i] === ch) {
      this.i++;
      return true;
    }
    return false;
  }
  /** `name=` (not `==`); the reader moves past it, or stays and returns null. */
  keyword(): string | null {
    KEYWORD.lastIndex = this.i;
    const m = KEYWORD.exec(this.s);
    if (!m) return null;
    this.i += m[0].length;
    this.space();
    return m[1]!;
  }
  value(): Literal | undefined {
    this.space();
    const c = this.s[this.i];
    if (c === "'" || c === '"') {
      const end = this.s.indexOf(c, this.i + 1);
      if (end < 0) return undefined;
      const body = this.s.slice(this.i + 1, end);
      if (body.includes('\\')) return undefined; // escapes: let the real renderer decide
      this.i = end + 1;
      return body;
    }
    if (c === '[') {
      this.i++;
      const items: Literal[] = [];
      this.space();
      while (!this.eat(']')) {
        const v = this.value();
        if (v === undefined) return undefined;
        items.push(v);
        this.space();
        if (this.eat(']')) break;
        if (!this.eat(',')) return undefined;
        this.space();
      }
      return trimmedList(items);
    }
    if (c === '{') {
      this.i++;
      const obj: Record<string, Literal> = {};
      this.space();
      while (!this.eat('}')) {
        const k = this.value();
        if (typeof k !== 'string') return undefined;
        this.space();
        if (!this.eat(':')) return undefined;
        const v = this.value();
        if (v === undefined) return undefined;
        obj[k] = v;
        this.space();
        if (this.eat('}')) break;
        if (!this.eat(',')) return undefined;
        this.space();
      }
      return obj;
    }
    WORD.lastIndex = this.i;
    const word = WORD.exec(this.s);
    if (!word) return undefined;
    this.i += word[0].length;
    const w = word[1]!;
    if (w === 'True' || w === 'true') return true;
    if (w === 'False' || w === 'false') return false;
    if (w === 'None' || w === 'none') return null;
    if (w.includes('.')) return undefined; // a float literal keeps Python's float-ness only when rendered
    return Number(w);
  }
}

/** A value and/or/not may take here: their result is then what Python's would be. */
function isScalar(v: Literal): boolean {
  return v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));
}

/** Python truthiness of a scalar (isScalar). */
function truthy(v: Literal): boolean {
  return v !== null && v !== false && v !== '' && v !== 0;
}
