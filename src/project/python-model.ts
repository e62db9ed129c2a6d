import { TsdbtError } from '../errors/tsdbt-error.js';
import type { RefCall } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';
import { refCallOf } from '../context/parse-context.js';

/**
 * A Python model (`models/**.py`), read as dbt-core 1.10 reads one at parse:
 * the file defines one top-level `def model(dbt, session)`, and its
 * `dbt.ref(...)`, `dbt.source(...)`, `dbt.config(...)` and
 * `dbt.config.get(...)` calls, whose arguments must be Python literals, give
 * the node's refs, sources and config. tsdbt does not run the Python: this
 * is a scanner over Python's tokens (strings of every prefix and quoting,
 * comments, brackets), not a Python parser.
 *
 * Where it differs from dbt's syntax-tree walk: dbt skips a dbt call buried in
 * an expression inside another call's arguments (`f(x + dbt.ref('a'))`) and
 * checks that `model` ends in one `return`; this finds every such call and
 * does not check the return. dbt records a call's arguments before the call
 * its method hangs on (`dbt.ref('a').join(dbt.ref('b'))`: b, then a); this
 * records calls in file order. A file with a Python syntax error is read as
 * far as its tokens go.
 */
export interface PythonModelCapture {
  refs: RefCall[];
  sources: [string, string][];
  configCalls: ConfigLayer[];
}

type Tok =
  | { kind: 'name'; text: string; line: number }
  | { kind: 'op'; text: string; line: number }
  | { kind: 'num'; text: string; line: number }
  /** A string literal; `f`: an f-string (not a literal). */
  | { kind: 'str'; value: string; f: boolean; line: number; text: string }
  /** The start of a logical line, with its indentation. */
  | { kind: 'nl'; indent: number; line: number };

const NAME = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)[jJ]?/y;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;
const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];

class ScanError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** The value of a Python string body, its escapes read (raw strings keep them). */
function unescape(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(/\\(\r?\n|[\\'"abfnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/g, (all, e: string) => {
    const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (e === '\n' || e === '\r\n') return '';
    if (e in simple) return simple[e]!;
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    return all;
  });
}

/** Python's tokens, with a 'nl' token at each logical line's start (brackets continue a line). */
function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  let atLineStart = true;
  while (i < src.length) {
    if (atLineStart && depth === 0) {
      let indent = 0;
      while (src[i] === ' ' || src[i] === '\t' || src[i] === '\f') indent += src[i++] === '\t' ? 8 - (indent % 8) : 1;
      atLineStart = false;
      // A blank or comment-only line opens no logical line.
      if (i < src.length && src[i] !== '\n' && src[i] !== '\r' && src[i] !== '#') out.push({ kind: 'nl', indent, line });
      continue;
    }
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      atLineStart = depth === 0;
      continue;
    }
    if (c === '\r' || c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(src);
    if (name) {
      const q = src[i + name[0].length];
      if ((q === "'" || q === '"') && STRING_PREFIX.test(name[0])) {
        i = readString(src, i + name[0].length, name[0], line, out);
        line = out[out.length - 1]!.line + (out[out.length - 1] as { text: string }).text.split('\n').length - 1;
        continue;
      }
      out.push({ kind: 'name', text: name[0], line });
      i += name[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      i = readString(src, i, '', line, out);
      line = out[out.length - 1]!.line + (out[out.length - 1] as { text: string }).text.split('\n').length - 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = /[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? '')) ? NUMBER.exec(src) : null;
    if (num) {
      out.push({ kind: 'num', text: num[0], line });
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
    if ('([{'.includes(op)) depth++;
    else if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
    out.push({ kind: 'op', text: op, line });
    i += op.length;
  }
  return out;
}

/** Reads the string starting at its quote `src[start]`; pushes its token and returns the index after it. */
function readString(src: string, start: number, prefix: string, line: number, out: Tok[]): number {
  const quote = src[start]!;
  const triple = src.startsWith(quote.repeat(3), start);
  const delim = triple ? quote.repeat(3) : quote;
  let j = start + delim.length;
  while (true) {
    if (j >= src.length || (!triple && src[j] === '\n')) throw new ScanError('a string that does not end', line);
    if (src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.startsWith(delim, j)) break;
    j++;
  }
  const body = src.slice(start + delim.length, j);
  const raw = /[rR]/.test(prefix);
  const end = j + delim.length;
  const f = /[fF]/.test(prefix);
  out.push({ kind: 'str', value: unescape(body, raw), f, line, text: src.slice(start - prefix.length, end) });
  // dbt finds dbt calls in an f-string's fields (`session.sql(f"select * from {dbt.ref('a')}")`): their tokens follow the string's.
  if (f) for (const field of fStringFields(body)) out.push(...fieldTokens(field.text, line + body.slice(0, field.at).split('\n').length - 1));
  return end;
}

/** The replacement fields of an f-string body (`{expr}`, `{{` being a brace), each with its offset. */
function fStringFields(body: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '{') continue;
    if (body[i + 1] === '{') {
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < body.length && depth > 0; j++) {
      if (body[j] === '{') depth++;
      else if (body[j] === '}') depth--;
    }
    out.push({ text: body.slice(i + 1, j - 1), at: i + 1 });
    i = j - 1;
  }
  return out;
}

