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
   * container path relative to it, '' itself; offsets in that file).
   */
  find(path: string, value: unknown): { start: number; end: number; spans?: JsonSpans } | undefined;
}

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
    private readonly written?: WrittenValues,
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
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        const copied = this.written ? this.copyWritten(path === '' ? key : `${path}/${key}`, v, first) : undefined;
        if (copied) {
          spans?.keys.push(key);
          spans?.at.push(copied[0], copied[1]);
          first = false;
          continue;
        }
        if (depth > 1 && isPlainObject(v)) {
          this.key(key, first);
          const start = this.position;
          this.json(v, depth - 1, this.spansOf ? (path === '' ? key : `${path}/${key}`) : '');
          spans?.keys.push(key);
          spans?.at.push(start, this.position);
          first = false;
          continue;
        }
        const elementKey = this.elementsOf && Array.isArray(v) ? this.elementsOf.get(path === '' ? key : `${path}/${key}`) : undefined;
        const json = elementKey ? '' : JSON.stringify(v);
        if (json === undefined) continue;
        // The key is written apart from its value so a large value is not copied into a joined string.
        this.key(key, first);
        const start = this.position;
        if (elementKey) this.elements(v as unknown[], elementKey, path === '' ? key : `${path}/${key}`);
        else this.text(json);
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
    const found = this.written!.find(path, value);
    if (!found) return undefined;
    this.key(path.slice(path.lastIndexOf('/') + 1), first);
    const start = this.position;
    this.copy(this.written!.read, found.start, found.end);
    for (const [inner, spans] of Object.entries(found.spans ?? {})) {
      const container = `${path}/${inner}`.replace(/\/$/, '');
      if (!this.spansOf?.has(container)) continue;
      this.spans[container] = { keys: spans.keys.slice(), at: spans.at.map((x) => x - found.start + start) };
    }
    return [start, this.position];
  }

  /** An array as JSON.stringify writes it (no JSON form: null), each element's span recorded under its key. */
  private elements(list: readonly unknown[], keyOf: (element: unknown) => string, path: string): void {
    const spans: MemberSpans = (this.spans[path] = { keys: [], at: [] });
    this.text('[');
    list.forEach((element, i) => {
      if (i > 0) this.text(',');
      const start = this.position;
      this.text(JSON.stringify(element) ?? 'null');
      spans.keys.push(keyOf(element));
      spans.at.push(start, this.position);
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
    this.text(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
  }
}

/** An object JSON.stringify writes member by member (no toJSON, not an array or a boxed value). */
function isPlainObject(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
