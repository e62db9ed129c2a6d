import { decline } from './yaml-decline.js';
import { closingQuote, doubleQuoted, resolvePlain, singleQuoted, trimSpaces } from './yaml-scalars.js';

/**
 * Scalars that continue on the lines below: quoted scalars whose closing
 * quote is on a later line, and plain scalars with more-indented
 * continuation lines. Each continuation line must be indented deeper than
 * the collection holding the scalar (`collIndent`), as `yaml` requires;
 * anything else declines, so `yaml` reports the error.
 */

function indentOf(line: string): number {
  let k = 0;
  while (k < line.length && line.charCodeAt(k) === 32) k++;
  return k;
}

export interface QuotedSpan {
  value: string;
  /** Line index of the closing quote, and the index just after it. */
  line: number;
  end: number;
}

/** The quoted scalar opening at `raw[at][col]`, possibly closing on a later line. */
export function readQuoted(raw: readonly string[], at: number, col: number, collIndent: number): QuotedSpan {
  const q = raw[at]![col]!;
  let close = closingQuote(raw[at]!, q, col + 1);
  let line = at;
  // An odd number of backslashes ending a line escapes its line break (double quotes only).
  while (close < 0) {
    line++;
    if (line >= raw.length) decline('unterminated quoted scalar');
    const text = raw[line]!;
    const k = indentOf(text);
    if (k < text.length && k <= collIndent) decline('quoted scalar continued less indented');
    close = closingQuote(text, q, 0);
  }
  let body: string;
  if (line === at) body = raw[at]!.slice(col + 1, close);
  else {
    const parts = [raw[at]!.slice(col + 1)];
    for (let l = at + 1; l < line; l++) parts.push(raw[l]!);
    parts.push(raw[line]!.slice(0, close));
    body = parts.join('\n');
  }
  return { value: q === "'" ? singleQuoted(body) : line === at && !body.includes('\\') ? body : doubleQuoted(body), line, end: close + 1 };
}

/**
 * A plain scalar whose first line (`first`: its text on line `at`, comment and
 * trailing spaces removed) may continue on the following more-indented
 * lines, up to a comment line or a line indented `collIndent` or less.
 * Returns its value and its last line's index.
 */
export function readPlainLines(raw: readonly string[], at: number, first: string, collIndent: number): { value: unknown; last: number } {
  let value = first;
  let last = at;
  let blanks = 0;
  for (let j = at + 1; j < raw.length; j++) {
    const line = raw[j]!;
    const k = indentOf(line);
    if (k === line.length) {
      blanks++;
      continue;
    }
    if (k <= collIndent || line.charCodeAt(k) === 35 /* # */) break;
    let text = line.slice(k);
    const hash = text.indexOf(' #');
    if (hash >= 0) text = text.slice(0, hash);
    text = trimSpaces(text);
    if (text.includes(': ') || text.endsWith(':')) decline('mapping inside a multi-line plain scalar');
    value += (blanks === 0 ? ' ' : '\n'.repeat(blanks)) + text;
    blanks = 0;
    last = j;
    if (hash >= 0) break; // a comment ends the scalar
  }
  return { value: last === at ? resolvePlain(first) : resolvePlain(value), last };
}
