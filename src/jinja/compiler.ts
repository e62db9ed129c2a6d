/**
 * Compiles our Jinja AST to a JavaScript function with Jinja2 semantics.
 *
 * Template variables become JS `let`s in block scopes that mirror Jinja2's
 * scoping: `for`, macro, call and `with` bodies open a scope (a `set` inside
 * does not leak out); `if` does not. A name assigned in a scope but not yet
 * assigned at run time holds MISSING and loads fall back outwards, ending in
 * `ctx.lookup(name)` (context vars, then resolve, then builtins, then this file's macros),
 * as Jinja2 resolves it. Every generated function tracks the line it is
 * rendering in `L` so errors carry it.
 */
import type { Expr, Param, Stmt, Target } from './ast.js';
import { collectNames } from './ast.js';
import { ExprCompiler, Scope, type CompileOptions } from './compile-expr.js';

export type { CompileOptions };

/** Runtime names the generated code calls: the factory's first parameters (RT_NAMES, then F, T, D). */
export const RT_NAMES = ['attr', 'item', 'slice', 'call', 'callMethod', 'spreadArgs', 'iterate', 'unpack', 'tuple', 'dictOf', 'setAttr', 'LoopContext', 'makeMacro', 'located', 'MISSING', 'truthy', 'eq', 'lt', 'gt', 'le', 'ge', 'contains', 'add', 'sub', 'mul', 'div', 'floordiv', 'mod', 'pow', 'neg', 'pos', 'str', 'chain', 'makeFloat', 'unknownTest', 'RETURN', 'returnedValue'] as const;

/**
 * A compiled template's JavaScript: the body of a factory `(...RT_NAMES, F,
 * T, D) => root(ctx)`. The template's text between tags is not in the code: it is
 * `D[i]`, `data[i]`, so V8 neither scans nor internalises it (for a model,
 * most of its size).
 */
export interface CompiledJs {
  js: string;
  data: string[];
}

export class JsCompiler extends ExprCompiler {
  private buf = 'o0';
  private readonly fileLit: string;
  /**
   * Whether the code being emitted runs directly in a macro's own function,
   * where `{{ return(x) }}` can be a JS `return` (not at the top level, where
   * it is an error, nor in a recursive loop's local function).
   */
  private inMacroFunction = false;

  constructor(opts: CompileOptions) {
    super(opts);
    this.fileLit = JSON.stringify(opts.file);
  }

  /** The template's text pieces, referenced from the code as D[i]. */
  private readonly data: string[] = [];

  /**
   * JS source of a factory `(...RT_NAMES, F, T, D) => root(ctx) => string`,
   * and its D. The root function is parenthesised so V8 compiles it at once instead of pre-parsing it and
   * parsing it again at its (certain) first call.
   */
  compileTemplate(stmts: Stmt[]): CompiledJs {
    const scope = new Scope(null, true);
    this.emit(`return (function root(ctx) {\nlet L = 1, $t;\nlet o0 = ${this.opts.native ? '[]' : "''"};`);
    this.declareAssigned(stmts, scope);
    this.emit('try {');
    this.stmts(stmts, scope);
    this.emit(`} catch (e) { throw located(e, ${this.fileLit}, L); }\nreturn o0;\n});`);
    return { js: `"use strict";\n${this.consts.join('\n')}\n${this.code.join('\n')}`, data: this.data };
  }

  /**
   * JS source of a factory `(...RT_NAMES, F, T, D) => (ctx) => macro` for one
   * top-level macro of a file that only defines macros (JinjaTemplate.macrosOnly):
   * the same code compileTemplate emits for it there, where the file's top level
   * declares no names. The factory and the macro's function are each a
   * parenthesised `function` expression, which V8 compiles with the code
   * around it (both are called, the macro almost always): a lazily compiled
   * function is pre-parsed, then parsed again at its first call.
   */
  compileMacro(s: Stmt & { k: 'macro' }): CompiledJs {
    const fn = this.macro(s.name, s.params, s.body, new Scope(null, true), s.line, true);
    this.emit(`return (function (ctx) {\nreturn ${fn};\n});`);
    return { js: `"use strict";\n${this.consts.join('\n')}\n${this.code.join('\n')}`, data: this.data };
  }

