import type { CompiledNode } from '../manifest/types.js';
import { blankNode } from '../project/node-defaults.js';

/**
 * A node for SQL that is not a project file: hooks, `run-operation`,
 * `show --inline`, `compile --inline`. It renders with the runtime context
 * like any node, in the root project's package.
 */
export function operationNode(opts: { packageName: string; name: string; rawCode: string; resourceType?: 'operation' | 'sql_operation'; file?: string }): CompiledNode {
  const type = opts.resourceType ?? 'operation';
  const node = blankNode({
    unique_id: `${type}.${opts.packageName}.${opts.name}`,
    resource_type: type,
    package_name: opts.packageName,
    name: opts.name,
    path: opts.file ?? `${opts.name}.sql`,
    original_file_path: opts.file ?? `${opts.name}.sql`,
    fqn: [opts.packageName, opts.name],
    raw_code: opts.rawCode,
  });
  node.schema = '';
  return node;
}
