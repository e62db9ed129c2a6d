/**
 * Performance floors (generous, the machine is shared): bound macros are
 * cheap to call, and rendering stays within 2x of plain nunjucks on the same
 * template. Figures are printed; bench/jinja-render.bench.test.ts has the details.
 */
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, pyFunction, type RenderContext } from '../../../src/jinja/index.js';
import { CALLER, MODEL, macroContext, nunjucksEnv, vars } from '../../../bench/jinja-fixtures.js';

/** Best of three timed runs of `n` calls (the machine is shared: take the least disturbed run). */
function time(n: number, f: () => void): number {
  for (let i = 0; i < 200; i++) f(); // warm up
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('performance', () => {
  it('renders 2,000 models calling 3 bound macros well under a second', () => {
    const env = new JinjaEnvironment();
    const tpl = env.compile(CALLER, 'models/caller.sql');
    expect(env.render(tpl, macroContext(env))).toBe(`select a, b, "c" from "db"."main"."t" limit 10`);
    const ms = time(2000, () => env.render(tpl, macroContext(env)));
    console.log(`2,000 renders with 3 bound macros (fresh context each): ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(500);
  });

  it('stays within 2x of plain nunjucks on the same model', () => {
    const nj = new nunjucks.Template(MODEL, nunjucksEnv(), 'model.sql', true);
    const env = new JinjaEnvironment();
    const tpl = env.compile(MODEL, 'models/model.sql');
    const ctx: RenderContext = { vars: { ...vars, ref: pyFunction(([n]) => vars.ref(String(n))) } };
    // Same work: both produce the same SQL (modulo nunjucks keeping the trailing newline).
    expect(env.render(tpl, ctx)).toBe(nj.render(vars).replace(/\n$/, ''));
    const n = 3000;
    const ours = time(n, () => env.render(tpl, ctx));
    const theirs = time(n, () => nj.render(vars));
    console.log(`${n} renders: tsdbt ${ours.toFixed(1)} ms, nunjucks ${theirs.toFixed(1)} ms, ratio ${(ours / theirs).toFixed(2)}`);
    expect(ours / theirs).toBeLessThan(2);
  });

  it('compiles once per (file, source)', () => {
    const env = new JinjaEnvironment();
    const a = env.compile(MODEL, 'models/a.sql');
    expect(env.compile(MODEL, 'models/a.sql')).toBe(a);
    expect(env.compile(MODEL, 'models/b.sql')).not.toBe(a);
    const ms = time(2000, () => env.compile(MODEL, 'models/a.sql'));
    expect(ms).toBeLessThan(50);
  });

  it('compiles 2,000 distinct models fast (parse budget: 2,000 models in under 2 s)', () => {
    const env = new JinjaEnvironment();
    let i = 0;
    const ms = time(2000, () => env.compile(`${MODEL}-- ${i++}`, `models/m${i}.sql`));
    console.log(`2,000 distinct compiles: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(2000);
  });
});
