/**
 * Expression half of the compiler (see compiler.ts): scopes, name loads and
 * Jinja expressions to JavaScript expressions calling the runtime.
 */
import type { CmpOp, Expr } from './ast.js';
import { isObjectSafeKey } from './py-hooks.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface Var {
  id: string;
  /** Always assigned (loop targets, params): no MISSING check on load. */
  always: boolean;
  /** For the `loop` of a recursive for: the local function `loop(items)` calls. */
  recurse?: string;
  /** A for loop's `loop` (a LoopContext). */
  loop?: boolean;
}

const LOOP_PROPS = new Set(['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length', 'depth', 'depth0', 'previtem', 'nextitem']);

/** An object-literal key for a keyword argument: `__proto__` computed, so it is an own key and never sets the prototype. */
function propKey(k: string): string {
  return k === '__proto__' ? `["__proto__"]` : JSON.stringify(k);
}

/** Nesting bound of one expression (Python refuses 200 nested parentheses; chains like 1 + 1 + ... nest too). */
export const MAX_EXPR_DEPTH = 400;

/**
 * The message if `e` turns out Undefined when used. Attribute/item lookups
 * give null: the runtime reports why that lookup missed (Jinja2's hint).
 */
export function undefinedHint(e: Expr): string | null {
  if (e.k === 'name') return `'${e.name}' is undefined`;
  if (e.k === 'getattr' || e.k === 'getitem') return null;
  if (e.k === 'call' && e.fn.k === 'name') return `'${e.fn.name}()' returned no value (undefined)`;
  if (e.k === 'call' && e.fn.k === 'getattr') return `'${e.fn.attr}()' returned no value (undefined)`;
  return 'the value is undefined';
}

/** A Jinja scope at compile time: template names to JS variable names. */
export class Scope {
  readonly vars = new Map<string, Var>();
  constructor(
    readonly parent: Scope | null,
    readonly isRoot = false,
  ) {}
}

const BINOPS: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'mod', '**': 'pow' };
const CMP: Record<string, string> = { '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' };

export interface CompileOptions {
  file: string;
  /** dbt's native rendering: the top level yields its output nodes as raw values (see native.ts). */
  native?: boolean;
  hasFilter(name: string): boolean;
  hasTest(name: string): boolean;
}

export class ExprCompiler {
  protected code: string[] = [];
  protected consts: string[] = [];
  private n = 0;
  /** The line the generated code last stored in `L` (0: unknown). */
  protected line = 0;
  /** The JS name of the caller macro of the call block being compiled. */
  protected callerId: string | null = null;

  constructor(protected readonly opts: CompileOptions) {}

  /** The template line being compiled, for errors (0: unknown). */
  get currentLine(): number {
    return this.line;
  }

  protected id(prefix = 't'): string {
    return `${prefix}${++this.n}`;
  }

  protected emit(s: string): void {
    this.code.push(s);
  }

  protected fail(message: string, line: number, hint: string): never {
    throw new TsdbtError('JINJA_SYNTAX', message, { file: this.opts.file, line, hint });
  }

  protected declare(scope: Scope, name: string, always: boolean): Var {
    const v: Var = { id: this.id('v'), always };
    scope.vars.set(name, v);
    return v;
  }

  protected load(name: string, scope: Scope | null): string {
    for (let s = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v.always ? v.id : `(${v.id} !== MISSING ? ${v.id} : ${this.load(name, s.parent)})`;
    }
    return `ctx.lookup(${JSON.stringify(name)})`;
  }

  /** `truthy(expr)`, skipped when the expression is already a JS boolean (not, comparisons, tests). */
  protected cond(e: Expr, scope: Scope): string {
    const js = this.expr(e, scope);
    if ((e.k === 'unary' && e.op === 'not') || e.k === 'compare' || e.k === 'test') return js;
    if (e.k === 'const' && typeof e.value === 'boolean') return js;
    return `truthy(${js})`;
  }

