import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { genericTestHash, genericTestNames } from '../../src/project/generic-test-names.js';
import type { TestDecl } from '../../src/project/properties.js';
import { pyReprString, pyStr } from '../../src/project/py-repr.js';
import { sortStrings } from '../../src/project/sort-strings.js';

/** The hash as first written (map/join and Array.prototype.sort): what the unique ids in every manifest so far were made with. */
function referenceHash(name: string, metadata: unknown): string {
  const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
  const sortedKeys = (o: Record<string, unknown>): string[] => {
    const keys = Object.keys(o).sort();
    if (!keys.some((k) => ARRAY_INDEX.test(k) && Number(k) < 4294967295)) return keys;
    return Object.keys(Object.fromEntries(keys.map((k) => [k, true])));
  };
  const repr = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`;
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const o = v as Record<string, unknown>;
      return `{${sortedKeys(o).map((k) => `${pyReprString(k)}: ${repr(o[k])}`).join(', ')}}`;
    }
    return pyReprString(pyStr(v));
  };
  return createHash('md5').update(name + repr(metadata)).digest('hex').slice(-10);
}

/** Seeded values of every shape YAML gives, with keys that sort oddly (integers, capitals, non-ASCII, quotes). */
function randomValues(seed: number) {
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const words = ['id', 'Id', 'a', 'b_c', '0', '1', '10', '2', '007', '4294967295', '-1', 'é', 'Z', "it's", 'say "hi"', 'tab\there', 'back\\slash', 'line\nbreak', '', 'values', 'column_name', 'model'];
  const value = (depth: number): unknown => {
    switch (rand(depth > 2 ? 6 : 8)) {
      case 0: return words[rand(words.length)];
      case 1: return rand(2) === 0 ? rand(1000) : rand(1000) / 7;
      case 2: return rand(2) === 0;
      case 3: return null;
      case 4: return new Date(Date.UTC(2020, rand(12), 1 + rand(28)));
      case 5: return `ref('m${rand(50)}')`;
      case 6: return Array.from({ length: rand(5) }, () => value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = rand(20); i > 0; i--) o[words[rand(words.length)]!] = value(depth + 1);
        return o;
      }
    }
  };
  return value;
}

describe('generic test unique id hash', () => {
  it('equals the first implementation on random test metadata', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const value = randomValues(seed);
      const kwargs: Record<string, unknown> = {};
      for (let i = seed % 23; i > 0; i--) kwargs[String(value(1))] = value(1);
      const metadata = { name: 'accepted_values', namespace: seed % 3 === 0 ? 'dbt_utils' : null, kwargs };
      expect(`${seed}: ${genericTestHash(`t${seed}`, metadata)}`).toBe(`${seed}: ${referenceHash(`t${seed}`, metadata)}`);
    }
  });

  it('names the test from its sorted arguments as Array.prototype.sort orders them', () => {
    const decl: TestDecl = { testName: 'accepted_values', args: { values: ['a', 'b'], b: 1, B: 2, _x: 3, é: 4, '10': 5, '9': 6 }, config: {}, columnName: 'status', target: { kind: 'model', name: 'orders' }, file: 'models/schema.yml', package: 'p' };
    // '10' < '9' < 'B' < '_x' < 'b' < 'column_name' < 'values' < 'é'
    expect(genericTestNames(decl).full).toBe('accepted_values_orders_5__6__2__3__1__status__a__b__4');
  });

  it('sorts strings as Array.prototype.sort does', () => {
    const value = randomValues(7);
    for (let n = 0; n < 40; n++) {
      const list = Array.from({ length: n }, () => String(value(3)));
      expect(sortStrings([...list])).toEqual([...list].sort());
    }
  });
});
