/**
 * Jinja2's expression grammar over nunjucks' token stream.
 *
 * Precedence (loosest first), as Jinja2 3.1: conditional `a if b else c`,
 * `or`, `and`, `not`, comparisons (`== != < > <= >= in not in`, chained),
 * `+ -`, `~`, `* / // %`, `**`, unary `- +`, then postfix (`.x`, `[i]`,
 * `[a:b]`, calls) and filters/tests (`|f`, `is t`). nunjucks' own grammar
 * differs in several places (e.g. `a * b // c`), hence this rewrite.
 */
import type { CmpOp, Expr, Param } from './ast.js';
import { lexer as L, type NjToken } from './token-types.js';
import { TokenParser, describe } from './token-parser.js';

export { describe };

const CMP_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** A binary operator token's precedence (`+ -` 1, `~` 2, `* / // %` 3, `**` 4); 0 for any other token. */
function binaryPrecedence(tok: NjToken | null): number {
  if (tok === null) return 0;
  if (tok.type === L.TOKEN_TILDE) return 2;
  if (tok.type !== L.TOKEN_OPERATOR) return 0;
  switch (tok.value) {
    case '+':
    case '-':
      return 1;
    case '*':
    case '/':
    case '//':
    case '%':
      return 3;
    case '**':
      return 4;
    default:
      return 0;
  }
}
const EXPR_START: ReadonlySet<string> = new Set<string>([L.TOKEN_SYMBOL, L.TOKEN_STRING, L.TOKEN_INT, L.TOKEN_FLOAT, L.TOKEN_BOOLEAN, L.TOKEN_NONE, L.TOKEN_LEFT_PAREN, L.TOKEN_LEFT_BRACKET, L.TOKEN_LEFT_CURLY]);

export class ExpressionParser extends TokenParser {
  // ---- expressions ----

  /**
   * An expression. Most are a single operand (a name, call, literal...) with no
   * operator after it: that operand is read first, and the levels above it
   * (binary operators, comparisons, `and`, `or`, `if`) are entered only when
   * the token after it is an operator or a name (the tree is the same as
   * descending through every level).
   */
  parseExpr(withCond = true): Expr {
    const t = this.peekToken();
    if (t !== null && t.type === L.TOKEN_SYMBOL && t.value === 'not') return withCond ? this.parseCondExpr() : this.parseOr();
    let e = this.parseUnary();
    const next = this.peekToken();
    if (next === null || (next.type !== L.TOKEN_OPERATOR && next.type !== L.TOKEN_TILDE && next.type !== L.TOKEN_SYMBOL)) return e;
    e = this.orFrom(this.andFrom(this.compareFrom(this.binaryFrom(e, 1))));
    return withCond ? this.condFrom(e) : e;
  }

  parseCondExpr(): Expr {
    return this.condFrom(this.parseOr());
  }

  /** The `a if b else c` loop after its first operand. */
  private condFrom(first: Expr): Expr {
    let expr = first;
    while (this.isName('if')) {
      const tok = this.next();
      const test = this.parseOr();
      let orelse: Expr | null = null;
      if (this.skipSymbol('else')) orelse = this.parseCondExpr();
      expr = { k: 'cond', line: tok.lineno + 1, test, body: expr, orelse };
    }
    return expr;
  }

  parseOr(): Expr {
    return this.orFrom(this.parseAnd());
  }

  private orFrom(first: Expr): Expr {
    let left = first;
    while (this.isName('or')) {
      const tok = this.next();
      left = { k: 'or', line: tok.lineno + 1, left, right: this.parseAnd() };
    }
    return left;
  }

  parseAnd(): Expr {
    return this.andFrom(this.parseNot());
  }

  private andFrom(first: Expr): Expr {
    let left = first;
    while (this.isName('and')) {
      const tok = this.next();
      left = { k: 'and', line: tok.lineno + 1, left, right: this.parseNot() };
    }
    return left;
  }

  parseNot(): Expr {
    if (this.isName('not')) {
      const tok = this.next();
      return { k: 'unary', line: tok.lineno + 1, op: 'not', operand: this.parseNot() };
    }
    return this.parseCompare();
  }

  parseCompare(): Expr {
    return this.compareFrom(this.parseBinary(1));
  }

