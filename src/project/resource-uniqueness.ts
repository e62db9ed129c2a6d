import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';

/**
 * Checks that each node the project builds has its own relation and its own
 * ref name (and, checkResourceNames, a name without spaces).
 *
 * - Relations: two models, seeds or snapshots that would be built as the
 *   same relation (same database, schema and alias) are an error, as in dbt:
 *   the second build would replace the first.
 * - Names: a model, a seed and a snapshot may share a name in one package
 *   (dbt 1.6–1.10 allows it). `ref('<name>')` then cannot tell them apart, so
 *   tsdbt warns, as dbt 1.11 does before it makes this an error. Versioned
 *   models are not counted here: their versions share a name on purpose.
 *   Two nodes of the same type with one name are already a DUPLICATE_NODE error.
 */
export function checkResourceUniqueness(nodes: Iterable<CompiledNode>, errors: TsdbtError[], warnings: string[]): void {
  const byRelation = new Map<string, CompiledNode>();
  const byName = new Map<string, CompiledNode[]>();
  for (const node of nodes) {
    if (!REFABLE.has(node.resource_type)) continue;
    if (node.relation_name) {
      const first = byRelation.get(node.relation_name);
      if (first) errors.push(relationClash(first, node));
      else byRelation.set(node.relation_name, node);
    }
    if (node.version !== null && node.version !== undefined) continue;
    const key = `${node.package_name}\0${node.name}`;
    const list = byName.get(key);
    if (list) list.push(node);
    else byName.set(key, [node]);
  }
  for (const list of byName.values()) {
    if (new Set(list.map((n) => n.resource_type)).size < 2) continue;
    const named = list.map((n) => `${n.unique_id} (${n.original_file_path})`).join(', ');
    warnings.push(`${list[0]!.original_file_path}: ${named} share the name '${list[0]!.name}', so ref('${list[0]!.name}') cannot tell them apart. Rename one of them.`);
  }
}

const REFABLE = new Set(['model', 'seed', 'snapshot']);

function relationClash(first: CompiledNode, second: CompiledNode): TsdbtError {
  return new TsdbtError(
    'DUPLICATE_RELATION',
    `${first.unique_id} (${first.original_file_path}) and ${second.unique_id} (${second.original_file_path}) would both be built as ${second.relation_name}`,
    {
      file: second.original_file_path,
      hint: 'Give one of them another alias, schema or database (config alias=, schema=, database=), or rename it.',
    },
  );
}

/**
 * dbt 1.10's check of node names (require_resource_names_without_spaces, on
 * by default): a node whose name has a space is an error, or with the flag
 * set false in dbt_project.yml a warning (dbt's deprecation).
 */
export function checkResourceNames(nodes: Iterable<CompiledNode>, projectFlags: Record<string, unknown> | undefined, errors: TsdbtError[], warnings: string[]): void {
  const allowed = projectFlags?.require_resource_names_without_spaces === false;
  for (const node of nodes) {
    if (!node.name.includes(' ')) continue;
    const found = `Found spaces in the name of \`${node.unique_id}\``;
    if (allowed) warnings.push(`${node.original_file_path}: ${found}: resource names with spaces are deprecated in dbt 1.10. Rename it without spaces.`);
    else {
      errors.push(new TsdbtError('PROJECT_INVALID', `Resource names cannot contain spaces. ${found}`, {
        file: node.original_file_path,
        hint: 'Rename the file (or its name:) without spaces, e.g. with underscores. dbt_project.yml\'s flags: require_resource_names_without_spaces: false makes this a warning, as in dbt 1.10.',
      }));
    }
  }
}