import type { ContextFactory } from '../context/context-factory.js';
import { newCapture } from '../context/parse-context.js';
import type { CompiledNode } from '../manifest/types.js';
import { blankNode } from './node-defaults.js';
import type { LoadedPackage } from './packages.js';

export type RunHookKind = 'on-run-start' | 'on-run-end';

/** A project's on-run-start / on-run-end hook as dbt's manifest holds it: an operation node of its own package. */
export interface ProjectHookNode extends CompiledNode {
  /** Its place among its package's hooks of its kind (dbt's HookNode.index at parse). */
  index: number;
}

/**
 * Every package's on-run-start and on-run-end hooks as operation nodes,
 * `operation.<package>.<package>-<kind>-<i>`, each in its own package (so
 * it renders with that package's vars and macros first), schema and
 * database the target's, as dbt's hook parser makes them for every
 * project taking part in the parse.
 */
export function projectHookNodes(packages: readonly LoadedPackage[], target: { schema?: unknown; database?: unknown }): ProjectHookNode[] {
  const out: ProjectHookNode[] = [];
  for (const { config } of packages) {
    for (const kind of ['on-run-start', 'on-run-end'] as const) {
      const hooks = kind === 'on-run-start' ? config.onRunStart : config.onRunEnd;
      hooks.forEach((sql, index) => {
        const name = `${config.name}-${kind}-${index}`;
        const node = blankNode({
          unique_id: `operation.${config.name}.${name}`,
          resource_type: 'operation',
          package_name: config.name,
          name,
          path: `hooks/${name}.sql`,
          original_file_path: 'dbt_project.yml',
          root_path: config.root,
          fqn: [config.name, name],
          raw_code: sql,
        }) as ProjectHookNode;
        node.schema = typeof target.schema === 'string' ? target.schema : '';
        node.database = typeof target.database === 'string' ? target.database : null;
        node.alias = name;
        node.tags = [kind];
        node.index = index;
        out.push(node);
      });
    }
  }
  return out;
}

/**
 * The hooks of one kind in the order dbt runs them: by package name with
 * the root project's last, then by their index within their package.
 */
export function hooksInRunOrder(nodes: readonly ProjectHookNode[], kind: RunHookKind, rootName: string): ProjectHookNode[] {
  const key = (n: ProjectHookNode) => (n.package_name === rootName ? 1 : 0);
  return nodes
    .filter((n) => n.tags.includes(kind))
    .sort((a, b) => key(a) - key(b) || (a.package_name < b.package_name ? -1 : a.package_name > b.package_name ? 1 : 0) || a.index - b.index);
}

/**
 * Fill each hook's `depends_on.macros` as dbt's hook parser does: the hook
 * is rendered with its package's parse context and every macro it calls
 * at the top level is recorded. A hook that fails to render at parse time
 * keeps the macros called before the failure; its error is the run's
 * (the hook is rendered again, with the runtime context, when it runs).
 */
export function recordHookMacros(hooks: readonly ProjectHookNode[], contexts: ContextFactory): void {
  const env = contexts.shared.env;
  for (const hook of hooks) {
    if (!hook.raw_code.includes('{{') && !hook.raw_code.includes('{%')) continue;
    const capture = newCapture();
    const { context } = contexts.forParse(hook, capture, () => ({}));
    try {
      env.render(env.compile(hook.raw_code, hook.original_file_path), context);
    } catch {
      // The runtime render reports it, located, when the hook runs.
    }
    hook.depends_on.macros = capture.macros;
  }
}
