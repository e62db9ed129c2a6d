import { readBlockScalar } from './yaml-block-scalar.js';
import { decline, Declined } from './yaml-decline.js';
import { FlowReader } from './yaml-flow.js';
import { readPlainLines, readQuoted } from './yaml-multiline.js';
import type { BlockYaml } from './yaml-result.js';
import { closingQuote, quoted, resolvePlain, setKey, trimSpaces } from './yaml-scalars.js';

export type { BlockYaml, DuplicateKey } from './yaml-result.js';
export { setKey } from './yaml-scalars.js';

/**
 * A fast reader for the block YAML that dbt projects are written in: nested
 * `key: value` mappings and `- item` lists whose values are plain or quoted
 * scalars (also over several lines), literal and folded block scalars, and
 * flow collections (nested, over several lines), with comments anywhere and
 * an optional `---` / `...` around the one document. It builds the same JS
 * values the `yaml` package gives (through composeWithYaml), with the same
 * line numbers and duplicate-key warnings, at a fraction of the cost:
 * composing the Tuva Project's properties files through `yaml` took a
 * quarter of its parse.
 *
 * Anything else — anchors, aliases, merge keys, tags, explicit keys,
 * several documents, tabs, a CR not ending a line, text `yaml` would reject — returns
 * undefined (`onDecline` hears why) and the caller parses with `yaml`, which
 * also produces every syntax error. So the result is either exactly yaml's
 * or nothing. The modules: yaml-scalars (scalar values), yaml-multiline
 * (scalars over several lines), yaml-block-scalar (`|` and `>`), yaml-flow
 * (`[...]`, `{...}`), yaml-decline (giving up).
 */
interface Line {
  /** 1-based line number. */
  no: number;
  indent: number;
  /** Text from the first non-space character (comment lines and blank lines are dropped). */
  text: string;
}

