/**
 * The config keys dbt knows, per resource type, and how each merges when
 * several layers set it (project hierarchy < properties YAML < config()).
 */

/** Keys whose values accumulate across layers instead of replacing. */
export const APPEND_KEYS = new Set(['tags', 'pre_hook', 'post_hook']);
/** Keys whose dict values merge key by key. */
export const UPDATE_KEYS = new Set(['meta', 'persist_docs', 'quoting', 'column_types', 'grants', 'docs', 'contract', 'snapshot_meta_column_names']);

const COMMON = [
  'enabled', 'tags', 'meta', 'pre_hook', 'post_hook', 'database', 'schema', 'alias', 'persist_docs', 'quoting',
  'column_types', 'full_refresh', 'grants', 'docs', 'contract', 'group', 'access', 'event_time', 'packages',
  'materialized', 'unique_key', 'on_schema_change', 'on_configuration_change', 'incremental_strategy',
  'incremental_predicates', 'sql_header', 'batch_size', 'lookback', 'begin', 'concurrent_batches', 'predicates',
  // adapter-specific keys users set through the same hierarchy
  'transient', 'copy_grants', 'cluster_by', 'automatic_clustering', 'snowflake_warehouse', 'query_tag', 'secure',
  'tmp_relation_type', 'target_lag', 'warehouse', 'merge_update_columns', 'merge_exclude_columns', 'table_format',
  'external_volume', 'base_location_root', 'base_location_subpath', 'location', 'format', 'delimiter', 'options',
  'glue_register', 'partition_by', 'plugin', 'file_format', 'indexes', 'dist', 'sort', 'bind',
];
const SEED = ['quote_columns', 'delimiter', 'column_types'];
const SNAPSHOT = ['strategy', 'updated_at', 'check_cols', 'target_schema', 'target_database', 'invalidate_hard_deletes', 'hard_deletes', 'snapshot_meta_column_names', 'dbt_valid_to_current'];
const TEST = ['severity', 'warn_if', 'error_if', 'fail_calc', 'where', 'limit', 'store_failures', 'store_failures_as'];
const SOURCE = ['enabled', 'meta', 'tags', 'freshness', 'loaded_at_field', 'event_time', 'quoting', 'loader'];

export const CONFIG_KEYS: Record<string, Set<string>> = {
  models: new Set(COMMON),
  seeds: new Set([...COMMON, ...SEED]),
  snapshots: new Set([...COMMON, ...SNAPSHOT]),
  data_tests: new Set([...COMMON, ...TEST]),
  analyses: new Set(COMMON),
  unit_tests: new Set(['enabled', 'tags', 'meta']),
  sources: new Set(SOURCE),
  exposures: new Set(['enabled', 'meta', 'tags']),
};

/** `+pre-hook` → `pre_hook`; `+materialized` → `materialized`. */
export function normaliseConfigKey(key: string): string {
  const k = key.startsWith('+') ? key.slice(1) : key;
  return k === 'pre-hook' ? 'pre_hook' : k === 'post-hook' ? 'post_hook' : k;
}

const nearestByKnown = new WeakMap<ReadonlySet<string>, Map<string, string | undefined>>();

/**
 * nearestKey for a config key among one resource type's known keys (a set
 * of CONFIG_KEYS, never changed), remembered: a project repeats the same
 * unknown keys on every node (Tuva: thousands), each a scan of edit distances.
 */
export function nearestKnownKey(key: string, known: ReadonlySet<string>): string | undefined {
  let memo = nearestByKnown.get(known);
  if (!memo) nearestByKnown.set(known, (memo = new Map()));
  if (memo.has(key)) return memo.get(key);
  const near = nearestKey(key, known);
  memo.set(key, near);
  return near;
}

/** The known key nearest to `key` by edit distance, if close enough to be a typo. */
export function nearestKey(key: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
