import { TsdbtError } from '../errors/tsdbt-error.js';
import type { RefCall } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';
import { refCallOf } from '../context/parse-context.js';
import { fieldTokens, fStringFields, ScanError, tokenize, type Tok } from './python-tokens.js';

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
