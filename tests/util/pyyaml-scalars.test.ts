/**
 * dbt reads every project YAML file with PyYAML's SafeLoader (YAML 1.1), so
 * plain scalars are typed as it types them, on the fast reader and on the
 * `yaml` fallback alike. goldens/pyyaml-plain-scalars.json is PyYAML 6's
 * value for each scalar, made by goldens/pyyaml-plain-scalars.py
 * (`yaml.safe_load('k: ' + s)['k']`, typed and printed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBlockYaml } from '../../src/util/yaml-block.js';
import { composeWithYaml } from '../../src/util/yaml.js';
import { resolvePlain } from '../../src/util/yaml-scalars.js';

type Golden = [string, 'str' | 'bool' | 'int' | 'float' | 'null' | 'date' | 'datetime' | 'error', unknown];
const goldens = JSON.parse(readFileSync(join(__dirname, 'goldens/pyyaml-plain-scalars.json'), 'utf8')) as Golden[];

/** What the golden says the value is, in JS: dates (PyYAML's datetime.date) stay their text, as does `=` (PyYAML cannot construct it). */
function expected([text, type, value]: Golden): unknown {
  switch (type) {
    case 'bool':
      return value;
    case 'null':
      return null;
    case 'int':
      return Number(value);
    case 'float':
      return value === 'nan' ? NaN : value === 'inf' ? Infinity : value === '-inf' ? -Infinity : Number(value);
    default:
      return text;
  }
}

describe('plain scalars typed as PyYAML types them', () => {
  const scalars = goldens.filter(([text, type]) => type !== 'error' || text === '=');

  it('resolvePlain gives the golden value for each scalar', () => {
    const wrong = scalars.filter((g) => !Object.is(resolvePlain(g[0]), expected(g)) && !(typeof expected(g) === 'number' && resolvePlain(g[0]) === expected(g)));
    expect(wrong.map((g) => [g[0], resolvePlain(g[0]), expected(g)])).toEqual([]);
    // The ones YAML 1.2's core schema types otherwise.
    expect(['yes', 'Off', '017', '08', '0o17', '0b11', '-0x1F', '1_000', '12:30', '1e3', '1.5e3', '-.5'].map(resolvePlain)).toEqual([
      true, false, 15, '08', '0o17', 3, -31, 1000, 750, '1e3', '1.5e3', '-.5',
    ]);
  });

  it('the fast reader and the yaml fallback read a document of them the same (values, keys, flow lists)', () => {
    const plain = scalars.filter(([t]) => t !== '' && t !== '=').map(([t]) => t);
    const text = `${plain.map((s, i) => `k${i}: ${s}`).join('\n')}\nlist:\n${plain.map((s) => `  - ${s}`).join('\n')}\nflow: [${plain.join(', ')}]\nyes: key\n1_0: key\n`;
    const fast = parseBlockYaml(text);
    expect(fast).toBeDefined();
    const slow = composeWithYaml(text, 'x.yml');
    expect(JSON.stringify(fast!.value)).toBe(JSON.stringify(slow.value));
    const v = slow.value as Record<string, unknown>;
    expect(plain.map((s, i) => v[`k${i}`])).toEqual(plain.map((s) => expected(scalars.find((g) => g[0] === s)!)));
    expect(v.flow).toEqual(v.list);
    expect([v.true, v['10']]).toEqual(['key', 'key']);
  });

  it("the yaml fallback's explicit tags are PyYAML's too", () => {
    expect(composeWithYaml('a: !!int "017"\nb: !!bool "off"\nc: !!str yes\nd: &x on\ne: *x\n', 'x.yml').value).toEqual({ a: 15, b: false, c: 'yes', d: true, e: true });
  });
});