  private compareFrom(first: Expr): Expr {
    let ops: [CmpOp, Expr][] | null = null;
    for (;;) {
      const tok = this.peekToken();
      if (!tok) break;
      if (tok.type === L.TOKEN_OPERATOR && CMP_OPS.has(tok.value)) {
        this.next();
        (ops ??= []).push([tok.value as CmpOp, this.parseBinary(1)]);
      } else if (tok.type === L.TOKEN_SYMBOL && tok.value === 'in') {
        this.next();
        (ops ??= []).push(['in', this.parseBinary(1)]);
      } else if (tok.type === L.TOKEN_SYMBOL && tok.value === 'not') {
        this.next();
        if (!this.skipSymbol('in')) {
          this.pushToken(tok);
          break;
        }
        (ops ??= []).push(['notin', this.parseBinary(1)]);
      } else break;
    }
    return ops !== null ? { k: 'compare', line: first.line, first, ops } : first;
  }

  /**
   * `+ -`, then `~`, then `* / // %`, then `**` (all left-associative), by
   * precedence climbing: the tree Jinja2's one-function-per-level parser
   * builds, with one call per operand instead of one per level.
   */
  parseBinary(minPrec: number): Expr {
    return this.binaryFrom(this.parseUnary(), minPrec);
  }

  private binaryFrom(first: Expr, minPrec: number): Expr {
    let left = first;
    for (;;) {
      const tok = this.peekToken();
      const prec = binaryPrecedence(tok);
      if (prec < minPrec) return left;
      this.next();
      left = { k: 'binop', line: tok!.lineno + 1, op: tok!.value as '+', left, right: this.parseBinary(prec + 1) };
    }
  }

