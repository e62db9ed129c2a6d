/**
 * Token-stream helpers (peek/skip/expect and the whitespace-control
 * bookkeeping), with two-token lookahead and errors as JINJA_SYNTAX
 * TsdbtErrors carrying the file and 1-based line.
 */
import { lexer as L, type NjToken, type NjTokenizer } from './token-types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

export class TokenParser {
  file = '<string>';
  /** The token read ahead (peekToken) or pushed back, next to be read. */
  peeked: NjToken | null = null;
  /** Set by a `-` before a tag's end: the text that follows loses its leading whitespace. */
  dropLeadingWhitespace = false;

  constructor(readonly tokens: NjTokenizer) {}

  /** A JINJA_SYNTAX error at a token (nunjucks lines are 0-based). */
  syntaxError(message: string, tok?: NjToken | null): TsdbtError {
    const t = tok === undefined ? this.peekToken() : tok;
    const line = t ? t.lineno + 1 : this.lastLine;
    return new TsdbtError('JINJA_SYNTAX', message, { file: this.file, line, hint: 'Fix the Jinja syntax at this line.' });
  }

  /** The line of the last token read, for errors at end of input. */
  lastLine = 1;

  /** Tokens pushed back beyond nunjucks' single `peeked` slot (two-token lookahead for `not in`). */
  private buffered: NjToken[] = [];

  pushToken(tok: NjToken | null): void {
    if (this.peeked) this.buffered.unshift(this.peeked);
    this.peeked = tok;
  }

  /** The next token (the tokenizer, lexer.ts, never emits whitespace tokens). This and peekToken run for every token of every template. */
  nextToken(): NjToken | null {
    let tok = this.peeked;
    if (tok) this.peeked = null;
    else if (this.buffered.length) return this.buffered.shift()!;
    else tok = this.tokens.nextToken();
    if (tok) this.lastLine = tok.lineno + 1;
    return tok;
  }

  peekToken(): NjToken | null {
    return this.peeked || (this.peeked = this.nextToken());
  }

  /** Read the next token if it is of `type`; else leave it. */
  skip(type: string): boolean {
    const tok = this.nextToken();
    if (!tok || tok.type !== type) {
      this.pushToken(tok);
      return false;
    }
    return true;
  }

  /** Read the next token if it is the name `value`; else leave it. */
  skipSymbol(value: string): boolean {
    const tok = this.nextToken();
    if (!tok || tok.type !== L.TOKEN_SYMBOL || tok.value !== value) {
      this.pushToken(tok);
      return false;
    }
    return true;
  }

  next(): NjToken {
    const tok = this.nextToken();
    if (!tok) throw this.syntaxError('unexpected end of template', null);
    return tok;
  }

  expectType(type: string, what: string): NjToken {
    const tok = this.nextToken();
    if (!tok || tok.type !== type) throw this.syntaxError(`expected ${what}, got ${describe(tok)}`, tok ?? null);
    return tok;
  }

  isOp(value: string): boolean {
    const t = this.peekToken();
    return t !== null && t.type === L.TOKEN_OPERATOR && t.value === value;
  }

  isType(type: string): boolean {
    const t = this.peekToken();
    return t !== null && t.type === type;
  }

  isName(value: string): boolean {
    const t = this.peekToken();
    return t !== null && t.type === L.TOKEN_SYMBOL && t.value === value;
  }

  expectName(): NjToken {
    return this.expectType(L.TOKEN_SYMBOL, 'a name');
  }

}

export function describe(tok: NjToken | null | undefined): string {
  if (!tok) return 'end of template';
  if (tok.type === L.TOKEN_BLOCK_END) return "end of statement block '%}'";
  if (tok.type === L.TOKEN_VARIABLE_END) return "end of print statement '}}'";
  if (tok.type === L.TOKEN_STRING) return `string '${tok.value}'`;
  return `'${tok.value}'`;
}
