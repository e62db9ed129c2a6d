/**
 * The tree interpreter (a template's first render, see src/jinja/interpreter.ts)
 * against the compiled code (fast paths off, or a template's later renders):
 * every template of the golden corpora, the sandbox escapes and cases written
 * for the interpreter must give the same output, or the same error with the
 * same code, message, file and line, and call the context in the same order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { INTERPRETED_RENDERS } from '../../../src/jinja/environment.js';
import { interpretable } from '../../../src/jinja/interpreter.js';
import { parseTemplate } from '../../../src/jinja/template-parser.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';
import { pyRepr } from '../../../src/jinja/python/repr.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { setFastPaths } from '../../../src/util/fast-paths.js';
import { dec } from '../python/golden-codec.js';
import { ESCAPES } from '../sandbox/escape-corpus.js';

interface Case {
  src: string;
  ctx: () => Record<string, unknown>;
  native?: boolean;
  lenient?: boolean;
}

const golden = join(import.meta.dirname, 'golden');
const coreContext = JSON.parse(readFileSync(join(golden, 'context.json'), 'utf8')) as Record<string, unknown>;
const coreCtx = (): Record<string, unknown> => structuredClone(coreContext);

function corpus(): Case[] {
  const out: Case[] = [];
  for (const f of readdirSync(join(golden, 'snippets')).filter((x) => x.endsWith('.json'))) {
    for (const s of JSON.parse(readFileSync(join(golden, 'snippets', f), 'utf8')) as { template: string }[]) out.push({ src: s.template, ctx: coreCtx });
  }
  for (const f of readdirSync(join(golden, 'cases')).filter((x) => x.endsWith('.jinja'))) out.push({ src: readFileSync(join(golden, 'cases', f), 'utf8'), ctx: coreCtx });
  for (const f of readdirSync(join(golden, 'native')).filter((x) => x.endsWith('.json'))) {
    for (const c of JSON.parse(readFileSync(join(golden, 'native', f), 'utf8')) as { template: string }[]) out.push({ src: c.template, ctx: coreCtx, native: true });
  }
  for (const f of ['templates.json', 'dicts.json']) {
    const cases = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'python', 'golden', f), 'utf8')) as { src: string; ctx: unknown }[];
    for (const c of cases) out.push({ src: c.src, ctx: () => ({ modules: pythonModules, ...(dec(c.ctx) as Record<string, unknown>) }) });
  }
  for (const e of ESCAPES) out.push({ src: e.t, ctx: () => ({ modules: pythonModules }) });
  return out;
}

/** Written for the interpreter: line tracking, evaluation order, captures, native folding, odd keys. */
const OWN: string[] = [
  '{{ rec(1) }}\n{{ rec(2) ~ rec(3) }}\n{% if rec(4) in [rec(5), rec(4)] %}{{ rec(6) }}{% endif %}',
  '{{ f(\n  rec(1),\n  missing.attr\n) }}',
  '{{ rec(1) }}\n{% if x %}\n{{ rec(\n2) }}\n{{ nope() }}\n{% endif %}',
  '{% set a = 1 %}{% set b, c = [2, rec(3)] %}{{ a + b + c }}\n{{ a.b.c }}',
  '{% set ns = namespace(v=0) %}{% set ns.v = rec(7) %}{{ ns.v }}{% set ns.w = 1 %}',
  '{% set x %}\n{{ rec(1) }}\n  {{ rec(2) }}{% endset %}[{{ x }}]{% set y | upper %}abc{{ rec(3) }}{% endset %}{{ y }}',
  '{% filter upper %}\nabc{{ rec(1) }}\n{% endfilter %}{{ 1 // 0 }}',
  '{{ {"__proto__": 1, "a": rec(2)} }}|{{ dict(__proto__=1) }}|{{ f(*[1, 2], **{"b": 3}) }}|{{ f(1, c=rec(2), *[3], **{"d": 4}) }}',
  '{{ 1 < 2 < rec(3) }}|{{ 1 < 3 > 2 == 2 }}|{{ "a" not in "abc" }}|{{ rec(0) or rec(5) }}|{{ rec(0) and rec(5) }}|{{ not rec(0) }}',
  '{{ 1.0 }}|{{ 1.5 }}|{{ -rec(2) }}|{{ +1 }}|{{ 2 ** 10 }}|{{ 7 // 2 }}|{{ 7 % 3 }}|{{ 7 / 2 }}|{{ [1, 2, 3][1:] }}|{{ "abc"[::-1] }}',
  '{{ 1 if rec(0) else 2 }}|{{ 1 if rec(1) }}|{{ x is defined }}|{{ 3 is not odd }}|{{ [rec(1), (1, 2), {}] }}',
  '{% do rec(1) %}{% if rec(0) %}a{% elif rec(2) %}b{% else %}c{% endif %}\n{{ undefined_name.x }}',
  '{{ rec(1) }}{% docs d %}hidden{% enddocs %}{{ rec(2) }}',
  '{{ caller_of(rec) }}\n\n{{ rec(1).missing() }}',
  '{{ 1 }}',
  '{{ "a" }}{{ 1 }}',
  '{{ [1, 2] }}',
  '{{ rec(1) }} tail',
  '{{ 1 + 1 }}{{ "x" | as_text }}',
  '{{ {"a": [1, "b"]} | tojson }}',
  '{{ x.y }}\n{{ x.y.z }}',
  '{{ 1 +\n rec(\n"a") }}',
  // `in` evaluates its right side first: the call on line 2 stores L = 2, the one on line 1 does not store again.
  '{{ f(1 // 0) in [\nrec(1)] }}',
];

