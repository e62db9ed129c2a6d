/**
 * Seeded property-based fuzzing of the Jinja engine (fast-check):
 * - attribute paths: random chains of safe and unsafe names through every
 *   access form never run code, and any unsafe name is refused;
 * - expressions and templates: random (often broken) input never raises a
 *   raw JavaScript error and never hangs: it renders, or fails with a located
 *   Jinja error.
 * FUZZ_RUNS sets the case count (bench/fuzz-jinja.mjs runs long campaigns),
 * FUZZ_SEED the seed.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { pythonModules } from '../../../src/jinja/python/modules/index.js';
import { isUnsafeName } from '../../../src/jinja/python/sandbox.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const g = globalThis as { __tsdbtCanary?: unknown };
afterEach(() => expect(g.__tsdbtCanary).toBeUndefined());

const env = new JinjaEnvironment();
const JS_TEXT = /Cannot read propert|Cannot set propert|is not a function|(?<!object|') is not iterable|Unexpected token|Maximum call stack|undefined is not|null is not|is not defined|Invalid or unexpected|\[object |native code|is not a constructor/;

/** Render, returning the text or the TsdbtError; anything else fails the property. */
function attempt(source: string): string | TsdbtError {
  try {
    return env.renderString(source, 'models/fuzz.sql', { vars: { modules: pythonModules, d: { a: { b: [1, { c: 'x' }] } } } });
  } catch (e) {
    if (!(e instanceof TsdbtError)) throw new Error(`raw ${String((e as Error)?.name)} for ${JSON.stringify(source)}: ${String((e as Error)?.message)}`);
    if (JS_TEXT.test(e.message.replace(/ \(near: [\s\S]*\)$/, ''))) throw new Error(`JavaScript text reached the user for ${JSON.stringify(source)}: ${e.message}`);
    if (e.file !== 'models/fuzz.sql') throw new Error(`unlocated error for ${JSON.stringify(source)}: ${e.message}`);
    return e;
  }
}

const UNSAFE_NAMES = ['constructor', '__proto__', 'prototype', '__defineGetter__', '__lookupGetter__', '__defineSetter__', 'toString', 'valueOf', 'hasOwnProperty', 'call', 'apply', 'bind', 'caller', 'arguments', '__class__', '__globals__', '__init__', '__subclasses__', 'mro', 'func_globals', 'gi_frame', '__mro__', '__base__', '_private'];
const FUNCTION_ONLY = ['arguments', 'caller', 'call', 'apply', 'bind'];
const SAFE_NAMES = ['a', 'b', 'c', 'items', 'keys', 'get', 'upper', 'split', 'index', 'cycle', 'next', 'current', 'datetime', 're', 'now', 'compile', 'name', 'length', 'year', '0', '1'];
const ROOTS = ['range', "''", '[]', '{}', 'd', 'cycler(1, 2)', 'joiner()', 'namespace(a=1)', 'loop', 'm', 'caller', 'modules', 'modules.datetime', 'modules.datetime.datetime', 'modules.re', 'x', 'none', '1', '(1, 2)', 'dict'];

const step = fc.tuple(fc.constantFrom(...UNSAFE_NAMES, ...SAFE_NAMES), fc.constantFrom('dot', 'item', 'attr', 'map', 'format', 'call'));

function access(expr: string, [name, form]: [string, string]): string {
  const q = `'${name}'`;
  switch (form) {
    case 'dot':
      return /^\d/.test(name) ? `${expr}[${name}]` : `${expr}.${name}`;
    case 'item':
      return `${expr}[${q}]`;
    case 'attr':
      return `(${expr} | attr(${q}))`;
    case 'map':
      return `([${expr}] | map(attribute=${q}) | first)`;
    case 'format':
      return /^\d/.test(name) ? `${expr}[${name}]` : `('{0.${name}}'.format(${expr}))`;
    default:
      return `${expr}.${name}('globalThis.__tsdbtCanary = 1')`;
  }
}

