/**
 * Golden corpus: every golden/cases/*.jinja rendered by our engine must equal
 * Jinja2 3.1's output (golden/cases/*.out, produced by golden/gen.py with
 * dbt's environment settings) byte for byte.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';

const dir = join(import.meta.dirname, 'golden', 'cases');
const context = JSON.parse(readFileSync(join(import.meta.dirname, 'golden', 'context.json'), 'utf8')) as Record<string, unknown>;
const cases = readdirSync(dir).filter((f) => f.endsWith('.jinja')).sort();

describe('Jinja2 golden corpus', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(15);
  });
  const env = new JinjaEnvironment();
  for (const file of cases) {
    it(file, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const expected = readFileSync(join(dir, file.replace(/\.jinja$/, '.out')), 'utf8');
      const vars = structuredClone(context);
      expect(env.renderString(source, `cases/${file}`, { vars })).toBe(expected);
    });
  }
});
