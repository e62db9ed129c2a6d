import { describe, expect, it } from 'vitest';
import { fnmatch, parseSelection } from '../../src/graph/index.js';
import { fuzzFnmatch, fuzzSelectors } from '../support/fuzz/selector-grammar.js';
import { select } from './project-fixture.js';

describe('selector globs', () => {
  it('a backwards range is a usage error naming the selector', () => {
    expect(() => parseSelection({ select: ['[z-a]*'] })).toThrowError(
      expect.objectContaining({ code: 'SELECTOR_INVALID', message: "Invalid selector '[z-a]*': bad glob '[z-a]*': the range 'z-a' in '[z-a]' runs backwards" }),
    );
    expect(() => parseSelection({ select: ['tag:[!z-a]'] })).toThrowError(expect.objectContaining({ code: 'SELECTOR_INVALID' }));
    expect(() => parseSelection({ select: ['path:models/[9-0]'] })).toThrowError(expect.objectContaining({ code: 'SELECTOR_INVALID' }));
  });

  it('matching is linear: many stars do not backtrack', () => {
    const name = 'a'.repeat(5000);
    const started = performance.now();
    expect(fnmatch(name, `${'*a'.repeat(40)}b`)).toBe(false);
    expect(fnmatch(name, `${'*a'.repeat(40)}*`)).toBe(true);
    expect(fnmatch(`${'a/'.repeat(2000)}x`, `${'*/'.repeat(30)}*y`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    expect(select({ select: [`tag:${'*a'.repeat(40)}b`] }).names).toEqual([]);
    expect(select({ select: [`path:${'*/'.repeat(8)}*`] }).names).toEqual([]);
  });

  it('keeps fnmatch semantics: sets, negation, literal brackets, unicode', () => {
    expect(fnmatch('stg_a', 'stg_[a-c]')).toBe(true);
    expect(fnmatch('stg_d', 'stg_[!a-c]')).toBe(true);
    expect(fnmatch('a]', '[]]*')).toBe(false);
    expect(fnmatch(']x', '[]]*')).toBe(true);
    expect(fnmatch('[x', '[x')).toBe(true);
    expect(fnmatch('a/b.c', '*')).toBe(true);
    expect(fnmatch('😀', '?')).toBe(true);
  });

  it('agrees with Python-fnmatch-as-RegExp on 3,000 short patterns (seeded)', () => {
    expect(fuzzFnmatch(3000, 1204)).toBeGreaterThan(1000);
  });

  it('selector grammar fuzz: 2,000 generated --select/--exclude end in a result or a TsdbtError, quickly', () => {
    const { ok, rejected } = fuzzSelectors((opts) => select(opts), 2000, 20261204);
    expect(ok).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });
});
