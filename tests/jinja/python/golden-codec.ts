/**
 * Decoding of the golden cases written by golden/*.py (see golden/codec.py),
 * and the assertion every golden case shares: same output, or same Python
 * exception type and message.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';
import { makeKwargs } from '../../../src/jinja/kwargs.js';
import { pyFloat } from '../../../src/jinja/python/py-float.js';
import { PyDecimal } from '../../../src/jinja/python/py-decimal.js';
import { pyTuple } from '../../../src/jinja/python/types.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';

export function dec(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dec);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$float' in o) {
      const f = o.$float;
      return pyFloat(f === 'nan' ? NaN : f === 'inf' ? Infinity : f === '-inf' ? -Infinity : (f as number));
    }
    if ('$decimal' in o) return PyDecimal.fromString(o.$decimal as string);
    if ('$tuple' in o) return pyTuple((o.$tuple as unknown[]).map(dec));
    if ('$undefined' in o) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = dec(x);
    return out;
  }
  return v;
}

/** Call arguments as a template passes them: positionals, then a kwargs object if any. */
export function callArgs(args: unknown[], kwargs: Record<string, unknown> | undefined): unknown[] {
  const a = args.map(dec);
  if (kwargs && Object.keys(kwargs).length > 0) a.push(makeKwargs(dec(kwargs) as Record<string, unknown>));
  return a;
}

export interface Outcome {
  out?: string;
  error?: string;
  message?: string;
}

/** Run `fn`; expect `render(result)` to equal case.out, or the same Python exception. */
export function expectOutcome(c: Outcome, fn: () => unknown, render: (v: unknown) => string): void {
  if (c.error !== undefined) {
    let thrown: unknown;
    try {
      fn();
    } catch (e) {
      thrown = e;
    }
    expect(thrown, `expected ${c.error}: ${c.message}`).toBeInstanceOf(TsdbtError);
    // Jinja2 names the undefined variable; at this layer the name is unknown, so only the type is compared.
    if (c.error === 'UndefinedError') expect((thrown as TsdbtError).message).toMatch(/^UndefinedError: /);
    else expect((thrown as TsdbtError).message).toBe(`${c.error}: ${c.message}`);
    return;
  }
  expect(render(fn())).toBe(c.out);
}

/** A whole-template case: the template, its context (encoded), and Jinja2's outcome. */
export interface TemplateCase extends Outcome {
  src: string;
  ctx: Record<string, unknown>;
}

/** The cases of golden/<file>. */
export function loadTemplateCases(file: string): TemplateCase[] {
  return JSON.parse(readFileSync(new URL(`./golden/${file}`, import.meta.url), 'utf8')) as TemplateCase[];
}

const env = new JinjaEnvironment();

/** Render a case's template as the generators do: dbt's `modules` plus the case's context. */
export function renderCase(c: TemplateCase): string {
  return env.renderString(c.src, 'golden.sql', { vars: { modules: pythonModules, ...(dec(c.ctx) as Record<string, unknown>) } });
}
