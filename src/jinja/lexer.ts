/**
 * A fast Jinja2 tokenizer producing nunjucks-shaped tokens for the parser.
 *
 * nunjucks' own tokenizer walks the source a character at a time and differs
 * from Jinja2 in places that matter to dbt projects (`'\d'` loses its
 * backslash, `}}` inside a dict literal ends the expression, no `1e3`,
 * `{%+`). This one follows Jinja2's lexer, scanning character codes (a
 * regex only for a name with non-ASCII letters).
 * Whitespace inside tags is skipped (never emitted), names are always
 * `symbol` tokens (the parser maps true/none/... itself).
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import { lexer as L, type NjToken, type NjTokenizer } from './token-types.js';

const TAGS = { BLOCK_START: '{%', BLOCK_END: '%}', VARIABLE_START: '{{', VARIABLE_END: '}}', COMMENT_START: '{#', COMMENT_END: '#}' };

const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;

/** WS's characters: space, \t, \n, \v, \f, \r, no-break space. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 160;
/** An ASCII letter or `_` (NAME's first character, in ASCII). */
const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Where a run of digits starting at `i` (a digit) ends, single underscores between digits included (`1_000`). */
function digitsEnd(src: string, i: number): number {
  let k = i;
  for (;;) {
    while (isDigit(src.charCodeAt(k))) k++;
    if (src.charCodeAt(k) === 95 /* _ */ && isDigit(src.charCodeAt(k + 1))) k++;
    else return k;
  }
}

/** The token type of a punctuation character's code, or null. */
function punctType(c: number): string | null {
  switch (c) {
    case 40:
      return L.TOKEN_LEFT_PAREN;
    case 41:
      return L.TOKEN_RIGHT_PAREN;
    case 91:
      return L.TOKEN_LEFT_BRACKET;
    case 93:
      return L.TOKEN_RIGHT_BRACKET;
    case 123:
      return L.TOKEN_LEFT_CURLY;
    case 125:
      return L.TOKEN_RIGHT_CURLY;
    case 44:
      return L.TOKEN_COMMA;
    case 58:
      return L.TOKEN_COLON;
    case 126:
      return L.TOKEN_TILDE;
    case 124:
      return L.TOKEN_PIPE;
    default:
      return null;
  }
}

