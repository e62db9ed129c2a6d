/**
 * JinjaEnvironment: compile (cached), render, top-level blocks, and macros
 * bound to a render context. dbt's Jinja environment is reproduced: the
 * `do` and loop-control extensions, dbt's materialization/test/docs tags,
 * no autoescape, Undefined that renders as '', and a single trailing
 * newline of the source dropped (Jinja2's keep_trailing_newline=False).
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import { MacroReturn } from './builtins.js';
import { scanBlocks } from './blocks.js';
import { describeJsError, isStackOverflow } from './js-errors.js';
import { nativeConcat, nativeFilters } from './native.js';
import { toHost } from './call.js';
import { JsCompiler, RT_NAMES } from './compiler.js';
import { MAX_EXPR_DEPTH } from './compile-expr.js';
import { createPythonFilters, createPythonTests, isTuple, makeFloat } from './py-hooks.js';
import * as ops from './py-ops.js';
import * as runtime from './runtime.js';
import { parseTemplate } from './template-parser.js';
import { InterpretedTemplate, interpretable } from './interpreter.js';
import { fastPaths } from '../util/fast-paths.js';
import type { Stmt } from './ast.js';
import type { JinjaCallable, RenderContext, TopLevelBlock } from './types.js';

type Fn = (...args: unknown[]) => unknown;
type RootFn = (ctx: runtime.Ctx) => string;

/** A compiled template. Opaque to callers: pass it back to JinjaEnvironment.render. */
export interface JinjaTemplate {
  readonly file: string;
  readonly source: string;
  /** Names of the macros the file defines at top level (including test_/materialization_ macros). */
  readonly macroNames: readonly string[];
  /**
   * The file's top level only defines macros (and has text between them): running it
   * reads nothing from the context, so its macros can outlive a change of the context's vars.
   */
  readonly macrosOnly: boolean;
  /** @internal */
  readonly root: RootFn;
}

/**
 * Renders of a template by the tree interpreter before it is compiled. Compiling
 * a small template costs about as much as a few hundred interpreted renders of it;
 * Tuva's YAML values are rendered 2 to 1,000 times each.
 */
export const INTERPRETED_RENDERS = 32;

/** Everything compiled templates call, passed to each template factory as its first arguments (RT_NAMES). */
const RT: Record<string, unknown> = { ...ops, ...runtime, makeFloat };
const RT_VALUES = RT_NAMES.map((name) => {
  if (RT[name] === undefined) throw new Error(`jinja runtime lacks ${name}`);
  return RT[name];
});

export class JinjaEnvironment {
  private readonly filters: Record<string, Fn> = Object.create(null) as Record<string, Fn>;
  private readonly tests: Record<string, Fn> = Object.create(null) as Record<string, Fn>;
  private readonly cache = new Map<string, Map<string, JinjaTemplate>>();
  private readonly nativeCache = new Map<string, Map<string, JinjaTemplate>>();
  /** Filters for native rendering: the same, with dbt's as_* filters producing markers. */
  private readonly nativeFilterSet: Record<string, Fn>;
  /**
   * Module instances (a template run once against a context) for bindMacro,
   * kept on the render context itself. Not a WeakMap keyed by the context:
   * V8's young-generation GC keeps a WeakMap's entries alive, so every node's
   * context (and all it reaches) was promoted to the old generation, which
   * made compile's garbage collection grow with the project.
   */
  private readonly modules = Symbol('modules');

  constructor() {
    const filters = createPythonFilters({ filter: (n) => this.filters[n], test: (n) => this.tests[n] });
    // dbt's text-mode environment adds these as identity filters; dbt's global
    // project also filters with `x | is_list`.
    const identity = (x: unknown): unknown => x;
    const isList = (x: unknown): boolean => Array.isArray(x) && !isTuple(x);
    Object.assign(this.filters, filters, { as_text: identity, as_bool: identity, as_native: identity, as_number: identity, is_list: isList });
    const tests = createPythonTests({ hasFilter: (n) => n in this.filters, hasTest: (n) => n in this.tests });
    Object.assign(this.tests, tests);
    this.nativeFilterSet = Object.assign(Object.create(this.filters) as Record<string, Fn>, nativeFilters());
  }