  parseUnary(withFilter = true): Expr {
    let node: Expr;
    const tok = this.peekToken();
    if (tok && tok.type === L.TOKEN_OPERATOR && (tok.value === '-' || tok.value === '+')) {
      this.next();
      node = { k: 'unary', line: tok.lineno + 1, op: tok.value === '-' ? 'neg' : 'pos', operand: this.parseUnary(false) };
    } else {
      node = this.parsePrimary();
    }
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  parsePrimary(): Expr {
    const tok = this.next();
    const line = tok.lineno + 1;
    switch (tok.type) {
      case L.TOKEN_SYMBOL:
        if (tok.value === 'True' || tok.value === 'true') return { k: 'const', line, value: true };
        if (tok.value === 'False' || tok.value === 'false') return { k: 'const', line, value: false };
        if (tok.value === 'None' || tok.value === 'none') return { k: 'const', line, value: null };
        return { k: 'name', line, name: tok.value };
      case L.TOKEN_BOOLEAN:
        return { k: 'const', line, value: tok.value === 'true' };
      case L.TOKEN_NONE:
        if (tok.value === 'null') return { k: 'name', line, name: 'null' };
        return { k: 'const', line, value: null };
      case L.TOKEN_STRING: {
        // Adjacent string literals concatenate, as in Python.
        let value = tok.value;
        while (this.isType(L.TOKEN_STRING)) value += this.next().value;
        return { k: 'const', line, value };
      }
      case L.TOKEN_INT:
        return { k: 'const', line, value: Number.parseInt(tok.value.replace(/_/g, ''), 10) };
      case L.TOKEN_FLOAT:
        return { k: 'const', line, value: Number.parseFloat(tok.value.replace(/_/g, '')), float: true };
      case L.TOKEN_LEFT_PAREN:
        return this.parseParenthesized(tok);
      case L.TOKEN_LEFT_BRACKET: {
        const items: Expr[] = [];
        while (!this.isType(L.TOKEN_RIGHT_BRACKET)) {
          if (items.length) this.expectType(L.TOKEN_COMMA, "',' or ']'");
          if (this.isType(L.TOKEN_RIGHT_BRACKET)) break;
          items.push(this.parseExpr());
        }
        this.next();
        return { k: 'list', line, items };
      }
      case L.TOKEN_LEFT_CURLY: {
        const pairs: [Expr, Expr][] = [];
        while (!this.isType(L.TOKEN_RIGHT_CURLY)) {
          if (pairs.length) this.expectType(L.TOKEN_COMMA, "',' or '}'");
          if (this.isType(L.TOKEN_RIGHT_CURLY)) break;
          const key = this.parseExpr();
          this.expectType(L.TOKEN_COLON, "':' after a dict key");
          pairs.push([key, this.parseExpr()]);
        }
        this.next();
        return { k: 'dict', line, pairs };
      }
      default:
        throw this.syntaxError(`unexpected ${describe(tok)}`, tok);
    }
  }

  /** After `(`: `()`, `(x)`, `(x,)`, `(x, y)`. */
  private parseParenthesized(open: NjToken): Expr {
    const line = open.lineno + 1;
    const items: Expr[] = [];
    let sawComma = false;
    while (!this.isType(L.TOKEN_RIGHT_PAREN)) {
      if (items.length) {
        this.expectType(L.TOKEN_COMMA, "',' or ')'");
        sawComma = true;
        if (this.isType(L.TOKEN_RIGHT_PAREN)) break;
      }
      items.push(this.parseExpr());
    }
    this.next();
    if (items.length === 1 && !sawComma) return items[0]!;
    return { k: 'tuple', line, items };
  }

  /** An unparenthesized tuple where Jinja2 allows one (`{{ a, b }}`, `set x = a, b`, `for ... in a, b`). */
  parseTuple(withCond = true): Expr {
    const first = this.parseExpr(withCond);
    if (!this.isType(L.TOKEN_COMMA)) return first;
    const items = [first];
    while (this.skip(L.TOKEN_COMMA)) {
      if (!this.startsExpression()) break;
      items.push(this.parseExpr(withCond));
    }
    return { k: 'tuple', line: first.line, items };
  }

  startsExpression(): boolean {
    const t = this.peekToken();
    if (!t) return false;
    if (t.type === L.TOKEN_OPERATOR) return t.value === '-' || t.value === '+';
    if (t.type === L.TOKEN_SYMBOL) return !['in', 'if', 'else', 'recursive'].includes(t.value);
    return EXPR_START.has(t.type);
  }

  parsePostfix(node: Expr): Expr {
    for (;;) {
      const tok = this.peekToken();
      if (!tok) return node;
      if (tok.type === L.TOKEN_OPERATOR && tok.value === '.') {
        this.next();
        const attr = this.next();
        if (attr.type === L.TOKEN_SYMBOL || attr.type === L.TOKEN_BOOLEAN || attr.type === L.TOKEN_NONE) {
          node = { k: 'getattr', line: tok.lineno + 1, obj: node, attr: attr.value };
        } else if (attr.type === L.TOKEN_INT) {
          node = { k: 'getitem', line: tok.lineno + 1, obj: node, key: { k: 'const', line: tok.lineno + 1, value: Number(attr.value) } };
        } else {
          throw this.syntaxError(`expected an attribute name after '.', got ${describe(attr)}`, attr);
        }
      } else if (tok.type === L.TOKEN_LEFT_BRACKET) {
        this.next();
        node = this.parseSubscript(node, tok.lineno + 1);
      } else if (tok.type === L.TOKEN_LEFT_PAREN) {
        this.next();
        node = this.parseCallArgs(node, tok.lineno + 1);
      } else {
        return node;
      }
    }
  }

  private parseSubscript(obj: Expr, line: number): Expr {
    const parts: (Expr | null)[] = [];
    let isSlice = false;
    let cur: Expr | null = null;
    for (;;) {
      const t = this.peekToken();
      if (!t) throw this.syntaxError("expected ']'", null);
      if (t.type === L.TOKEN_RIGHT_BRACKET) {
        this.next();
        break;
      }
      if (t.type === L.TOKEN_COLON) {
        this.next();
        isSlice = true;
        parts.push(cur);
        cur = null;
        continue;
      }
      if (cur !== null) throw this.syntaxError(`expected ']' or ':', got ${describe(t)}`, t);
      cur = this.parseTuple();
    }
    if (!isSlice) {
      if (cur === null) throw this.syntaxError('expected a subscript expression', null);
      return { k: 'getitem', line, obj, key: cur };
    }
    parts.push(cur);
    if (parts.length > 3) throw this.syntaxError('invalid slice', null);
    return { k: 'slice', line, obj, start: parts[0] ?? null, stop: parts[1] ?? null, step: parts[2] ?? null };
  }

  /** After `(`: positional args, `name=value`, `*args`, `**kwargs`, trailing comma. */
  parseCallArgs(fn: Expr, line: number): Expr & { k: 'call' } {
    const call: Expr & { k: 'call' } = { k: 'call', line, fn, args: [], kwargs: [] };
    let first = true;
    while (!this.isType(L.TOKEN_RIGHT_PAREN)) {
      if (!first) {
        this.expectType(L.TOKEN_COMMA, "',' or ')' in the call arguments");
        if (this.isType(L.TOKEN_RIGHT_PAREN)) break;
      }
      first = false;
      if (this.isOp('**')) {
        this.next();
        call.starstar = this.parseExpr();
        continue;
      }
      if (this.isOp('*')) {
        this.next();
        call.star = this.parseExpr();
        continue;
      }
      const tok = this.peekToken();
      if (tok && tok.type === L.TOKEN_SYMBOL) {
        this.next();
        if (this.isOp('=')) {
          this.next();
          call.kwargs.push([tok.value, this.parseExpr()]);
          continue;
        }
        this.pushToken(tok);
      }
      if (call.kwargs.length) throw this.syntaxError('positional argument follows keyword argument', tok);
      call.args.push(this.parseExpr());
    }
    this.next();
    return call;
  }

  parseFilterExpr(node: Expr): Expr {
    for (;;) {
      const tok = this.peekToken();
      if (!tok) return node;
      if (tok.type === L.TOKEN_PIPE) {
        this.next();
        node = this.parseFilter(node);
      } else if (tok.type === L.TOKEN_SYMBOL && tok.value === 'is') {
        this.next();
        node = this.parseTest(node, tok.lineno + 1);
      } else if (tok.type === L.TOKEN_LEFT_PAREN) {
        this.next();
        node = this.parseCallArgs(node, tok.lineno + 1);
      } else {
        return node;
      }
    }
  }

  /** After `|` (or in `{% filter %}`): a dotted filter name with optional call args. */
  parseFilter(target: Expr | null): Expr {
    const tok = this.expectName();
    let name = tok.value;
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expectName().value;
    }
    let args: Expr[] = [];
    let kwargs: [string, Expr][] = [];
    if (this.isType(L.TOKEN_LEFT_PAREN)) {
      this.next();
      const call = this.parseCallArgs({ k: 'const', line: tok.lineno + 1, value: null }, tok.lineno + 1);
      args = call.args;
      kwargs = call.kwargs;
    }
    return { k: 'filter', line: tok.lineno + 1, name, target, args, kwargs };
  }

