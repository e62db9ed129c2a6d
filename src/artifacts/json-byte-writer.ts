import { UNREAD, unreadMember } from '../util/lazy-members.js';
import { jsonSharingMember } from '../util/shared-json.js';

/** The bytes gathered before a write: one buffer, reused. */
const CHUNK = 1 << 20;

/**
 * Where each member of an object sits in the bytes written: its keys in
 * order and, per key, the byte offsets [start, end) of its value (`at`
 * holds start0, end0, start1, end1, ...). What an edit needs to replace one
 * entry by splicing bytes instead of writing the whole document again.
 */
export interface MemberSpans {
  keys: string[];
  at: number[];
}

/** Member spans by container: the keys leading to it joined with '/' ('' is the document itself). */
export type JsonSpans = Record<string, MemberSpans>;

const SPACE = 0x20;

/** A string JSON.stringify writes between quotes unchanged: nothing it escapes (", \\, U+0000-U+001F, surrogates). */
const PLAIN_KEY = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** What a JsonByteWriter may do besides writing JSON.stringify's bytes. */
export interface WriterOptions {
  /** Values to copy from another file instead of serialising them. */
  written?: WrittenValues;
  /**
   * Containers (paths as in JsonSpans) whose members are each followed by
   * spaces, inside their recorded span: how many for a member of `length`
   * bytes. Still JSON, no longer JSON.stringify's bytes (the parse cache's
   * nodes: an edit that fits is written in place, parse-splice.ts).
   */
  padded?: ReadonlyMap<string, (length: number) => number>;
  /**
   * Containers (paths as in JsonSpans) some of whose members are written
   * otherwise than as they are: such a member is never copied as it was
   * written elsewhere (a padded container's member is rewritten from its
   * copied bytes; any other container holding one is serialised).
   */
  rewrites?: ReadonlyMap<string, MemberRewrite>;
  /**
   * A member of the values serialised whole that may be a shared object
   * (util/shared-json.ts): its JSON text is taken as made once ('config'
   * for nodes: one object for thousands of generic tests).
   */
  sharedMember?: string;
  /**
   * Arrays (paths as in JsonSpans) written an element at a time, with no
   * spans: as one string, a large list of texts (the macro files and their
   * sources) cost more to make and to encode (one character beyond Latin-1
   * makes the whole string two bytes a character).
   */
  pieceByPiece?: ReadonlySet<string>;
}

/** How some members of a container are written (WriterOptions.rewrites): the manifest's seeds, say, as dbt writes them. */
export interface MemberRewrite {
  /** Whether member `key` is one (decided by its key alone: a value copied from elsewhere is not read to decide). */
  applies(key: string): boolean;
  /** What to write for such a member's value. */
  value(value: unknown): unknown;
  /** The same, given the value's JSON text as written elsewhere; as JSON text. */
  json(text: string): string;
}

/**
 * Values already written as JSON.stringify writes them, in another file:
 * a writer copies their bytes instead of serialising them again (the
 * manifest's nodes from the parse cache written just before).
 */
export interface WrittenValues {
  /** Bytes of that file. */
  read: (at: number, length: number, into: Buffer) => Buffer;
  /**
   * Where the member at `path` (as in JsonSpans) was written, when `value`
   * is what was written there; with the spans recorded inside it (by
   * container path relative to it, '' itself; offsets in that file), or,
   * `padded`, its members' spans when each ends in spaces to leave out
   * (and `more`: members to write after those, keys not among them).
   */
  find(path: string, value: unknown): { start: number; end: number; spans?: JsonSpans; padded?: MemberSpans; more?: [string, unknown][]; members?: CopiedMembers } | undefined;
}

/** What a writer checks and adds while copying a padded object's members (WrittenValues.find's `members`). */
export interface CopiedMembers {
  /**
   * Prove each member's key: the bytes before each span must be `{"key":`
   * (the first) or `,"key":` with the key of `padded.keys`, or the copy
   * throws a NotAsWritten (spans read from a map, say, not just recorded).
   */
  proveKeys?: boolean;
  /** Members to add at the end of member `key`'s object (JSON text starting with a comma), or undefined. */
  extra?(key: string): string | undefined;
}

/** A copied value was not laid out as its spans said: nothing written can be trusted (the caller writes without copying). */
export class NotAsWritten extends Error {}

