import type { ParseCacheHeader } from './parse-cache.js';

/**
 * The parse cache's new header line after a splice (parse-splice.ts), made
 * from the old line's bytes instead of serialising the header again: a
 * splice changes only the id, the rows of the input files whose size, time
 * or hash changed, statesAt and (rarely) envRead, while at 10,000 models the
 * header is 1.3 MB of paths, numbers and hashes (JSON.stringify and the
 * encoding of it cost ~60 ms in a fresh process; this a few).
 *
 * The result is the bytes JSON.stringify(next) gives, with spaces after it
 * up to the old line's length and its newline: the old line is what
 * JSON.stringify wrote (then padded, parse-cache.ts paddedHeader), and each
 * value replaced is first found where that layout puts it and checked to
 * read as the old value does. Undefined when anything is not so (another
 * shape, another order of paths, a value not where it should be, a new
 * header too long for the old line's room): the caller serialises it.
 */
export function patchedHeaderLine(line: Buffer, old: ParseCacheHeader, next: ParseCacheHeader): Buffer | undefined {
  try {
    const edits = headerEdits(line, old, next);
    if (!edits) return undefined;
    let end = line.length;
    while (end > 0 && line[end - 1] === 0x20) end--;
    const length = end + edits.reduce((d, e) => d + e.bytes.length - (e.end - e.start), 0);
    if (length > line.length) return undefined;
    const out = Buffer.allocUnsafe(line.length + 1);
    let from = 0;
    let to = 0;
    for (const e of edits) {
      to += line.copy(out, to, from, e.start);
      to += e.bytes.copy(out, to);
      from = e.end;
    }
    to += line.copy(out, to, from, end);
    out.fill(0x20, to, line.length);
    out[line.length] = 0x0a;
    return out;
  } catch {
    return undefined;
  }
}

interface HeaderEdit {
  start: number;
  end: number;
  bytes: Buffer;
}

const FILE_KEYS = 'paths,size,mtimeMs,hash';
/** A hash in the files table: "<64 hex digits>" and its comma. */
const HASH_STRIDE = 67;

/** The replacements making `line` (old's JSON) next's JSON, in order; undefined when they cannot be proved. */
function headerEdits(line: Buffer, old: ParseCacheHeader, next: ParseCacheHeader): HeaderEdit[] | undefined {
  const keys = Object.keys(old);
  if (Object.keys(next).join(',') !== keys.join(',') || keys.slice(0, 5).join(',') !== 'format,build,key,id,files') return undefined;
  for (const k of keys) if (!['id', 'files', 'statesAt', 'envRead'].includes(k) && (next as unknown as Record<string, unknown>)[k] !== (old as unknown as Record<string, unknown>)[k]) return undefined;
  const a = old.files;
  const b = next.files;
  if (Object.keys(a).join(',') !== FILE_KEYS || Object.keys(b).join(',') !== FILE_KEYS) return undefined;
  const n = a.paths.length;
  if (b.paths.length !== n || a.size.length !== n || b.size.length !== n || a.mtimeMs.length !== n || b.mtimeMs.length !== n || a.hash.length !== n || b.hash.length !== n) return undefined;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (a.paths[i] !== b.paths[i]) return undefined;
    if (a.size[i] !== b.size[i] || a.mtimeMs[i] !== b.mtimeMs[i] || a.hash[i] !== b.hash[i]) rows.push(i);
  }
  for (const i of rows) if (!isHash(a.hash[i]) || !isHash(b.hash[i]) || !Number.isFinite(b.size[i]) || !Number.isFinite(b.mtimeMs[i])) return undefined;

  const edits: HeaderEdit[] = [];
  const replace = (start: number, oldText: string, newText: string): number => {
    const want = Buffer.from(oldText);
    if (start < 0 || !line.subarray(start, start + want.length).equals(want)) throw new Error('not where it should be');
    if (oldText !== newText) edits.push({ start, end: start + want.length, bytes: Buffer.from(newText) });
    return start + want.length;
  };
  const expect = (at: number, text: string): number => replace(at, text, text);

  // {"format":..,"build":..,"key":..,"id":"<id>","files":{"paths":[  (strings before it hold no unescaped quote)
  const idToken = `"id":${JSON.stringify(old.id)}`;
  const afterId = replace(line.indexOf(idToken), idToken, `"id":${JSON.stringify(next.id)}`);
  const paths = expect(afterId, ',"files":{"paths":[');
  // A path's JSON holds no `"` unescaped: the first `],"size":[` after the paths is their end. Numbers and hashes hold no `]`.
  const size = expect(line.indexOf('],"size":[', paths), '],"size":[');
  const mtimeMs = expect(line.indexOf('],"mtimeMs":[', size), '],"mtimeMs":[');
  const hash = expect(line.indexOf('],"hash":[', mtimeMs), '],"hash":[');
  const hashEnd = hash + n * HASH_STRIDE - (n > 0 ? 1 : 0);

  // Each changed row's size and time (found by counting commas: numbers hold none) and hash (fixed width).
  const numbers = (start: number, values: readonly number[], now: readonly number[]) => {
    let at = start;
    let k = 0;
    for (const i of rows) {
      // A loop over the bytes: a Buffer.indexOf call a comma cost 20x as much.
      for (; k < i && at < line.length; at++) if (line[at] === 0x2c) k++;
      replace(at, JSON.stringify(values[i]), JSON.stringify(now[i]));
    }
  };
  numbers(size, a.size, b.size);
  numbers(mtimeMs, a.mtimeMs, b.mtimeMs);
  for (const i of rows) replace(hash + i * HASH_STRIDE, `"${a.hash[i]}"`, `"${b.hash[i]}"`);

  const statesAt = expect(hashEnd, ']},"statesAt":');
  const envRead = expect(replace(statesAt, JSON.stringify(old.statesAt), JSON.stringify(next.statesAt)), ',"envRead":');
  replace(envRead, JSON.stringify(old.envRead), JSON.stringify(next.envRead));
  return edits.sort((x, y) => x.start - y.start);
}

function isHash(h: unknown): boolean {
  return typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
}
