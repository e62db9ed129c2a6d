import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';

/** The group a node belongs to (models carry it as an attribute, other nodes in config). */
export const groupOf = (node: CompiledNode): string | null => (node.group ?? (node.config.group as string | null | undefined) ?? null) || null;

/**
 * dbt's model access rules for one ref: a `private` model may be referenced
 * only from its own group (and, when its package sets `restrict-access`,
 * its own package); a `protected` model only from its own package when that
 * package restricts access. Returns the parse error dbt gives, or null.
 */
export function refAccessError(node: CompiledNode, target: CompiledNode, restrictsAccess: (pkg: string) => boolean): TsdbtError | null {
  if (target.resource_type !== 'model') return null;
  const otherPackage = node.package_name !== target.package_name && restrictsAccess(target.package_name);
  let scope: string | null = null;
  if (target.access === 'private') {
    const group = groupOf(node);
    if (!group || group !== groupOf(target) || otherPackage) scope = `'${String(groupOf(target))}' group`;
  } else if (target.access === 'protected' && otherPackage) {
    scope = `'${target.package_name}' package`;
  }
  if (scope === null) return null;
  return new TsdbtError(
    'REF_ACCESS',
    `Node ${node.unique_id} attempted to reference node ${target.unique_id}, which is not allowed because the referenced node is ${target.access} to the ${scope}.`,
    {
      file: node.original_file_path,
      hint: target.access === 'private' ? `Put ${node.name} in the same group, or make ${target.name} access: protected or public.` : `Make ${target.name} access: public, or reference it from its own package.`,
    },
  );
}