/**
 * The bytes of `JSON.stringify(value)` for large objects, written a chunk at
 * a time: plain objects down to a given depth are written member by member,
 * each member's value stringified on its own. At 40,000 nodes a manifest or
 * parse cache is ~100 MB as one string, then again as a Buffer; streamed,
 * the peak is one node. Each piece is encoded straight into one reused
 * buffer (no string concatenation, no Buffer per chunk: at 89 MB those cost
 * more than the stringify).
 */
export class JsonByteWriter {
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  /** Bytes written out before the buffer's. */
  private flushed = 0;
  /** The member spans recorded (see `spansOf`). */
  readonly spans: JsonSpans = {};

  /**
   * `spansOf`: the containers (paths as in JsonSpans) whose members' byte
   * spans are recorded; each must be opened (within `depth`). `elementsOf`:
   * arrays (members of opened objects) whose elements' spans are recorded,
   * each under the key the function gives it (keys may repeat).
   */
  constructor(
    private readonly write: (bytes: Uint8Array) => void,
    private readonly spansOf?: ReadonlySet<string>,
    private readonly elementsOf?: ReadonlyMap<string, (element: unknown) => string>,
    private readonly options: WriterOptions = {},
  ) {}

  /** Bytes written so far (through this writer). */
  get position(): number {
    return this.flushed + this.used;
  }

