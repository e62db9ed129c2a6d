import { describe, expect, it } from 'vitest';
import { plainCopy } from '../../src/util/plain-copy.js';

/** Own keys, descriptors and prototype: what a spread copy is made of. */
const anatomy = (o: object) => ({ keys: Reflect.ownKeys(o), descriptors: Object.getOwnPropertyDescriptors(o), proto: Object.getPrototypeOf(o) });

describe('plainCopy', () => {
  it('is a spread copy of a plain object: the same keys in the same order (integer keys first), values and descriptors', () => {
    const source: Record<string, unknown> = { b: 1, a: [2], 10: 'ten', 2: 'two', c: { d: null }, e: undefined };
    const copy = plainCopy(source);
    expect(copy).not.toBe(source);
    expect(anatomy(copy)).toEqual(anatomy({ ...source }));
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...source }));
    // Shallow, as a spread: nested values are the same objects.
    expect(copy.a).toBe(source.a);
    copy.b = 9;
    expect(source.b).toBe(1);
  });

  it('keeps an own __proto__ key as an own key (a YAML or Jinja mapping may have one), prototype untouched', () => {
    const source: Record<string, unknown> = {};
    Object.defineProperty(source, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    source.x = 1;
    const copy = plainCopy(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect(anatomy(copy)).toEqual(anatomy({ ...source }));
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('leaves out what a spread leaves out (non-enumerable and inherited members) and reads getters once, as a spread', () => {
    const source: Record<string, unknown> = Object.create({ inherited: 1 });
    Object.defineProperty(source, 'hidden', { value: 2, enumerable: false });
    Object.defineProperty(source, 'computed', { get: () => 'got', enumerable: true });
    source.plain = 3;
    // Not a plain object (its prototype is not Object.prototype): spread as it is.
    expect(anatomy(plainCopy(source))).toEqual(anatomy({ ...source }));
    let reads = 0;
    const plain: Record<string, unknown> = {};
    Object.defineProperty(plain, 'hidden', { value: 2, enumerable: false });
    Object.defineProperty(plain, 'computed', { get: () => ++reads, enumerable: true });
    const before = reads;
    const copy = plainCopy(plain);
    expect(reads).toBe(before + 1);
    expect(Object.keys(copy)).toEqual(['computed']);
    expect(Object.getOwnPropertyDescriptor(copy, 'computed')).toEqual({ value: before + 1, writable: true, enumerable: true, configurable: true });
  });

  it('spreads an object of another prototype, symbol-keyed members included', () => {
    const state = Symbol('state');
    class Dict {
      [state] = new Map([['k', 1]]);
      shown = 'x';
    }
    const source = new Dict() as unknown as Record<string, unknown>;
    const copy = plainCopy(source);
    expect(anatomy(copy)).toEqual(anatomy({ ...source }));
    expect(Reflect.ownKeys(copy)).toContain(state);
  });
});
