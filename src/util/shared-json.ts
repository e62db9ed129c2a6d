import { deepFreeze } from './deep-freeze.js';

/**
 * Values shared by many others (one config object for thousands of generic
 * tests), frozen all the way down, each with its JSON text once made: a
 * writer of the values that hold it writes that text instead of serialising
 * the same object again for each of them (artifacts/json-byte-writer.ts).
 */
const texts = new WeakMap<object, string | null>();

/** `value` frozen, nested values too, and known as shared. Returns `value`. */
export function markShared<T extends object>(value: T): T {
  deepFreeze(value);
  if (!texts.has(value)) texts.set(value, null);
  return value;
}

/** JSON.stringify(value) for a value markShared made shared (made once); undefined for any other. */
export function sharedJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const text = texts.get(value);
  if (text === undefined) return undefined;
  if (text !== null) return text;
  const made = JSON.stringify(value);
  texts.set(value, made);
  return made;
}

/** What stands in for a shared member while the rest of its holder is serialised (a number: no field of another kind made for it). */
const STAND_IN = 0;

/**
 * JSON.stringify(holder), byte for byte, with member `key`'s text taken from
 * sharedJson when that member is shared: the holder is serialised with a
 * stand-in there, and the shared text put in its place. The stand-in's text
 * must occur once, between two members (else the holder is serialised as
 * it is). Undefined when `holder` has no JSON form.
 */
export function jsonSharingMember(holder: unknown, key: string): string | undefined {
  if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) return JSON.stringify(holder);
  const record = holder as Record<string, unknown>;
  const member = record[key];
  const text = sharedJson(member);
  if (text === undefined || Object.getOwnPropertyDescriptor(record, key)?.writable !== true) return JSON.stringify(holder);
  const mark = `,${JSON.stringify(key)}:${STAND_IN},`;
  let whole: string;
  record[key] = STAND_IN;
  try {
    whole = JSON.stringify(holder);
  } finally {
    record[key] = member;
  }
  const at = whole.indexOf(mark);
  if (at < 0 || whole.indexOf(mark, at + 1) >= 0) return JSON.stringify(holder);
  const valueAt = at + mark.length - 2;
  return `${whole.slice(0, valueAt)}${text}${whole.slice(valueAt + 1)}`;
}
