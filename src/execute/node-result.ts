import type { AdapterResponse } from '../adapters/base/database-session.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import type { MicrobatchPlan } from './microbatch-step.js';

/** dbt's statuses: models/seeds/snapshots success|error|skipped; tests pass|fail|warn|error|skipped. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'partial success';

/** A microbatch model's batches (dbt 1.9): [start, end) pairs as ISO text. */
export interface BatchResults {
  successful: [string, string][];
  failed: [string, string][];
}

export interface TimingInfo {
  name: 'compile' | 'execute';
  started_at: string;
  completed_at: string;
}

/** The outcome of one node, as run_results.json records it (plus a few fields for callers). */
export interface NodeResult {
  unique_id: string;
  node: CompiledNode;
  status: NodeStatus;
  timing: TimingInfo[];
  thread_id: string;
  /** Seconds. */
  execution_time: number;
  adapter_response: AdapterResponse | Record<string, never>;
  message: string | null;
  /** Tests: the failure count (fail_calc); others null. */
  failures: number | null;
  /** Relative to the project dir, e.g. `target/compiled/my_project/models/m.sql`. */
  compiled_path: string | null;
  compiled_code?: string;
  /** Why the node errored or was skipped. */
  error?: TsdbtError;
  /** Every statement the node ran, in order (begin/commit included). */
  statements: string[];
  /** Milliseconds spent in the database (for overhead measurements). */
  sql_ms: number;
  /** Microbatch models only. */
  batch_results?: BatchResults;
  /** An on-run-start/end hook: dbt's hook name (`proj.on-run-start.0`) and its place among its kind (not an artifact field). */
  hook?: HookPosition;
  /** A microbatch model's `plan` step only (not an artifact field). */
  microbatch_plan?: MicrobatchPlan;
}

export function isFailure(r: NodeResult): boolean {
  return r.status === 'error' || r.status === 'fail' || r.status === 'partial success';
}

/** Exit code as dbt maps results: 0 when nothing errored or failed, 1 otherwise (2 is for invocation errors, decided by the CLI). */
export function exitCodeOf(results: readonly NodeResult[], success = true): 0 | 1 {
  return success && !results.some((r) => isFailure(r)) ? 0 : 1;
}

/** An on-run-start/end hook's name in dbt's log (`pkg.on-run-start.0`) and its place among the hooks of its kind run. */
export interface HookPosition {
  statement: string;
  index: number;
  total: number;
}
