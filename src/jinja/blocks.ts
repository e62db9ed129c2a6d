/**
 * Finds the top-level dbt blocks of a file (macro, test, materialization,
 * docs, snapshot) by scanning tags only — no parsing of expressions, no
 * rendering — because it runs on every macro file of every package.
 */
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { TopLevelBlock } from './types.js';

const KINDS = new Set(['macro', 'test', 'materialization', 'docs', 'snapshot']);

interface Tag {
  start: number;
  end: number;
  /** Where the tag's text starts (after `{%`) and ends (at `%}`). */
  innerStart: number;
  innerEnd: number;
  name: string;
}

/** The text between `{%[-+]?` and `[-+]?%}`, trimmed. */
function innerOf(src: string, tag: Tag): string {
  return src.slice(tag.innerStart, tag.innerEnd).replace(/^[-+]/, '').replace(/-$/, '').trim();
}

/** The tag's name: the name its trimmed text starts with ('' if none). */
function tagName(src: string, from: number, to: number): string {
  let k = from;
  let c = src.charCodeAt(k);
  if (c === 45 /* - */ || c === 43 /* + */) c = src.charCodeAt(++k);
  while (k < to && (c === 32 || (c >= 9 && c <= 13))) c = src.charCodeAt(++k);
  // Other whitespace (trim's Unicode spaces) before the name: read it as the text is trimmed.
  if (k < to && c >= 128) return /^[A-Za-z_]\w*/.exec(src.slice(from, to).replace(/^[-+]/, '').replace(/-$/, '').trim())?.[0] ?? '';
  if (!(k < to && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95))) return '';
  const nameStart = k;
  do c = src.charCodeAt(++k);
  while (k < to && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57)));
  return src.slice(nameStart, k);
}

const ENDRAW = /\{%-?\s*endraw\s*-?%\}/g;

/**
 * Calls `visit` with every `{% ... %}` tag in order, skipping comments, raw
 * blocks and `%}` inside string literals. An error `visit` throws stops the
 * scan there (a later unclosed tag is not reported first).
 */
function eachTag(src: string, file: string, visit: (tag: Tag) => void): void {
  const n = src.length;
  let i = 0;
  for (;;) {
    const open = src.indexOf('{', i);
    if (open < 0 || open + 1 >= n) return;
    const c = src.charCodeAt(open + 1);
    if (c === 35 /* # */) {
      const close = src.indexOf('#}', open + 2);
      if (close < 0) throw syntax(file, src, open, 'Unexpected end of template: a {# comment #} is never closed', 'Add #} to close the comment.');
      i = close + 2;
      continue;
    }
    if (c !== 37 /* % */) {
      i = open + 1;
      continue;
    }
    let j = open + 2;
    let quote = 0;
    for (; j < n; j++) {
      const ch = src.charCodeAt(j);
      if (quote !== 0) {
        if (ch === 92 /* \\ */) j++;
        else if (ch === quote) quote = 0;
      } else if (ch === 34 || ch === 39) quote = ch;
      else if (ch === 37 && src.charCodeAt(j + 1) === 125 /* } */) break;
    }
    if (j >= n) throw syntax(file, src, open, 'Unexpected end of template: a {% tag is never closed with %}', 'Add %} to close the tag.');
    const name = tagName(src, open + 2, j);
    const end = j + 2;
    if (name === 'raw') {
      ENDRAW.lastIndex = end;
      const r = ENDRAW.exec(src);
      if (!r) throw syntax(file, src, open, 'Unexpected end of template: the raw block is never closed', 'Add {% endraw %}.');
      i = r.index + r[0].length;
      continue;
    }
    visit({ start: open, end, innerStart: open + 2, innerEnd: j, name });
    i = end;
  }
}

function lineAt(src: string, index: number): number {
  let line = 1;
  for (let k = src.indexOf('\n'); k >= 0 && k < index; k = src.indexOf('\n', k + 1)) line++;
  return line;
}

function syntax(file: string, src: string, index: number, message: string, hint: string): TsdbtError {
  return new TsdbtError('JINJA_SYNTAX', message, { file, line: lineAt(src, index), hint });
}

