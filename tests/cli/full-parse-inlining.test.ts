import { describe, expect, it } from 'vitest';
import { capsInlining, FULL_PARSE_INLINING_FLAG } from '../../src/cli/full-parse-inlining.js';

describe('full parse inlining cap (src/cli/full-parse-inlining.ts)', () => {
  it('is the cumulative inlining budget V8 knows, lowered from its default of 920', () => {
    expect(FULL_PARSE_INLINING_FLAG).toBe('--max-inlined-bytecode-size-cumulative=200');
  });

  it('applies unless the user tuned V8 inlining in node arguments or NODE_OPTIONS', () => {
    expect(capsInlining([], undefined)).toBe(true);
    expect(capsInlining(['--enable-source-maps', '--max-old-space-size=4096'], '--trace-warnings')).toBe(true);
    expect(capsInlining(['--no-turbo-inlining'], undefined)).toBe(false);
    expect(capsInlining([], '--max-inlined-bytecode-size-cumulative=920')).toBe(false);
  });
});
