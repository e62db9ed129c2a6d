import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, NodeConfig } from '../manifest/types.js';
import { nearestKey } from './config-keys.js';
import type { ResourcePatch } from './properties.js';
import type { NodeFile } from './sql-node-files.js';

/** The meta columns a snapshot adds; `snapshot_meta_column_names` may rename each. */
export const SNAPSHOT_META_COLUMNS = ['dbt_valid_to', 'dbt_valid_from', 'dbt_scd_id', 'dbt_updated_at', 'dbt_is_deleted'] as const;
const HARD_DELETES = ['ignore', 'invalidate', 'new_record'];

/**
 * Completes and checks a snapshot's merged config, for `{% snapshot %}`
 * blocks and YAML snapshots alike.
 *
 * Fills the dbt 1.9 keys dbt writes to the manifest even when unset
 * (`snapshot_meta_column_names` with a null per column, `dbt_valid_to_current`,
 * `hard_deletes`), then validates as dbt does when it finalises a snapshot
 * config: a strategy and a unique_key; `updated_at` for timestamp;
 * `check_cols` ('all' or a list) for check; no check_cols on timestamp;
 * materialized 'snapshot'. Custom strategies pass. Also rejects an unknown
 * `hard_deletes` and unknown `snapshot_meta_column_names` keys at parse time.
 *
 * Returns the first problem as an error naming where the offending key was
 * written: the YAML line for a key set in properties YAML, else the
 * `config(` call (or the block) of the `.sql` file.
 */
export function finishSnapshotConfig(node: CompiledNode, nf: NodeFile, patch: ResourcePatch | undefined): TsdbtError | undefined {
  const c = node.config;
  const given = c.snapshot_meta_column_names;
  c.snapshot_meta_column_names = { ...Object.fromEntries(SNAPSHOT_META_COLUMNS.map((k) => [k, null])), ...(isPlainObject(given) ? given : {}) };
  c.dbt_valid_to_current ??= null;
  c.hard_deletes ??= null;
  if (!c.enabled) return undefined;
  const problem = checkSnapshotConfig(c, given);
  if (!problem) return undefined;
  const at = locate(problem.key, node, nf, patch);
  return new TsdbtError('SNAPSHOT_CONFIG', `Snapshot '${node.name}' ${problem.message}`, { ...at, hint: problem.hint });
}

interface Problem {
  key: string;
  message: string;
  hint: string;
}

const show = (v: unknown) => JSON.stringify(v ?? null);

function checkSnapshotConfig(c: NodeConfig, metaNames: unknown): Problem | undefined {
  const strategy = c.strategy as unknown;
  const uniqueKey = c.unique_key as unknown;
  const updatedAt = c.updated_at as unknown;
  const checkCols = c.check_cols as unknown;
  if (!strategy) {
    return { key: 'strategy', message: 'has no strategy', hint: "Set strategy: timestamp (with updated_at: <column>) or strategy: check (with check_cols: [<columns>] or 'all')." };
  }
  if (!uniqueKey || (Array.isArray(uniqueKey) && uniqueKey.length === 0)) {
    return { key: 'unique_key', message: 'has no unique_key', hint: 'Set unique_key: the column (or list of columns) that identifies a row of the snapshotted relation.' };
  }
  if (strategy === 'timestamp') {
    if (!updatedAt) return { key: 'strategy', message: "uses strategy 'timestamp' without updated_at", hint: 'Add updated_at: <the column holding when each row last changed>, or use strategy: check with check_cols.' };
    if (checkCols) return { key: 'check_cols', message: `uses strategy 'timestamp' but sets check_cols: ${show(checkCols)}`, hint: 'Remove check_cols (timestamp snapshots compare updated_at), or use strategy: check.' };
  }
  if (strategy === 'check') {
    if (!checkCols || (Array.isArray(checkCols) && checkCols.length === 0)) {
      return { key: 'strategy', message: "uses strategy 'check' without check_cols", hint: "Add check_cols: [<columns to compare>] or check_cols: 'all'." };
    }
    if (typeof checkCols === 'string' && checkCols !== 'all') {
      return { key: 'check_cols', message: `has check_cols: ${show(checkCols)}, which is neither 'all' nor a list`, hint: `Write check_cols: ['${checkCols}'] (a list), or 'all'.` };
    }
  }
  if (c.materialized !== 'snapshot') {
    return { key: 'materialized', message: `has materialized: ${show(c.materialized)}`, hint: "A snapshot is always materialized 'snapshot': remove materialized from its config." };
  }
  const hardDeletes = c.hard_deletes as unknown;
  if (hardDeletes !== null && hardDeletes !== undefined && !HARD_DELETES.includes(String(hardDeletes))) {
    return { key: 'hard_deletes', message: `has hard_deletes: ${show(hardDeletes)}`, hint: "Use hard_deletes: ignore, invalidate or new_record." };
  }
  if (metaNames !== undefined && metaNames !== null) {
    if (!isPlainObject(metaNames)) {
      return { key: 'snapshot_meta_column_names', message: `has snapshot_meta_column_names: ${show(metaNames)}, which is not a mapping`, hint: 'Write snapshot_meta_column_names: {dbt_valid_from: <name>, dbt_valid_to: <name>, ...}.' };
    }
    for (const k of Object.keys(metaNames)) {
      if ((SNAPSHOT_META_COLUMNS as readonly string[]).includes(k)) continue;
      const near = nearestKey(k, SNAPSHOT_META_COLUMNS);
      return { key: 'snapshot_meta_column_names', message: `renames an unknown meta column '${k}' in snapshot_meta_column_names`, hint: near ? `Did you mean '${near}'?` : `The keys are ${SNAPSHOT_META_COLUMNS.join(', ')}.` };
    }
  }
  return undefined;
}

export function locate(key: string, node: CompiledNode, nf: NodeFile, patch: ResourcePatch | undefined): { file: string; line?: number } {
  const yamlConfig = patch && isPlainObject(patch.raw.config) ? patch.raw.config : undefined;
  if (patch && yamlConfig && key in yamlConfig) return { file: patch.file, line: patch.keyLine?.(key, true) ?? patch.line };
  const isYamlSnapshot = patch !== undefined && node.original_file_path === patch.file;
  if (isYamlSnapshot) return { file: patch.file, line: (yamlConfig ? patch.keyLine?.('config') : undefined) ?? patch.line };
  const at = node.raw_code.search(/\bconfig\s*\(/);
  const lineInBlock = at >= 0 ? node.raw_code.slice(0, at).split('\n').length : 1;
  return { file: node.original_file_path, line: nf.lineOffset + lineInBlock };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
