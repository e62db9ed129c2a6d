/**
 * Statement-level Jinja2 grammar plus dbt's block tags, producing `ast.ts`
 * nodes. Whitespace control (`{%-`, `-%}`, `{{-`, `{#-`) follows Jinja2;
 * trim_blocks/lstrip_blocks stay off, as in dbt's environment.
 */
import { describeJsError, isStackOverflow } from './js-errors.js';
import type { Expr, Param, Stmt, Target } from './ast.js';
import { ExpressionParser, describe } from './expression-parser.js';
import { lexer as L, type NjToken } from './token-types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { JinjaTokenizer } from './lexer.js';

interface OpenBlock {
  tag: string;
  line: number;
}

export class TemplateParser extends ExpressionParser {
  /** The blocks currently open, innermost last, for end-of-template errors. */
  private open: OpenBlock[] = [];
  /** How many enclosing `for` loops (reset inside macros), for break/continue. */
  private loopDepth = 0;

  parseTemplate(): Stmt[] {
    return this.parseBody([]);
  }

  /**
   * Statements until one of `ends` (a tag name) is reached; the end tag's name
   * is then the next token (not consumed). At top level (`ends` empty) runs to EOF.
   */
  private parseBody(ends: string[]): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      const tok = this.nextToken();
      if (!tok) {
        if (ends.length) {
          const blk = this.open[this.open.length - 1]!;
          throw new TsdbtError(
            'JINJA_SYNTAX',
            `Unexpected end of template: the '${blk.tag}' block opened on line ${blk.line} is never closed (expected ${ends.map((e) => `'${e}'`).join(' or ')})`,
            { file: this.file, line: this.lastLine, hint: `Add {% ${ends[ends.length - 1]} %} where the '${blk.tag}' block should end.` },
          );
        }
        return out;
      }
      if (tok.type === L.TOKEN_DATA) {
        let data = tok.value;
        if (this.dropLeadingWhitespace) {
          data = data.trimStart();
          this.dropLeadingWhitespace = false;
        }
        const nt = this.peekToken();
        if (nt && stripsBefore(nt, this.tokens.tags)) data = data.trimEnd();
        if (data) out.push({ k: 'data', line: tok.lineno + 1, text: data });
      } else if (tok.type === L.TOKEN_BLOCK_START) {
        this.dropLeadingWhitespace = false;
        const nameTok = this.peekToken();
        if (!nameTok || nameTok.type !== L.TOKEN_SYMBOL) throw this.syntaxError(`expected a tag name after '{%', got ${describe(nameTok)}`, nameTok);
        if (ends.includes(nameTok.value)) return out;
        const stmt = this.parseStatement(nameTok, ends);
        if (Array.isArray(stmt)) out.push(...stmt);
        else if (stmt) out.push(stmt);
      } else if (tok.type === L.TOKEN_VARIABLE_START) {
        const expr = this.parseTuple();
        this.dropLeadingWhitespace = false;
        const end = this.nextToken();
        if (!end || end.type !== L.TOKEN_VARIABLE_END) throw this.syntaxError(`expected end of print statement '}}', got ${describe(end)}`, end ?? null);
        this.dropLeadingWhitespace = end.value.charAt(end.value.length - this.tokens.tags.VARIABLE_END.length - 1) === '-';
        out.push({ k: 'output', line: tok.lineno + 1, expr });
      } else if (tok.type === L.TOKEN_COMMENT) {
        this.dropLeadingWhitespace = tok.value.charAt(tok.value.length - this.tokens.tags.COMMENT_END.length - 1) === '-';
      } else {
        throw this.syntaxError(`unexpected ${describe(tok)}`, tok);
      }
    }
  }

  /** Parse a body closed by one of `ends`; returns it and the end tag name (consumed with its `%}`). */
  private block(tag: string, line: number, ends: string[]): { body: Stmt[]; end: string } {
    this.open.push({ tag, line });
    const body = this.parseBody(ends);
    this.open.pop();
    const end = this.next().value;
    return { body, end };
  }

  private closeTag(name: string): void {
    // Jinja2 accepts a Python-style colon before `%}` (`{% if execute: %}`); dbt's own macros use it.
    this.skip(L.TOKEN_COLON);
    const tok = this.nextToken();
    if (!tok || tok.type !== L.TOKEN_BLOCK_END) throw this.syntaxError(`expected '%}' to end the '${name}' tag, got ${describe(tok)}`, tok ?? null);
    if (tok.value.charAt(0) === '-') this.dropLeadingWhitespace = true;
  }

  private parseStatement(nameTok: NjToken, ends: string[]): Stmt | Stmt[] | null {
    const line = nameTok.lineno + 1;
    const tag = nameTok.value;
    this.next();
    switch (tag) {
      case 'if':
        return this.parseIf(line);
      case 'for':
        return this.parseFor(line);
      case 'set':
        return this.parseSet(line);
      case 'macro':
        return this.parseMacroLike('macro', line, (n) => n);
      case 'test':
        return this.parseMacroLike('test', line, (n) => `test_${n}`);
      case 'materialization':
        return this.parseMaterialization(line);
      case 'docs':
      case 'snapshot':
        return this.parseDbtBlock(tag, line);
      case 'call':
        return this.parseCallBlock(line);
      case 'filter':
        return this.parseFilterBlock(line);
      case 'with':
        return this.parseWith(line);
      case 'do': {
        const expr = this.parseTuple();
        this.closeTag('do');
        return { k: 'do', line, expr };
      }
      case 'break':
      case 'continue':
        if (this.loopDepth === 0) throw this.syntaxError(`'${tag}' is only allowed inside a for loop`, nameTok);
        this.closeTag(tag);
        return { k: tag, line };
      case 'raw':
        return this.parseRawBlock(line);
      default: {
        const inner = this.open[this.open.length - 1];
        const expected = inner ? ` (the '${inner.tag}' block opened on line ${inner.line} expects ${ends.map((e) => `'${e}'`).join(' or ')})` : '';
        throw new TsdbtError('JINJA_SYNTAX', `Encountered unknown tag '${tag}'${expected}`, {
          file: this.file,
          line,
          hint: tag.startsWith('end') ? `Remove the stray {% ${tag} %} or open the matching block.` : `'${tag}' is not a Jinja or dbt tag; check its spelling.`,
        });
      }
    }
  }

  private parseIf(line: number): Stmt {
    const test = this.parseTuple(false);
    this.closeTag('if');
    const { body, end } = this.block('if', line, ['elif', 'else', 'endif']);
    let orelse: Stmt[] = [];
    if (end === 'elif') {
      const elifLine = this.lastLine;
      orelse = [this.parseIf(elifLine)];
    } else if (end === 'else') {
      this.closeTag('else');
      orelse = this.block('if', line, ['endif']).body;
      this.closeTag('endif');
    } else {
      this.closeTag('endif');
    }
    return { k: 'if', line, test, body, orelse };
  }

  private parseTarget(allowAttr: boolean, allowTuple: boolean): Target {
    const first = this.parseSimpleTarget(allowAttr);
    if (!allowTuple || !this.isType(L.TOKEN_COMMA)) return first;
    const items: Target[] = [first];
    while (this.skip(L.TOKEN_COMMA)) {
      if (this.isName('in') || !(this.isType(L.TOKEN_SYMBOL) || this.isType(L.TOKEN_LEFT_PAREN))) break;
      items.push(this.parseSimpleTarget(false));
    }
    return { k: 'tuple', line: first.line, items };
  }

  private parseSimpleTarget(allowAttr: boolean): Target {
    if (this.isType(L.TOKEN_LEFT_PAREN)) {
      const open = this.next();
      const t = this.parseTarget(false, true);
      this.expectType(L.TOKEN_RIGHT_PAREN, "')'");
      return t.k === 'tuple' ? t : { k: 'tuple', line: open.lineno + 1, items: [t] };
    }
    const tok = this.expectName();
    const line = tok.lineno + 1;
    if (allowAttr && this.isOp('.')) {
      this.next();
      return { k: 'attr', line, obj: tok.value, attr: this.expectName().value };
    }
    if (['true', 'false', 'none', 'True', 'False', 'None'].includes(tok.value)) throw this.syntaxError(`cannot assign to '${tok.value}'`, tok);
    return { k: 'name', line, name: tok.value };
  }

  private parseFor(line: number): Stmt {
    const target = this.parseTarget(false, true);
    if (!this.skipSymbol('in')) throw this.syntaxError(`expected 'in' in the for loop, got ${describe(this.peekToken())}`);
    const iter = this.parseTuple(false);
    let filter: Expr | null = null;
    if (this.skipSymbol('if')) filter = this.parseExpr();
    const recursive = this.skipSymbol('recursive');
    this.closeTag('for');
    this.loopDepth++;
    const { body, end } = this.block('for', line, ['else', 'endfor']);
    this.loopDepth--;
    let orelse: Stmt[] = [];
    if (end === 'else') {
      this.closeTag('else');
      orelse = this.block('for', line, ['endfor']).body;
    }
    this.closeTag('endfor');
    return { k: 'for', line, target, iter, filter, body, orelse, recursive };
  }

  private parseSet(line: number): Stmt {
    const target = this.parseTarget(true, true);
    if (this.isOp('=')) {
      this.next();
      const value = this.parseTuple();
      this.closeTag('set');
      return { k: 'set', line, target, value };
    }
    const filters: Expr[] = [];
    while (this.skip(L.TOKEN_PIPE)) filters.push(this.parseFilter(null));
    this.closeTag('set');
    const { body } = this.block('set', line, ['endset']);
    this.closeTag('endset');
    return { k: 'setblock', line, target, body, filters };
  }

  /** Parse a macro body with loop nesting reset (break/continue cannot cross a macro). */
  private macroBody(tag: string, line: number, end: string): Stmt[] {
    const saved = this.loopDepth;
    this.loopDepth = 0;
    const { body } = this.block(tag, line, [end]);
    this.loopDepth = saved;
    this.closeTag(end);
    return body;
  }

  private parseMacroLike(tag: 'macro' | 'test', line: number, macroName: (n: string) => string): Stmt {
    const name = this.expectName().value;
    const params = this.isType(L.TOKEN_LEFT_PAREN) ? this.parseSignature() : [];
    this.closeTag(tag);
    const body = this.macroBody(tag, line, `end${tag}`);
    return { k: 'macro', line, name: macroName(name), params, body };
  }

  private parseMaterialization(line: number): Stmt {
    const nameTok = this.expectName();
    let adapter = 'default';
    let languages: Expr = { k: 'list', line, items: [{ k: 'const', line, value: 'sql' }] };
    while (this.skip(L.TOKEN_COMMA)) {
      const key = this.expectName();
      if (key.value === 'default') continue;
      if (!this.isOp('=')) throw this.syntaxError(`expected '=' after '${key.value}' in the materialization tag`);
      this.next();
      const value = this.parseExpr();
      if (key.value === 'adapter') {
        if (value.k !== 'const' || typeof value.value !== 'string') throw this.syntaxError('the materialization adapter must be a string literal', key);
        adapter = value.value;
      } else if (key.value === 'supported_languages') {
        languages = value;
      } else {
        throw new TsdbtError('JINJA_SYNTAX', `materialization '${nameTok.value}' got an unexpected argument '${key.value}'`, {
          file: this.file,
          line: key.lineno + 1,
          hint: "A materialization tag accepts only: default, adapter='name', supported_languages=[...].",
        });
      }
    }
    this.closeTag('materialization');
    const body = this.macroBody('materialization', line, 'endmaterialization');
    const params: Param[] = [{ name: 'supported_languages', default: languages }];
    return { k: 'macro', line, name: `materialization_${nameTok.value}_${adapter}`, params, body };
  }

  private parseDbtBlock(kind: 'docs' | 'snapshot', line: number): Stmt {
    const name = this.expectName().value;
    this.closeTag(kind);
    const { body } = this.block(kind, line, [`end${kind}`]);
    this.closeTag(`end${kind}`);
    return { k: 'dbtblock', line, kind, name, body };
  }

  private parseCallBlock(line: number): Stmt {
    const params = this.isType(L.TOKEN_LEFT_PAREN) ? this.parseSignature() : [];
    const call = this.parseExpr();
    if (call.k !== 'call') throw this.syntaxError('expected a call after {% call %}, like {% call my_macro() %}');
    this.closeTag('call');
    const body = this.macroBody('call', line, 'endcall');
    return { k: 'callblock', line, call, params, body };
  }

  private parseFilterBlock(line: number): Stmt {
    const filters: Expr[] = [this.parseFilter(null)];
    while (this.skip(L.TOKEN_PIPE)) filters.push(this.parseFilter(null));
    this.closeTag('filter');
    const { body } = this.block('filter', line, ['endfilter']);
    this.closeTag('endfilter');
    return { k: 'filterblock', line, filters, body };
  }

  private parseWith(line: number): Stmt {
    const targets: Target[] = [];
    const values: Expr[] = [];
    while (!this.isType(L.TOKEN_BLOCK_END)) {
      if (targets.length) this.expectType(L.TOKEN_COMMA, "','");
      targets.push(this.parseTarget(false, false));
      if (!this.isOp('=')) throw this.syntaxError("expected '=' in the with tag");
      this.next();
      values.push(this.parseExpr());
    }
    this.closeTag('with');
    const { body } = this.block('with', line, ['endwith']);
    this.closeTag('endwith');
    return { k: 'with', line, targets, values, body };
  }

  private parseRawBlock(line: number): Stmt | Stmt[] {
    // Scan the source text directly for `{% endraw %}` (any whitespace control).
    const tok = this.nextToken();
    if (!tok || tok.type !== L.TOKEN_BLOCK_END) throw this.syntaxError("expected '%}' after raw", tok ?? null);
    const m = this.tokens._extractRegex(/([\s\S]*?)\{%(-?)\s*endraw\s*(-?)%\}/);
    if (!m) {
      throw new TsdbtError('JINJA_SYNTAX', `Unexpected end of template: the 'raw' block opened on line ${line} is never closed`, {
        file: this.file,
        line,
        hint: 'Add {% endraw %}.',
      });
    }
    let text = m[1]!;
    if (tok.value.charAt(0) === '-') text = text.replace(/^\s*/, '');
    if (m[2] === '-') text = text.replace(/\s*$/, '');
    this.dropLeadingWhitespace = m[3] === '-';
    return text ? { k: 'data', line, text } : [];
  }
}

