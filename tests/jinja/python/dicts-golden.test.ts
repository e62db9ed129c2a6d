/**
 * `modules.re` against Python 3.11's `re` (golden/gen_re.py → golden/dicts.json):
 * each pattern's findall, search, fullmatch, sub and split on a few subjects,
 * its group count and names; scoped inline flags, VERBOSE, atomic groups and
 * possessive quantifiers, escapes, and the patterns Python refuses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';
import { dec } from './golden-codec.js';

interface Case {
  src: string;
  ctx: Record<string, unknown>;
  out?: string;
  error?: string;
  message?: string;
}

const cases = JSON.parse(readFileSync(new URL('./golden/dicts.json', import.meta.url), 'utf8')) as Case[];
const env = new JinjaEnvironment();

describe('dict keys keep their Python type (golden from Jinja2 3.1)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  for (const [i, c] of cases.entries()) {
    const ctx = dec(c.ctx) as Record<string, unknown>;
    it(`#${i} ${c.src.slice(0, 100)}`, () => {
      const render = (): string => env.renderString(c.src, 'golden.sql', { vars: { modules: pythonModules, ...ctx } });
      if (c.error === undefined) expect(render()).toBe(c.out);
      else expect(render).toThrow(`${c.error}: ${c.message}`);
    });
  }
});
