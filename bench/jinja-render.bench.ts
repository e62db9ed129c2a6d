/**
 * Rendering cost of tsdbt's Jinja engine against plain nunjucks 3.2.4 on the
 * same dbt-style template, plus bound-macro calls.
 *
 *   npx vitest bench bench/jinja-render.bench.ts --run
 *
 * vitest prints ops/sec per case and "N x faster/slower than" within a group;
 * the goal is tsdbt within 2x of nunjucks.
 */
import nunjucks from 'nunjucks';
import { bench, describe } from 'vitest';
import { JinjaEnvironment, pyFunction, type RenderContext } from '../src/jinja/index.js';
import { CALLER, MODEL, macroContext, nunjucksEnv, vars } from './jinja-fixtures.js';

describe('render a model (compiled once)', () => {
  const nj = nunjucksEnv();
  const njTemplate = new nunjucks.Template(MODEL, nj, 'model.sql', true);
  const env = new JinjaEnvironment();
  const tpl = env.compile(MODEL, 'models/model.sql');
  const ctx: RenderContext = { vars: { ...vars, ref: pyFunction(([n]) => vars.ref(String(n))) } };
  bench('nunjucks 3.2.4', () => {
    njTemplate.render(vars);
  });
  bench('tsdbt jinja', () => {
    env.render(tpl, ctx);
  });
});

describe('model calling 3 bound macros (fresh context per render)', () => {
  const env = new JinjaEnvironment();
  const tpl = env.compile(CALLER, 'models/caller.sql');
  bench('tsdbt jinja', () => {
    env.render(tpl, macroContext(env));
  });
});

