import { describe, expect, it } from 'vitest';
import { framedList, trimmedList, withItem } from '../../src/util/exact-list.js';

describe('exact-list', () => {
  it('framedList is [first, ...middle, last] and leaves middle as it was', () => {
    const middle = ['a', 'b'];
    expect(framedList('pkg', [], 'name')).toEqual(['pkg', 'name']);
    expect(framedList('pkg', middle, 'name')).toEqual(['pkg', 'a', 'b', 'name']);
    expect(middle).toEqual(['a', 'b']);
    // Arrays as items stay items (concat spreads only its own arguments).
    expect(framedList<unknown>(['x'], [['y']], ['z'])).toEqual([['x'], ['y'], ['z']]);
  });

  it('withItem appends to a new list, items that are lists kept whole', () => {
    const list: string[][] = [['s', 't']];
    const out = withItem(list, ['u', 'v']);
    expect(out).toEqual([['s', 't'], ['u', 'v']]);
    expect(out).not.toBe(list);
    expect(list).toEqual([['s', 't']]);
    expect(withItem([], 'only')).toEqual(['only']);
  });

  it('trimmedList has the same items in a new list, and an empty list is itself', () => {
    const grown: string[] = [];
    grown.push('a', 'b');
    const trimmed = trimmedList(grown);
    expect(trimmed).toEqual(['a', 'b']);
    expect(trimmed).not.toBe(grown);
    const empty: string[] = [];
    expect(trimmedList(empty)).toBe(empty);
  });

  it('the lists serialise as the spread forms do', () => {
    expect(JSON.stringify(framedList('p', ['d'], 'n'))).toBe(JSON.stringify(['p', ...['d'], 'n']));
    expect(JSON.stringify(withItem(['a'], 'b'))).toBe('["a","b"]');
  });
});
