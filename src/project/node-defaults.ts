import { hexDigest } from '../util/digest.js';
import { isRecord } from '../util/yaml.js';
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

/**
 * The config every node of a resource type starts from. Each call returns
 * fresh objects (callers mutate them). Built as one literal per type, never by
 * adding or deleting keys: objects whose shape changes after creation fall out
 * of V8's fast paths, which made parse and the manifest write measurably slower.
 * Key order is the manifest's key order.
 */
export function defaultConfig(resourceType: string): NodeConfig {
  return configWith(resourceType, [], [], []);
}

/** defaultConfig with these tags and hooks (finaliseConfig's, made before: no default lists made only to be replaced). */
function configWith(resourceType: string, tags: string[], preHook: Hook[], postHook: Hook[]): NodeConfig {
  const materialized = DEFAULT_MATERIALIZED[resourceType] ?? 'view';
  if (resourceType === 'test') {
    return {
      enabled: true, materialized, tags, meta: {}, pre_hook: preHook, post_hook: postHook, persist_docs: {},
      docs: { show: true, node_color: null }, contract: { enforced: false, alias_types: true },
      grants: {}, quoting: {}, column_types: {}, alias: null, schema: 'dbt_test__audit', database: null, full_refresh: null, unique_key: null,
      on_configuration_change: 'apply', packages: [], incremental_strategy: null,
      severity: 'ERROR', warn_if: '!= 0', error_if: '!= 0', fail_calc: 'count(*)', where: null, limit: null, store_failures: null, store_failures_as: null,
    };
  }
  const base: NodeConfig = {
    enabled: true, materialized, tags, meta: {}, pre_hook: preHook, post_hook: postHook, persist_docs: {},
    docs: { show: true, node_color: null }, contract: { enforced: false, alias_types: true },
    grants: {}, quoting: {}, column_types: {}, alias: null, schema: null, database: null, full_refresh: null, unique_key: null,
    on_schema_change: 'ignore', on_configuration_change: 'apply', packages: [], incremental_strategy: null,
  };
  if (resourceType === 'seed') {
    base.quote_columns = null;
    base.delimiter = ',';
  } else if (resourceType === 'snapshot') {
    base.strategy = null;
    base.target_schema = null;
    base.target_database = null;
    base.updated_at = null;
    base.check_cols = null;
  }
  return base;
}

/** Turn a merged config layer into a NodeConfig: hooks normalised, tags a list (severity kept as written, as dbt's manifest has it). */
export function finaliseConfig(resourceType: string, layer: ConfigLayer): NodeConfig {
  // The same keys in the same order as `{ ...defaultConfig(type), ...layer }`, without the spread's slow path.
  const keys = Object.keys(layer);
  const rawTags = keys.length > 0 && Object.hasOwn(layer, 'tags') ? layer.tags : undefined;
  const tags = Array.isArray(rawTags) ? rawTags.map(String) : rawTags ? [String(rawTags)] : [];
  const out = configWith(resourceType, tags, normaliseHooks(layer.pre_hook), normaliseHooks(layer.post_hook));
  for (const key of keys) {
    if (key === 'tags' || key === 'pre_hook' || key === 'post_hook') continue;
    // docs: dbt's Docs, both fields always there (a layer may set one).
    if (key === 'docs' && isRecord(layer.docs)) out.docs = { show: layer.docs.show !== false, node_color: (layer.docs.node_color as string | null | undefined) ?? null };
    else if (key === '__proto__') Object.defineProperty(out, key, { value: layer[key], enumerable: true, writable: true, configurable: true });
    else out[key] = layer[key];
  }
  out.enabled = (out.enabled as unknown) !== false && (out.enabled as unknown) !== 'false';
  if (typeof out.materialized !== 'string') out.materialized = DEFAULT_MATERIALIZED[resourceType] ?? 'view';
  return out;
}

function normaliseHooks(raw: unknown): Hook[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
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
    checksum = hexDigest('sha256', text);
    if (text.length < 512) checksums.set(text, checksum);
  }
  return { name: 'sha256', checksum };
}

/** A node with every field present, for the given identity; callers fill in the rest. `config`: the type's default config unless given. */
export function blankNode(fields: Pick<CompiledNode, 'unique_id' | 'resource_type' | 'package_name' | 'name' | 'path' | 'original_file_path' | 'fqn' | 'raw_code'>, config?: NodeConfig): CompiledNode {
  // One literal with every key (not `{ ...fields, ... }`): V8 builds a spread
  // followed by more keys slowly, ~0.1 ms a node, which 8,000 nodes felt.
  return {
    unique_id: fields.unique_id,
    resource_type: fields.resource_type,
    package_name: fields.package_name,
    name: fields.name,
    path: fields.path,
    original_file_path: fields.original_file_path,
    fqn: fields.fqn,
    raw_code: fields.raw_code,
    description: '',
    tags: [],
    meta: {},
    alias: fields.name,
    schema: '',
    database: null,
    relation_name: null,
    config: config ?? defaultConfig(fields.resource_type),
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
