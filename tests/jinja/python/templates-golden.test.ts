/**
 * Template-level golden cases from Jinja2 3.1 (golden/gen_templates.py →
 * golden/templates.json), rendered by tsdbt's JinjaEnvironment with
 * `modules` = pythonModules: datetime, re, itertools and pytz through
 * templates, and the Python value layer end to end (operators, slicing,
 * methods, filters, tests, truthiness, rendering of values).
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

const cases = JSON.parse(readFileSync(new URL('./golden/templates.json', import.meta.url), 'utf8')) as Case[];
const env = new JinjaEnvironment();

/** Python's exception names where ours are qualified. */
const TYPE: Record<string, string> = { error: 're.error' };

describe('templates through the Python layer (golden from Jinja2 3.1)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(150));
  for (const [i, c] of cases.entries()) {
    it(`#${i} ${c.src.slice(0, 110)}`, () => {
      const render = (): string => env.renderString(c.src, 'golden.sql', { vars: { modules: pythonModules, ...(dec(c.ctx) as Record<string, unknown>) } });
      if (c.error === undefined) {
        expect(render()).toBe(c.out);
        return;
      }
      const type = TYPE[c.error] ?? c.error;
      // re.error messages are the JS engine's own; everything else must carry Python's message.
      expect(render).toThrow(type === 're.error' ? `${type}: ` : `${type}: ${c.message}`);
    });
  }
});
