import { isScalar, parseDocument, type Document } from 'yaml';

/**
 * A fast reader for the plain block YAML that properties files are written
 * in (nested `key: value` mappings and `- item` lists, one scalar per line,
 * plain or quoted). It builds the same JS values the `yaml` package gives,
 * with the same line numbers, at a fraction of the cost: composing the
 * 2,000-model properties file of the parse benchmark took ~40% of `tsdbt
 * parse` through `yaml`.
 *
 * One-line flow lists and mappings of scalars (`data_tests: [unique]`) are
 * read too. It is deliberately narrow. Anything else — nested flow
 * collections, anchors and
 * aliases, tags, block scalars, multi-line scalars, merge keys, tabs, CR line ends, several documents, anything unexpected —
 * returns undefined and the caller parses with `yaml`, which also produces
 * every syntax error. So the result is either exactly yaml's or nothing.
 * A key written twice is recorded in `duplicates` (the last value wins),
 * as composeWithYaml does.
 */
export interface BlockYaml {
  value: unknown;
  /** Line (1-based) where each map and list starts. */
  lines: WeakMap<object, number>;
  /** Line of each key of each map. */
  keyLines: WeakMap<object, Map<string, number>>;
  /** Line of each item of each list. */
  itemLines: WeakMap<object, (number | undefined)[]>;
  /** Keys written twice in one mapping (the last value wins), for a warning each. */
  duplicates?: DuplicateKey[];
}

export interface DuplicateKey {
  key: string;
  /** Line of the repeated key, and of its first occurrence. */
  line: number;
  first: number;
}

/** Thrown inside the reader when the text leaves the supported subset. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

interface Line {
  /** 1-based line number. */
  no: number;
  indent: number;
  /** Text from the first non-space character (comment lines and blank lines are dropped). */
  text: string;
}

/** Characters that may not start a plain scalar (or start syntax this reader leaves to `yaml`; `[` and `{` are handled before). */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`', '#', ',', "'", '"']);

export function parseBlockYaml(text: string): BlockYaml | undefined {
  // A byte-order mark anywhere (yaml drops one at a line start, the fuzz found) goes to yaml too.
  if (text.includes('\t') || text.includes('\r') || text.includes('\ufeff')) return undefined;
  const lines: Line[] = [];
  let no = 0;
  for (const raw of text.split('\n')) {
    no++;
    let indent = 0;
    while (indent < raw.length && raw.charCodeAt(indent) === 32) indent++;
    if (indent === raw.length || raw.charCodeAt(indent) === 35 /* # */) continue;
    if (indent === 0 && (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%'))) return undefined;
    lines.push({ no, indent, text: raw.slice(indent) });
  }
  const out: BlockYaml = { value: null, lines: new WeakMap(), keyLines: new WeakMap(), itemLines: new WeakMap() };
  if (lines.length === 0) return out;
  try {
    const reader = new Reader(lines, out);
    out.value = reader.block(lines[0]!.indent);
    if (reader.pos < lines.length) return undefined;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
  return out;
}

class Reader {
  pos = 0;
  constructor(private readonly src: Line[], private readonly out: BlockYaml) {}

  /** The current line, or undefined at the end (reading past an array's end makes V8 deoptimise). */
  private peek(): Line | undefined {
    return this.pos < this.src.length ? this.src[this.pos] : undefined;
  }

  /** The collection starting at the current line, which has exactly `indent`. */
  block(indent: number): unknown {
    const line = this.src[this.pos]!;
    if (line.indent !== indent) throw UNSUPPORTED;
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
      if (line.indent > indent) throw UNSUPPORTED;
      if (!isSeqItem(line.text)) break;
      let start = 1;
      while (start < line.text.length && line.text.charCodeAt(start) === 32) start++;
      const rest = line.text.slice(start);
      if (rest === '') {
        // `-` alone: the item is the block on the following lines (an empty item is left to yaml).
        this.pos++;
        const next = this.peek();
        if (!next || next.indent <= indent) throw UNSUPPORTED;
        lines.push(next.no);
        list.push(this.block(next.indent));
        continue;
      }
      if (isSeqItem(rest)) throw UNSUPPORTED;
      lines.push(line.no);
      if (keyEnd(rest) >= 0) list.push(this.map(indent + start, rest, line.no));
      else {
        list.push(this.value(rest, line.no));
        this.pos++;
        this.noContinuation(indent);
      }
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
      if (end < 0) throw UNSUPPORTED;
      const key = keyOf(text.slice(0, end));
      const first = keys.get(key);
      if (first !== undefined) (this.out.duplicates ??= []).push({ key, line: lineNo, first });
      keys.set(key, lineNo);
      let start = end + 1;
      while (start < text.length && text.charCodeAt(start) === 32) start++;
      const rest = text.slice(start);
      this.pos++;
      if (rest === '' || rest.charCodeAt(0) === 35 /* # */) {
        const next = this.peek();
        if (next && next.indent > indent) setKey(obj, key, this.block(next.indent));
        else if (next && next.indent === indent && isSeqItem(next.text)) setKey(obj, key, this.seq(indent));
        else setKey(obj, key, null);
      } else {
        setKey(obj, key, this.value(rest, lineNo));
        this.noContinuation(indent);
      }
      const next = this.peek();
      if (!next || next.indent < indent) break;
      if (next.indent > indent) throw UNSUPPORTED;
      if (isSeqItem(next.text)) break; // the parent list's next item
      text = next.text;
      lineNo = next.no;
    }
    return obj;
  }

  /** A value that ends its line: a scalar, or a one-line flow list or mapping of scalars (`[a, b]`, `{k: v}`). */
  private value(text: string, no: number): unknown {
    const c = text[0];
    if (c !== '[' && c !== '{') return scalar(text);
    const flow = new FlowReader(text);
    const v = c === '[' ? flow.seq(no, this.out) : flow.map(no, this.out);
    flow.end();
    return v;
  }

  /** A scalar ends its line: a more indented line after it would continue it (multi-line), which is left to yaml. */
  private noContinuation(indent: number): void {
    const next = this.peek();
    if (next && next.indent > indent) throw UNSUPPORTED;
  }
}

/**
 * One-line flow collections holding only scalars. Nesting, empty entries,
 * trailing commas, `key:` without a value, and plain scalars with `:` or `#`
 * are left to yaml.
 */
