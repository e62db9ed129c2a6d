/**
 * The token vocabulary our tokenizer (lexer.ts) and parsers share. It keeps
 * the names and values of nunjucks 3.2.4's (whose parser machinery the
 * parser was first built on); nothing of nunjucks is loaded any more: the
 * token stream's peek/skip helpers are TokenParser's own (token-parser.ts).
 */

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

/** Token types (`lexer.TOKEN_SYMBOL`...). */
export const lexer = {
  TOKEN_STRING: 'string',
  TOKEN_WHITESPACE: 'whitespace',
  TOKEN_DATA: 'data',
  TOKEN_BLOCK_START: 'block-start',
  TOKEN_BLOCK_END: 'block-end',
  TOKEN_VARIABLE_START: 'variable-start',
  TOKEN_VARIABLE_END: 'variable-end',
  TOKEN_COMMENT: 'comment',
  TOKEN_LEFT_PAREN: 'left-paren',
  TOKEN_RIGHT_PAREN: 'right-paren',
  TOKEN_LEFT_BRACKET: 'left-bracket',
  TOKEN_RIGHT_BRACKET: 'right-bracket',
  TOKEN_LEFT_CURLY: 'left-curly',
  TOKEN_RIGHT_CURLY: 'right-curly',
  TOKEN_OPERATOR: 'operator',
  TOKEN_COMMA: 'comma',
  TOKEN_COLON: 'colon',
  TOKEN_TILDE: 'tilde',
  TOKEN_PIPE: 'pipe',
  TOKEN_INT: 'int',
  TOKEN_FLOAT: 'float',
  TOKEN_BOOLEAN: 'boolean',
  TOKEN_NONE: 'none',
  TOKEN_SYMBOL: 'symbol',
  TOKEN_REGEX: 'regex',
} as const;
