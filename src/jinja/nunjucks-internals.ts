/**
 * Typed handles on the nunjucks 3.2.4 internals we build on.
 *
 * We build on nunjucks' Parser token-stream machinery (peek/skip/push-back,
 * whitespace-control bookkeeping) and its token vocabulary. The tokenizer
 * feeding it (lexer.ts), the grammar (expression-parser.ts,
 * template-parser.ts) and the code generator (compiler.ts) are ours, so
 * templates get Jinja2 3.1 semantics and dbt's tags; nunjucks' own
 * tokenizer is not used (it is slower and drops `\d` escapes). nunjucks is
 * pinned at 3.2.4, so these shapes are stable.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface NjToken {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

export interface NjTokenizer {
  nextToken(): NjToken | null;
  tags: { BLOCK_START: string; BLOCK_END: string; VARIABLE_START: string; VARIABLE_END: string; COMMENT_START: string; COMMENT_END: string };
  _extractRegex(re: RegExp): RegExpMatchArray | null;
  backN(n: number): void;
}

/** The subset of nunjucks' Parser instance API we call. */
export interface NjParserBase {
  tokens: NjTokenizer;
  peeked: NjToken | null;
  breakOnBlocks: string[] | null;
  dropLeadingWhitespace: boolean;
  nextToken(withWhitespace?: boolean): NjToken | null;
  peekToken(): NjToken | null;
  pushToken(tok: NjToken | null): void;
  skip(type: string): boolean;
  skipValue(type: string, value: string): boolean;
  skipSymbol(value: string): boolean;
  advanceAfterBlockEnd(name?: string): NjToken;
  advanceAfterVariableEnd(): void;
}

export type NjParserCtor = new (tokens: NjTokenizer) => NjParserBase;

export const NunjucksParser = (require('nunjucks/src/parser.js') as { Parser: NjParserCtor }).Parser;

interface NjLexerModule {
  lex(src: string, opts?: { trimBlocks?: boolean; lstripBlocks?: boolean }): NjTokenizer;
  TOKEN_STRING: string;
  TOKEN_WHITESPACE: string;
  TOKEN_DATA: string;
  TOKEN_BLOCK_START: string;
  TOKEN_BLOCK_END: string;
  TOKEN_VARIABLE_START: string;
  TOKEN_VARIABLE_END: string;
  TOKEN_COMMENT: string;
  TOKEN_LEFT_PAREN: string;
  TOKEN_RIGHT_PAREN: string;
  TOKEN_LEFT_BRACKET: string;
  TOKEN_RIGHT_BRACKET: string;
  TOKEN_LEFT_CURLY: string;
  TOKEN_RIGHT_CURLY: string;
  TOKEN_OPERATOR: string;
  TOKEN_COMMA: string;
  TOKEN_COLON: string;
  TOKEN_TILDE: string;
  TOKEN_PIPE: string;
  TOKEN_INT: string;
  TOKEN_FLOAT: string;
  TOKEN_BOOLEAN: string;
  TOKEN_NONE: string;
  TOKEN_SYMBOL: string;
  TOKEN_REGEX: string;
}

export const lexer = require('nunjucks/src/lexer.js') as NjLexerModule;

/** nunjucks' own error type (thrown by the tokenizer and the base parser helpers). */
export const NjTemplateError = (require('nunjucks/src/lib.js') as { TemplateError: new (...a: unknown[]) => Error })
  .TemplateError;
