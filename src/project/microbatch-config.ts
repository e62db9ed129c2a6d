import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import type { ResourcePatch } from './properties.js';
import { locate } from './snapshot-config.js';
import type { NodeFile } from './sql-node-files.js';

export const BATCH_SIZES = ['hour', 'day', 'month', 'year'] as const;

/**
 * A microbatch model's config, checked at parse time as dbt's manifest
 * loader does: `event_time` (a column name), `begin` (a timestamp),
 * `batch_size` (hour/day/month/year) are required; `lookback` is a whole
 * number >= 0; `concurrent_batches` a boolean. The error names where the
 * config was written and what to add.
 */
export function checkMicrobatchConfig(node: CompiledNode, nf: NodeFile, patch: ResourcePatch | undefined): TsdbtError | undefined {
  const c = node.config as Record<string, unknown>;
  if (node.resource_type !== 'model' || c.materialized !== 'incremental' || c.incremental_strategy !== 'microbatch' || c.enabled === false) return undefined;
  const fail = (key: string, message: string, hint: string) =>
    new TsdbtError('MICROBATCH_CONFIG', `Microbatch model '${node.name}' ${message}`, { ...locate(key, node, nf, patch), hint });
  const example = "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ordered_at', begin='2024-01-01', batch_size='day') }}";
  if (typeof c.event_time !== 'string' || c.event_time === '') {
    return fail('event_time', 'has no `event_time` config: it names the column each batch filters on', `Add event_time='<timestamp column>', e.g. ${example}`);
  }
  if (c.begin === undefined || c.begin === null || c.begin === '') {
    return fail('begin', 'has no `begin` config: the first batch starts there on a first run or a full refresh', `Add begin='YYYY-MM-DD', e.g. ${example}`);
  }
  if (Number.isNaN(parseEventTime(c.begin))) {
    return fail('begin', `has begin=${JSON.stringify(c.begin)}, which is not a date or timestamp`, "Write begin as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.");
  }
  if (!BATCH_SIZES.includes(c.batch_size as (typeof BATCH_SIZES)[number])) {
    const got = c.batch_size === undefined || c.batch_size === null ? 'has no `batch_size` config' : `has batch_size=${JSON.stringify(c.batch_size)}`;
    return fail('batch_size', `${got}: it must be one of ${BATCH_SIZES.join(', ')}`, `Add batch_size='day' (or hour, month, year).`);
  }
  if (c.lookback !== undefined && c.lookback !== null && !(Number.isInteger(c.lookback) && (c.lookback as number) >= 0)) {
    return fail('lookback', `has lookback=${JSON.stringify(c.lookback)}: it must be a whole number >= 0`, 'Write e.g. lookback=1 (the batches before the current one to reprocess).');
  }
  if (c.concurrent_batches !== undefined && c.concurrent_batches !== null && typeof c.concurrent_batches !== 'boolean') {
    return fail('concurrent_batches', `has concurrent_batches=${JSON.stringify(c.concurrent_batches)}: it must be true or false`, 'Write concurrent_batches=true or false.');
  }
  return undefined;
}

/** A `begin` / `--event-time-start` value as UTC milliseconds (NaN when it is not a date): naive times are UTC, as dbt reads them. */
export function parseEventTime(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return NaN;
  const text = v.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return NaN;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && text.includes('T');
  return Date.parse(hasZone ? text : `${text.length === 10 ? `${text}T00:00:00` : text}Z`);
}
