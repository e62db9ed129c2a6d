/**
 * A tree-walking interpreter for a template's first render.
 *
 * Most templates are rendered once (a model at parse, a YAML value), and for
 * those generating JavaScript and having V8 compile it cost more than the
 * render itself. A template made only of top-level statements (text,
 * `{{ }}`, if, set, set blocks, filter blocks, do) is walked directly on its
 * first render; environment.ts compiles it (compiler.ts) when it is rendered
 * again. The interpreter mirrors the compiled code step by step: the same
 * runtime calls in the same order (arguments, `in`'s right side first, the
 * line stored in `L` where the generated code stores it), so output, errors
 * and their lines are the same. Templates with loops, macros, call or with
 * blocks, unknown filters or tests, or deeply nested expressions are always
 * compiled (interpretable() says no).
 */
import type { CmpOp, Expr, Stmt, Target } from './ast.js';
import { assignedNames, foldsToConstant } from './compiler.js';
import { undefinedHint } from './compile-expr.js';
import { isObjectSafeKey, makeFloat } from './py-hooks.js';
import * as ops from './py-ops.js';
import { attr, call, callMethod, type Ctx, dictOf, item, located, MISSING, setAttr, slice, spreadArgs, tuple, unpack } from './runtime.js';

type Fn = (...args: unknown[]) => unknown;

/** Deeper expressions are compiled (whose own bound and errors then apply). */
const MAX_DEPTH = 48;

const BINOPS: Record<string, (a: unknown, b: unknown) => unknown> = {
  '+': ops.add,
  '-': ops.sub,
  '*': ops.mul,
  '/': ops.div,
  '//': ops.floordiv,
  '%': ops.mod,
  '**': ops.pow,
};
const CMP: Record<string, (a: unknown, b: unknown) => boolean> = { '<': ops.lt, '>': ops.gt, '<=': ops.le, '>=': ops.ge };

/**
 * Whether `stmts` can be interpreted: top-level statements the interpreter
 * handles, every filter and test known (`hasFilter`/`hasTest` as the compiler
 * asks), no expression nested deeper than MAX_DEPTH. Anything else compiles,
 * so every compile-time error is still the compiler's. (Plain loops: this
 * runs once per template, mostly before V8 has optimised anything.)
 */
export function interpretable(stmts: Stmt[], hasFilter: (name: string) => boolean, hasTest: (name: string) => boolean): boolean {
  return new Check(hasFilter, hasTest).block(stmts);
}

class Check {
  constructor(
    private readonly hasFilter: (name: string) => boolean,
    private readonly hasTest: (name: string) => boolean,
  ) {}

