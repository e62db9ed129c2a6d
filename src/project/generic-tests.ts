import { createHash } from 'node:crypto';
import type { ContextFactory } from '../context/context-factory.js';
import { newCapture, type ParseCapture } from '../context/parse-context.js';
import { renderTestKwargs } from '../context/test-kwargs.js';
import { callJinja, type JinjaEnvironment } from '../jinja/index.js';
import type { CompiledNode, Macro } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';
import { blankNode } from './node-defaults.js';
import type { TestDecl } from './properties.js';

/**
 * dbt's names for generic test nodes: `<test>_<model>_<args...>`, e.g.
 * `not_null_stg_commits_commit_hash`, `accepted_values_m_status__a__b`;
 * namespaced tests join with `_` (`dbt_utils_accepted_range_...`); names of
 * 64 characters or more become the first 30 characters plus an md5.
 */
export function genericTestName(decl: TestDecl): string {
  if (decl.customName) return decl.customName;
  const testType = decl.testName.replace(/\./g, '_');
  const targetName = decl.target.kind === 'source' ? `source_${decl.target.sourceName}_${decl.target.name}` : decl.target.name;
  const args: Record<string, unknown> = { ...decl.args };
  if (decl.columnName !== null) args.column_name = decl.columnName;
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    const v = args[key];
    const parts = v !== null && typeof v === 'object' ? (Array.isArray(v) ? v : Object.values(v)) : [v];
    for (const p of parts) flat.push(pyStrLite(p));
  }
  const unique = flat.map((a) => a.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const identifier = `${testType}_${targetName}`;
  const full = unique ? `${identifier}_${unique}` : `${identifier}_`;
  const trimmed = full.endsWith('_') && !unique ? identifier : full;
  if (trimmed.length >= 64) return `${identifier.slice(0, 30)}_${createHash('md5').update(trimmed).digest('hex')}`;
  return trimmed;
}

/** str() of a YAML scalar as Python prints it (True, None, 1.5). */
function pyStrLite(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The test node for a declaration; `raw_code` calls the test macro with the stored kwargs, as dbt's does. */
export function genericTestNode(decl: TestDecl, rootPath: string): CompiledNode {
  const name = genericTestName(decl);
  const [namespace, shortName] = decl.testName.includes('.') ? decl.testName.split('.', 2) as [string, string] : [null, decl.testName];
  const hash = createHash('md5').update(`${name}|${decl.file}|${decl.columnName ?? ''}`).digest('hex').slice(0, 10);
  const modelExpr = decl.target.kind === 'source' ? `source('${decl.target.sourceName}', '${decl.target.name}')` : `ref('${decl.target.name}')`;
  const kwargs: Record<string, unknown> = { ...decl.args, model: `{{ get_where_subquery(${modelExpr}) }}` };
  if (decl.columnName !== null) kwargs.column_name = decl.columnName;
  const node = blankNode({
    unique_id: `test.${decl.package}.${name}.${hash}`,
    resource_type: 'test',
    package_name: decl.package,
    name,
    path: `${name}.sql`,
    original_file_path: decl.file,
    root_path: rootPath,
    fqn: [decl.package, ...decl.file.split('/').slice(1, -1), name],
    raw_code: `{{ test_${shortName}(**_dbt_generic_test_kwargs) }}`,
  });
  node.test_metadata = { name: shortName, namespace, kwargs };
  node.column_name = decl.columnName;
  node.file_key_name = decl.target.kind === 'source' ? `sources.${decl.target.sourceName}` : `${decl.target.kind}s.${decl.target.name}`;
  return node;
}

/**
 * dbt renders a generic test's macro at parse time (with `execute` false):
 * config() calls in the macro body reach the test's config (dbt_utils sets
 * `fail_calc` this way), and refs/sources in its arguments or body are
 * recorded. Returns what the render captured; the caller merges it.
 */
export function renderGenericTestForParse(node: CompiledNode, macro: Macro, contexts: ContextFactory, env: JinjaEnvironment, currentConfig: () => ConfigLayer): ParseCapture {
  const capture = newCapture();
  const { context, resolver } = contexts.forParse(node, capture, currentConfig);
  const kwargs = renderTestKwargs(node.test_metadata?.kwargs ?? {}, env, node.original_file_path, context);
  context.vars._dbt_generic_test_kwargs = kwargs;
  callJinja(resolver.bind(macro), [], kwargs);
  return capture;
}
