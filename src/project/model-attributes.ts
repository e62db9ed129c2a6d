import type { CompiledNode } from '../manifest/types.js';
import type { ResourcePatch } from './properties.js';

/**
 * Model-only attributes dbt's model nodes always carry, which packages read
 * from `graph.nodes` (dbt_project_evaluator: `access`, `group`,
 * `rejectattr('time_spine', 'none')`). Not yet declared on CompiledNode, so
 * they are added as own fields.
 */
export interface ModelAttributes {
  /** `public`, `protected` (dbt's default) or `private`; from config or properties. */
  access: string;
  group: string | null;
  constraints: unknown[];
  deprecation_date: string | null;
  time_spine: unknown;
  /** The node-level contract (dbt copies config.contract here; checksum is filled when enforced contracts are checked). */
  contract: { enforced: boolean; alias_types: boolean; checksum: string | null };
}

/** Fill a model's ModelAttributes from its final config and its properties entry (config wins, as in dbt). */
export function fillModelAttributes(node: CompiledNode, patch: ResourcePatch | undefined): void {
  if (node.resource_type !== 'model') return;
  const raw = patch?.raw ?? {};
  const c = node.config as Record<string, unknown>;
  const existing = node as unknown as Partial<ModelAttributes>;
  const attrs: ModelAttributes = {
    access: String(c.access ?? raw.access ?? 'protected'),
    group: (c.group ?? raw.group ?? null) as string | null,
    constraints: Array.isArray(raw.constraints) ? raw.constraints : [],
    // A version's own deprecation_date (set by applyModelVersion) wins over the model's.
    deprecation_date: existing.deprecation_date ?? (raw.deprecation_date === undefined || raw.deprecation_date === null ? null : String(raw.deprecation_date)),
    time_spine: raw.time_spine ?? null,
    contract: { enforced: node.config.contract?.enforced === true, alias_types: node.config.contract?.alias_types !== false, checksum: null },
  };
  Object.assign(node, attrs);
}
