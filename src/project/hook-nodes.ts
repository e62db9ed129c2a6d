import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ContextFactory } from '../context/context-factory.js';
import { newCapture } from '../context/parse-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import { lineOfFirstLine } from './node-hooks.js';
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
 * at the top level is recorded. A hook that fails to render fails the
 * parse, as in dbt: its error is returned, located at the hook's line in
 * its package's dbt_project.yml (`rootDir`: the root project's directory,
 * which the path is given relative to; `roots`: each package's folder by name).
 */
export function recordHookMacros(hooks: readonly ProjectHookNode[], contexts: ContextFactory, rootDir: string, roots: ReadonlyMap<string, string>): TsdbtError[] {
  const env = contexts.shared.env;
  const errors: TsdbtError[] = [];
  for (const hook of hooks) {
    if (!hook.raw_code.includes('{{') && !hook.raw_code.includes('{%')) continue;
    const capture = newCapture();
    const { context } = contexts.forParse(hook, capture);
    const template = `${hook.tags[0]} hook of ${hook.package_name}`;
    try {
      env.render(env.compile(hook.raw_code, template), context);
    } catch (e) {
      if (!(e instanceof TsdbtError)) throw e;
      errors.push(runHookError(e, hook, template, rootDir, roots.get(hook.package_name) ?? rootDir));
    }
    hook.depends_on.macros = capture.macros;
  }
  return errors;
}

function runHookError(e: TsdbtError, hook: ProjectHookNode, template: string, rootDir: string, packageRoot: string): TsdbtError {
  const file = relative(rootDir, join(packageRoot, 'dbt_project.yml'));
  if (e.file === template) {
    e.file = undefined;
    e.line = undefined;
  }
  e.message = `${e.message}\n  > in ${hook.tags[0]} hook ${hook.index} of ${hook.package_name} (${file}), rendered when the project is parsed`;
  e.hint ??= `dbt renders the on-run-start and on-run-end hooks while parsing: fix the hook's Jinja (or the macro it calls) in ${file}.`;
  return e.withLocation({ file, line: lineOfText(packageRoot, hook.raw_code) });
}

/** The line of the package's dbt_project.yml holding the hook's first line as written (undefined when quoting changed it). */
function lineOfText(root: string, sql: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, 'dbt_project.yml'), 'utf8');
  } catch {
    return undefined;
  }
  return lineOfFirstLine(text, sql);
}