/** Characters that may not start a plain scalar (or start syntax this reader leaves to `yaml`; `[`, `{`, quotes, `|` and `>` are handled before). */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`', '#', ',', "'", '"']);

/** What a value starting with one of these characters is, when this reader declines it. */
const DECLINED_START: Record<string, string> = { '&': 'anchor', '*': 'alias', '!': 'tag', '?': 'explicit key' };

export function parseBlockYaml(text: string, onDecline?: (reason: string) => void): BlockYaml | undefined {
  try {
    return read(text);
  } catch (e) {
    if (!(e instanceof Declined)) throw e;
    onDecline?.(e.reason);
    return undefined;
  }
}

function read(text: string): BlockYaml {
  // A byte-order mark anywhere (yaml drops one at a line start, the fuzz found) goes to yaml too.
  if (text.includes('\t')) decline('tab');
  if (text.includes('\r')) {
    // CRLF line ends (files saved on Windows) read as LF ones, as in yaml; a lone CR is left to yaml.
    text = text.replaceAll('\r\n', '\n');
    if (text.includes('\r')) decline('CR without LF');
  }
  if (text.includes('\ufeff')) decline('byte-order mark');
  const raw = text.split('\n');
  const lines: Line[] = [];
  let docStart = false;
  let docEnd = false;
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line.charCodeAt(indent) === 35 /* # */) continue;
    if (docEnd) decline('text after the document end');
    if (indent === 0) {
      const c = line.charCodeAt(0);
      if (c === 37 /* % */) decline('directive');
      if ((c === 45 /* - */ && line.startsWith('---')) || (c === 46 /* . */ && line.startsWith('...'))) {
        if (!isMarkerLine(line)) decline('document marker with content');
        if (c === 46) docEnd = true;
        else if (lines.length > 0 || docStart) decline('several documents');
        else docStart = true;
        continue;
      }
    }
    lines.push({ no: i + 1, indent, text: indent === 0 ? line : line.slice(indent) });
  }
  const out: BlockYaml = { value: null, lines: new WeakMap(), keyLines: new WeakMap(), itemLines: new WeakMap() };
  if (lines.length === 0) return out;
  const reader = new Reader(raw, lines, out);
  out.value = reader.block(lines[0]!.indent);
  if (reader.pos < lines.length) decline('text after the top-level collection');
  return out;
}

/** `---` or `...` alone (spaces or a comment may follow). */
function isMarkerLine(line: string): boolean {
  let i = 3;
  if (i === line.length) return true;
  if (line.charCodeAt(i) !== 32) return false;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i === line.length || line.charCodeAt(i) === 35;
}

class Reader {
  pos = 0;
  constructor(
    private readonly raw: readonly string[],
    private readonly src: Line[],
    private readonly out: BlockYaml,
  ) {}

  /** The current line, or undefined at the end (reading past an array's end makes V8 deoptimise). */
  private peek(): Line | undefined {
    return this.pos < this.src.length ? this.src[this.pos] : undefined;
  }

  /** The collection starting at the current line, which has exactly `indent`. */
  block(indent: number): unknown {
    const line = this.src[this.pos]!;
    if (line.indent !== indent) decline('unexpected indentation');
    return isSeqItem(line.text) ? this.seq(indent) : this.map(indent, line.text, line.no);
  }

  seq(indent: number): unknown[] {
    const list: unknown[] = [];
    const lines: number[] = [];
    this.out.lines.set(list, this.src[this.pos]!.no);
    this.out.itemLines.set(list, lines);
    while (this.pos < this.src.length) {
      const line = this.src[this.pos]!;
      if (line.indent < indent) break;
      if (line.indent > indent) decline('unexpected indentation');
      if (!isSeqItem(line.text)) break;
      let start = 1;
      while (start < line.text.length && line.text.charCodeAt(start) === 32) start++;
      const rest = line.text.slice(start);
      if (rest === '' || rest.charCodeAt(0) === 35 /* # */) {
        // `-` alone: the item is the node on the following lines (an empty item is left to yaml).
        this.pos++;
        const next = this.peek();
        if (!next || next.indent <= indent) decline('empty list item');
        lines.push(next.no);
        list.push(this.nodeBelow(indent));
        continue;
      }
      if (isSeqItem(rest)) decline('compact nested list');
      lines.push(line.no);
      if (keyEnd(rest) >= 0) list.push(this.map(indent + start, rest, line.no));
      else list.push(this.value(rest, line.no, indent));
    }
    return list;
  }

  /** A mapping whose first key is `first` (on line `no`, at column `indent`); later keys sit on lines of their own. */
  map(indent: number, first: string, no: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    this.out.lines.set(obj, no);
    this.out.keyLines.set(obj, keys);
    let text = first;
    let lineNo = no;
    for (;;) {
      const end = keyEnd(text);
      if (end < 0) decline(DECLINED_START[text[0]!] ?? 'not a mapping key');
      const key = keyOf(text.slice(0, end));
      const first = keys.get(key);
      if (first !== undefined) (this.out.duplicates ??= []).push({ key, line: lineNo, first });
      keys.set(key, lineNo);
      let start = end + 1;
      while (start < text.length && text.charCodeAt(start) === 32) start++;
      const rest = text.slice(start);
      if (rest === '' || rest.charCodeAt(0) === 35 /* # */) {
        this.pos++;
        const next = this.peek();
        if (next && next.indent > indent) setKey(obj, key, this.nodeBelow(indent));
        else if (next && next.indent === indent && isSeqItem(next.text)) setKey(obj, key, this.seq(indent));
        else setKey(obj, key, null);
      } else setKey(obj, key, this.value(rest, lineNo, indent));
      const next = this.peek();
      if (!next || next.indent < indent) break;
      if (next.indent > indent) decline('unexpected indentation');
      if (isSeqItem(next.text)) break; // the parent list's next item
      text = next.text;
      lineNo = next.no;
    }
    return obj;
  }

  /** The node on the (more indented) current line, below a `key:` or `-` of a collection indented `indent`. */
  private nodeBelow(indent: number): unknown {
    const line = this.src[this.pos]!;
    if (isSeqItem(line.text) || keyEnd(line.text) >= 0) return this.block(line.indent);
    const c = line.text[0];
    if (c === '|' || c === '>') decline('block scalar on its own line');
    return this.value(line.text, line.no, indent);
  }

  /**
   * A value written after `key: ` or `- ` (or alone on the line below): a
   * scalar, a block scalar or a flow collection. Reads on to the line after
   * it; a more indented line there is left to yaml.
   */
  private value(text: string, no: number, indent: number): unknown {
    const c = text[0]!;
    let v: unknown;
    let last = no - 1;
    if (c === '[' || c === '{') {
      const flow = new FlowReader(this.raw, no - 1, this.raw[no - 1]!.length - text.length, indent, this.out);
      v = flow.collection();
      flow.end();
      last = flow.line;
    } else if (c === "'" || c === '"') {
      const close = closingQuote(text, c);
      if (close >= 0) {
        v = quoted(text.slice(0, close + 1));
        afterScalar(text, close + 1);
      } else {
        const span = readQuoted(this.raw, no - 1, this.raw[no - 1]!.length - text.length, indent);
        v = span.value;
        afterScalar(this.raw[span.line]!, span.end);
        last = span.line;
      }
    } else if (c === '|' || c === '>') {
      const scalar = readBlockScalar(this.raw, no - 1, text, indent);
      v = scalar.value;
      last = scalar.last;
    } else {
      const plain = plainLine(text);
      this.skipTo(last);
      const next = this.peek();
      if (next && next.indent > indent) {
        // More indented lines continue the scalar (not after a comment: that is yaml's error).
        if (plain.commented) decline('more indented line after a comment');
        const multi = readPlainLines(this.raw, no - 1, plain.value, indent);
        v = multi.value;
        last = multi.last;
      } else {
        return resolvePlain(plain.value);
      }
    }
    this.skipTo(last);
    const next = this.peek();
    if (next && next.indent > indent) decline('more indented line after a value');
    return v;
  }

  /** Moves past the lines up to index `last` of the text. */
  private skipTo(last: number): void {
    while (this.pos < this.src.length && this.src[this.pos]!.no <= last + 1) this.pos++;
  }
}

/** Only spaces or a comment may follow a quoted scalar on its line. */
function afterScalar(text: string, end: number): void {
  let i = end;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  if (i < text.length && !(text.charCodeAt(i) === 35 && i > end)) decline('text after a quoted scalar');
}

function isSeqItem(text: string): boolean {
  return text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** Index of the `:` ending a mapping key at the start of `text`, or -1 when the line is not `key: ...`. */
function keyEnd(text: string): number {
  const c = text[0]!;
  if (c === "'" || c === '"') {
    const close = closingQuote(text, c);
    if (close < 0) return -1;
    let i = close + 1;
    while (i < text.length && text.charCodeAt(i) === 32) i++;
    return text[i] === ':' && (i + 1 === text.length || text.charCodeAt(i + 1) === 32) ? i : -1;
  }
  if (NOT_PLAIN_START.has(c) || c === '?' || c === ':' || c === '-') return -1;
  // The first `:` followed by a space or the line's end, unless a comment (` #`) starts before it.
  let i = text.indexOf(':');
  while (i >= 0 && i + 1 < text.length && text.charCodeAt(i + 1) !== 32) i = text.indexOf(':', i + 1);
  if (i < 0) return -1;
  const hash = text.indexOf(' #');
  return hash >= 0 && hash < i ? -1 : i;
}

function keyOf(raw: string): string {
  const c = raw[0];
  if (c === "'" || c === '"') return quoted(trimSpaces(raw));
  const key = trimSpaces(raw);
  if (key === '<<') decline('merge key');
  return String(resolvePlain(key));
}

/** The first line of a plain scalar written after `key: ` or `- `: its text without a comment or trailing spaces. */
function plainLine(text: string): { value: string; commented: boolean } {
  const c = text[0]!;
  if (NOT_PLAIN_START.has(c) || ((c === '?' || c === ':' || c === '-') && (text.length === 1 || text.charCodeAt(1) === 32))) {
    decline(DECLINED_START[c] ?? 'plain scalar start');
  }
  const hash = text.indexOf(' #');
  const value = trimSpaces(hash >= 0 ? text.slice(0, hash) : text);
  // `a: b: c` is an error, and `x:` ending a value is unusual: both go to yaml.
  if (value.includes(': ') || value.endsWith(':')) decline('mapping in a plain scalar');
  return { value, commented: hash >= 0 };
}
