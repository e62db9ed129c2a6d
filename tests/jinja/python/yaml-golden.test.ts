/**
 * Golden cases from PyYAML 6 (golden/gen_yaml.py → golden/yaml.json):
 * safe_dump as dbt's toyaml calls it, safe_load as fromyaml does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pyRepr } from '../../../src/jinja/python/repr.js';
import { pyFromYaml, pyToYaml } from '../../../src/jinja/python/yaml.js';
import { dec } from './golden-codec.js';

interface Case {
  kind: 'dump' | 'load';
  value?: unknown;
  sortKeys?: boolean;
  text?: string;
  out?: string;
  error?: string;
}

const cases = JSON.parse(readFileSync(new URL('./golden/yaml.json', import.meta.url), 'utf8')) as Case[];

describe('toyaml / fromyaml (golden from PyYAML 6)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(100));
  for (const c of cases) {
    it(`${c.kind} ${JSON.stringify(c.kind === 'dump' ? c.value : c.text).slice(0, 100)}${c.sortKeys ? ' sorted' : ''}`, () => {
      if (c.kind === 'dump') expect(pyToYaml(dec(c.value), c.sortKeys)).toBe(c.out);
      else if (c.error) expect(() => pyFromYaml(c.text!)).toThrow(/^YAMLError: /);
      else expect(pyRepr(pyFromYaml(c.text!))).toBe(c.out);
    });
  }
});