/** The operator at `i` (whose first character's code is `c`), longest first: `//`, `**`, `==`, `!=`, `<=`, `>=`, then one character; null if none. */
function operatorAt(src: string, i: number, c: number): string | null {
  const next = src.charCodeAt(i + 1);
  switch (c) {
    case 47:
      return next === 47 ? '//' : '/';
    case 42:
      return next === 42 ? '**' : '*';
    case 61:
      return next === 61 ? '==' : '=';
    case 33:
      return next === 61 ? '!=' : '!';
    case 60:
      return next === 61 ? '<=' : '<';
    case 62:
      return next === 61 ? '>=' : '>';
    case 43:
      return '+';
    case 45:
      return '-';
    case 37:
      return '%';
    case 46:
      return '.';
    default:
      return null;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** Decode a string literal's body as Python does (unicode-escape): unknown escapes keep their backslash. */
export function decodePythonString(body: string): string {
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const c = body[i + 1]!;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    const hex = body.slice(i + 2, i + 2 + hexLen);
    if (hexLen && hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 1 + hexLen;
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
    if (oct) {
      out += String.fromCharCode(Number.parseInt(oct[0], 8));
      i += oct[0].length;
      continue;
    }
    out += '\\' + c;
    i++;
  }
  return out;
}

export class JinjaTokenizer implements NjTokenizer {
  readonly tags = TAGS;
  private index = 0;
  private line = 0;
  private inCode: 'block' | 'variable' | null = null;
  /** Open brackets inside the current tag: `}}` only closes a print statement at depth 0. */
  private depth = 0;
  private prevType = '';
  /** The first newline at or after `index` when last looked (-1: none left, -2: not known). */
  private nextNewline = -2;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {}

  private advance(to: number): void {
    // Newlines are found with indexOf (long text tokens are most of a model); the next one
    // past the token is kept, so a file without newlines is not rescanned per token.
    const src = this.src;
    let nl = this.nextNewline;
    if (nl === -2 || (nl >= 0 && nl < this.index)) nl = src.indexOf('\n', this.index);
    while (nl >= 0 && nl < to) {
      this.line++;
      nl = src.indexOf('\n', nl + 1);
    }
    this.nextNewline = nl;
    this.index = to;
  }

  private tok(type: string, value: string, start: number): NjToken {
    const lineno = this.line;
    this.advance(start + value.length);
    this.prevType = type;
    return { type, value, lineno, colno: 0 };
  }

  nextToken(): NjToken | null {
    return this.inCode ? this.codeToken() : this.dataToken();
  }

  private dataToken(): NjToken | null {
    const src = this.src;
    const start = this.index;
    if (start >= src.length) return null;
    if (src.charCodeAt(start) === 123 /* { */) {
      const c = src[start + 1];
      if (c === '%' || c === '{') {
        let value = c === '%' ? '{%' : '{{';
        const after = src[start + 2];
        if (after === '-') value += '-';
        this.inCode = c === '%' ? 'block' : 'variable';
        this.depth = 0;
        const t = this.tok(c === '%' ? L.TOKEN_BLOCK_START : L.TOKEN_VARIABLE_START, value, start);
        if (after === '+') this.index++; // `{%+`: lstrip_blocks is off anyway
        return t;
      }
      if (c === '#') {
        const end = src.indexOf('#}', start + 2);
        if (end < 0) throw this.error('Unexpected end of template: a {# comment #} is never closed', 'Add #} to close the comment.');
        return this.tok(L.TOKEN_COMMENT, src.slice(start, end + 2), start);
      }
    }
    // Text runs to the next `{{`, `{%` or `{#` (found with indexOf: no regex per token).
    let end = src.indexOf('{', start + 1);
    while (end >= 0) {
      const c = src.charCodeAt(end + 1);
      if (c === 123 /* { */ || c === 37 /* % */ || c === 35 /* # */) break;
      end = src.indexOf('{', end + 1);
    }
    if (end < 0) end = src.length;
    return this.tok(L.TOKEN_DATA, src.slice(start, end), start);
  }

  private codeToken(): NjToken | null {
    const src = this.src;
    let start = this.index;
    let code = src.charCodeAt(start);
    if (isSpace(code)) {
      do code = src.charCodeAt(++start);
      while (isSpace(code));
      this.advance(start);
    }
    if (start >= src.length) return null;
    // Tag ends (with their whitespace-control markers).
    if (this.inCode === 'block') {
      if (code === 37 /* % */ && src.charCodeAt(start + 1) === 125 /* } */) return this.endTag(L.TOKEN_BLOCK_END, '%}', start);
      if ((code === 45 /* - */ || code === 43) /* + */ && src.charCodeAt(start + 1) === 37 && src.charCodeAt(start + 2) === 125) {
        return this.endTag(L.TOKEN_BLOCK_END, code === 45 ? '-%}' : '%}', start, 3);
      }
    } else if (this.depth === 0) {
      if (code === 125 && src.charCodeAt(start + 1) === 125) return this.endTag(L.TOKEN_VARIABLE_END, '}}', start);
      if (code === 45 && src.charCodeAt(start + 1) === 125 && src.charCodeAt(start + 2) === 125) return this.endTag(L.TOKEN_VARIABLE_END, '-}}', start);
    }
    if (isNameStart(code)) {
      // ASCII names without the Unicode regex; a name running into a non-ASCII character takes the regex.
      let end = start + 1;
      let c = src.charCodeAt(end);
      while (isNameStart(c) || isDigit(c)) c = src.charCodeAt(++end);
      if (!(c >= 128)) return this.tok(L.TOKEN_SYMBOL, src.slice(start, end), start);
    } else if (code === 39 /* ' */ || code === 34 /* " */) {
      return this.stringToken(start, code);
    } else if (isDigit(code)) {
      return this.numberToken(start);
    }
    if (code >= 128 || isNameStart(code)) {
      NAME.lastIndex = start;
      const name = NAME.exec(src);
      if (name) return this.tok(L.TOKEN_SYMBOL, name[0], start);
    }
    const punct = punctType(code);
    if (punct !== null) {
      if (code === 40 || code === 91 || code === 123) this.depth++;
      else if ((code === 41 || code === 93 || code === 125) && this.depth > 0) this.depth--;
      return this.tok(punct, src[start]!, start);
    }
    const op = operatorAt(src, start, code);
    if (op !== null) return this.tok(L.TOKEN_OPERATOR, op, start);
    throw this.error(`unexpected character '${src[start]!}'`, 'Remove it or quote it inside a string.');
  }

  /** A string literal: its closing quote found by scanning (a backslash escapes the next character), its body decoded as Python does. */
  private stringToken(start: number, quote: number): NjToken {
    const src = this.src;
    const n = src.length;
    let i = start + 1;
    for (;;) {
      if (i >= n) throw this.error(`unterminated string literal starting with ${src[start]!}`, `Close the string with ${src[start]!}.`);
      const c = src.charCodeAt(i);
      if (c === quote) break;
      if (c === 92 /* \\ */) {
        if (i + 1 >= n) throw this.error(`unterminated string literal starting with ${src[start]!}`, `Close the string with ${src[start]!}.`);
        i += 2;
      } else i++;
    }
    const lineno = this.line;
    this.advance(i + 1);
    this.prevType = L.TOKEN_STRING;
    return { type: L.TOKEN_STRING, value: decodePythonString(src.slice(start + 1, i)), lineno, colno: 0 };
  }

  /**
   * A number: digits with single underscores between them, then (unless it
   * follows a `.` operator, as in `x.0.1`) an optional fraction and exponent.
   */
  private numberToken(start: number): NjToken {
    const src = this.src;
    let end = digitsEnd(src, start);
    let isFloat = false;
    if (!(this.prevType === L.TOKEN_OPERATOR && src.charCodeAt(start - 1) === 46 /* . */)) {
      if (src.charCodeAt(end) === 46 && isDigit(src.charCodeAt(end + 1))) {
        end = digitsEnd(src, end + 1);
        isFloat = true;
      }
      const e = src.charCodeAt(end);
      if (e === 101 /* e */ || e === 69 /* E */) {
        let k = end + 1;
        const sign = src.charCodeAt(k);
        if (sign === 43 || sign === 45) k++;
        if (isDigit(src.charCodeAt(k))) {
          end = digitsEnd(src, k);
          isFloat = true;
        }
      }
    }
    return this.tok(isFloat ? L.TOKEN_FLOAT : L.TOKEN_INT, src.slice(start, end), start);
  }

  private endTag(type: string, value: string, start: number, length = value.length): NjToken {
    this.inCode = null;
    const t = this.tok(type, value, start);
    this.advance(start + length);
    return t;
  }

  private error(message: string, hint: string): TsdbtError {
    return new TsdbtError('JINJA_SYNTAX', message, { file: this.file, line: this.line + 1, hint });
  }

  /** Match `re` at the current position (used for raw blocks) and move past it. */
  _extractRegex(re: RegExp): RegExpMatchArray | null {
    const m = this.src.slice(this.index).match(re);
    if (!m || m.index !== 0) return null;
    this.advance(this.index + m[0].length);
    return m;
  }

  backN(n: number): void {
    this.index -= n;
    this.nextNewline = -2;
  }
}
