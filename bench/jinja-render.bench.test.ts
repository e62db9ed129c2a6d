/**
 * Rendering cost of tsdbt's Jinja engine against plain nunjucks 3.2.4 on the
 * same dbt-style model, bound-macro calls, and compile throughput. Prints
 * figures and the tsdbt/nunjucks ratio (goal: under 2x); asserts only that
 * both engines produce the same SQL.
 *
 *   npx vitest run --config bench/vitest.config.ts bench/jinja-render.bench.test.ts
 */
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, pyFunction, type RenderContext } from '../src/jinja/index.js';
import { CALLER, MODEL, macroContext, nunjucksEnv, vars } from './jinja-fixtures.js';

/** Median per-call microseconds over `rounds` rounds of `n` calls, after a warm-up. */
function measure(n: number, f: () => void, rounds = 7): number {
  for (let i = 0; i < 500; i++) f();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    per.push(((performance.now() - t0) * 1000) / n);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(rounds / 2)]!;
}

describe('jinja render bench', () => {
  it('renders a model: tsdbt vs plain nunjucks', () => {
    const nj = new nunjucks.Template(MODEL, nunjucksEnv(), 'model.sql', true);
    const env = new JinjaEnvironment();
    const tpl = env.compile(MODEL, 'models/model.sql');
    const ctx: RenderContext = { vars: { ...vars, ref: pyFunction(([n]) => vars.ref(String(n))) } };
    expect(env.render(tpl, ctx)).toBe(nj.render(vars).replace(/\n$/, ''));
    const ours = measure(5000, () => env.render(tpl, ctx));
    const theirs = measure(5000, () => nj.render(vars));
    console.log(`render model: tsdbt ${ours.toFixed(2)} µs, nunjucks ${theirs.toFixed(2)} µs, ratio ${(ours / theirs).toFixed(2)} (goal < 2)`);
  });

  it('renders a model calling 3 bound macros (fresh context per render)', () => {
    const env = new JinjaEnvironment();
    const tpl = env.compile(CALLER, 'models/caller.sql');
    const us = measure(2000, () => env.render(tpl, macroContext(env)));
    console.log(`model + 3 bound macros: ${us.toFixed(2)} µs per render, ${((us * 2000) / 1000).toFixed(1)} ms per 2,000 renders`);
  });

  it('compiles distinct models', () => {
    const env = new JinjaEnvironment();
    let i = 0;
    const us = measure(500, () => env.compile(`${MODEL}-- ${i++}`, `models/m${i}.sql`), 5);
    console.log(`compile: ${us.toFixed(1)} µs per model, ${((us * 2000) / 1000).toFixed(0)} ms per 2,000 models`);
  });

  it('finds the blocks of a 5,000-macro file (the macro-registry scan)', () => {
    const env = new JinjaEnvironment();
    const big = Array.from({ length: 5000 }, (_, i) => `{% macro m${i}(a, b=${i}) %}select {{ a }} + {{ b }}{% if a %}x{% endif %}{% endmacro %}\n`).join('');
    expect(env.blocks(big, 'macros/big.sql')).toHaveLength(5000);
    const t0 = performance.now();
    for (let r = 0; r < 5; r++) env.blocks(big, 'macros/big.sql');
    console.log(`blocks() of a 5,000-macro file: ${((performance.now() - t0) / 5).toFixed(1)} ms (was held under 200 ms by a unit test)`);
  });
});
