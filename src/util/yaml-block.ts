import { readBlockScalar } from './yaml-block-scalar.js';
import { decline, Declined } from './yaml-decline.js';
import { FlowReader } from './yaml-flow.js';
import { readPlainLines, readQuoted } from './yaml-multiline.js';
import { CollectionLines, KeyLineList, LineTable, type BlockYaml } from './yaml-result.js';
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

/**
 * The lines that hold something (not blank, not only a comment), as offsets
 * into the text: a properties file of 10,000 models has 100,000 such lines,
 * and an object and a string for each (kept until the whole file is read)
 * made a fifth of the read's cost in garbage collection.
 */
interface Lines {
  count: number;
  /** 1-based line number of each. */
  no: Int32Array;
  indent: Int32Array;
  /** Offset of the first non-space character, and of the line's end. */
  start: Int32Array;
  end: Int32Array;
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
  let rawCount = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rawCount++;
  const lines: Lines = { count: 0, no: new Int32Array(rawCount), indent: new Int32Array(rawCount), start: new Int32Array(rawCount), end: new Int32Array(rawCount) };
  let docStart = false;
  let docEnd = false;
  for (let n = 0, from = 0; n < rawCount; n++) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    let at = from;
    while (at < to && text.charCodeAt(at) === 32) at++;
    const lineStart = from;
    from = to + 1;
    if (at === to || text.charCodeAt(at) === 35 /* # */) continue;
    if (docEnd) decline('text after the document end');
    if (at === lineStart) {
      const c = text.charCodeAt(at);
      if (c === 37 /* % */) decline('directive');
      if ((c === 45 /* - */ && text.startsWith('---', at)) || (c === 46 /* . */ && text.startsWith('...', at))) {
        if (!isMarkerLine(text.slice(at, to))) decline('document marker with content');
        if (c === 46) docEnd = true;
        else if (lines.count > 0 || docStart) decline('several documents');
        else docStart = true;
        continue;
      }
    }
    const k = lines.count++;
    lines.no[k] = n + 1;
    lines.indent[k] = at - lineStart;
    lines.start[k] = at;
    lines.end[k] = to;
  }
  // Strong maps, not weak ones: the result lives as long as its values are read, and a
  // WeakMap of 100,000 keys costs the garbage collector far more to keep.
  const table = new LineTable();
  const out: BlockYaml = { value: null, lines: table.lines, keyLines: table.keyLines, itemLines: table.itemLines };
  if (lines.count === 0) return out;
  const reader = new Reader(text, lines, out, table.entries);
  out.value = reader.block(lines.indent[0]!);
  if (reader.pos < lines.count) decline('text after the top-level collection');
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
  #raw: string[] | undefined;
  /** Key, line, key, line... of the mappings being read, innermost last. */
  private readonly keyStack: (string | number)[] = [];
  constructor(
    private readonly source: string,
    private readonly src: Lines,
    private readonly out: BlockYaml,
    /** The LineTable's entries: one per map or list, set directly. */
    private readonly entries: LineTable['entries'],
  ) {}

  /** The text's lines, for the readers of scalars and flow collections over several lines (split on first need). */
  private get raw(): readonly string[] {
    return (this.#raw ??= this.source.split('\n'));
  }

  /** Line `p`'s text from its first non-space character. */
  private text(p: number): string {
    return this.source.slice(this.src.start[p]!, this.src.end[p]!);
  }

  /** Whether line `p` is a `- ` list item. */
  private isSeqItemAt(p: number): boolean {
    const at = this.src.start[p]!;
    return this.source.charCodeAt(at) === 45 /* - */ && (at + 1 === this.src.end[p]! || this.source.charCodeAt(at + 1) === 32);
  }

  /** The collection starting at the current line, which has exactly `indent`. */
  block(indent: number): unknown {
    const p = this.pos;
    if (this.src.indent[p]! !== indent) decline('unexpected indentation');
    return this.isSeqItemAt(p) ? this.seq(indent) : this.map(indent, this.text(p), this.src.no[p]!);
  }

  seq(indent: number): unknown[] {
    const list: unknown[] = [];
    const lines: number[] = [];
    const src = this.src;
    this.entries.set(list, new CollectionLines(src.no[this.pos]!, undefined, lines));
    while (this.pos < src.count) {
      const p = this.pos;
      const lineIndent = src.indent[p]!;
      if (lineIndent < indent) break;
      if (lineIndent > indent) decline('unexpected indentation');
      if (!this.isSeqItemAt(p)) break;
      const text = this.text(p);
      let start = 1;
      while (start < text.length && text.charCodeAt(start) === 32) start++;
      if (start === text.length || text.charCodeAt(start) === 35 /* # */) {
        // `-` alone: the item is the node on the following lines (an empty item is left to yaml).
        this.pos++;
        if (this.pos >= src.count || src.indent[this.pos]! <= indent) decline('empty list item');
        lines.push(src.no[this.pos]!);
        list.push(this.nodeBelow(indent));
        continue;
      }
      const rest = text.slice(start);
      if (isSeqItem(rest)) decline('compact nested list');
      lines.push(src.no[p]!);
      if (keyEnd(rest) >= 0) list.push(this.map(indent + start, rest, src.no[p]!));
      else list.push(this.value(rest, src.no[p]!, indent));
    }
    return list;
  }

  /**
   * A mapping whose first key is `first` (on line `no`, at column `indent`); later keys sit on lines of their own.
   * Its keys' lines are gathered on `keyStack` (nested mappings push above and take theirs off before this one goes on).
   */
  map(indent: number, first: string, no: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const src = this.src;
    const stack = this.keyStack;
    const base = stack.length;
    let text = first;
    let lineNo = no;
    for (;;) {
      const end = keyEnd(text);
      if (end < 0) decline(DECLINED_START[text[0]!] ?? 'not a mapping key');
      const key = keyOf(text.slice(0, end));
      if (Object.hasOwn(obj, key)) {
        // Written before: warn, and the key keeps its place with this line (the last value wins).
        let at = base;
        while (stack[at] !== key) at += 2;
        (this.out.duplicates ??= []).push({ key, line: lineNo, first: stack[at + 1] as number });
        stack[at + 1] = lineNo;
      } else stack.push(key, lineNo);
      let start = end + 1;
      while (start < text.length && text.charCodeAt(start) === 32) start++;
      if (start === text.length || text.charCodeAt(start) === 35 /* # */) {
        this.pos++;
        const next = this.pos < src.count ? this.pos : -1;
        if (next >= 0 && src.indent[next]! > indent) setKey(obj, key, this.nodeBelow(indent));
        else if (next >= 0 && src.indent[next]! === indent && this.isSeqItemAt(next)) setKey(obj, key, this.seq(indent));
        else setKey(obj, key, null);
      } else setKey(obj, key, this.value(text.slice(start), lineNo, indent));
      const next = this.pos;
      if (next >= src.count || src.indent[next]! < indent) break;
      if (src.indent[next]! > indent) decline('unexpected indentation');
      if (this.isSeqItemAt(next)) break; // the parent list's next item
      text = this.text(next);
      lineNo = src.no[next]!;
    }
    this.entries.set(obj, new KeyLineList(stack.slice(base), no));
    stack.length = base;
    return obj;
  }

  /** The node on the (more indented) current line, below a `key:` or `-` of a collection indented `indent`. */
  private nodeBelow(indent: number): unknown {
    const p = this.pos;
    const text = this.text(p);
    if (isSeqItem(text) || keyEnd(text) >= 0) return this.block(this.src.indent[p]!);
    const c = text[0];
    if (c === '|' || c === '>') decline('block scalar on its own line');
    return this.value(text, this.src.no[p]!, indent);
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
      if (this.pos < this.src.count && this.src.indent[this.pos]! > indent) {
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
    if (this.pos < this.src.count && this.src.indent[this.pos]! > indent) decline('more indented line after a value');
    return v;
  }

  /** Moves past the lines up to index `last` of the text. */
  private skipTo(last: number): void {
    while (this.pos < this.src.count && this.src.no[this.pos]! <= last + 1) this.pos++;
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
