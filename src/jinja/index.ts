/**
 * tsdbt's Jinja engine: dbt's Jinja (Jinja2 3.1 semantics) on nunjucks'
 * tokenizer with our own grammar, compiler and Python-semantics runtime.
 *
 *   const env = new JinjaEnvironment();
 *   env.renderString('select {{ ref("a") }}', 'models/x.sql', { vars: { ref } });
 *   const m = env.bindMacro('macros/m.sql', src, 'my_macro', ctx);
 *   callJinja(m, [1], { flag: true });
 */
export type { RenderContext, TopLevelBlock, JinjaCallable } from './types.js';
export { JinjaEnvironment, type JinjaTemplate } from './environment.js';
export { callJinja, pyFunction } from './call.js';
export { isKwargs, splitArgs, makeKwargs, type Kwargs } from './kwargs.js';