  /** Pre-declare names `set` in this scope (not in nested scopes), initialised to MISSING. */
  private declareAssigned(stmts: Stmt[], scope: Scope): void {
    const names = new Set<string>();
    assignedNames(stmts, names, scope.isRoot);
    for (const name of names) {
      if (scope.vars.has(name)) continue;
      const v = this.declare(scope, name, false);
      this.emit(`let ${v.id} = MISSING;`);
    }
  }

  private store(name: string, scope: Scope, value: string): void {
    let v = scope.vars.get(name);
    if (!v) {
      // A name not pre-declared (defensive): declare it here.
      v = this.declare(scope, name, false);
      this.emit(`let ${v.id} = MISSING;`);
    }
    this.emit(`${v.id} = ${value};`);
  }

  private assign(target: Target, value: string, scope: Scope): void {
    if (target.k === 'name') {
      this.store(target.name, scope, value);
    } else if (target.k === 'attr') {
      this.emit(`setAttr(${this.load(target.obj, scope)}, ${JSON.stringify(target.attr)}, ${value}, ${JSON.stringify(target.obj)});`);
    } else {
      const u = this.id('u');
      this.emit(`const ${u} = unpack(${value}, ${target.items.length});`);
      target.items.forEach((t, i) => this.assign(t, `${u}[${i}]`, scope));
    }
  }

  /** Declare loop/with targets as always-assigned lets bound from `value`. */
  private bindTargets(target: Target, value: string, scope: Scope): void {
    if (target.k === 'name') {
      const v = this.declare(scope, target.name, true);
      this.emit(`let ${v.id} = ${value};`);
    } else if (target.k === 'tuple') {
      const u = this.id('u');
      this.emit(`const ${u} = unpack(${value}, ${target.items.length});`);
      target.items.forEach((t, i) => this.bindTargets(t, `${u}[${i}]`, scope));
    } else {
      this.fail(`cannot assign to attribute '${target.obj}.${target.attr}' here`, target.line, 'Only {% set %} can assign namespace attributes.');
    }
  }

  // ---- statements ----

  private setLine(line: number): void {
    if (line !== this.line) {
      this.line = line;
      this.emit(`L = ${line};`);
    }
  }

  private stmts(stmts: Stmt[], scope: Scope): void {
    for (const s of stmts) this.stmt(s, scope);
  }

