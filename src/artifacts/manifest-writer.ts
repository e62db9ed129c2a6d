import { writeChunksAtomic, writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';

/**
 * Write target/manifest.json atomically (util/atomic-write), so a reader never
 * sees half a file and a failed write keeps the previous manifest. Ref call locations (`at`) are non-enumerable (parse.ts), so
 * they stay out of the JSON without copying nodes.
 */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  const path = join(targetDir, 'manifest.json');
  if (!fastPaths()) {
    writeFileAtomic(path, JSON.stringify(manifest), 'the manifest');
    return path;
  }
  writeChunksAtomic(path, 'the manifest', (write) => writeJsonStreamed(write, manifest));
  return path;
}

/** The bytes gathered before a write: one buffer, reused. */
const CHUNK = 1 << 20;

/**
 * The bytes of `JSON.stringify(value)` for an object, written a chunk at a
 * time: each top-level member, and each entry of a top-level member that is
 * a plain object (nodes, macros, parent_map...), is stringified on its own.
 * At 40,000 nodes the manifest is hundreds of MB as one string, then again
 * as a Buffer; streamed, the peak is one node. Each piece is encoded straight
 * into one reused buffer (no string concatenation, no Buffer per chunk: at
 * 89 MB those cost more than the stringify).
 */
function writeJsonStreamed(write: (bytes: Uint8Array) => void, value: object): void {
  const buffer = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  const flush = () => {
    if (used > 0) write(buffer.subarray(0, used));
    used = 0;
  };
  const emit = (text: string) => {
    // A UTF-16 code unit is at most 3 bytes of UTF-8, so a piece within this bound fits whole.
    if (text.length * 3 > CHUNK - used) {
      flush();
      if (text.length * 3 > CHUNK) {
        write(Buffer.from(text));
        return;
      }
    }
    used += buffer.write(text, used);
  };
  // As JSON.stringify: members in own enumerable order; one whose value has no JSON form (undefined, a function) is left out.
  const members = (obj: object, each: (key: string, v: unknown, first: boolean) => boolean) => {
    let first = true;
    for (const key of Object.keys(obj)) if (each(key, (obj as Record<string, unknown>)[key], first)) first = false;
  };
  /** `"key":` (after a comma unless first), written apart from the value so a large value is not copied into a joined string. */
  const emitKey = (key: string, first: boolean) => emit(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
  emit('{');
  members(value, (key, v, first) => {
    if (isPlainObject(v)) {
      emitKey(key, first);
      emit('{');
      members(v, (k, x, innerFirst) => {
        const json = JSON.stringify(x);
        if (json === undefined) return false;
        emitKey(k, innerFirst);
        emit(json);
        return true;
      });
      emit('}');
      return true;
    }
    const json = JSON.stringify(v);
    if (json === undefined) return false;
    emitKey(key, first);
    emit(json);
    return true;
  });
  emit('}');
  flush();
}

/** An object JSON.stringify writes member by member (no toJSON, not an array or a boxed value). */
function isPlainObject(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