function ownCtx(log: string[]): Record<string, unknown> {
  return {
    rec: (v: unknown) => {
      log.push(pyRepr(v));
      return v;
    },
    f: (...args: unknown[]) => pyRepr(args),
    caller_of: (fn: (v: unknown) => unknown) => fn('called'),
    x: { y: 1 },
  };
}

type Outcome = { out: string } | { error: { code: string; message: string; file?: string; line?: number; hint?: string } } | { raw: string };

function outcome(render: () => unknown): Outcome {
  try {
    const v = render();
    return { out: typeof v === 'string' ? v : pyRepr(v) };
  } catch (e) {
    if (e instanceof TsdbtError) return { error: { code: e.code, message: e.message, file: e.file, line: e.line, hint: e.hint } };
    return { raw: String(e) };
  }
}

function renderWith(fast: boolean, c: Case, log: string[] | null): Outcome {
  const was = setFastPaths(fast);
  try {
    const env = new JinjaEnvironment();
    const vars = log ? { ...c.ctx(), ...ownCtx(log) } : c.ctx();
    const rc = { vars, lenientUndefined: c.lenient === true };
    return outcome(() => (c.native ? env.renderNative(c.src, 'models/t.sql', rc) : env.renderString(c.src, 'models/t.sql', rc)));
  } finally {
    setFastPaths(was);
  }
}

function isInterpreted(src: string): boolean {
  let text = src.replace(/\r\n?/g, '\n');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  try {
    const env = new JinjaEnvironment() as unknown as { filters: Record<string, unknown>; tests: Record<string, unknown> };
    return interpretable(parseTemplate(text, 't'), (n) => n in env.filters, (n) => n in env.tests);
  } catch {
    return false;
  }
}

afterEach(() => {
  setFastPaths(true);
});

describe('tree interpreter = compiled templates', () => {
  const cases = corpus();

  it('covers the golden corpora, most of it interpreted', () => {
    expect(cases.length).toBeGreaterThan(500);
    // 488 of 557 when written.
    expect(cases.filter((c) => isInterpreted(c.src)).length).toBeGreaterThan(450);
  });

  it('every golden template: same output or the same located error', () => {
    const diffs: string[] = [];
    for (const c of cases) {
      const a = renderWith(true, c, null);
      const b = renderWith(false, c, null);
      if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${c.src.slice(0, 80)}\n  interpreted: ${JSON.stringify(a)}\n  compiled:    ${JSON.stringify(b)}`);
    }
    expect(diffs).toEqual([]);
  });

  for (const [i, src] of OWN.entries()) {
    for (const mode of ['text', 'native', 'lenient'] as const) {
      it(`#${i} ${mode}: ${src.slice(0, 60)}`, () => {
        expect(isInterpreted(src)).toBe(true);
        const c: Case = { src, ctx: () => ({}), native: mode === 'native', lenient: mode === 'lenient' };
        const logA: string[] = [];
        const logB: string[] = [];
        const a = renderWith(true, c, logA);
        const b = renderWith(false, c, logB);
        expect(a).toEqual(b);
        expect(logA).toEqual(logB);
      });
    }
  }

  it('a template rendered often is compiled, with the same result', () => {
    const env = new JinjaEnvironment();
    const src = OWN[0]!;
    const outs = new Set<string>();
    const logs = new Set<string>();
    for (let i = 0; i < INTERPRETED_RENDERS + 3; i++) {
      const log: string[] = [];
      outs.add(env.renderString(src, 't.sql', { vars: ownCtx(log) }));
      logs.add(JSON.stringify(log));
    }
    expect(outs.size).toBe(1);
    expect(logs.size).toBe(1);
    const tpl = env.compile(src, 't.sql') as unknown as { root: { name: string } };
    expect(tpl.root.name).toBe('root');
  });

  it('templates with loops, macros, call or with blocks, unknown filters are compiled', () => {
    for (const src of ['{% for x in [1] %}{{ x }}{% endfor %}', '{% macro m() %}{% endmacro %}', '{% with a = 1 %}{{ a }}{% endwith %}', '{{ loop }}', '{{ x | no_such_filter }}', '{{ x is no_such_test }}']) {
      expect(isInterpreted(src)).toBe(false);
    }
  });
});
