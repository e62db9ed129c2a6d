import type { Expr, Stmt } from './ast.js';
import { parseTemplate } from './template-parser.js';

/** What a template may read and call to count as pure (see readsOnly). */
export interface PureVocabulary {
  /** Names the template may read (each the same value on every render in a given context). */
  names: ReadonlySet<string>;
  /** Of those, the ones it may call (each a function of its arguments alone, with no effects). */
  callable: ReadonlySet<string>;
  /** Filters it may apply (each a function of its arguments alone). */
  filters: ReadonlySet<string>;
  /** `is` tests it may apply. */
  tests: ReadonlySet<string>;
  /**
   * Of `names`, those whose members may be called, at any depth and on what
   * those calls return (`run_started_at.strftime(...)`, `modules.pytz.timezone(...)`):
   * calls with no effects, but not always of the same value
   * (`modules.datetime.datetime.now()`): a template using them renders with
   * no effect, and raises or not as it did, but may not give the same text.
   */
  methodsOf?: ReadonlySet<string>;
}

/**
 * Whether a template, rendered again in the same context, must give the same
 * result with no effect besides it: it is only text, `{{ }}` and `if`, its
 * expressions are literals, operators, attribute and item reads, and the
 * names, calls, filters and tests of `vocabulary`. False for anything else
 * (`set`, loops, macros, a call of anything but a callable name) and for a
 * template that does not parse. A caller may then reuse the first render's
 * value (or error) instead of rendering it again.
 */
export function readsOnly(source: string, vocabulary: PureVocabulary): boolean {
  let stmts: Stmt[];
  try {
    stmts = parseTemplate(source.replace(/\r\n?/g, '\n'), '<template>');
  } catch {
    return false;
  }
  return new PurityCheck(vocabulary).block(stmts);
}

class PurityCheck {
  constructor(private readonly v: PureVocabulary) {}

  block(list: Stmt[]): boolean {
    for (const s of list) {
      if (s.k === 'data') continue;
      if (s.k === 'output') {
        if (!this.expr(s.expr)) return false;
      } else if (s.k === 'if') {
        if (!this.expr(s.test) || !this.block(s.body) || !this.block(s.orelse)) return false;
      } else return false;
    }
    return true;
  }

  private exprs(list: Expr[]): boolean {
    for (const e of list) if (!this.expr(e)) return false;
    return true;
  }

  private kwargs(list: [string, Expr][]): boolean {
    for (const [, e] of list) if (!this.expr(e)) return false;
    return true;
  }

  /** Whether `e` (a pure expression) is one of methodsOf's names, a member of one, or what a call of such a member returns. */
  private methodReceiver(e: Expr): boolean {
    for (;;) {
      if (e.k === 'name') return this.v.methodsOf?.has(e.name) === true;
      if (e.k === 'getattr') e = e.obj;
      else if (e.k === 'call') e = e.fn;
      else return false;
    }
  }

  expr(e: Expr): boolean {
    switch (e.k) {
      case 'const':
        return true;
      case 'name':
        return this.v.names.has(e.name);
      case 'tuple':
      case 'list':
        return this.exprs(e.items);
      case 'dict':
        return e.pairs.every(([k, x]) => this.expr(k) && this.expr(x));
      case 'getattr':
        return this.expr(e.obj);
      case 'getitem':
        return this.expr(e.obj) && this.expr(e.key);
      case 'slice':
        return this.expr(e.obj) && [e.start, e.stop, e.step].every((x) => x === null || this.expr(x));
      case 'call':
        if (e.star !== undefined || e.starstar !== undefined || !this.exprs(e.args) || !this.kwargs(e.kwargs)) return false;
        if (e.fn.k === 'name') return this.v.callable.has(e.fn.name);
        return e.fn.k === 'getattr' && this.expr(e.fn.obj) && this.methodReceiver(e.fn.obj);
      case 'filter':
        return this.v.filters.has(e.name) && (e.target === null || this.expr(e.target)) && this.exprs(e.args) && this.kwargs(e.kwargs);
      case 'test':
        return this.v.tests.has(e.name) && this.expr(e.target) && this.exprs(e.args);
      case 'binop':
      case 'and':
      case 'or':
        return this.expr(e.left) && this.expr(e.right);
      case 'unary':
        return this.expr(e.operand);
      case 'compare':
        return this.expr(e.first) && e.ops.every(([, x]) => this.expr(x));
      case 'cond':
        return this.expr(e.test) && this.expr(e.body) && (e.orelse === null || this.expr(e.orelse));
      default:
        return false;
    }
  }
}
