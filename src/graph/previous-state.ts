/**
 * What `--state DIR` brings to selection, as plain data read from another
 * run's artifacts (the api/ layer reads the files): its manifest (required),
 * its run_results.json and sources.json when present, and the current
 * target's sources.json (what `source_status:fresher` compares against).
 * Nodes are kept as the JSON held them: an older run or dbt itself may
 * have written them, so every field is optional.
 */
export type StateRecord = Record<string, unknown> & { unique_id: string };

export interface StateManifest {
  nodes: Record<string, StateRecord>;
  sources: Record<string, StateRecord>;
  exposures: Record<string, StateRecord>;
  unit_tests: Record<string, StateRecord>;
  macros: Record<string, StateRecord>;
}

/** One entry of sources.json `results`: `max_loaded_at` is absent when freshness errored. */
export interface FreshnessEntry {
  unique_id: string;
  max_loaded_at?: string;
}

export interface PreviousState {
  /** The folder given to --state, as resolved (for messages). */
  path: string;
  manifest: StateManifest;
  /** run_results.json `results` (unique_id, status), or null when the folder has none. */
  results: { unique_id: string; status: string }[] | null;
  /** The state folder's sources.json results, or null. */
  sources: FreshnessEntry[] | null;
  /** The current target's sources.json results, or null. */
  sourcesCurrent: FreshnessEntry[] | null;
}

/** `state:` values dbt accepts, in dbt's order. */
export const STATE_SELECTORS = [
  'new',
  'old',
  'modified',
  'unmodified',
  'modified.body',
  'modified.configs',
  'modified.persisted_descriptions',
  'modified.relation',
  'modified.macros',
  'modified.contract',
] as const;

/** `source_status:` values dbt accepts. */
export const SOURCE_STATUS_SELECTORS = ['fresher'] as const;