/** The tokens of one f-string field, on the line it starts; a field this cannot tokenize holds no dbt call it could read. */
function fieldTokens(text: string, line: number): Tok[] {
  try {
    return tokenize(text.trim())
      .filter((t) => t.kind !== 'nl')
      .map((t) => ({ ...t, line: t.line - 1 + line }));
  } catch (e) {
    if (e instanceof ScanError) return [];
    throw e;
  }
}

/** Reads Python literals (what ast.literal_eval accepts, bar complex numbers and sets' and bytes' exact forms) from a token position. */
class LiteralReader {
  constructor(private readonly toks: Tok[], public pos: number, private readonly call: string) {}

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.text === text;
  }

  private fail(t: Tok | undefined): never {
    const what = t === undefined ? 'the end of the file' : t.kind === 'str' ? (t.f ? `the f-string ${t.text}` : t.text) : t.kind === 'nl' ? 'a new line' : `\`${t.text}\``;
    throw new ScanError(`the arguments of ${this.call}() must be Python literals (strings, numbers, True, False, None, and lists, tuples and dicts of them), found ${what}`, t?.line ?? this.toks[this.toks.length - 1]?.line ?? 1);
  }

  /** Arguments up to the call's `)`: positional, then `name=value`. */
  args(): { args: unknown[]; kwargs: Record<string, unknown> } {
    const args: unknown[] = [];
    const kwargs: Record<string, unknown> = {};
    while (!this.isOp(')')) {
      const t = this.peek();
      const next = this.toks[this.pos + 1];
      if (t?.kind === 'name' && next?.kind === 'op' && next.text === '=') {
        this.pos += 2;
        kwargs[t.text] = this.value();
      } else {
        if (t?.kind === 'op' && (t.text === '*' || t.text === '**')) this.fail(t);
        args.push(this.value());
      }
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp(')')) this.fail(this.peek());
    }
    this.pos++;
    return { args, kwargs };
  }

  value(): unknown {
    const t = this.peek();
    if (t === undefined) this.fail(t);
    if (t.kind === 'str') {
      let s = '';
      // Adjacent strings are one literal; an f-string among them is not a literal.
      for (let u = this.peek(); u?.kind === 'str'; u = this.peek()) {
        if (u.f) this.fail(u);
        s += u.value;
        this.pos++;
      }
      return this.end(s);
    }
    if (t.kind === 'num' || (t.kind === 'op' && (t.text === '-' || t.text === '+') && this.toks[this.pos + 1]?.kind === 'num')) {
      const sign = t.kind === 'op' ? (t.text === '-' ? -1 : 1) : 1;
      if (t.kind === 'op') this.pos++;
      const n = this.peek() as { text: string };
      this.pos++;
      const text = n.text.replace(/_/g, '');
      if (/[jJ]$/.test(text)) this.fail(t);
      const v = /^0[xX]/.test(text) ? parseInt(text.slice(2), 16) : /^0[oO]/.test(text) ? parseInt(text.slice(2), 8) : /^0[bB]/.test(text) ? parseInt(text.slice(2), 2) : Number(text);
      return this.end(sign * v);
    }
    if (t.kind === 'name' && (t.text === 'True' || t.text === 'False' || t.text === 'None')) {
      this.pos++;
      return this.end(t.text === 'None' ? null : t.text === 'True');
    }
    if (t.kind === 'op' && (t.text === '[' || t.text === '(')) {
      const close = t.text === '[' ? ']' : ')';
      this.pos++;
      const items: unknown[] = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.value());
        if (this.isOp(',')) {
          this.pos++;
          comma = true;
        } else if (!this.isOp(close)) this.fail(this.peek());
      }
      this.pos++;
      // `(x)` is x; `(x,)` and `(x, y)` are tuples.
      return this.end(close === ')' && items.length === 1 && !comma ? items[0] : items);
    }
    if (t.kind === 'op' && t.text === '{') {
      this.pos++;
      const out: Record<string, unknown> = {};
      while (!this.isOp('}')) {
        const key = this.value();
        if (!this.isOp(':')) this.fail(this.peek());
        this.pos++;
        out[String(key)] = this.value();
        if (this.isOp(',')) this.pos++;
        else if (!this.isOp('}')) this.fail(this.peek());
      }
      this.pos++;
      return this.end(out);
    }
    this.fail(t);
  }

  /** A literal ends at `,`, `)`, `]`, `}` or `:`; anything else (`'a' + x`, `x.y`) makes it an expression. */
  private end<T>(v: T): T {
    const t = this.peek();
    if (t?.kind === 'op' && [',', ')', ']', '}', ':'].includes(t.text)) return v;
    this.fail(t);
  }
}