  block(list: Stmt[]): boolean {
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      switch (s.k) {
        case 'data':
          break;
        case 'output':
        case 'do':
          if (!this.expr(s.expr, 0)) return false;
          break;
        case 'if':
          if (!this.expr(s.test, 0) || !this.block(s.body) || !this.block(s.orelse)) return false;
          break;
        case 'set':
          if (!target(s.target) || !this.expr(s.value, 0)) return false;
          break;
        case 'setblock':
          if (!target(s.target) || !this.block(s.body) || !this.filters(s.filters)) return false;
          break;
        case 'filterblock':
          if (!this.block(s.body) || !this.filters(s.filters)) return false;
          break;
        case 'dbtblock':
          if (s.kind === 'snapshot' && !this.block(s.body)) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  }

  private filters(fs: Expr[]): boolean {
    for (const f of fs) if (f.k === 'filter' && (!this.hasFilter(f.name) || !this.all(f.args, 1) || !this.kwargs(f.kwargs, 1))) return false;
    return true;
  }

  private all(list: Expr[], d: number): boolean {
    for (let i = 0; i < list.length; i++) if (!this.expr(list[i]!, d)) return false;
    return true;
  }

  private kwargs(list: [string, Expr][], d: number): boolean {
    for (let i = 0; i < list.length; i++) if (!this.expr(list[i]![1], d)) return false;
    return true;
  }

  private expr(e: Expr | null | undefined, depth: number): boolean {
    if (e === null || e === undefined) return true;
    if (depth > MAX_DEPTH) return false;
    const d = depth + 1;
    switch (e.k) {
      case 'const':
        return true;
      case 'name':
        return e.name !== '\u0000caller' && e.name !== 'loop';
      case 'tuple':
      case 'list':
        return this.all(e.items, d);
      case 'dict':
        for (const [k, v] of e.pairs) if (!this.expr(k, d) || !this.expr(v, d)) return false;
        return true;
      case 'getattr':
        return this.expr(e.obj, d);
      case 'getitem':
        return this.expr(e.obj, d) && this.expr(e.key, d);
      case 'slice':
        return this.expr(e.obj, d) && this.expr(e.start, d) && this.expr(e.stop, d) && this.expr(e.step, d);
      case 'call':
        return this.expr(e.fn, d) && this.all(e.args, d) && this.kwargs(e.kwargs, d) && this.expr(e.star, d) && this.expr(e.starstar, d);
      case 'filter':
        return this.hasFilter(e.name) && this.expr(e.target, d) && this.all(e.args, d) && this.kwargs(e.kwargs, d);
      case 'test':
        return this.hasTest(e.name) && this.expr(e.target, d) && this.all(e.args, d);
      case 'binop':
      case 'and':
      case 'or':
        return this.expr(e.left, d) && this.expr(e.right, d);
      case 'unary':
        return this.expr(e.operand, d);
      case 'compare':
        if (!this.expr(e.first, d)) return false;
        for (const [, x] of e.ops) if (!this.expr(x, d)) return false;
        return true;
      case 'cond':
        return this.expr(e.test, d) && this.expr(e.body, d) && this.expr(e.orelse, d);
      default:
        return false;
    }
  }
}

function target(t: Target): boolean {
  if (t.k !== 'tuple') return true;
  for (const x of t.items) if (!target(x)) return false;
  return true;
}

/** An own data property, `__proto__` included (an object literal's computed key). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** An interpretable template (see interpretable()): call run() once per render. */
export class InterpretedTemplate {
  /** Float constants, made once per template as the compiled code's hoisted consts are. */
  private readonly floats = new Map<Expr, unknown>();
  private readonly assigned: Set<string>;

  constructor(
    private readonly stmts: Stmt[],
    private readonly file: string,
    private readonly native: boolean,
    private readonly filters: Record<string, Fn>,
    private readonly tests: Record<string, Fn>,
  ) {
    this.assigned = new Set();
    assignedNames(stmts, this.assigned, true);
  }

  run(ctx: Ctx): string {
    // The names `set` at the top level, MISSING until assigned (as the compiled code declares them).
    const vars = new Map<string, unknown>();
    for (const name of this.assigned) vars.set(name, MISSING);
    const r = new Render(this, ctx, vars, this.native ? [] : null);
    try {
      r.stmts(this.stmts);
    } catch (e) {
      throw located(e, this.file, r.L);
    }
    return (r.nat ?? r.buf) as string;
  }

  /** @internal */
  float(e: Expr & { k: 'const' }): unknown {
    let k = this.floats.get(e);
    if (k === undefined) {
      k = makeFloat(e.value as number);
      this.floats.set(e, k);
    }
    return k;
  }

  /** @internal */
  get F(): Record<string, Fn> {
    return this.filters;
  }

  /** @internal */
  get T(): Record<string, Fn> {
    return this.tests;
  }
}

/** One render's state: the line in `L`, the line the compiled code would last have stored (`sl`), the output. */
class Render {
  L = 1;
  private sl = 0;
  buf = '';
  /** Collecting top-level output (not inside a capture). */
  private top = true;

  constructor(
    private readonly tpl: InterpretedTemplate,
    private readonly ctx: Ctx,
    private readonly vars: Map<string, unknown>,
    readonly nat: unknown[] | null,
  ) {}

  private setLine(line: number): void {
    if (line !== this.sl) {
      this.sl = line;
      this.L = line;
    }
  }

  private append(v: unknown, isValue: boolean): void {
    if (this.nat !== null && this.top) this.nat.push(v);
    else this.buf += isValue ? ops.str(v) : (v as string);
  }

