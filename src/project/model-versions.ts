import type { CompiledNode } from '../manifest/types.js';
import { mergeConfig } from './config-merge.js';
import type { PropertiesIndex, ResourcePatch } from './properties.js';

interface VersionEntry {
  v: string | number;
  defined_in?: string;
  deprecation_date?: unknown;
  config?: Record<string, unknown>;
}

/** Which model version each file stem defines, per properties index (built once). */
const stemsByIndex = new WeakMap<PropertiesIndex, Map<string, { patch: ResourcePatch; entry: VersionEntry }>>();

function stemsOf(props: PropertiesIndex): Map<string, { patch: ResourcePatch; entry: VersionEntry }> {
  let stems = stemsByIndex.get(props);
  if (!stems) {
    stems = new Map();
    for (const patch of props.models.values()) {
      for (const raw of patch.versions ?? []) {
        const entry = raw as VersionEntry;
        if (entry === null || typeof entry !== 'object' || entry.v === undefined || entry.v === null) continue;
        // dbt's default file for version v of model m is m_v<v>.sql; `defined_in` names another file.
        const stem = typeof entry.defined_in === 'string' ? entry.defined_in.replace(/\.sql$/, '') : `${patch.name}_v${String(entry.v)}`;
        stems.set(stem, { patch, entry });
      }
    }
    stemsByIndex.set(props, stems);
  }
  return stems;
}

/** The greatest declared version (dbt's default latest_version): numeric order when all are numbers. */
function greatest(versions: VersionEntry[]): string | number | null {
  const vs = versions.map((e) => e.v).filter((v) => v !== undefined && v !== null);
  if (vs.length === 0) return null;
  const allNumeric = vs.every((v) => !Number.isNaN(Number(v)));
  return vs.reduce((a, b) => (allNumeric ? (Number(b) > Number(a) ? b : a) : String(b) > String(a) ? b : a));
}

/**
 * dbt model versions. A model in properties YAML with `versions:` is defined
 * by one file per version (`<model>_v<v>.sql`, or the version's
 * `defined_in`). When `node` (named after its file) is such a file, it
 * becomes that version: named after the model, with `version`,
 * `latest_version` (default: the greatest version), unique id
 * `model.<pkg>.<model>.v<v>` and fqn ending `<model>, v<v>`; its alias then
 * defaults to `<model>_v<v>` (defaultAliasName). Returns the model's patch
 * with the version's own `config:` layered over the model's, or undefined
 * when the file is not a declared version.
 */
export function applyModelVersion(props: PropertiesIndex, node: CompiledNode): ResourcePatch | undefined {
  if (node.resource_type !== 'model') return undefined;
  const hit = stemsOf(props).get(node.name);
  if (!hit) return undefined;
  const { patch, entry } = hit;
  node.name = patch.name;
  node.version = entry.v;
  node.latest_version = patch.latestVersion ?? greatest((patch.versions ?? []) as VersionEntry[]);
  node.unique_id = `model.${node.package_name}.${patch.name}.v${String(entry.v)}`;
  node.fqn = [...node.fqn.slice(0, -1), patch.name, `v${String(entry.v)}`];
  if (entry.deprecation_date !== undefined && entry.deprecation_date !== null) node.deprecation_date = String(entry.deprecation_date);
  return entry.config ? { ...patch, config: mergeConfig(patch.config, entry.config) } : patch;
}