class FlowReader {
  private i = 1;
  constructor(private readonly text: string) {}

  private at(i: number): string | undefined {
    return i < this.text.length ? this.text[i] : undefined;
  }

  seq(no: number, out: BlockYaml): unknown[] {
    const list: unknown[] = [];
    out.lines.set(list, no);
    out.itemLines.set(list, []);
    this.space();
    if (this.at(this.i) === ']') {
      this.i++;
      return list;
    }
    for (;;) {
      list.push(this.item());
      out.itemLines.get(list)!.push(no);
      if (this.separator(']')) return list;
    }
  }

  map(no: number, out: BlockYaml): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    out.lines.set(obj, no);
    out.keyLines.set(obj, keys);
    this.space();
    if (this.at(this.i) === '}') {
      this.i++;
      return obj;
    }
    for (;;) {
      const start = this.i;
      this.item();
      const raw = this.text.slice(start, this.i);
      if (this.at(this.i) !== ':' || this.at(this.i + 1) !== ' ') throw UNSUPPORTED;
      this.i += 2;
      this.space();
      const key = keyOf(raw);
      const first = keys.get(key);
      if (first !== undefined) (out.duplicates ??= []).push({ key, line: no, first });
      keys.set(key, no);
      setKey(obj, key, this.item());
      if (this.separator('}')) return obj;
    }
  }

  /** Only spaces or a comment may follow the collection. */
  end(): void {
    const rest = this.text.slice(this.i);
    if (trimSpaces(rest) !== '' && !/^ +#/.test(rest)) throw UNSUPPORTED;
  }

  /** A scalar item; leaves `i` after it (and after spaces, for plain scalars: those are trimmed). */
  private item(): unknown {
    const t = this.text;
    const c = this.at(this.i);
    if (c === "'" || c === '"') {
      const close = closingQuote(t.slice(this.i), c);
      if (close < 0) throw UNSUPPORTED;
      const v = quoted(t.slice(this.i, this.i + close + 1));
      this.i += close + 1;
      this.space();
      return v;
    }
    if (c === undefined || NOT_PLAIN_START.has(c) || c === '?' || c === ':' || c === '-') throw UNSUPPORTED;
    const start = this.i;
    while (this.i < t.length && !',[]{}:#'.includes(t[this.i]!)) this.i++;
    return resolvePlain(trimSpaces(t.slice(start, this.i)));
  }

  /** After an item: `,` and another item, or the closing bracket (true). */
  private separator(close: string): boolean {
    this.space();
    const c = this.at(this.i);
    this.i++;
    if (c === close) return true;
    if (c !== ',') throw UNSUPPORTED;
    this.space();
    if (this.at(this.i) === close || this.at(this.i) === ',') throw UNSUPPORTED; // trailing or empty entry
    return false;
  }

  private space(): void {
    while (this.i < this.text.length && this.text.charCodeAt(this.i) === 32) this.i++;
  }
}