  private stmt(s: Stmt, scope: Scope): void {
    switch (s.k) {
      case 'data':
        this.data.push(s.text);
        this.emit(this.append(`D[${this.data.length - 1}]`, false));
        return;
      case 'output':
        this.setLine(s.line);
        if (this.returnStatement(s.expr, scope, true)) return;
        // Jinja2's native code generator folds constant outputs into text at compile time.
        if (this.opts.native && this.buf === 'o0' && foldsToConstant(s.expr)) this.emit(`o0.push(str(${this.expr(s.expr, scope)}));`);
        else this.emit(this.append(this.expr(s.expr, scope), true));
        return;
      case 'if':
        this.setLine(s.line);
        this.emit(`if (${this.cond(s.test, scope)}) {`);
        this.withLineReset(() => this.stmts(s.body, scope));
        if (s.orelse.length) {
          this.emit('} else {');
          this.withLineReset(() => this.stmts(s.orelse, scope));
        }
        this.emit('}');
        this.line = 0;
        return;
      case 'for':
        return this.forLoop(s, scope);
      case 'set':
        this.setLine(s.line);
        this.assign(s.target, this.expr(s.value, scope), scope);
        return;
      case 'setblock': {
        const b = this.capture(s.body, scope);
        this.assign(s.target, this.applyFilters(b, s.filters, scope), scope);
        return;
      }
      case 'macro': {
        this.setLine(s.line);
        const fn = this.macro(s.name, s.params, s.body, scope, s.line);
        if (scope.isRoot) this.emit(`ctx.defineMacro(${JSON.stringify(s.name)}, () => ${fn});`);
        else this.store(s.name, scope, fn);
        return;
      }
      case 'callblock': {
        this.setLine(s.line);
        const caller = this.macro('caller', s.params, s.body, scope, s.line);
        const call = s.call as Expr & { k: 'call' };
        const withCaller: Expr & { k: 'call' } = { ...call, kwargs: [...call.kwargs, ['caller', { k: 'name', line: s.line, name: '\u0000caller' }]] };
        const c = this.id('c');
        this.emit(`const ${c} = ${caller};`);
        this.callerId = c;
        this.emit(this.append(this.expr(withCaller, scope), true));
        this.callerId = null;
        return;
      }
      case 'filterblock': {
        const b = this.capture(s.body, scope);
        this.emit(this.append(this.applyFilters(b, s.filters, scope), true));
        return;
      }
      case 'with': {
        this.setLine(s.line);
        const values = s.values.map((v) => this.expr(v, scope));
        const inner = new Scope(scope);
        this.emit('{');
        s.targets.forEach((t, i) => this.bindTargets(t, values[i]!, inner));
        this.declareAssigned(s.body, inner);
        this.stmts(s.body, inner);
        this.emit('}');
        return;
      }
      case 'do':
        this.setLine(s.line);
        if (this.returnStatement(s.expr, scope, false)) return;
        this.emit(`${this.expr(s.expr, scope)};`);
        return;
      case 'break':
      case 'continue':
        this.emit(`${s.k};`);
        return;
      case 'dbtblock':
        if (s.kind === 'snapshot') this.stmts(s.body, scope);
        return;
    }
  }

  /**
   * Code appending to the current output. In native mode the template's own
   * top level collects raw values (dbt's native rendering); macro bodies and
   * captures always build text.
   */
  private append(js: string, isValue: boolean): string {
    if (this.opts.native && this.buf === 'o0') return `o0.push(${js});`;
    return isValue ? `${this.buf} += str(${js});` : `${this.buf} += ${js};`;
  }

  private withLineReset(f: () => void): void {
    this.line = 0;
    f();
    this.line = 0;
  }

  /** Render `body` into a fresh buffer; returns the buffer's JS name. */
  private capture(body: Stmt[], scope: Scope): string {
    const b = this.id('o');
    this.emit(`let ${b} = '';`);
    const saved = this.buf;
    this.buf = b;
    this.withLineReset(() => this.stmts(body, scope));
    this.buf = saved;
    return b;
  }

  private applyFilters(value: string, filters: Expr[], scope: Scope): string {
    let v = value;
    for (const f of filters) {
      if (f.k !== 'filter') continue;
      v = this.filterCall(f, v, scope);
    }
    return v;
  }

  private forLoop(s: Stmt & { k: 'for' }, scope: Scope): void {
    this.setLine(s.line);
    const iter = this.expr(s.iter, scope);
    if (!s.recursive) {
      this.emit('{');
      this.loopBody(s, scope, iter, '0', null);
      this.emit('}');
      return;
    }
    // `recursive`: the loop becomes a local function; `loop(items)` in the body calls it one level deeper.
    const rec = this.id('r');
    const depth = this.id('d');
    const saved = this.buf;
    this.buf = this.id('o');
    this.emit(`const ${rec} = (${depth}_items, ${depth}) => {\nlet ${this.buf} = '';`);
    const inMacro = this.inMacroFunction;
    this.inMacroFunction = false;
    this.loopBody(s, scope, `${depth}_items`, depth, rec);
    this.inMacroFunction = inMacro;
    this.emit(`return ${this.buf};\n};`);
    this.buf = saved;
    this.emit(this.append(`${rec}(${iter}, 0)`, false));
  }