  private parseTest(target: Expr, line: number): Expr {
    const negate = this.skipSymbol('not');
    const tok = this.next();
    // `none`, `true`, `false` arrive as their own token types.
    if (tok.type !== L.TOKEN_SYMBOL && tok.type !== L.TOKEN_NONE && tok.type !== L.TOKEN_BOOLEAN) {
      throw this.syntaxError(`expected a test name after 'is', got ${describe(tok)}`, tok);
    }
    let name = tok.value;
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expectName().value;
    }
    let args: Expr[] = [];
    const next = this.peekToken();
    if (next && next.type === L.TOKEN_LEFT_PAREN) {
      this.next();
      args = this.parseCallArgs({ k: 'const', line, value: null }, line).args;
    } else if (next && EXPR_START.has(next.type) && !(next.type === L.TOKEN_SYMBOL && ['else', 'or', 'and', 'if', 'is', 'in', 'not'].includes(next.value))) {
      args = [this.parsePostfix(this.parsePrimary())];
    }
    return { k: 'test', line, name, target, args, negate };
  }

  /** `(a, b=default, ...)` of a macro/test/call-block signature. */
  parseSignature(): Param[] {
    const params: Param[] = [];
    this.expectType(L.TOKEN_LEFT_PAREN, "'(' to open the argument list");
    while (!this.isType(L.TOKEN_RIGHT_PAREN)) {
      if (params.length) {
        this.expectType(L.TOKEN_COMMA, "',' or ')' in the argument list");
        if (this.isType(L.TOKEN_RIGHT_PAREN)) break;
      }
      const name = this.expectName();
      let dflt: Expr | null = null;
      if (this.isOp('=')) {
        this.next();
        dflt = this.parseExpr();
      } else if (params.some((p) => p.default !== null)) {
        throw this.syntaxError(`non-default argument '${name.value}' follows default argument`, name);
      }
      params.push({ name: name.value, default: dflt });
    }
    this.next();
    return params;
  }
}
