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

/** A chunk is written once it reaches this many characters. */
const CHUNK = 1 << 20;

/**
 * The bytes of `JSON.stringify(value)` for an object, written a chunk at a
 * time: each top-level member, and each entry of a top-level member that is
 * a plain object (nodes, macros, parent_map...), is stringified on its own.
 * At 40,000 nodes the manifest is hundreds of MB as one string, then again
 * as a Buffer; streamed, the peak is one node.
 */
function writeJsonStreamed(write: (text: string) => void, value: object): void {
  let buffered = '';
  const emit = (text: string) => {
    buffered += text;
    if (buffered.length >= CHUNK) {
      write(buffered);
      buffered = '';
    }
  };
  // As JSON.stringify: members in own enumerable order; one whose value has no JSON form (undefined, a function) is left out.
  const members = (obj: object, each: (key: string, v: unknown, first: boolean) => boolean) => {
    let first = true;
    for (const key of Object.keys(obj)) if (each(key, (obj as Record<string, unknown>)[key], first)) first = false;
  };
  emit('{');
  members(value, (key, v, first) => {
    if (isPlainObject(v)) {
      emit(`${first ? '' : ','}${JSON.stringify(key)}:{`);
      members(v, (k, x, innerFirst) => {
        const json = JSON.stringify(x);
        if (json === undefined) return false;
        emit(`${innerFirst ? '' : ','}${JSON.stringify(k)}:${json}`);
        return true;
      });
      emit('}');
      return true;
    }
    const json = JSON.stringify(v);
    if (json === undefined) return false;
    emit(`${first ? '' : ','}${JSON.stringify(key)}:${json}`);
    return true;
  });
  emit('}');
  if (buffered) write(buffered);
}

/** An object JSON.stringify writes member by member (no toJSON, not an array or a boxed value). */
function isPlainObject(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