  stmts(list: Stmt[]): void {
    for (let i = 0; i < list.length; i++) this.stmt(list[i]!);
  }

  private stmt(s: Stmt): void {
    switch (s.k) {
      case 'data':
        this.append(s.text, false);
        return;
      case 'output':
        this.setLine(s.line);
        if (this.nat !== null && this.top && foldsToConstant(s.expr)) this.nat.push(ops.str(this.expr(s.expr)));
        else this.append(this.expr(s.expr), true);
        return;
      case 'if':
        this.setLine(s.line);
        if (this.cond(s.test)) {
          this.sl = 0;
          this.stmts(s.body);
        } else if (s.orelse.length) {
          this.sl = 0;
          this.stmts(s.orelse);
        }
        this.sl = 0;
        return;
      case 'set':
        this.setLine(s.line);
        this.assign(s.target, () => this.expr(s.value));
        return;
      case 'setblock': {
        const b = this.capture(s.body);
        this.assign(s.target, () => this.applyFilters(b, s.filters));
        return;
      }
      case 'filterblock': {
        const b = this.capture(s.body);
        this.append(this.applyFilters(b, s.filters), true);
        return;
      }
      case 'do':
        this.setLine(s.line);
        this.expr(s.expr);
        return;
      case 'dbtblock':
        if (s.kind === 'snapshot') this.stmts(s.body);
        return;
      default:
        throw new Error(`interpreter: unexpected ${s.k}`);
    }
  }

  private load(name: string): unknown {
    if (this.vars.has(name)) {
      const v = this.vars.get(name);
      if (v !== MISSING) return v;
    }
    return this.ctx.lookup(name);
  }

  /** Assign as the compiled code does: a namespace's object is read before the value is computed. */
  private assign(target: Target, value: () => unknown): void {
    if (target.k === 'name') this.vars.set(target.name, value());
    else if (target.k === 'attr') {
      const obj = this.load(target.obj);
      setAttr(obj, target.attr, value(), target.obj);
    } else {
      const u = unpack(value(), target.items.length);
      target.items.forEach((t, i) => this.assign(t, () => u[i]));
    }
  }

  private capture(body: Stmt[]): string {
    const savedBuf = this.buf;
    const savedTop = this.top;
    this.buf = '';
    this.top = false;
    this.sl = 0;
    this.stmts(body);
    this.sl = 0;
    const b = this.buf;
    this.buf = savedBuf;
    this.top = savedTop;
    return b;
  }

  private applyFilters(value: unknown, filters: Expr[]): unknown {
    let v = value;
    for (const f of filters) if (f.k === 'filter') v = this.filterCall(f, v);
    return v;
  }

  private cond(e: Expr): boolean {
    const v = this.expr(e);
    if ((e.k === 'unary' && e.op === 'not') || e.k === 'compare' || e.k === 'test') return v as boolean;
    if (e.k === 'const' && typeof e.value === 'boolean') return v as boolean;
    return ops.truthy(v);
  }

