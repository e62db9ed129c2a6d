import { keyHash } from './splice-map.js';

/**
 * Members of the parse cache's body read only when something reads them:
 * the manifest's parent and child maps and the parse's node file records.
 * A command that reuses a cache with nothing changed (compile, run...)
 * reads none of them: its graph comes from each node's depends_on,
 * manifest.json copies the maps' bytes from the cache (compiled-manifest.ts),
 * and the records only serve a parse that has something to update. At
 * 10,000 models they are 16 MB of the body's 104 (80,000 small arrays, and
 * 10,000 records of ~20 objects each): ~19 MB of heap, and their garbage collection.
 *
 * The body's bytes are read into a buffer this module may change: each
 * member's bytes are copied out and replaced by `{}` or `[]` and spaces
 * (still JSON, the body's other offsets unchanged), and once the body is
 * parsed the member becomes an accessor that parses the saved bytes the
 * first time it is read, then a plain data property again (in the same
 * place among its object's keys: JSON.stringify writes the same bytes).
 */

/** The members deferred, by their container's path in the body (as the splice map names containers). */
export const DEFERRED: readonly { container: string; keys: readonly string[] }[] = [
  { container: 'parse/manifest', keys: ['parent_map', 'child_map'] },
  { container: 'parse', keys: ['nodeFiles'] },
];

/** The manifest members compiled-manifest.ts may copy while unread. */
export const DEFERRED_MAPS = ['parent_map', 'child_map'] as const;

/** One member cut out of the body: its JSON and where it sits in the cache file. */
export interface CutMember {
  container: string;
  key: string;
  json: Buffer;
  start: number;
  end: number;
}

/** A member's state on its object: still unread (its bytes are the cache's), or the value read from them. */
interface DeferredMember {
  cut: CutMember;
  /** Set once read: the value parsed from the cache's bytes. */
  value?: unknown;
  /** Set once something assigned another value (the cache's bytes no longer describe it). */
  replaced?: boolean;
}

const deferredByObject = new WeakMap<object, Map<string, DeferredMember>>();

let reads = 0;

/** How many deferred members were read (parsed) so far in this process (tests: which commands read them). */
export function deferredReads(): number {
  return reads;
}

const SPACE = 0x20;
const CLOSERS: Record<number, number> = { 0x7b: 0x7d, 0x5b: 0x5d };

/**
 * Cuts DEFERRED's members out of `body` (the cache's bytes from file
 * offset `bodyStart`, changed in place) where `spans` (the splice map's
 * members of a container, file offsets) says each sits, when the bytes
 * there are that member: `,"<key>":` or `{"<key>":` before a span that is
 * one object or array by its first and last bytes, followed by `,` or `}`.
 * A member not found so is left in the body (parsed as before).
 */
export function cutMembers(body: Buffer, bodyStart: number, spans: (container: string) => { hashes: Uint32Array; at: Uint32Array } | undefined): CutMember[] {
  const out: CutMember[] = [];
  for (const { container, keys } of DEFERRED) {
    const top = spans(container);
    if (!top) continue;
    for (const key of keys) {
      const want = keyHash(key);
      const i = top.hashes.indexOf(want);
      if (i < 0 || top.hashes.indexOf(want, i + 1) >= 0) continue;
      const start = top.at[2 * i]! - bodyStart;
      const end = top.at[2 * i + 1]! - bodyStart;
      const prefix = Buffer.from(`${JSON.stringify(key)}:`);
      if (start < prefix.length + 1 || end > body.length || end - start < 2) continue;
      const open = body[start]!;
      const before = body[start - prefix.length - 1];
      if (!body.subarray(start - prefix.length, start).equals(prefix) || (before !== 0x2c && before !== 0x7b) || CLOSERS[open] === undefined || body[end - 1] !== CLOSERS[open]) continue;
      // And after it, the next member or its container's end (spaces between).
      let after = end;
      while (body[after] === SPACE) after++;
      if (body[after] !== 0x2c && body[after] !== 0x7d) continue;
      out.push({ container, key, json: Buffer.from(body.subarray(start, end)), start: top.at[2 * i]!, end: top.at[2 * i + 1]! });
      body[start + 1] = CLOSERS[open]!;
      body.fill(SPACE, start + 2, end);
    }
  }
  return out;
}

/**
 * Makes each cut member of the parsed body one read on first use (see the
 * module's comment): the object at its container's path must hold the key
 * (as the emptied bytes parsed); one that does not is left alone.
 */
export function deferMembers(body: unknown, cut: readonly CutMember[]): void {
  for (const c of cut) {
    let target: unknown = body;
    for (const part of c.container.split('/')) target = target && typeof target === 'object' ? (target as Record<string, unknown>)[part] : undefined;
    if (!target || typeof target !== 'object' || !Object.hasOwn(target, c.key)) continue;
    const object = target as Record<string, unknown>;
    let states = deferredByObject.get(object);
    if (!states) deferredByObject.set(object, (states = new Map()));
    const state: DeferredMember = { cut: c };
    states.set(c.key, state);
    const settle = (value: unknown) => Object.defineProperty(object, c.key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(object, c.key, {
      get() {
        reads++;
        const value: unknown = JSON.parse(c.json.toString('utf8'));
        state.value = value;
        settle(value);
        return value;
      },
      set(value: unknown) {
        state.replaced = true;
        settle(value);
      },
      enumerable: true,
      configurable: true,
    });
  }
}

/**
 * Where member `key` of `object` (the manifest) sits in the parse cache it
 * was read from, when the object holds what the cache holds there: the
 * member never read (checked without reading it), or read and still the
 * very value parsed from those bytes (compile reads the maps, never changes
 * them). Undefined otherwise, and for a member not deferred.
 */
export function deferredSpan(object: object, key: string): { start: number; end: number } | undefined {
  const state = deferredByObject.get(object)?.get(key);
  if (!state || state.replaced) return undefined;
  const desc = Object.getOwnPropertyDescriptor(object, key);
  if (!desc) return undefined;
  const unread = state.value === undefined && desc.get !== undefined;
  const same = state.value !== undefined && 'value' in desc && desc.value === state.value;
  return unread || same ? { start: state.cut.start, end: state.cut.end } : undefined;
}

/** Whether member `key` of `object` is deferred and still unread (tests: that a command never read it). */
export function memberUnread(object: object, key: string): boolean {
  const state = deferredByObject.get(object)?.get(key);
  return !!state && state.value === undefined && !state.replaced && Object.getOwnPropertyDescriptor(object, key)?.get !== undefined;
}