  /** Register a filter: called as f(value, ...args[, kwargs]) (see kwargs.ts). */
  addFilter(name: string, fn: Fn): this {
    this.filters[name] = fn;
    return this;
  }

  /** Register an `is` test: called as t(value, ...args), truthy result passes. */
  addTest(name: string, fn: (...args: unknown[]) => boolean): this {
    this.tests[name] = fn;
    return this;
  }

  /** Compile; cached by (file, source). Syntax errors throw TsdbtError('JINJA_SYNTAX', msg, {file, line}). */
  compile(source: string, file: string): JinjaTemplate {
    return this.cached(this.cache, source, file, false);
  }

  private cached(cache: Map<string, Map<string, JinjaTemplate>>, source: string, file: string, native: boolean): JinjaTemplate {
    let byFile = cache.get(file);
    const hit = byFile?.get(source);
    if (hit) return hit;
    const tpl = this.compileUncached(source, file, native);
    if (!byFile) {
      byFile = new Map();
      cache.set(file, byFile);
    }
    byFile.set(source, tpl);
    return tpl;
  }

  private compileUncached(source: string, file: string, native: boolean): JinjaTemplate {
    let text = source.indexOf('\r') >= 0 ? source.replace(/\r\n?/g, '\n') : source;
    if (text.endsWith('\n')) text = text.slice(0, -1);
    let stmts;
    try {
      stmts = parseTemplate(text, file);
    } catch (e) {
      throw quoteLine(e, text);
    }
    const macroNames = stmts.filter((s) => s.k === 'macro').map((s) => (s as { name: string }).name);
    const macrosOnly = stmts.every((s) => s.k === 'macro' || s.k === 'data');
    const hasFilter = (n: string): boolean => n in this.filters;
    const hasTest = (n: string): boolean => n in this.tests;
    if (fastPaths() && interpretable(stmts, hasFilter, hasTest)) {
      // Rendered once or a few times (models, YAML values): walk the tree; compiled when rendered often.
      const parsed = stmts;
      const tpl: { -readonly [K in keyof JinjaTemplate]: JinjaTemplate[K] } = { file, source, macroNames, macrosOnly, root: null as unknown as RootFn };
      const interpreted = new InterpretedTemplate(parsed, file, native, native ? this.nativeFilterSet : this.filters, this.tests);
      let renders = 0;
      tpl.root = (ctx) => {
        if (++renders > INTERPRETED_RENDERS) {
          const root = this.compileRoot(parsed, file, native, text);
          tpl.root = root;
          return root(ctx);
        }
        return interpreted.run(ctx);
      };
      return tpl;
    }
    if (fastPaths() && macrosOnly && !native && macroNames.length > 0) return { file, source, macroNames, macrosOnly, root: this.macroFileRoot(stmts, file, text) };
    return { file, source, macroNames, macrosOnly, root: this.compileRoot(stmts, file, native, text) };
  }

  /**
   * The top level of a file that only defines macros, as compileRoot's code
   * runs it (the text between the macros is the output; each macro defined,
   * made when first looked up), with each macro compiled on its own: its
   * JavaScript is generated now (so compile errors come when and as they did),
   * V8 compiles it when the macro is first made. A render context runs a
   * macro file for one or two of its macros; dbt's own files define dozens.
   */
  private macroFileRoot(stmts: Stmt[], file: string, text: string): RootFn {
    type Part = { macro: string; make: (ctx: runtime.Ctx) => unknown } | { macro: null; text: string };
    // Code generated when first needed too, where it cannot fail (else now, for the same errors at the same time).
    const lazy = compilesSafely(stmts, (n) => n in this.filters, 0);
    const parts = stmts.map((s): Part => (s.k === 'macro' ? { macro: s.name, make: this.macroFactory(s, file, text, lazy) } : { macro: null, text: s.k === 'data' ? s.text : '' }));
    return (ctx) => {
      let out = '';
      for (const p of parts) {
        if (p.macro === null) out += p.text;
        else {
          const make = p.make;
          ctx.defineMacro(p.macro, () => make(ctx));
        }
      }
      return out;
    };
  }

