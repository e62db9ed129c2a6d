/**
 * tsdbt's Jinja engine: dbt's Jinja with Jinja2 3.1 semantics: our own
 * tokenizer, grammar, compiler to JavaScript and runtime (the token
 * vocabulary is nunjucks'); Python value behaviour comes from ./python/.
 *
 * Pipeline: lexer.ts → template-parser.ts (ast.ts) → compiler.ts → a cached
 * JS function per (file, source); runtime.ts resolves names through the
 * RenderContext (vars → resolve() → builtins → the file's own macros).
 * Templates run sandboxed as in Jinja2's SandboxedEnvironment: every
 * attribute read or write goes through python/sandbox.ts (JS and Python
 * internals are a SecurityError); nesting is bounded (compile-expr.ts) and
 * JavaScript failures are worded as Jinja errors (js-errors.ts).
 *
 *   const env = new JinjaEnvironment();
 *   env.renderString('select {{ ref("a") }}', 'models/x.sql', { vars: { ref } });
 *   const m = env.bindMacro('macros/m.sql', src, 'my_macro', ctx);
 *   callJinja(m, [1], { flag: true });
 */
export type { RenderContext, TopLevelBlock, JinjaCallable } from './types.js';
export { JinjaEnvironment, type JinjaTemplate } from './environment.js';
export { callJinja, pyFunction } from './call.js';
export { contextVar, exposeMembers, exposedMembers } from './python/sandbox.js';
export { isKwargs, splitArgs, makeKwargs, type Kwargs } from './kwargs.js';
export { templateNames } from './template-names.js';
