/**
 * Golden cases from Jinja2 3.1 (golden/gen_filters.py → golden/filters.json):
 * every builtin filter and test, called as the engine calls them
 * (`f(value, ...args[, kwargs])`), rendered with pyStr.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonFilters } from '../../../src/jinja/python/filters.js';
import { pythonTests } from '../../../src/jinja/python/tests.js';
import { pyStr } from '../../../src/jinja/python/repr.js';
import { callArgs, dec, expectOutcome, type Outcome } from './golden-codec.js';

interface Case extends Outcome {
  kind: 'filter' | 'test';
  name: string;
  value: unknown;
  args: unknown[];
  kwargs?: Record<string, unknown>;
}

const cases = JSON.parse(readFileSync(new URL('./golden/filters.json', import.meta.url), 'utf8')) as Case[];

function label(c: Case): string {
  return `${c.kind} ${c.name} ${JSON.stringify(c.value)} ${JSON.stringify(c.args)} ${JSON.stringify(c.kwargs ?? {})}`.slice(0, 150);
}

describe('Jinja2 filters and tests (golden from Jinja2 3.1)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(900));
  for (const c of cases) {
    it(label(c), () => {
      const table = c.kind === 'filter' ? pythonFilters : pythonTests;
      const fn = table[c.name];
      expect(fn, `no ${c.kind} ${c.name}`).toBeTypeOf('function');
      expectOutcome(c, () => fn(dec(c.value), ...callArgs(c.args, c.kwargs)), pyStr);
    });
  }
});