const DBT_CALLS = new Set(['ref', 'source', 'config']);

/**
 * The refs, sources and config of a Python model file, or the error dbt's
 * parse gives for it, located in `file`. `text` is raw_code (the stripped
 * file); `lineOffset` the lines stripped before it.
 */
export function readPythonModel(text: string, file: string, lineOffset = 0): PythonModelCapture | TsdbtError {
  const located = (message: string, line: number | undefined, hint: string) =>
    new TsdbtError('COMPILER_ERROR', `Parsing Error in a Python model: ${message}`, { file, line: line === undefined ? undefined : line + lineOffset, hint });
  if (/\{[{%#]/.test(text)) {
    const line = text.slice(0, text.search(/\{[{%#]/)).split('\n').length;
    return located('Jinja is not allowed in a Python model (dbt renders the file as Jinja and requires it unchanged)', line, 'remove the `{{`, `{%` or `{#` (in an f-string, build the braces another way)');
  }
  let toks: Tok[];
  try {
    toks = tokenize(text);
  } catch (e) {
    if (e instanceof ScanError) return located(e.message, e.line, 'close the string');
    throw e;
  }
  const capture: PythonModelCapture = { refs: [], sources: [], configCalls: [] };
  // An empty module (comments only) is not checked, as dbt checks only a module with statements.
  if (toks.length === 0) return capture;
  const keysUsed: unknown[] = [];
  const keysDefaults: unknown[] = [];
  let models = 0;
  let firstModelLine: number | undefined;
  const modelProblems: string[] = [];
  // Indents of the enclosing `def`s: dbt counts only a `model` that is not inside another function.
  const defs: number[] = [];
  let indent = 0;
  try {
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      if (t.kind === 'nl') {
        indent = t.indent;
        while (defs.length > 0 && defs[defs.length - 1]! >= indent) defs.pop();
        continue;
      }
      if (t.kind === 'name' && t.text === 'def' && toks[k + 1]?.kind === 'name') {
        const name = (toks[k + 1] as { text: string }).text;
        if (name === 'model' && defs.length === 0) {
          models++;
          firstModelLine ??= t.line;
          const params = parameterNames(toks, k + 2);
          if (params.length > 0 && params[0] !== 'dbt') modelProblems.push("its first argument must be named 'dbt'");
          if (params.length !== 2) modelProblems.push(`it must take two arguments, dbt and session, not ${params.length}`);
        }
        defs.push(indent);
        continue;
      }
      // `dbt.ref(`, `dbt.source(`, `dbt.config(`, `dbt.config.get(`: not `x.dbt.ref(`.
      if (t.kind !== 'name' || t.text !== 'dbt' || (toks[k - 1]?.kind === 'op' && (toks[k - 1] as { text: string }).text === '.')) continue;
      const dot = toks[k + 1];
      const fn = toks[k + 2];
      if (dot?.kind !== 'op' || dot.text !== '.' || fn?.kind !== 'name' || !DBT_CALLS.has(fn.text)) continue;
      let call = fn.text;
      let open = k + 3;
      if (call === 'config' && isOp(toks[open], '.') && toks[open + 1]?.kind === 'name' && (toks[open + 1] as { text: string }).text === 'get') {
        call = 'config.get';
        open += 2;
      }
      if (!isOp(toks[open], '(')) continue;
      const reader = new LiteralReader(toks, open + 1, `dbt.${call}`);
      const { args, kwargs } = reader.args();
      const line = t.line;
      if (call === 'ref') {
        if (args.length === 0 || args.length > 2 || args.some((a) => typeof a !== 'string')) throw new ScanError('dbt.ref() takes a model name, or a package name and a model name, as strings', line);
        capture.refs.push(refCallOf(args, kwargs));
      } else if (call === 'source') {
        if (args.length !== 2 || args.some((a) => typeof a !== 'string')) throw new ScanError('dbt.source() takes a source name and a table name, as strings', line);
        capture.sources.push([args[0] as string, args[1] as string]);
      } else if (call === 'config') {
        const layer: ConfigLayer = {};
        for (const a of args) {
          if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ScanError('dbt.config() takes keyword arguments (or one dict)', line);
          Object.assign(layer, a);
        }
        capture.configCalls.push(Object.assign(layer, kwargs));
      } else {
        if (args.length === 0) throw new ScanError('dbt.config.get() needs at least one argument, the config key', line);
        if (args.length > 2) throw new ScanError(`dbt.config.get() takes at most 2 arguments (${args.length} given)`, line);
        keysUsed.push(args[0]);
        keysDefaults.push(args.length === 2 ? args[1] : null);
      }
      // The arguments are literals: nothing in them to visit.
      k = reader.pos - 1;
    }
  } catch (e) {
    if (e instanceof ScanError) return located(e.message, e.line, 'write the value itself in the call (dbt reads these calls without running the file)');
    throw e;
  }
  if (models !== 1) return located(`dbt allows exactly one model function per Python file, found ${models}`, firstModelLine, 'define one top-level `def model(dbt, session):` that returns a dataframe');
  if (modelProblems.length > 0) return located(`the model function: ${modelProblems.join('; ')}`, firstModelLine, 'define it as `def model(dbt, session):`');
  if (keysUsed.length > 0) capture.configCalls.push({ config_keys_used: keysUsed, config_keys_defaults: keysDefaults });
  return capture;
}

const isOp = (t: Tok | undefined, text: string) => t?.kind === 'op' && t.text === text;

/** The names of a `def`'s parameters, its `(` at `open` (defaults and annotations skipped). */
function parameterNames(toks: Tok[], open: number): string[] {
  if (!isOp(toks[open], '(')) return [];
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let k = open + 1; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === 'op' && '([{'.includes(t.text)) depth++;
    else if (t.kind === 'op' && ')]}'.includes(t.text)) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.kind === 'op' && t.text === ',') expectName = true;
    else if (depth === 0 && expectName && t.kind === 'name') {
      names.push(t.text);
      expectName = false;
    } else if (depth === 0 && t.kind === 'op' && (t.text === '*' || t.text === '**' || t.text === '/')) {
      // `*args`, `**kwargs`, `/`, `*`: not positional parameters (dbt counts node.args.args only).
      expectName = false;
      if (t.text === '*' || t.text === '**') {
        const n = toks[k + 1];
        if (n?.kind === 'name') k++;
      }
    } else expectName = false;
  }
  return names;
}