  private expr(e: Expr): unknown {
    switch (e.k) {
      case 'const':
        return e.float === true && Number.isInteger(e.value) ? this.tpl.float(e) : e.value;
      case 'name':
        return this.load(e.name);
      case 'tuple':
        return tuple(this.list(e.items));
      case 'list':
        return this.list(e.items);
      case 'dict': {
        if (e.pairs.length === 0) return dictOf(null);
        if (e.pairs.every(([k]) => k.k === 'const' && isObjectSafeKey(k.value))) {
          const o: Record<string, unknown> = {};
          for (const [k, v] of e.pairs) {
            const key = this.expr(k) as string;
            setOwn(o, key, this.expr(v));
          }
          return o;
        }
        return dictOf(e.pairs.map(([k, v]) => [this.expr(k), this.expr(v)] as [unknown, unknown]));
      }
      case 'getattr':
        return attr(this.expr(e.obj), e.attr, undefinedHint(e.obj), this.ctx);
      case 'getitem': {
        const obj = this.expr(e.obj);
        return item(obj, this.expr(e.key), undefinedHint(e.obj), this.ctx);
      }
      case 'slice': {
        const obj = this.expr(e.obj);
        const start = e.start ? this.expr(e.start) : null;
        const stop = e.stop ? this.expr(e.stop) : null;
        const step = e.step ? this.expr(e.step) : null;
        return slice(obj, start, stop, step, this.ctx);
      }
      case 'call':
        return this.callExpr(e);
      case 'filter':
        return this.filterCall(e, e.target ? this.expr(e.target) : undefined);
      case 'test': {
        const T = this.tpl.T;
        const fn = T[e.name]!;
        const args = [this.expr(e.target)];
        for (const a of e.args) args.push(this.expr(a));
        const t = !!fn.apply(T, args);
        return e.negate ? !t : t;
      }
      case 'binop': {
        const l = this.expr(e.left);
        if (e.op === '~') {
          const ls = ops.str(l);
          return ls + ops.str(this.expr(e.right));
        }
        return BINOPS[e.op]!(l, this.expr(e.right));
      }
      case 'unary':
        if (e.op === 'not') return !this.cond(e.operand);
        return e.op === 'neg' ? ops.neg(this.expr(e.operand)) : ops.pos(this.expr(e.operand));
      case 'and': {
        const t = this.expr(e.left);
        return ops.truthy(t) ? this.expr(e.right) : t;
      }
      case 'or': {
        const t = this.expr(e.left);
        return ops.truthy(t) ? t : this.expr(e.right);
      }
      case 'compare':
        return this.compare(e.first, e.ops);
      case 'cond':
        return this.cond(e.test) ? this.expr(e.body) : e.orelse ? this.expr(e.orelse) : undefined;
    }
  }

  private list(items: Expr[]): unknown[] {
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = this.expr(items[i]!);
    return out;
  }

  private compare(first: Expr, cmp: [CmpOp, Expr][]): boolean {
    if (cmp.length === 1) {
      const [op, right] = cmp[0]!;
      if (op === 'in' || op === 'notin') {
        // The compiled code is contains(right, left): the right side is evaluated first.
        const r = this.expr(right);
        const hit = ops.contains(r, this.expr(first));
        return op === 'in' ? hit : !hit;
      }
      const l = this.expr(first);
      const r = this.expr(right);
      if (op === '==') return ops.eq(l, r);
      if (op === '!=') return !ops.eq(l, r);
      return CMP[op]!(l, r);
    }
    const values = [this.expr(first)];
    for (const [, x] of cmp) values.push(this.expr(x));
    return ops.chain(
      values,
      cmp.map((c) => c[0]),
    );
  }

  private kwargs(pairs: [string, Expr][], keywords: boolean): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [k, v] of pairs) setOwn(o, k, this.expr(v));
    if (keywords) o.__keywords = true;
    return o;
  }

  private argList(e: Expr & { k: 'call' }): unknown[] {
    const args = this.list(e.args);
    if (e.star || e.starstar) {
      const star = e.star ? this.expr(e.star) : undefined;
      const kw = e.kwargs.length ? this.kwargs(e.kwargs, false) : null;
      const starstar = e.starstar ? this.expr(e.starstar) : undefined;
      return spreadArgs(args, star, kw, starstar);
    }
    if (e.kwargs.length) args.push(this.kwargs(e.kwargs, true));
    return args;
  }

  private callExpr(e: Expr & { k: 'call' }): unknown {
    if (e.line !== this.sl) this.L = e.line;
    const fn = e.fn;
    if (fn.k === 'getattr') {
      const obj = this.expr(fn.obj);
      return callMethod(obj, fn.attr, this.argList(e), undefinedHint(fn.obj), this.ctx);
    }
    const f = this.expr(fn);
    return call(f, this.argList(e), undefinedHint(fn), this.ctx);
  }

  private filterCall(f: Expr & { k: 'filter' }, value: unknown): unknown {
    const F = this.tpl.F;
    const fn = F[f.name]!;
    const args = [value];
    for (const a of f.args) args.push(this.expr(a));
    if (f.kwargs.length) args.push(this.kwargs(f.kwargs, true));
    return fn.apply(F, args);
  }
}