  protected findVar(name: string, scope: Scope): Var | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** undefinedHint(e) as JS source. */
  protected undefHint(e: Expr): string {
    return JSON.stringify(undefinedHint(e));
  }

  /** How deep the expression being compiled nests; bounded so the compiler (and V8) never overflow. */
  private depth = 0;

  expr(e: Expr, scope: Scope): string {
    if (++this.depth > MAX_EXPR_DEPTH) {
      this.depth = 0;
      this.fail(`expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels)`, e.line || this.line, 'Split it into steps with {% set %}.');
    }
    try {
      return this.exprAt(e, scope);
    } finally {
      this.depth--;
    }
  }

  private exprAt(e: Expr, scope: Scope): string {
    switch (e.k) {
      case 'const':
        return this.constant(e.value, e.float === true);
      case 'name':
        if (e.name === '\u0000caller') return this.callerId!;
        return this.load(e.name, scope);
      case 'tuple':
        return `tuple([${e.items.map((x) => this.expr(x, scope)).join(', ')}])`;
      case 'list':
        return `[${e.items.map((x) => this.expr(x, scope)).join(', ')}]`;
      case 'dict':
        // Ordinary text keys make a JS object literal (the fast path); any other key
        // (a number, bool, none, relation, tuple, a digit string) makes dictOf choose.
        // `{}` may be filled with any keys later (`d.update({1: x})`): a PyDictMap.
        if (e.pairs.length === 0) return 'dictOf(null)';
        if (e.pairs.every(([k]) => k.k === 'const' && isObjectSafeKey(k.value))) {
          return `{${e.pairs.map(([k, v]) => `[${this.expr(k, scope)}]: ${this.expr(v, scope)}`).join(', ')}}`;
        }
        return `dictOf([${e.pairs.map(([k, v]) => `[${this.expr(k, scope)}, ${this.expr(v, scope)}]`).join(', ')}])`;
      case 'getattr': {
        // `loop.index` & co. read the LoopContext directly.
        if (e.obj.k === 'name' && e.obj.name === 'loop' && LOOP_PROPS.has(e.attr)) {
          const v = this.findVar('loop', scope);
          if (v?.loop) return `${v.id}.${e.attr}`;
        }
        return `attr(${this.expr(e.obj, scope)}, ${JSON.stringify(e.attr)}, ${this.undefHint(e.obj)}, ctx)`;
      }
      case 'getitem':
        return `item(${this.expr(e.obj, scope)}, ${this.expr(e.key, scope)}, ${this.undefHint(e.obj)}, ctx)`;
      case 'slice': {
        const part = (p: Expr | null): string => (p ? this.expr(p, scope) : 'null');
        return `slice(${this.expr(e.obj, scope)}, ${part(e.start)}, ${part(e.stop)}, ${part(e.step)}, ctx)`;
      }
      case 'call':
        return this.callExpr(e, scope);
      case 'filter':
        return this.filterCall(e, e.target ? this.expr(e.target, scope) : 'undefined', scope);
      case 'test': {
        // As in Jinja2, an unknown test is an error only when evaluated.
        const fn = this.opts.hasTest(e.name) ? `T[${JSON.stringify(e.name)}]` : `unknownTest(${JSON.stringify(e.name)})`;
        const args = [this.expr(e.target, scope), ...e.args.map((a) => this.expr(a, scope))];
        const t = `!!${fn}(${args.join(', ')})`;
        return e.negate ? `!${t}` : t;
      }
      case 'binop': {
        const l = this.expr(e.left, scope);
        const r = this.expr(e.right, scope);
        if (e.op === '~') return `(str(${l}) + str(${r}))`;
        return `${BINOPS[e.op]}(${l}, ${r})`;
      }
      case 'unary': {
        if (e.op === 'not') return `!${this.cond(e.operand, scope)}`;
        return `${e.op}(${this.expr(e.operand, scope)})`;
      }
      case 'and':
        return `(truthy($t = ${this.expr(e.left, scope)}) ? ${this.expr(e.right, scope)} : $t)`;
      case 'or':
        return `(truthy($t = ${this.expr(e.left, scope)}) ? $t : ${this.expr(e.right, scope)})`;
      case 'compare':
        return this.compare(e.first, e.ops, scope);
      case 'cond':
        return `(${this.cond(e.test, scope)} ? ${this.expr(e.body, scope)} : ${e.orelse ? this.expr(e.orelse, scope) : 'undefined'})`;
    }
  }