  private loopBody(s: Stmt & { k: 'for' }, scope: Scope, iter: string, depth: string, rec: string | null): void {
    const src = this.id('a');
    const arr = this.id('a');
    const i = this.id('i');
    this.emit(`const ${src} = iterate(${iter});\nlet ${arr} = ${src};`);
    if (s.filter) {
      const fs = new Scope(scope);
      const j = this.id('i');
      this.emit(`${arr} = [];\nfor (let ${j} = 0; ${j} < ${src}.length; ${j}++) {`);
      this.bindTargets(s.target, `${src}[${j}]`, fs);
      this.emit(`if (${this.cond(s.filter, fs)}) ${arr}.push(${src}[${j}]);\n}`);
    }
    const body = new Scope(scope);
    const usesLoop = rec !== null || collectNames(s.body, new Set()).has('loop');
    let loopId = '';
    if (usesLoop) {
      loopId = this.id('lp');
      this.emit(`const ${loopId} = new LoopContext(${arr}, ${depth});`);
    }
    this.emit(`for (let ${i} = 0; ${i} < ${arr}.length; ${i}++) {`);
    if (usesLoop) {
      this.emit(`${loopId}.index0 = ${i};`);
      body.vars.set('loop', { id: loopId, always: true, recurse: rec ?? undefined, loop: true });
    }
    this.bindTargets(s.target, `${arr}[${i}]`, body);
    this.declareAssigned(s.body, body);
    this.withLineReset(() => this.stmts(s.body, body));
    this.emit('}');
    if (s.orelse.length) {
      this.emit(`if (${arr}.length === 0) {`);
      const els = new Scope(scope);
      this.declareAssigned(s.orelse, els);
      this.withLineReset(() => this.stmts(s.orelse, els));
      this.emit('}');
    }
  }

  /** Emit a macro function expression (a makeMacro(...) call) and return it; `eager`: its function parenthesised (see compileMacro). */
  private macro(name: string, params: Param[], body: Stmt[], outer: Scope, line: number, eager = false): string {
    const used = collectNames(body, new Set());
    for (const p of params) if (p.default) collectNames(p.default, used);
    const catchVarargs = used.has('varargs');
    const catchKwargs = used.has('kwargs');
    const scope = new Scope(outer);
    const saved = { code: this.code, buf: this.buf, line: this.line, inMacro: this.inMacroFunction };
    this.inMacroFunction = true;
    this.code = [];
    this.buf = this.id('o');
    this.line = line;
    const slots = this.id('s');
    this.emit(`makeMacro(${JSON.stringify(name)}, ${JSON.stringify(params.map((p) => p.name))}, ${catchVarargs}, ${catchKwargs}, ${eager ? '(' : ''}function (${slots}) {`);
    this.emit(`let L = ${line}, $t;\nlet ${this.buf} = '';\ntry {`);
    params.forEach((p, i) => {
      const v = this.declare(scope, p.name, true);
      const dflt = p.default ? this.expr(p.default, scope) : 'undefined';
      this.emit(`let ${v.id} = ${slots}[${i}] === MISSING ? ${dflt} : ${slots}[${i}];`);
    });
    const np = params.length;
    for (const [special, off] of [['varargs', 0], ['kwargs', 1], ['caller', 2]] as const) {
      if (used.has(special) && !scope.vars.has(special)) {
        const v = this.declare(scope, special, true);
        this.emit(`let ${v.id} = ${slots}[${np + off}];`);
      }
    }
    this.declareAssigned(body, scope);
    this.stmts(body, scope);
    this.emit(`} catch (e) { throw located(e, ${this.fileLit}, L); }\nreturn ${this.buf};\n}${eager ? ')' : ''})`);
    const fn = this.code.join('\n');
    this.code = saved.code;
    this.buf = saved.buf;
    this.line = saved.line;
    this.inMacroFunction = saved.inMacro;
    return fn;
  }

