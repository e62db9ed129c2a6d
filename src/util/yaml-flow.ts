import type { BlockYaml } from './yaml-result.js';
import { decline } from './yaml-decline.js';
import { readQuoted } from './yaml-multiline.js';
import { resolvePlain, setKey, trimSpaces } from './yaml-scalars.js';

/**
 * Flow collections (`[a, b]`, `{k: v}`), nested and over several lines, as
 * values in block YAML. Items are scalars (plain, or quoted on one or more
 * lines) or flow collections; comments may follow any item; a trailing comma
 * is allowed, as in `yaml`. Every line after the first must be indented
 * deeper than the block collection holding the flow collection (a line
 * starting with the outermost closing bracket may sit at its indent). Declined: empty
 * entries, keys without values (`{a}`, `{a: }`), pairs inside sequences
 * (`[a: 1]`), explicit keys, plain scalars over several lines, anchors,
 * aliases and tags.
 */

/** Characters that may not start a plain scalar in a flow collection. */
const NOT_FLOW_PLAIN_START = new Set(['[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '#', "'", '"', '?', ':']);

export class FlowReader {
  /** Current line index and the index in it. */
  line: number;
  i: number;
  private text: string;
  /** How many collections are open (yaml lets only the outermost one close at the block collection's indent). */
  private depth = 0;

  constructor(
    private readonly raw: readonly string[],
    at: number,
    col: number,
    private readonly collIndent: number,
    private readonly out: BlockYaml,
  ) {
    this.line = at;
    this.i = col;
    this.text = raw[at]!;
  }

  /** The collection opening at the start position; leaves the position just after its closing bracket. */
  collection(): unknown {
    return this.text[this.i] === '[' ? this.seq() : this.map();
  }

  private seq(): unknown[] {
    const list: unknown[] = [];
    const lines: number[] = [];
    this.out.lines.set(list, this.line + 1);
    this.out.itemLines.set(list, lines);
    this.depth++;
    this.i++;
    this.space();
    if (this.text[this.i] !== ']') {
      do {
        lines.push(this.line + 1);
        list.push(this.node());
      } while (!this.separator(']'));
    } else this.i++;
    this.depth--;
    return list;
  }

  private map(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    this.out.lines.set(obj, this.line + 1);
    this.out.keyLines.set(obj, keys);
    this.depth++;
    this.i++;
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      this.depth--;
      return obj;
    }
    for (;;) {
      const no = this.line + 1;
      const c = this.text[this.i];
      let key: string;
      if (c === '"' || c === "'") {
        key = this.quoted();
        if (this.line + 1 !== no) decline('flow key over several lines');
        while (this.text.charCodeAt(this.i) === 32) this.i++;
        if (this.text[this.i] !== ':') decline('flow key without a value');
        this.i++;
      } else {
        const plain = this.plain();
        if (plain === '<<') decline('merge key');
        key = String(plain);
        if (this.text[this.i] !== ':') decline('flow key without a value');
        this.i++;
      }
      this.space();
      const v = this.text[this.i];
      if (v === ',' || v === '}') decline('flow key without a value');
      const first = keys.get(key);
      if (first !== undefined) (this.out.duplicates ??= []).push({ key, line: no, first });
      keys.set(key, no);
      setKey(obj, key, this.node());
      if (this.separator('}')) {
        this.depth--;
        return obj;
      }
    }
  }

  /** An item or a value: a nested collection or a scalar. */
  private node(): unknown {
    const c = this.text[this.i];
    if (c === '[') return this.seq();
    if (c === '{') return this.map();
    if (c === '"' || c === "'") return this.quoted();
    return this.plain();
  }

  private quoted(): string {
    const span = readQuoted(this.raw, this.line, this.i, this.collIndent);
    if (span.line !== this.line) decline('quoted scalar over several lines in a flow collection');
    this.i = span.end;
    return span.value;
  }

  /** A plain scalar, ending before `,[]{}`, `: `, a `:` before a flow indicator, ` #` or the line's end. */
  private plain(): unknown {
    const t = this.text;
    const c = t[this.i];
    if (c === undefined || NOT_FLOW_PLAIN_START.has(c)) decline('flow collection entry');
    if (c === '-' && (this.i + 1 === t.length || ' ,[]{}'.includes(t[this.i + 1]!))) decline('flow collection entry');
    const start = this.i;
    let i = this.i + 1;
    for (; i < t.length; i++) {
      const ch = t[i]!;
      if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
      if (ch === ':' && (i + 1 === t.length || ' ,[]{}'.includes(t[i + 1]!))) break;
      if (ch === '#' && t[i - 1] === ' ') break;
    }
    this.i = i;
    if (i === t.length) this.plainEndsLine();
    return resolvePlain(trimSpaces(t.slice(start, i)));
  }

  /** A plain scalar reaching the end of its line continues on the next one unless that starts with `,`, `]`, `}` or is a comment. */
  private plainEndsLine(): void {
    for (let l = this.line + 1; l < this.raw.length; l++) {
      const text = this.raw[l]!;
      let k = 0;
      while (k < text.length && text.charCodeAt(k) === 32) k++;
      if (k === text.length) continue;
      const c = text[k];
      if (c === ',' || c === ']' || c === '}' || c === '#') return;
      decline('plain scalar over several lines in a flow collection');
    }
  }

  /** After an entry: `,` then another entry or the closing bracket (true), or the closing bracket (true). */
  private separator(close: string): boolean {
    this.space();
    const c = this.text[this.i];
    if (c === close) {
      this.i++;
      return true;
    }
    if (c !== ',') decline('flow collection entry');
    this.i++;
    this.space();
    const next = this.text[this.i];
    if (next === close) {
      this.i++;
      return true;
    }
    if (next === ',') decline('empty flow collection entry');
    return false;
  }

  /** Skip spaces, comments and line breaks up to the next token (declines at the end of the text). */
  private space(): void {
    for (;;) {
      const t = this.text;
      while (this.i < t.length && t.charCodeAt(this.i) === 32) this.i++;
      if (this.i < t.length && t.charCodeAt(this.i) === 35 /* # */) {
        if (this.i > 0 && t.charCodeAt(this.i - 1) !== 32) decline('comment not after a space');
        this.i = t.length;
      }
      if (this.i < t.length) return;
      this.nextLine();
    }
  }

  private nextLine(): void {
    this.line++;
    if (this.line >= this.raw.length) decline('unterminated flow collection');
    const t = (this.text = this.raw[this.line]!);
    let k = 0;
    while (k < t.length && t.charCodeAt(k) === 32) k++;
    this.i = k;
    if (k === t.length) return;
    if (k > this.collIndent) return;
    if (k === this.collIndent && this.depth === 1 && (t[k] === ']' || t[k] === '}')) return;
    decline('flow collection line not indented enough');
  }

  /** Only spaces or a comment may follow the collection on its last line. */
  end(): void {
    const t = this.text;
    let i = this.i;
    while (i < t.length && t.charCodeAt(i) === 32) i++;
    if (i < t.length && !(t.charCodeAt(i) === 35 && i > this.i)) decline('text after a flow collection');
  }
}