  protected constant(value: unknown, float: boolean): string {
    if (float && Number.isInteger(value)) {
      const k = this.id('K');
      this.consts.push(`const ${k} = makeFloat(${String(value)});`);
      return k;
    }
    if (value === null) return 'null';
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  }

  protected compare(first: Expr, ops: [CmpOp, Expr][], scope: Scope): string {
    const one = (op: CmpOp, l: string, r: string): string => {
      switch (op) {
        case '==':
          return `eq(${l}, ${r})`;
        case '!=':
          return `!eq(${l}, ${r})`;
        case 'in':
          return `contains(${r}, ${l})`;
        case 'notin':
          return `!contains(${r}, ${l})`;
        default:
          return `${CMP[op]}(${l}, ${r})`;
      }
    };
    if (ops.length === 1) return one(ops[0]![0], this.expr(first, scope), this.expr(ops[0]![1], scope));
    const operands = [first, ...ops.map((o) => o[1])].map((x) => this.expr(x, scope));
    return `chain([${operands.join(', ')}], ${JSON.stringify(ops.map((o) => o[0]))})`;
  }

  protected argList(e: { args: Expr[]; kwargs: [string, Expr][]; star?: Expr; starstar?: Expr }, scope: Scope): string {
    const args = e.args.map((a) => this.expr(a, scope));
    const kw = e.kwargs.map(([k, v]) => `${propKey(k)}: ${this.expr(v, scope)}`);
    if (e.star || e.starstar) {
      return `spreadArgs([${args.join(', ')}], ${e.star ? this.expr(e.star, scope) : 'undefined'}, ${kw.length ? `{${kw.join(', ')}}` : 'null'}, ${e.starstar ? this.expr(e.starstar, scope) : 'undefined'})`;
    }
    if (kw.length) args.push(`{${kw.join(', ')}, __keywords: true}`);
    return `[${args.join(', ')}]`;
  }

  protected callExpr(e: Expr & { k: 'call' }, scope: Scope): string {
    if (e.fn.k === 'name' && e.fn.name === 'loop') {
      const v = this.findVar('loop', scope);
      if (v?.recurse) {
        if (e.args.length !== 1 || e.kwargs.length) this.fail('loop() takes exactly one argument: the items to recurse into', e.line, 'Write {{ loop(item.children) }}.');
        return `${v.recurse}(${this.expr(e.args[0]!, scope)}, ${v.id}.depth)`;
      }
    }
    const args = this.argList(e, scope);
    let c: string;
    if (e.fn.k === 'getattr') {
      c = `callMethod(${this.expr(e.fn.obj, scope)}, ${JSON.stringify(e.fn.attr)}, ${args}, ${this.undefHint(e.fn.obj)}, ctx)`;
    } else {
      c = `call(${this.expr(e.fn, scope)}, ${args}, ${this.undefHint(e.fn)}, ctx)`;
    }
    return e.line !== this.line ? `(L = ${e.line}, ${c})` : c;
  }

  protected filterCall(f: Expr & { k: 'filter' }, value: string, scope: Scope): string {
    if (!this.opts.hasFilter(f.name)) this.fail(`No filter named '${f.name}'.`, f.line, 'Check the filter name; Jinja2 filters such as default, join, lower, upper, replace are available.');
    const args = [value, ...f.args.map((a) => this.expr(a, scope))];
    if (f.kwargs.length) args.push(`{${f.kwargs.map(([k, v]) => `${propKey(k)}: ${this.expr(v, scope)}`).join(', ')}, __keywords: true}`);
    return `F[${JSON.stringify(f.name)}](${args.join(', ')})`;
  }
}
