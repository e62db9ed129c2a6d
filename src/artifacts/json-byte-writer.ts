/** The bytes gathered before a write: one buffer, reused. */
const CHUNK = 1 << 20;

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

  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  /** Raw text, as is (a newline between JSON documents, say). */
  text(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8, so a piece within this bound fits whole.
    if (text.length * 3 > CHUNK - this.used) {
      this.flush();
      if (text.length * 3 > CHUNK) {
        this.write(Buffer.from(text));
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
  json(value: unknown, depth: number): boolean {
    if (depth > 0 && isPlainObject(value)) {
      this.text('{');
      // As JSON.stringify: members in own enumerable order; one whose value has no JSON form is left out.
      let first = true;
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (depth > 1 && isPlainObject(v)) {
          this.key(key, first);
          this.json(v, depth - 1);
          first = false;
          continue;
        }
        const json = JSON.stringify(v);
        if (json === undefined) continue;
        // The key is written apart from its value so a large value is not copied into a joined string.
        this.key(key, first);
        this.text(json);
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

  /** Write out what is gathered. */
  flush(): void {
    if (this.used > 0) this.write(this.buffer.subarray(0, this.used));
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
