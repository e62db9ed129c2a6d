import type { RuntimeRender } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja, pyFunction } from '../jinja/index.js';
import type { CompiledNode, UnitTestDefinition } from '../manifest/types.js';

/**
 * A unit test's `overrides:` applied to the render context of the tested
 * model: `macros` (a macro, or a namespaced one such as
 * `dbt_utils.current_timestamp`, returns the given value; `is_incremental:
 * true` tests the incremental branch), `vars` and `env_vars` (win over the
 * project's and the environment's). Names are looked up in the context's
 * vars first, so macros called from the model see the overrides too.
 */
export function applyOverrides(r: RuntimeRender, overrides: UnitTestDefinition['overrides'], node: CompiledNode): void {
  if (!overrides) return;
  const vars = r.context.vars;
  const macros = record(overrides.macros, 'macros', node);
  for (const [key, value] of Object.entries(macros)) {
    const fixed = pyFunction(() => value);
    const dot = key.indexOf('.');
    if (dot < 0) {
      vars[key] = fixed;
      continue;
    }
    const [pkg, name] = [key.slice(0, dot), key.slice(dot + 1)];
    const inner = (vars[pkg] ?? r.resolver.resolve(pkg) ?? {}) as Record<string, unknown>;
    vars[pkg] = new Proxy(inner, {
      get: (t, prop) => (prop === name ? fixed : (t as Record<string | symbol, unknown>)[prop]),
      has: (t, prop) => prop === name || prop in t,
    });
    // `dbt.x` overrides also apply to the bare name, which resolves to the same macro.
    if (pkg === 'dbt') vars[name] = fixed;
  }
  const varOverrides = record(overrides.vars, 'vars', node);
  if (Object.keys(varOverrides).length > 0) {
    const original = vars.var;
    vars.var = pyFunction((args, kwargs) => (String(args[0]) in varOverrides ? varOverrides[String(args[0])] : callJinja(original, args, kwargs)));
  }
  const envOverrides = record(overrides.env_vars, 'env_vars', node);
  if (Object.keys(envOverrides).length > 0) {
    const original = vars.env_var;
    vars.env_var = pyFunction((args, kwargs) => (String(args[0]) in envOverrides ? String(envOverrides[String(args[0])]) : callJinja(original, args, kwargs)));
  }
}

function record(v: unknown, key: string, node: CompiledNode): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${node.name}': overrides.${key} must be a mapping, got ${JSON.stringify(v)}`, {
      file: node.original_file_path,
      hint: `Write e.g. \`overrides:\n  ${key}:\n    name: value\``,
    });
  }
  return v as Record<string, unknown>;
}
