/**
 * util/prefetched-yaml.ts: a block YAML result encoded on the worker and
 * decoded here must answer every line lookup as the reader's own tables do,
 * and values JSON would not give back as they were are never encoded (the
 * file is then parsed here).
 */
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/util/prefetched-yaml.js';
import { parseBlockYaml } from '../../src/util/yaml-block.js';
import type { BlockYaml } from '../../src/util/yaml-result.js';

const TEXTS = [
  'version: 2\nmodels:\n  - name: a\n    description: "x"\n    columns:\n      - name: id\n        tests: [unique, not_null]\n      - name: b\n        data_tests:\n          - accepted_values:\n              values: [1, 2]\n',
  'a: 1\na: 2\nb:\n  c: {x: 1, y: [1, 2, {z: 3}], x: 4}\n  d: |\n    text\n    more\n',
  '# comment\n\n- one\n-\n  - nested\n  -   two\n- {k: v}\n- [ ]\n- {}\n- null\n- ~\n- 1.5\n- true\n- "quoted: x"\n',
  'list:\n- a\n- b: 1\n  c: 2\n- - x\n  - y\nempty_map: {}\nempty_list: []\nnum: 0x1F\nfl: 1e3\n',
  'key with spaces: v\n"quoted key": w\n? no\n',
  '',
  '# only a comment\n',
  'scalar',
  '1: one\n0: zero\nb: bee\n10: ten\n',
  'multi: >\n  folded\n  lines\nplain: over\n  two lines\n',
];

/** Every lookup the tables answer, for each map and list of the value. */
function lookups(b: BlockYaml): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    out.push([path, 'line', b.lines.get(v)]);
    if (Array.isArray(v)) {
      out.push([path, 'items', b.itemLines.get(v) ?? 'none']);
      v.forEach((x, i) => visit(x, `${path}[${i}]`));
      return;
    }
    const keyLines = b.keyLines.get(v);
    for (const k of [...Object.keys(v), 'not-a-key']) out.push([path, 'key', k, keyLines === undefined ? 'none' : keyLines.get(k)]);
    for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
  };
  visit(b.value, '');
  return out;
}

describe('encode/decode of block YAML', () => {
  it('gives the same values, lines, key lines, item lines and duplicates after a structured clone', () => {
    let read = 0;
    for (const text of TEXTS) {
      const b = parseBlockYaml(text);
      if (!b) continue;
      read++;
      const e = encode(b);
      expect(e, text).toBeDefined();
      const back = decode(structuredClone(e!));
      expect(back.value, text).toEqual(b.value);
      expect(JSON.stringify(back.value), text).toBe(JSON.stringify(b.value));
      expect(lookups(back), text).toEqual(lookups(b));
      expect(back.duplicates, text).toEqual(b.duplicates);
      // Objects not from the value have no lines.
      expect(back.lines.get({})).toBeUndefined();
      expect(back.keyLines.get([])).toBeUndefined();
    }
    expect(read).toBeGreaterThanOrEqual(7);
  });

  it('reports the duplicate keys of a mapping as the reader does', () => {
    const b = parseBlockYaml('m:\n  k: 1\n  k: 2\n')!;
    const back = decode(structuredClone(encode(b)!));
    expect(back.duplicates).toEqual([{ key: 'k', line: 3, first: 2 }]);
    expect(back.keyLines.get((back.value as { m: object }).m)?.get('k')).toBe(b.keyLines.get((b.value as { m: object }).m)?.get('k'));
  });

  it('declines values JSON would change: non-finite numbers, -0, a __proto__ key', () => {
    for (const text of ['a: .inf\n', 'a: [-.inf]\n', 'a: .nan\n', 'a: -0\n', '__proto__: 1\n', 'a:\n  __proto__: {b: 1}\n']) {
      const b = parseBlockYaml(text);
      expect(b, text).toBeDefined();
      expect(encode(b!), text).toBeUndefined();
    }
    expect(encode(parseBlockYaml('a: 0\nb: -1\nc: 1.5e300\n')!)).toBeDefined();
  });
});
