/**
 * Python's tokens as python-model.ts reads a Python model: names, numbers,
 * operators, strings of every prefix and quoting (their values unescaped;
 * an f-string's replacement fields tokenized on their own), comments
 * skipped, and the start of each logical line with its indentation
 * (brackets continue a line). Not a full Python tokenizer: what reading
 * dbt's calls and their literal arguments needs.
 */

export type Tok =
  | { kind: 'name'; text: string; line: number }
  | { kind: 'op'; text: string; line: number }
  | { kind: 'num'; text: string; line: number }
  /** A string literal; `f`: an f-string (not a literal). */
  | { kind: 'str'; value: string; f: boolean; line: number; text: string }
  /** The start of a logical line, with its indentation. */
  | { kind: 'nl'; indent: number; line: number };

const NAME = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)[jJ]?/y;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;
const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];

export class ScanError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** The value of a Python string body, its escapes read (raw strings keep them). */
function unescape(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(/\\(\r?\n|[\\'"abfnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/g, (all, e: string) => {
    const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (e === '\n' || e === '\r\n') return '';
    if (e in simple) return simple[e]!;
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    return all;
  });
}

/** Python's tokens, with a 'nl' token at each logical line's start (brackets continue a line). */
export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  let atLineStart = true;
  while (i < src.length) {
    if (atLineStart && depth === 0) {
      let indent = 0;
      while (src[i] === ' ' || src[i] === '\t' || src[i] === '\f') indent += src[i++] === '\t' ? 8 - (indent % 8) : 1;
      atLineStart = false;
      // A blank or comment-only line opens no logical line.
      if (i < src.length && src[i] !== '\n' && src[i] !== '\r' && src[i] !== '#') out.push({ kind: 'nl', indent, line });
      continue;
    }
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      atLineStart = depth === 0;
      continue;
    }
    if (c === '\r' || c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(src);
    if (name) {
      const q = src[i + name[0].length];
      if ((q === "'" || q === '"') && STRING_PREFIX.test(name[0])) {
        i = readString(src, i + name[0].length, name[0], line, out);
        line = out[out.length - 1]!.line + (out[out.length - 1] as { text: string }).text.split('\n').length - 1;
        continue;
      }
      out.push({ kind: 'name', text: name[0], line });
      i += name[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      i = readString(src, i, '', line, out);
      line = out[out.length - 1]!.line + (out[out.length - 1] as { text: string }).text.split('\n').length - 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = /[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? '')) ? NUMBER.exec(src) : null;
    if (num) {
      out.push({ kind: 'num', text: num[0], line });
      i += num[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
    if ('([{'.includes(op)) depth++;
    else if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
    out.push({ kind: 'op', text: op, line });
    i += op.length;
  }
  return out;
}

/** Reads the string starting at its quote `src[start]`; pushes its token and returns the index after it. */
function readString(src: string, start: number, prefix: string, line: number, out: Tok[]): number {
  const quote = src[start]!;
  const triple = src.startsWith(quote.repeat(3), start);
  const delim = triple ? quote.repeat(3) : quote;
  let j = start + delim.length;
  while (true) {
    if (j >= src.length || (!triple && src[j] === '\n')) throw new ScanError('a string that does not end', line);
    if (src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.startsWith(delim, j)) break;
    j++;
  }
  const body = src.slice(start + delim.length, j);
  const raw = /[rR]/.test(prefix);
  const end = j + delim.length;
  const f = /[fF]/.test(prefix);
  out.push({ kind: 'str', value: unescape(body, raw), f, line, text: src.slice(start - prefix.length, end) });
  // dbt finds dbt calls in an f-string's fields (`session.sql(f"select * from {dbt.ref('a')}")`): their tokens follow the string's.
  if (f) for (const field of fStringFields(body)) out.push(...fieldTokens(field.text, line + body.slice(0, field.at).split('\n').length - 1));
  return end;
}

/** The replacement fields of an f-string body (`{expr}`, `{{` being a brace), each with its offset. */
export function fStringFields(body: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '{') continue;
    if (body[i + 1] === '{') {
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < body.length && depth > 0; j++) {
      if (body[j] === '{') depth++;
      else if (body[j] === '}') depth--;
    }
    out.push({ text: body.slice(i + 1, j - 1), at: i + 1 });
    i = j - 1;
  }
  return out;
}

/** The tokens of one f-string field, on the line it starts; a field this cannot tokenize holds no dbt call it could read. */
export function fieldTokens(text: string, line: number): Tok[] {
  try {
    return tokenize(text.trim())
      .filter((t) => t.kind !== 'nl')
      .map((t) => ({ ...t, line: t.line - 1 + line }));
  } catch (e) {
    if (e instanceof ScanError) return [];
    throw e;
  }
}