  /**
   * `{{ return(x) }}` or `{% do return(x) %}` in a macro's own function: when
   * `return` is the builtin, the macro's result without throwing MacroReturn
   * through the macro's frames (most dbt macros end this way, and a throw
   * costs more than the rest of a small macro). The same steps in the same
   * order as the call it stands for (line, name, arguments); any other
   * `return` (a context member, a macro so named) is called as usual.
   */
  private returnStatement(e: Expr, scope: Scope, output: boolean): boolean {
    if (!this.inMacroFunction || e.k !== 'call' || e.fn.k !== 'name' || e.fn.name !== 'return' || this.findVar('return', scope)) return false;
    if (e.line !== this.line) this.emit(`L = ${e.line};`);
    const f = this.id('r');
    const a = this.id('a');
    this.emit(`const ${f} = ${this.expr(e.fn, scope)};\nconst ${a} = ${this.argList(e, scope)};`);
    this.emit(`if (${f} === RETURN) return returnedValue(${a});`);
    const c = `call(${f}, ${a}, ${this.undefHint(e.fn)}, ctx)`;
    this.emit(output ? this.append(c, true) : `${c};`);
    return true;
  }
}

const MARKER_FILTERS = new Set(['as_text', 'as_native', 'as_bool', 'as_number']);

/**
 * Whether Jinja2 would evaluate `e` at compile time (its `as_const`): literals
 * and operators, filters and tests over literals. Names and calls are not.
 * dbt's as_* filters return str subclasses, which Jinja2 does not fold.
 */
export function foldsToConstant(e: Expr): boolean {
  switch (e.k) {
    case 'const':
      return true;
    case 'list':
    case 'tuple':
      return e.items.every(foldsToConstant);
    case 'dict':
      return e.pairs.every(([k, v]) => foldsToConstant(k) && foldsToConstant(v));
    case 'binop':
    case 'and':
    case 'or':
      return foldsToConstant(e.left) && foldsToConstant(e.right);
    case 'unary':
      return foldsToConstant(e.operand);
    case 'compare':
      return foldsToConstant(e.first) && e.ops.every(([, x]) => foldsToConstant(x));
    case 'cond':
      return foldsToConstant(e.test) && foldsToConstant(e.body) && (e.orelse === null || foldsToConstant(e.orelse));
    case 'getattr':
      return foldsToConstant(e.obj);
    case 'getitem':
      return foldsToConstant(e.obj) && foldsToConstant(e.key);
    case 'filter':
      return !MARKER_FILTERS.has(e.name) && e.target !== null && foldsToConstant(e.target) && e.args.every(foldsToConstant) && e.kwargs.every(([, v]) => foldsToConstant(v));
    case 'test':
      return foldsToConstant(e.target) && e.args.every(foldsToConstant);
    default:
      return false;
  }
}

/** Names assigned directly in a scope (descending into if/filter/set blocks, not into loops, macros or with). */
export function assignedNames(stmts: Stmt[], into: Set<string>, isRoot: boolean): void {
  const target = (t: Target): void => {
    if (t.k === 'name') into.add(t.name);
    else if (t.k === 'tuple') t.items.forEach(target);
  };
  for (const s of stmts) {
    switch (s.k) {
      case 'set':
        target(s.target);
        break;
      case 'setblock':
        target(s.target);
        assignedNames(s.body, into, isRoot);
        break;
      case 'if':
        assignedNames(s.body, into, isRoot);
        assignedNames(s.orelse, into, isRoot);
        break;
      case 'filterblock':
        assignedNames(s.body, into, isRoot);
        break;
      case 'dbtblock':
        if (s.kind === 'snapshot') assignedNames(s.body, into, isRoot);
        break;
      case 'macro':
        if (!isRoot) into.add(s.name);
        break;
    }
  }
}
