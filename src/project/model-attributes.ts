import type { CompiledNode } from '../manifest/types.js';
import type { ResourcePatch } from './properties.js';

/**
 * Fill a model's attributes (access, group, constraints, deprecation_date,
 * time_spine, contract; see CompiledNode) from its final config and its
 * properties entry (config wins, as in dbt). Other resource types carry none.
 */
export function fillModelAttributes(node: CompiledNode, patch: ResourcePatch | undefined): void {
  if (node.resource_type !== 'model') return;
  const raw = patch?.raw ?? {};
  const c = node.config;
  // Assigned in this order (the manifest's key order); a version's own deprecation_date (set by applyModelVersion) wins.
  node.access = String(c.access ?? raw.access ?? 'protected');
  node.group = (c.group ?? raw.group ?? null) as string | null;
  node.constraints = Array.isArray(raw.constraints) ? raw.constraints : [];
  node.deprecation_date = node.deprecation_date ?? (raw.deprecation_date === undefined || raw.deprecation_date === null ? null : String(raw.deprecation_date));
  node.time_spine = raw.time_spine ?? null;
  node.contract = { enforced: c.contract?.enforced === true, alias_types: c.contract?.alias_types !== false, checksum: null };
}