  /** One top-level macro's maker (see macroFileRoot): `(ctx) => the macro`, its code compiled by V8 on first use. */
  private macroFactory(s: Stmt & { k: 'macro' }, file: string, text: string, lazy: boolean): (ctx: runtime.Ctx) => unknown {
    const generate = () => this.generate(file, false, text, (c) => c.compileMacro(s));
    let compiled = lazy ? undefined : generate();
    let factory: ((ctx: runtime.Ctx) => unknown) | undefined;
    return (ctx) => {
      if (!factory) {
        compiled ??= generate();
        factory = this.instantiate(compiled.js, compiled.data, file, false) as (ctx: runtime.Ctx) => unknown;
      }
      return factory(ctx);
    };
  }

  /** Generate the template's JavaScript and have V8 compile it. */
  private compileRoot(stmts: Stmt[], file: string, native: boolean, text: string): RootFn {
    const { js, data } = this.generate(file, native, text, (c) => c.compileTemplate(stmts));
    return this.instantiate(js, data, file, native) as RootFn;
  }

  /** JavaScript generated by `emit` with a compiler for `file`; a compile-time error located in `text`. */
  private generate(file: string, native: boolean, text: string, emit: (compiler: JsCompiler) => { js: string; data: string[] }): { js: string; data: string[] } {
    const compiler = new JsCompiler({ file, native, hasFilter: (n) => n in this.filters, hasTest: (n) => n in this.tests });
    try {
      return emit(compiler);
    } catch (e) {
      throw quoteLine(e instanceof TsdbtError ? e : tooDeep(e, file, compiler.currentLine), text);
    }
  }

  /** Have V8 compile generated code (a factory over RT_NAMES, F, T, D) and return what it makes. */
  private instantiate(js: string, data: string[], file: string, native: boolean): unknown {
    try {
      return new Function(...RT_NAMES, 'F', 'T', 'D', js)(...RT_VALUES, native ? this.nativeFilterSet : this.filters, this.tests, data);
    } catch (e) {
      if (isStackOverflow(e)) throw tooDeep(e, file, undefined);
      throw new TsdbtError('INTERNAL', `could not compile ${file}: ${describeJsError(e)}`, { file, cause: e, detail: { js } });
    }
  }

  /**
   * Render. Errors surface as TsdbtError carrying the template's file and the line being rendered.
   * `lenientUndefined`: dbt's parse-time Undefined for this template only (its own
   * top-level macros included); the macros it calls from elsewhere render strictly,
   * as dbt compiles macro templates without it.
   */
  render(template: JinjaTemplate, context: RenderContext, lenientUndefined = false): string {
    return runRoot(template, new runtime.Ctx(context, lenientUndefined));
  }

  renderString(source: string, file: string, context: RenderContext): string {
    return this.render(this.compile(source, file), context);
  }

  /**
   * dbt's native rendering, as dbt renders YAML values: `{{ expr }}` alone
   * yields the value itself (list, number, dict...), `| as_number`,
   * `| as_bool`, `| as_native` parse a rendered string as a Python literal,
   * `| as_text` keeps text; any other template yields its text.
   */
  renderNative(source: string, file: string, context: RenderContext): unknown {
    const tpl = this.cached(this.nativeCache, source, file, true);
    const nodes = runRoot(tpl, new runtime.Ctx(context)) as unknown as unknown[];
    // The value goes to host code (YAML configs, vars): plain objects only.
    return toHost(nativeConcat(nodes, file));
  }

  /** Whether bindMacro's macros of this file stay valid when the context's vars are replaced (JinjaTemplate.macrosOnly). */
  definesOnlyMacros(source: string, file: string): boolean {
    return this.compile(source, file).macrosOnly;
  }

  /** The top-level blocks of a file, without rendering anything. */
  blocks(source: string, file: string): TopLevelBlock[] {
    return scanBlocks(source, file);
  }

