import { isRecord } from '../util/yaml.js';
import { TIME_GRAINS, type MetricInput, type MetricMeasureInput, type TimeGrain } from './types.js';

/** Small readers of semantic-layer YAML values, shared by the legacy and the latest spec's readers. */
export const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
export const strOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `where:`/`filter:` as a string or a list of strings. */
export function filters(v: unknown): string[] {
  return list(v).map(String);
}

export function grainOf(v: unknown): TimeGrain | null {
  if (v === undefined || v === null) return null;
  const g = String(v).toLowerCase();
  return (TIME_GRAINS as readonly string[]).includes(g) ? (g as TimeGrain) : null;
}

/** `7 days`, `1 month`: a window. */
export function parseWindow(v: unknown): { count: number; grain: TimeGrain } | null {
  if (v === undefined || v === null) return null;
  const m = /^\s*(\d+)\s+([a-z]+?)s?\s*$/i.exec(String(typeof v === 'object' ? (v as Record<string, unknown>).count + ' ' + (v as Record<string, unknown>).granularity : v));
  if (!m) return null;
  const grain = grainOf(m[2]);
  return grain ? { count: Number(m[1]), grain } : null;
}

/** `ref('x')` / `ref("x")` / `ref('pkg', 'x')` → `x`. */
export function refTarget(v: string): string | null {
  const m = /^\s*ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*(?:,\s*v(?:ersion)?\s*=\s*[^)]*)?\)\s*$/.exec(v);
  return m ? m[1]! : null;
}

export function measureInput(v: unknown): MetricMeasureInput | null {
  if (typeof v === 'string') return { name: v, filter: [], alias: null, fillNullsWith: null, joinToTimespine: false };
  if (!isRecord(v) || typeof v.name !== 'string') return null;
  return { name: v.name, filter: filters(v.filter), alias: strOrNull(v.alias), fillNullsWith: typeof v.fill_nulls_with === 'number' ? v.fill_nulls_with : null, joinToTimespine: v.join_to_timespine === true };
}

export function metricInput(v: unknown): MetricInput | null {
  if (typeof v === 'string') return { name: v, filter: [], alias: null, offsetWindow: null, offsetToGrain: null };
  if (!isRecord(v) || typeof v.name !== 'string') return null;
  return { name: v.name, filter: filters(v.filter), alias: strOrNull(v.alias), offsetWindow: parseWindow(v.offset_window), offsetToGrain: grainOf(v.offset_to_grain) };
}