function stripsBefore(tok: NjToken, tags: { BLOCK_START: string; VARIABLE_START: string; COMMENT_START: string }): boolean {
  const v = tok.value;
  return (
    (tok.type === L.TOKEN_BLOCK_START && v.charAt(v.length - 1) === '-') ||
    (tok.type === L.TOKEN_VARIABLE_START && v.charAt(tags.VARIABLE_START.length) === '-') ||
    (tok.type === L.TOKEN_COMMENT && v.charAt(tags.COMMENT_START.length) === '-')
  );
}

/** Parse a template; any parser failure becomes JINJA_SYNTAX with the file and line. */
export function parseTemplate(source: string, file: string): Stmt[] {
  const parser = new TemplateParser(new JinjaTokenizer(source, file));
  parser.file = file;
  try {
    return parser.parseTemplate();
  } catch (e) {
    if (e instanceof TsdbtError) throw e;
    if (e instanceof Error) {
      const lineno = (e as { lineno?: number }).lineno;
      const deep = isStackOverflow(e);
      const message = deep ? 'the template is nested too deeply to parse' : describeJsError(e);
      throw new TsdbtError('JINJA_SYNTAX', message, {
        file,
        line: typeof lineno === 'number' ? lineno : parser.lastLine,
        hint: deep ? 'Split the nested expressions or blocks (for example with {% set %} or a macro).' : 'Fix the Jinja syntax at this line.',
        cause: e,
      });
    }
    throw e;
  }
}
