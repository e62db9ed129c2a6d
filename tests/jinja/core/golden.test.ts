/**
 * Golden corpus: every golden/cases/*.jinja rendered by our engine must equal
 * Jinja2 3.1's output (golden/cases/*.out, produced by golden/gen.py with
 * dbt's environment settings) byte for byte.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { pyRepr } from '../../../src/jinja/python/repr.js';

const dir = join(import.meta.dirname, 'golden', 'cases');
const context = JSON.parse(readFileSync(join(import.meta.dirname, 'golden', 'context.json'), 'utf8')) as Record<string, unknown>;
const cases = readdirSync(dir).filter((f) => f.endsWith('.jinja')).sort();

interface Snippet {
  template: string;
  output?: string;
  error?: string;
}

const snippetDir = join(import.meta.dirname, 'golden', 'snippets');
const snippetFiles = readdirSync(snippetDir).filter((f) => f.endsWith('.json')).sort();

describe('Jinja2 golden snippets (one template per line)', () => {
  const env = new JinjaEnvironment();
  for (const file of snippetFiles) {
    const snippets = JSON.parse(readFileSync(join(snippetDir, file), 'utf8')) as Snippet[];
    describe(file, () => {
      for (const s of snippets) {
        it(s.template, () => {
          const render = (): string => env.renderString(s.template, `snippets/${file}`, { vars: structuredClone(context) });
          if (s.error !== undefined) {
            // Jinja2 raised (s.error names its exception type): we must raise a located TsdbtError too.
            expect(render).toThrow(TsdbtError);
            try {
              render();
            } catch (e) {
              expect((e as TsdbtError).file).toBe(`snippets/${file}`);
              expect((e as TsdbtError).line).toBe(1);
            }
          } else {
            expect(render()).toBe(s.output);
          }
        });
      }
    });
  }
});

interface NativeCase {
  template: string;
  repr?: string;
  error?: string;
}

const nativeDir = join(import.meta.dirname, 'golden', 'native');

describe("dbt's native rendering (YAML values), against Jinja2's native environment", () => {
  const env = new JinjaEnvironment();
  for (const file of readdirSync(nativeDir).filter((f) => f.endsWith('.json'))) {
    for (const c of JSON.parse(readFileSync(join(nativeDir, file), 'utf8')) as NativeCase[]) {
      it(c.template, () => {
        const render = (): unknown => env.renderNative(c.template, `native/${file}`, { vars: structuredClone(context) });
        if (c.error !== undefined) expect(render).toThrow(TsdbtError);
        else expect(pyRepr(render())).toBe(c.repr);
      });
    }
  }
});

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
