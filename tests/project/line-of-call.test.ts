import { describe, expect, it } from 'vitest';
import { lineOfCall } from '../../src/project/resolve-refs.js';

describe('lineOfCall', () => {
  const raw = "select 1\nfrom {{ ref('a') }}\njoin {{ source('s', 't') }}\n\njoin {{ ref(\"b\") }} join {{ref ( 'c' )}}";

  it('gives the 1-based line of the first ref or source call naming the name', () => {
    expect(lineOfCall(raw, 'ref', 'a')).toBe(2);
    expect(lineOfCall(raw, 'ref', 'b')).toBe(5);
    expect(lineOfCall(raw, 'ref', 'c')).toBe(5);
    expect(lineOfCall(raw, 'source', 't')).toBe(3);
    expect(lineOfCall(raw, 'source', 's')).toBe(3);
  });

  it('is undefined for a name no call of that function names, and each call starts afresh', () => {
    expect(lineOfCall(raw, 'ref', 'x')).toBeUndefined();
    expect(lineOfCall(raw, 'source', 'a')).toBeUndefined();
    // After a miss (the shared regex at the end) and after a hit part-way, the next call finds from the start.
    expect(lineOfCall(raw, 'ref', 'a')).toBe(2);
    expect(lineOfCall("{{ ref('a') }}", 'ref', 'a')).toBe(1);
    expect(lineOfCall("x\n{{ myref('a') }}\n{{ ref('a') }}", 'ref', 'a')).toBe(3);
  });
});