/** Split `a, b=1, c=[1, 2]` at top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let k = 0; k < text.length; k++) {
    const ch = text[k]!;
    if (quote) {
      if (ch === '\\') {
        cur += ch + (text[k + 1] ?? '');
        k++;
        continue;
      }
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

function parseArgs(text: string): { name: string; default?: string }[] {
  return splitTopLevel(text).map((p) => {
    const eq = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(p);
    return eq ? { name: eq[1]!, default: eq[2]!.trim() } : { name: p };
  });
}

function unquote(s: string): string {
  const m = /^(['"])(.*)\1$/s.exec(s.trim());
  return m ? m[2]! : s.trim();
}

function describeOpening(kind: string, inner: string, file: string, src: string, at: number): Omit<TopLevelBlock, 'line' | 'offset' | 'body' | 'source'> {
  const rest = inner.slice(kind.length).trim();
  const nameMatch = /^[A-Za-z_]\w*/.exec(rest);
  if (!nameMatch) throw syntax(file, src, at, `expected a name after {% ${kind}, got '${rest}'`, `Write it as {% ${kind} my_name${kind === 'macro' || kind === 'test' ? '(args)' : ''} %}.`);
  const name = nameMatch[0];
  const after = rest.slice(name.length).trim();
  if (kind === 'macro' || kind === 'test') {
    let args: { name: string; default?: string }[] = [];
    if (after.startsWith('(')) {
      const close = after.lastIndexOf(')');
      args = parseArgs(after.slice(1, close < 0 ? after.length : close));
    }
    return { kind, name, macroName: kind === 'test' ? `test_${name}` : name, args };
  }
  if (kind === 'materialization') {
    let adapter = 'default';
    let languages = "['sql']";
    for (const part of parseArgs(after.replace(/^,/, ''))) {
      if (part.name === 'adapter' && part.default !== undefined) adapter = unquote(part.default);
      else if (part.name === 'supported_languages' && part.default !== undefined) languages = part.default;
    }
    return { kind, name, macroName: `materialization_${name}_${adapter}`, adapter, args: [{ name: 'supported_languages', default: languages }] };
  }
  return { kind: kind as 'docs' | 'snapshot', name, args: [] };
}

/** Line numbers for increasing offsets, counted incrementally (blocks come in source order). */
function lineCounter(src: string): (index: number) => number {
  let at = 0;
  let line = 1;
  return (index) => {
    if (index < at) {
      at = 0;
      line = 1;
    }
    for (let k = src.indexOf('\n', at); k >= 0 && k < index; k = src.indexOf('\n', k + 1)) line++;
    at = index;
    return line;
  };
}

export function scanBlocks(source: string, file: string): TopLevelBlock[] {
  const out: TopLevelBlock[] = [];
  const lineOf = lineCounter(source);
  let open: { kind: string; tag: Tag; depth: number } | null = null;
  eachTag(source, file, (tag) => {
    if (open) {
      if (tag.name === open.kind) open.depth++;
      else if (tag.name === `end${open.kind}`) {
        open.depth--;
        if (open.depth === 0) {
          const head = describeOpening(open.kind, innerOf(source, open.tag), file, source, open.tag.start);
          out.push({
            ...head,
            line: lineOf(open.tag.start),
            offset: open.tag.start,
            body: source.slice(open.tag.end, tag.start),
            source: source.slice(open.tag.start, tag.end),
          });
          open = null;
        }
      }
      return;
    }
    // Any other tag outside a block, a stray end tag too, is passed over, as dbt's block finder does
    // (dbt 1.10 warns of it in macro files, and says nothing in docs files).
    if (KINDS.has(tag.name)) open = { kind: tag.name, tag, depth: 1 };
  });
  const left = open as { kind: string; tag: Tag; depth: number } | null;
  if (left) {
    throw syntax(file, source, left.tag.start, `Unexpected end of template: the '${left.kind}' block is never closed (expected {% end${left.kind} %})`, `Add {% end${left.kind} %}.`);
  }
  return out;
}
