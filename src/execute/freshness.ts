import type { SourceTable } from '../manifest/types.js';

export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

export interface FreshnessThreshold {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

export interface FreshnessCriteria {
  warn_after?: FreshnessThreshold | null;
  error_after?: FreshnessThreshold | null;
  filter?: string | null;
}

/** One source's check, as dbt writes it to sources.json (SourceFreshnessOutput; a runtime error: SourceFreshnessRuntimeError). */
export interface FreshnessResult {
  unique_id: string;
  status: FreshnessStatus;
  /** The newest row's time (Python's isoformat, UTC); an empty table's is the year 1, as dbt's "infinitely long ago". */
  max_loaded_at: string | null;
  snapshotted_at: string | null;
  /** Seconds between the newest row and the snapshot time. */
  max_loaded_at_time_ago_in_s: number | null;
  criteria: FreshnessCriteria;
  adapter_response: Record<string, unknown>;
  timing: { name: 'compile' | 'execute'; started_at: string; completed_at: string }[];
  thread_id: string;
  execution_time: number;
  /** A runtime error's message (then only unique_id, error and status are written). */
  error?: string;
}

const SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** A source's effective freshness config, or null when it sets no threshold (dbt's has_freshness: a warn_after or error_after with a count). */
export function freshnessCriteria(source: SourceTable): FreshnessCriteria | null {
  const raw = (source.config.freshness ?? source.freshness) as FreshnessCriteria | null | undefined;
  if (!raw) return null;
  if (!raw.warn_after?.count && !raw.error_after?.count) return null;
  return raw;
}

function limitSeconds(t: FreshnessThreshold | null | undefined): number | null {
  if (!t || !t.count) return null;
  const unit = SECONDS[t.period];
  return unit === undefined ? null : t.count * unit;
}

/** dbt's rule: past error_after is an error, past warn_after a warning, else pass. */
export function freshnessStatus(ageSeconds: number | null, criteria: FreshnessCriteria): FreshnessStatus {
  if (ageSeconds === null) return 'error'; // no newest row: infinitely long ago, as dbt's adapters take it
  const error = limitSeconds(criteria.error_after);
  const warn = limitSeconds(criteria.warn_after);
  if (error !== null && ageSeconds > error) return 'error';
  if (warn !== null && ageSeconds > warn) return 'warn';
  return 'pass';
}

/** sources.json's entry for a result, keys in dbt's order (a runtime error: unique_id, error, status). */
export function sourcesJsonEntry(r: FreshnessResult): Record<string, unknown> {
  if (r.status === 'runtime error') return { unique_id: r.unique_id, error: r.error ?? '', status: r.status };
  return {
    unique_id: r.unique_id,
    max_loaded_at: r.max_loaded_at,
    snapshotted_at: r.snapshotted_at,
    max_loaded_at_time_ago_in_s: r.max_loaded_at_time_ago_in_s,
    status: r.status,
    criteria: r.criteria,
    adapter_response: r.adapter_response,
    timing: r.timing,
    thread_id: r.thread_id,
    execution_time: r.execution_time,
  };
}

/** A UTC time as Python's `datetime.isoformat()` writes an aware one: `2024-01-02T03:04:05.678000+00:00` (no fraction when it is 0). */
export function pythonIsoUtc(d: Date): string {
  const ms = d.getUTCMilliseconds();
  return `${d.toISOString().slice(0, 19)}${ms === 0 ? '' : `.${String(ms * 1000).padStart(6, '0')}`}+00:00`;
}
