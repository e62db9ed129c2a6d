import { createHash } from 'node:crypto';
import type { CompiledNode, Hook, NodeConfig } from '../manifest/types.js';
import type { ConfigLayer } from './config-merge.js';

const DEFAULT_MATERIALIZED: Record<string, string> = {
  model: 'view',
  seed: 'seed',
  snapshot: 'snapshot',
  test: 'test',
  analysis: 'view',
  unit_test: 'unit',
  operation: 'view',
  sql_operation: 'view',
};

export function defaultConfig(resourceType: string): NodeConfig {
  const base: NodeConfig = {
    enabled: true,
    materialized: DEFAULT_MATERIALIZED[resourceType] ?? 'view',
    tags: [],
    meta: {},
    pre_hook: [],
    post_hook: [],
    persist_docs: {},
    docs: { show: true, node_color: null },
    contract: { enforced: false, alias_types: true },
    grants: {},
    quoting: {},
    column_types: {},
    alias: null,
    schema: null,
    database: null,
    full_refresh: null,
    unique_key: null,
    on_schema_change: 'ignore',
    on_configuration_change: 'apply',
    packages: [],
    incremental_strategy: null,
  };
  if (resourceType === 'test') {
    Object.assign(base, { severity: 'ERROR', warn_if: '!= 0', error_if: '!= 0', fail_calc: 'count(*)', where: null, limit: null, store_failures: null, store_failures_as: null, schema: 'dbt_test__audit' });
    delete (base as Record<string, unknown>).on_schema_change;
  }
  if (resourceType === 'seed') Object.assign(base, { quote_columns: null, delimiter: ',' });
  if (resourceType === 'snapshot') Object.assign(base, { strategy: null, target_schema: null, target_database: null, updated_at: null, check_cols: null });
  return base;
}

/** Turn a merged config layer into a NodeConfig: hooks normalised, tags a list, severity upper-cased. */
export function finaliseConfig(resourceType: string, layer: ConfigLayer): NodeConfig {
  const out = { ...defaultConfig(resourceType), ...layer } as NodeConfig;
  out.pre_hook = normaliseHooks(layer.pre_hook);
  out.post_hook = normaliseHooks(layer.post_hook);
  out.tags = Array.isArray(out.tags) ? out.tags.map(String) : out.tags ? [String(out.tags)] : [];
  out.enabled = (out.enabled as unknown) !== false && (out.enabled as unknown) !== 'false';
  if (typeof out.severity === 'string') out.severity = out.severity.toUpperCase();
  if (typeof out.materialized !== 'string') out.materialized = defaultConfig(resourceType).materialized;
  return out;
}

function normaliseHooks(raw: unknown): Hook[] {
  const items = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  return items.map((h, index) =>
    typeof h === 'string'
      ? { sql: h, transaction: true, index }
      : { sql: String((h as { sql?: unknown }).sql ?? ''), transaction: (h as { transaction?: unknown }).transaction !== false, index },
  );
}

const checksums = new Map<string, string>();

/** sha256 of a node's code, memoised: thousands of generic tests share the same few raw_code strings. */
export function checksumOf(text: string): { name: string; checksum: string } {
  let checksum = checksums.get(text);
  if (checksum === undefined) {
    checksum = createHash('sha256').update(text).digest('hex');
    if (text.length < 512) checksums.set(text, checksum);
  }
  return { name: 'sha256', checksum };
}

/** A node with every field present, for the given identity; callers fill in the rest. */
export function blankNode(fields: Pick<CompiledNode, 'unique_id' | 'resource_type' | 'package_name' | 'name' | 'path' | 'original_file_path' | 'root_path' | 'fqn' | 'raw_code'>): CompiledNode {
  return {
    ...fields,
    description: '',
    tags: [],
    meta: {},
    alias: fields.name,
    schema: '',
    database: null,
    relation_name: null,
    config: defaultConfig(fields.resource_type),
    unrendered_config: {},
    language: 'sql',
    refs: [],
    sources: [],
    depends_on: { nodes: [], macros: [] },
    columns: {},
    patch_path: null,
    docs: { show: true, node_color: null },
    checksum: checksumOf(fields.raw_code),
  };
}
