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

export interface FreshnessResult {
  unique_id: string;
  status: FreshnessStatus;
  max_loaded_at: string | null;
  snapshotted_at: string | null;
  /** Seconds between the newest row and the snapshot time. */
  max_loaded_at_time_ago_in_s: number | null;
  criteria: FreshnessCriteria;
  execution_time: number;
  error?: string;
}

const SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** A source's effective freshness config, or null when it has none (or no loaded_at_field). */
export function freshnessCriteria(source: SourceTable): FreshnessCriteria | null {
  const raw = (source.config.freshness ?? source.freshness) as FreshnessCriteria | null | undefined;
  if (!raw || !source.loaded_at_field) return null;
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
  if (ageSeconds === null) return 'error'; // an empty table has no newest row: dbt reports it stale
  const error = limitSeconds(criteria.error_after);
  const warn = limitSeconds(criteria.warn_after);
  if (error !== null && ageSeconds > error) return 'error';
  if (warn !== null && ageSeconds > warn) return 'warn';
  return 'pass';
}
