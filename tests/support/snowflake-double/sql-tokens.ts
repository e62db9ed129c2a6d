/**
 * A small SQL tokenizer for the Snowflake test double.
 *
 * It only needs to be good enough to rewrite the Snowflake-only pieces of the
 * SQL tsdbt emits (identifier case folding, a few functions and statements):
 * it keeps every character of the input in some token, so joining the token
 * texts gives the input back unchanged.
 */

export type TokenKind =
  | 'space' // whitespace and comments
  | 'string' // '...' (with '' and \' escapes) or $$...$$
  | 'quoted' // "identifier"
  | 'number'
  | 'word' // unquoted identifier or keyword
  | 'param' // ? or :1 bind placeholder
  | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

/** Split SQL into tokens; never throws (an unterminated string runs to the end). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i]!)) i++;
      tokens.push({ kind: 'space', text: sql.slice(start, i) });
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      tokens.push({ kind: 'space', text: sql.slice(start, i) });
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      tokens.push({ kind: 'space', text: sql.slice(start, i) });
    } else if (c === "'") {
      i++;
      while (i < n) {
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'string', text: sql.slice(start, Math.min(i, n)) });
    } else if (c === '$' && sql[i + 1] === '$') {
      const end = sql.indexOf('$$', i + 2);
      i = end < 0 ? n : end + 2;
      tokens.push({ kind: 'string', text: sql.slice(start, i) });
    } else if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
      tokens.push({ kind: 'quoted', text: sql.slice(start, i) });
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9.eE]/.test(sql[i]!)) {
        // an exponent sign belongs to the number: 1e-5
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '-' || sql[i + 1] === '+')) i++;
        i++;
      }
      tokens.push({ kind: 'number', text: sql.slice(start, i) });
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i) });
    } else if (c === '?') {
      i++;
      tokens.push({ kind: 'param', text: '?' });
    } else if (c === ':' && DIGIT.test(sql[i + 1] ?? '') && sql[i - 1] !== ':') {
      i++;
      while (i < n && DIGIT.test(sql[i]!)) i++;
      tokens.push({ kind: 'param', text: sql.slice(start, i) });
    } else if (c === ':' && sql[i + 1] === ':') {
      i += 2;
      tokens.push({ kind: 'punct', text: '::' });
    } else {
      i++;
      tokens.push({ kind: 'punct', text: c });
    }
  }
  return tokens;
}

/** Index of the next non-space token at or after `from`, or -1. */
export function nextSignificant(tokens: Token[], from: number): number {
  for (let i = from; i < tokens.length; i++) if (tokens[i]!.kind !== 'space') return i;
  return -1;
}

/** Index of the previous non-space token before `from`, or -1. */
export function prevSignificant(tokens: Token[], from: number): number {
  for (let i = from - 1; i >= 0; i--) if (tokens[i]!.kind !== 'space') return i;
  return -1;
}

/**
 * Given the index of an opening `(`, return the index of its matching `)` and
 * the token ranges of its top-level comma-separated arguments.
 */
export function readArguments(tokens: Token[], open: number): { close: number; args: Token[][] } | undefined {
  let depth = 0;
  const args: Token[][] = [[]];
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') {
      depth++;
      if (depth === 1) continue;
    } else if (t.kind === 'punct' && t.text === ')') {
      depth--;
      if (depth === 0) return { close: i, args };
    } else if (depth === 1 && t.kind === 'punct' && t.text === ',') {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(t);
  }
  return undefined;
}

export function joinTokens(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('');
}

/** Split a script on top-level `;` (outside strings, identifiers and comments); empty statements are dropped. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current: Token[] = [];
  for (const t of tokenize(sql)) {
    if (t.kind === 'punct' && t.text === ';') {
      out.push(joinTokens(current));
      current = [];
    } else current.push(t);
  }
  out.push(joinTokens(current));
  return out.filter((s) => tokenize(s).some((t) => t.kind !== 'space'));
}