  /**
   * A macro defined in `file`, bound to `context`: the file is run once per
   * context (defining its macros as closures over that context) and the named
   * macro returned. Inside, names resolve through the context first, so a
   * project can override a package macro; the file's own macros are a fallback.
   * A file whose top level does more than define macros is run again when the
   * context's vars have been replaced since (its top level may read them).
   */
  bindMacro(file: string, source: string, macroName: string, context: RenderContext): JinjaCallable {
    const tpl = this.compile(source, file);
    const holder = context as RenderContext & { [key: symbol]: Map<JinjaTemplate, BoundModule> | undefined };
    let perContext = holder[this.modules];
    if (!perContext) {
      perContext = new Map();
      Object.defineProperty(holder, this.modules, { value: perContext });
    }
    let module = perContext.get(tpl);
    if (!module || (!tpl.macrosOnly && module.vars !== context.vars)) {
      module = { ctx: new runtime.Ctx(context), vars: context.vars };
      runRoot(tpl, module.ctx);
      perContext.set(tpl, module);
    }
    const ctx = module.ctx;
    const fn = ctx.fileMacro(macroName);
    if (typeof fn !== 'function') {
      throw new TsdbtError('MACRO_NOT_FOUND', `macro '${macroName}' is not defined in ${file}`, {
        file,
        hint: tpl.macroNames.length ? `It defines: ${tpl.macroNames.join(', ')}.` : 'The file defines no macros.',
      });
    }
    return fn as JinjaCallable;
  }
}

/**
 * Whether generating code for `node` (statements or expressions) cannot fail,
 * conservatively: JsCompiler's compile-time errors are an unknown filter, an
 * expression nested past MAX_EXPR_DEPTH, a recursive loop's `loop()` call and
 * an attribute as a loop or with target; any filter unknown, any nesting past
 * half that bound, any recursive loop and any attribute target say no.
 */
function compilesSafely(node: unknown, hasFilter: (name: string) => boolean, depth: number): boolean {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (!compilesSafely(node[i], hasFilter, depth)) return false;
    return true;
  }
  if (node === null || typeof node !== 'object') return true;
  const n = node as Record<string, unknown>;
  if (depth > MAX_EXPR_DEPTH / 2 || n.k === 'attr' || n.recursive === true) return false;
  if (n.k === 'filter' && !hasFilter(String(n.name))) return false;
  for (const key in n) {
    const v = n[key];
    if (v !== null && typeof v === 'object' && !compilesSafely(v, hasFilter, depth + 1)) return false;
  }
  return true;
}

/** A macro file run against a context (bindMacro), and the vars it was run under. */
interface BoundModule {
  ctx: runtime.Ctx;
  vars: RenderContext['vars'];
}

/** Run a template's top level; a `return(...)` outside any macro is a user error, not a value. */
function runRoot(template: JinjaTemplate, ctx: runtime.Ctx): string {
  try {
    return template.root(ctx);
  } catch (e) {
    if (e instanceof MacroReturn) {
      throw new TsdbtError('JINJA_RENDER', 'return(...) was called outside of a macro', {
        file: template.file,
        hint: 'Use return() only inside {% macro %}; in a model, output the value with {{ ... }}.',
      });
    }
    throw e;
  }
}

/** The compiler ran out of stack: a located syntax error rather than a RangeError. */
function tooDeep(e: unknown, file: string, line: number | undefined): TsdbtError {
  return new TsdbtError('JINJA_SYNTAX', isStackOverflow(e) ? 'the template is nested too deeply to compile' : describeJsError(e), {
    file,
    line: line || undefined,
    cause: e,
    hint: 'Split the nested expressions or blocks (for example with {% set %} or a macro).',
  });
}

/** Add the offending source line to a syntax error (`near: {% foo %}`), as users need to see the input. */
function quoteLine(e: unknown, source: string): unknown {
  if (e instanceof TsdbtError && e.code === 'JINJA_SYNTAX' && e.line !== undefined) {
    const text = source.split('\n')[e.line - 1]?.trim();
    if (text) {
      e.detail = { ...e.detail, sourceLine: text };
      e.message += ` (near: ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
    }
  }
  return e;
}