/**
 * Trailing spaces removed. YAML's white space is space and tab only: a no-break
 * space or other Unicode space is data (String#trimEnd would drop it).
 */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `obj[key] = value`, also for `__proto__` (an own data key, as `yaml` makes it, never the prototype). */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
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
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 35 /* # */ && i > 0 && text.charCodeAt(i - 1) === 32) return -1;
    if (ch === 58 /* : */ && (i + 1 === text.length || text.charCodeAt(i + 1) === 32)) return i;
  }
  return -1;
}

function keyOf(raw: string): string {
  const c = raw[0];
  if (c === "'" || c === '"') return quoted(trimSpaces(raw));
  const key = trimSpaces(raw);
  if (key === '<<') throw UNSUPPORTED; // merge keys
  return String(resolvePlain(key));
}

/** A value written after `key: ` or `- `, to the end of its line. */
function scalar(text: string): unknown {
  const c = text[0]!;
  if (c === "'" || c === '"') {
    const close = closingQuote(text, c);
    if (close < 0) throw UNSUPPORTED; // multi-line quoted scalar
    let i = close + 1;
    while (i < text.length && text.charCodeAt(i) === 32) i++;
    if (i < text.length && !(text.charCodeAt(i) === 35 && i > close + 1)) throw UNSUPPORTED;
    return quoted(text.slice(0, close + 1));
  }
  if (NOT_PLAIN_START.has(c) || ((c === '?' || c === ':' || c === '-') && (text.length === 1 || text.charCodeAt(1) === 32))) throw UNSUPPORTED;
  let end = text.length;
  const hash = text.indexOf(' #');
  if (hash >= 0) end = hash;
  const value = trimSpaces(text.slice(0, end));
  // `a: b: c` is an error, and `x:` ending a value is unusual: both go to yaml.
  if (value.includes(': ') || value.endsWith(':')) throw UNSUPPORTED;
  return resolvePlain(value);
}

/** Index of the quote closing the quoted scalar that starts `text`, or -1. */
function closingQuote(text: string, q: string): number {
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (q === '"' && ch === '\\') i++;
    else if (ch === q) {
      if (q === "'" && i + 1 < text.length && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function quoted(token: string): string {
  const body = token.slice(1, -1);
  if (token[0] === "'") return body.replaceAll("''", "'");
  if (!body.includes('\\')) return body;
  // YAML's escapes that JSON also has mean the same; other escapes (\x, \e, \N, ...) go to yaml.
  try {
    return JSON.parse(token) as string;
  } catch {
    throw UNSUPPORTED;
  }
}

type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown };
let core: { tags: ScalarTag[]; options: unknown } | undefined;
const plainCache = new Map<string, unknown>();

/** A plain scalar resolved by yaml's own core-schema tags (null, booleans, ints, floats), as `yaml` would. */
function resolvePlain(value: string): unknown {
  if (plainCache.has(value)) return plainCache.get(value);
  if (!core) {
    const doc: Document = parseDocument('', { merge: true, uniqueKeys: true });
    core = { tags: doc.schema.tags as unknown as ScalarTag[], options: doc.options };
  }
  const tag = core.tags.find((t) => t.default === true && t.test?.test(value));
  let resolved: unknown = value;
  if (tag) {
    const res = tag.resolve(value, () => {
      throw UNSUPPORTED;
    }, core.options);
    resolved = isScalar(res) ? res.value : res;
  }
  if (plainCache.size < 10_000) plainCache.set(value, resolved);
  return resolved;
}
