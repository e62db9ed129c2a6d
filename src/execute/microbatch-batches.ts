/**
 * The batches of a microbatch model, as dbt 1.9's MicrobatchBuilder cuts
 * them: times are UTC; a batch is [start, end) of one batch_size; the run
 * ends at the ceiling of --event-time-end (default now); it starts at
 * --event-time-start, else `begin` on a first run or full refresh, else
 * `lookback` batches before the current one.
 */
export type BatchSize = 'hour' | 'day' | 'month' | 'year';

export interface Batch {
  /** UTC milliseconds. */
  start: number;
  end: number;
}

export function truncateTime(t: number, size: BatchSize): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  if (size === 'year') return Date.UTC(y, 0, 1);
  if (size === 'month') return Date.UTC(y, d.getUTCMonth(), 1);
  if (size === 'day') return Date.UTC(y, d.getUTCMonth(), d.getUTCDate());
  return Date.UTC(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
}

/** Truncate, then move `offset` whole batches. */
export function offsetTime(t: number, size: BatchSize, offset: number): number {
  const d = new Date(truncateTime(t, size));
  if (size === 'hour') return d.getTime() + offset * 3_600_000;
  if (size === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offset);
  if (size === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  return Date.UTC(d.getUTCFullYear() + offset, 0, 1);
}

export function ceilingTime(t: number, size: BatchSize): number {
  const truncated = truncateTime(t, size);
  return truncated === t ? t : offsetTime(truncated, size, 1);
}

export interface BatchPlan {
  size: BatchSize;
  begin: number;
  lookback: number;
  /** Whether the model's relation exists and this is not a full refresh. */
  incremental: boolean;
  eventTimeStart?: number;
  eventTimeEnd?: number;
  now: number;
}

export function planBatches(p: BatchPlan): Batch[] {
  const end = ceilingTime(p.eventTimeEnd ?? p.now, p.size);
  let start: number;
  if (p.eventTimeStart !== undefined) start = truncateTime(p.eventTimeStart, p.size);
  else if (!p.incremental) start = truncateTime(p.begin, p.size);
  else start = offsetTime(end, p.size, -(p.lookback + (end === truncateTime(end, p.size) ? 1 : 0)));
  const batches: Batch[] = [];
  let s = start;
  let e = offsetTime(s, p.size, 1);
  batches.push({ start: s, end: e });
  while (e < end) {
    s = e;
    e = offsetTime(s, p.size, 1);
    batches.push({ start: s, end: e });
  }
  batches[batches.length - 1]!.end = end;
  return batches;
}

/** A time as Python prints a UTC datetime (`2024-09-17 00:00:00+00:00`), as dbt writes it into filters and batch results. */
export function pythonTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** `2024-09-17` (day), `2024-09` (month), `2024` (year), `2024-09-17T16` (hour): the batch's name in logs. */
export function formatBatchStart(t: number, size: BatchSize): string {
  const iso = new Date(t).toISOString();
  if (size === 'year') return iso.slice(0, 4);
  if (size === 'month') return iso.slice(0, 7);
  if (size === 'day') return iso.slice(0, 10);
  return iso.slice(0, 13);
}

/** A batch bound as dbt serialises a UTC datetime in run_results.json (`2024-01-01T00:00:00+00:00`). */
export const isoTime = (t: number) => `${new Date(t).toISOString().slice(0, 19)}+00:00`;

export const batchId = (t: number, size: BatchSize) => formatBatchStart(t, size).replace(/-/g, '');