describe('fuzz: attribute paths', () => {
  it('never run code; a path through an unsafe name is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROOTS), fc.array(step, { minLength: 1, maxLength: 5 }), fc.boolean(), (root, steps, call) => {
        const expr = steps.reduce(access, root);
        const body = call ? `${expr}('globalThis.__tsdbtCanary = 1')()` : expr;
        const src = `{% macro m() %}{{ caller() if caller is defined }}{% endmacro %}{% for i in [1] %}{{ ${body} }}{% endfor %}`;
        const out = attempt(src);
        expect(g.__tsdbtCanary).toBeUndefined();
        // 'format' on a dict reads keys; only a non-dict position must refuse. The roots hold no unsafe keys.
        // Item access ('item', map(attribute=), format's [k]) reads a dict's keys as data, so only
        // attribute forms must refuse; the roots hold no unsafe own keys but modules' __class__ tags.
        // A name only functions carry (arguments, caller, call, apply, bind) is a missing key on a dict, as in Jinja2: only elsewhere refused.
        if (steps.some(([n, f]) => isUnsafeName(n) && (f === 'dot' || f === 'attr' || f === 'call') && n !== '_private' && !FUNCTION_ONLY.includes(n))) expect(out).toBeInstanceOf(TsdbtError);
        if (typeof out === 'string') expect(out).not.toMatch(JS_TEXT);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

const atom = fc.constantFrom('1', '2.5', '-3', "'s'", '"t"', 'none', 'true', 'x', 'd', 'd.a', 'range(3)', '[1, 2]', '{"k": 1}', '(1,)', 'modules.re', 'loop', 'caller', '[]', "''", '0');
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '//', '%', '**', '~', '==', '<', 'in', 'and', 'or', 'is', 'is not'), tie('e')).map(([a, op, b]) => (op.startsWith('is') ? `(${a} ${op} ${['defined', 'none', 'string', 'divisibleby(2)', 'sameas(1)', 'nope'][a.length % 6]})` : `(${a} ${op} ${b})`)),
    fc.tuple(tie('e'), fc.constantFrom('upper', 'length', 'first', 'last', 'list', 'sort', 'join', 'int', 'float', 'string', 'tojson', 'items', 'dictsort', 'sum', 'unique', 'reverse', 'trim', 'default(1)', 'replace("a", "b")', 'map("upper")', 'batch(2)', 'groupby("a")', 'attr("a")', 'round', 'abs', 'min', 'max', 'format(1)', 'indent', 'wordcount', 'slice(2)', 'selectattr("a")', 'nope')).map(([a, f]) => `(${a} | ${f})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a}[${b}]`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a}[${b}:]`),
    fc.tuple(tie('e'), fc.constantFrom('split', 'get', 'items', 'format', 'join', 'match', 'search', 'sub', 'startswith', 'append', 'pop', 'update', 'replace')).map(([a, m]) => `${a}.${m}(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `(${a} if ${b} else ${c})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('e')).map(([a]) => `not ${a}`),
  ),
})).e;

describe('fuzz: expressions', () => {
  it('render or fail with a located Jinja error, never a raw JS error', () => {
    fc.assert(
      fc.property(expression, (e) => {
        attempt(`{% for i in [1] %}{{ ${e} }}{% endfor %}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

const fragment = fc.constantFrom(
  '{{', '}}', '{%', '%}', '{#', '#}', '{%-', '-%}', 'if', 'endif', 'elif', 'else', 'for', 'in', 'endfor', 'set', 'endset', 'macro', 'endmacro', 'call', 'endcall',
  'raw', 'endraw', 'filter', 'endfilter', 'do', 'x', 'y', 'loop', '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '~', '+', '-', '*', '/', '%', '=', '==',
  '"', "'", '1', '2.5', 'none', 'upper', 'range', 'caller', 'return', 'is', 'not', 'and', 'or', ' ', '\n', 'text', 'namespace', 'modules.re.match', '(a+)+$',
);

describe('fuzz: templates', () => {
  it('random token soup renders or fails located, never raw JS', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }), (parts) => {
        attempt(parts.join(' '));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