  /** Raw text, as is (a newline between JSON documents, say). */
  text(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8, so a piece within this bound fits whole.
    if (text.length * 3 > CHUNK - this.used) {
      this.flush();
      if (text.length * 3 > CHUNK) {
        const bytes = Buffer.from(text);
        this.write(bytes);
        this.flushed += bytes.length;
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  /**
   * `JSON.stringify(value)`'s bytes; plain objects are opened member by
   * member down to `depth` levels (0: stringified whole). Returns false, and
   * writes nothing, for a value with no JSON form (undefined, a function).
   */
  json(value: unknown, depth: number, path = ''): boolean {
    if (depth > 0 && isPlainObject(value)) {
      this.text('{');
      const spans: MemberSpans | undefined = this.spansOf?.has(path) ? (this.spans[path] = { keys: [], at: [] }) : undefined;
      // As JSON.stringify: members in own enumerable order; one whose value has no JSON form is left out.
      let first = true;
      const rewrite = this.options.rewrites?.get(path);
      for (const key of Object.keys(value)) {
        const rewritten = rewrite?.applies(key) === true;
        // A lazy member not read yet (util/lazy-members.ts) is offered for copying as UNREAD, and read only when it is not copied.
        const unread = this.options.written !== undefined && !rewritten && unreadMember(value, key);
        const copied = this.options.written && !rewritten ? this.copyWritten(path === '' ? key : `${path}/${key}`, unread ? UNREAD : (value as Record<string, unknown>)[key], first) : undefined;
        if (copied) {
          spans?.keys.push(key);
          spans?.at.push(copied[0], copied[1]);
          first = false;
          continue;
        }
        const v = rewritten ? rewrite!.value((value as Record<string, unknown>)[key]) : (value as Record<string, unknown>)[key];
        if (depth > 1 && isPlainObject(v)) {
          this.key(key, first);
          const start = this.position;
          this.json(v, depth - 1, this.spansOf || this.options.rewrites ? (path === '' ? key : `${path}/${key}`) : '');
          const pad = this.options.padded?.get(path);
          if (pad) this.spaces(pad(this.position - start));
          spans?.keys.push(key);
          spans?.at.push(start, this.position);
          first = false;
          continue;
        }
        const elementKey = this.elementsOf && Array.isArray(v) ? this.elementsOf.get(path === '' ? key : `${path}/${key}`) : undefined;
        const pieces = !elementKey && this.options.pieceByPiece !== undefined && Array.isArray(v) && this.options.pieceByPiece.has(path === '' ? key : `${path}/${key}`);
        const json = elementKey || pieces ? '' : this.options.sharedMember === undefined ? JSON.stringify(v) : jsonSharingMember(v, this.options.sharedMember);
        if (json === undefined) continue;
        // The key is written apart from its value so a large value is not copied into a joined string.
        this.key(key, first);
        const start = this.position;
        if (elementKey || pieces) this.elements(v as unknown[], elementKey, path === '' ? key : `${path}/${key}`);
        else this.text(json);
        const pad = this.options.padded?.get(path);
        if (pad) this.spaces(pad(this.position - start));
        spans?.keys.push(key);
        spans?.at.push(start, this.position);
        first = false;
      }
      this.text('}');
      return true;
    }
    const json = JSON.stringify(value);
    if (json === undefined) return false;
    this.text(json);
    return true;
  }

  /** Member `path` (key first) copied from where `written` has its value's bytes, with its spans moved along; undefined when it has none. */
  private copyWritten(path: string, value: unknown, first: boolean): [number, number] | undefined {
    const { read, find } = this.options.written!;
    const found = find(path, value);
    const rewrite = this.options.rewrites?.get(path);
    // Some of its members are written otherwise: copied only member by member (a padded object), else serialised.
    if (!found || (rewrite && !found.padded)) return undefined;
    this.key(path.slice(path.lastIndexOf('/') + 1), first);
    const start = this.position;
    if (found.padded) {
      // Its members' spans end in padding (the parse cache's nodes): copied without it, their spans as they land here.
      const more = found.more ?? [];
      // With members to add, the object is copied without its closing brace.
      const spans = this.copyUnpadded(read, found.start, more.length > 0 ? found.end - 1 : found.end, found.padded, found.members, rewrite);
      const keys = found.padded.keys.slice();
      let empty = keys.length === 0;
      for (const [key, value] of more) {
        const json = JSON.stringify(rewrite?.applies(key) ? rewrite.value(value) : value);
        if (json === undefined) continue;
        this.key(key, empty);
        keys.push(key);
        spans.push(this.position);
        this.text(json);
        spans.push(this.position);
        empty = false;
      }
      if (more.length > 0) this.text('}');
      if (this.spansOf?.has(path)) this.spans[path] = { keys, at: spans };
    } else {
      this.copy(read, found.start, found.end);
      for (const [inner, spans] of Object.entries(found.spans ?? {})) {
        const container = `${path}/${inner}`.replace(/\/$/, '');
        if (!this.spansOf?.has(container)) continue;
        this.spans[container] = { keys: spans.keys.slice(), at: spans.at.map((x) => x - found.start + start) };
      }
    }
    return [start, this.position];
  }

  /**
   * Bytes [start, end) of another file without the spaces that end each of
   * the spans `padded` (ascending, within [start, end)); returns where each
   * span's bytes landed here, spaces left out.
   */
  private copyUnpadded(read: (at: number, length: number, into: Buffer) => Buffer, start: number, end: number, members: MemberSpans, copied: CopiedMembers = {}, rewrite?: MemberRewrite): number[] {
    const padded = members.at;
    const window = Buffer.allocUnsafe(CHUNK);
    let from = 0;
    let to = 0;
    const load = (at: number) => {
      const n = Math.min(CHUNK, end - at);
      read(at, n, window);
      from = at;
      to = at + n;
    };
    const emit = (a: number, b: number) => {
      while (a < b) {
        if (a < from || a >= to) load(a);
        const upTo = Math.min(b, to);
        this.raw(window, a - from, upTo - from);
        a = upTo;
      }
    };
    const byteAt = (at: number) => {
      if (at < from || at >= to) load(Math.max(start, at - (CHUNK >> 1)));
      return window[at - from]!;
    };
    const out: number[] = [];
    let at = start;
    for (let i = 0; i < padded.length; i += 2) {
      const s = padded[i]!;
      let e = padded[i + 1]!;
      if (e > s && (e - 1 < from || e - 1 >= to)) byteAt(e - 1);
      // Within the window: a tight scan back over the spaces (a call per byte cost more than the copy).
      while (e > s && e - 1 >= from && window[e - 1 - from] === SPACE) e--;
      while (e > s && byteAt(e - 1) === SPACE) e--;
      const key = members.keys[i >> 1]!;
      if (copied.proveKeys) this.proveKey(byteAt, at, s, i === 0 ? '{' : ',', key);
      emit(at, s);
      const landed = this.position;
      // A member written otherwise is made from its bytes (no members are appended to it).
      const rewritten = rewrite?.applies(key) === true;
      const extra = rewritten ? undefined : copied.extra?.(key);
      if (rewritten) this.text(rewrite!.json(read(s, e - s, Buffer.allocUnsafe(e - s)).toString('utf8')));
      else if (extra === undefined) emit(s, e);
      else {
        // The member's object without its closing brace, the added members, the brace.
        if (e <= s || byteAt(e - 1) !== 0x7d) throw new NotAsWritten(`member ${key} is not an object`);
        emit(s, e - 1);
        this.text(extra);
        emit(e - 1, e);
      }
      out.push(landed, this.position);
      at = padded[i + 1]!;
    }
    emit(at, end);
    return out;
  }

  /** Throws NotAsWritten unless bytes [from, to) are `lead` and `"key":` (JSON.stringify's key). */
  private proveKey(byteAt: (at: number) => number, from: number, to: number, lead: string, key: string): void {
    const text = `${lead}${JSON.stringify(key)}:`;
    // As ASCII (UTF-8 as long as UTF-16: every code unit below 0x80) its bytes are its code units: no Buffer per key.
    const want = Buffer.byteLength(text) === text.length ? text : Buffer.from(text);
    let ok = to - from === want.length;
    if (typeof want === 'string') for (let j = 0; ok && j < want.length; j++) ok = byteAt(from + j) === want.charCodeAt(j);
    else for (let j = 0; ok && j < want.length; j++) ok = byteAt(from + j) === want[j];
    if (!ok) throw new NotAsWritten(`the copied bytes do not hold member ${key} where the spans say`);
  }

  /** Bytes [a, b) of `source` appended as they are. */
  private raw(source: Buffer, a: number, b: number): void {
    while (a < b) {
      if (this.used === CHUNK) this.flush();
      const n = Math.min(b - a, CHUNK - this.used);
      source.copy(this.buffer, this.used, a, a + n);
      this.used += n;
      a += n;
    }
  }

  /** `n` spaces (JSON whitespace: room to rewrite a value in place with one a little longer). */
  private spaces(n: number): void {
    while (n > 0) {
      if (this.used === CHUNK) this.flush();
      const k = Math.min(n, CHUNK - this.used);
      this.buffer.fill(SPACE, this.used, this.used + k);
      this.used += k;
      n -= k;
    }
  }

  /**
   * An array as JSON.stringify writes it (no JSON form: null), an element at
   * a time; with `keyOf`, each element's span recorded under its key in
   * `spans[path]` (elementsOf), without, none (pieceByPiece).
   */
  private elements(list: readonly unknown[], keyOf?: (element: unknown) => string, path = ''): void {
    const spans: MemberSpans | undefined = keyOf ? (this.spans[path] = { keys: [], at: [] }) : undefined;
    this.text('[');
    list.forEach((element, i) => {
      if (i > 0) this.text(',');
      const start = this.position;
      this.text(JSON.stringify(element) ?? 'null');
      spans?.keys.push(keyOf!(element));
      spans?.at.push(start, this.position);
    });
    this.text(']');
  }

  /**
   * Bytes [start, end) of another file, as they are (read through `read`,
   * a chunk at a time into this writer's buffer): a value already written
   * there as JSON.stringify writes it.
   */
  copy(read: (at: number, length: number, into: Buffer) => Buffer, start: number, end: number): void {
    this.flush();
    for (let at = start; at < end; ) {
      const n = Math.min(CHUNK, end - at);
      read(at, n, this.buffer);
      this.used = n;
      this.flush();
      at += n;
    }
  }

  /** A member's key (a comma before it unless `first`); its value is written next. */
  member(key: string, first: boolean): void {
    this.key(key, first);
  }

  /** Write out what is gathered. */
  flush(): void {
    if (this.used > 0) this.write(this.buffer.subarray(0, this.used));
    this.flushed += this.used;
    this.used = 0;
  }

  private key(key: string, first: boolean): void {
    // A key JSON.stringify writes as it is (no quote, backslash, control character or surrogate) goes straight into
    // the buffer between its quotes: no quoted copy and joined string per key (120,000 keys at 10,000 models).
    if (key.length > 256 || !PLAIN_KEY.test(key)) {
      this.text(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      return;
    }
    if (CHUNK - this.used < key.length * 3 + 4) this.flush();
    const b = this.buffer;
    if (!first) b[this.used++] = 0x2c; // ,
    b[this.used++] = 0x22; // "
    this.used += b.write(key, this.used);
    b[this.used++] = 0x22;
    b[this.used++] = 0x3a; // :
  }
}

/** An object JSON.stringify writes member by member (no toJSON, not an array or a boxed value). */
function isPlainObject(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
