import { isRecord } from '../util/yaml.js';

/**
 * A source table's loaded_at_field and freshness as dbt 1.10 resolves them
 * from the properties YAML, where each may be set on the source or the
 * table, at the top level (the older spelling) or under `config:`.
 *
 * loaded_at_field: the table's when the table names one (a top-level
 * `loaded_at_field:` key, even null, or a non-empty one in its config), else
 * the source's; the top-level spelling first at each level.
 *
 * freshness: source, source config, table, table config, merged in that
 * order. Each step keeps the earlier thresholds that the later one leaves
 * out (warn_after and error_after each merged count by period); an explicit
 * null drops everything before it, and an empty threshold after a null
 * stays null. 'unset' means no level set thresholds (the project's
 * `sources:` config then applies).
 */
export function tableLoadedAtField(source: Record<string, unknown>, table: Record<string, unknown>): string | null {
  const tableConfig = isRecord(table.config) ? table.config : {};
  const sourceConfig = isRecord(source.config) ? source.config : {};
  const tableNames = 'loaded_at_field' in table || tableConfig.loaded_at_field != null;
  const pick = tableNames ? [table.loaded_at_field, tableConfig.loaded_at_field] : [source.loaded_at_field, sourceConfig.loaded_at_field];
  const hit = pick.find(truthy);
  return hit === undefined ? null : String(hit);
}

/** A freshness threshold as merged: warn_after/error_after as {count, period}, filter. */
export interface MergedFreshness {
  warn_after: Time | null;
  error_after: Time | null;
  filter: unknown;
}

interface Time {
  count: unknown;
  period: unknown;
}

export function tableFreshness(source: Record<string, unknown>, table: Record<string, unknown>): MergedFreshness | null | 'unset' {
  const levels = [source, isRecord(source.config) ? source.config : {}, table, isRecord(table.config) ? table.config : {}].map((holder) =>
    'freshness' in holder ? threshold(holder.freshness) : threshold(undefined),
  );
  let merged: MergedFreshness | null = levels[0]!;
  for (const next of levels.slice(1)) {
    if (merged !== null && next !== null) merged = mergeThresholds(merged, next);
    else merged = merged === null && next !== null && isSet(next) ? next : null;
  }
  if (merged === null) return null;
  return isSet(merged) ? merged : 'unset';
}

/** A YAML value as a threshold: null stays null; absent or a mapping gives one (empty when absent). */
function threshold(raw: unknown): MergedFreshness | null {
  if (raw === null) return null;
  const r = isRecord(raw) ? raw : {};
  return { warn_after: time(r.warn_after), error_after: time(r.error_after), filter: r.filter ?? null };
}

/** An absent time is an empty one; an explicit null stays null. */
function time(raw: unknown): Time | null {
  if (raw === null) return null;
  const r = isRecord(raw) ? raw : {};
  return { count: r.count ?? null, period: r.period ?? null };
}

function mergeThresholds(base: MergedFreshness, next: MergedFreshness): MergedFreshness {
  return {
    warn_after: mergeTimes(base.warn_after, next.warn_after),
    error_after: mergeTimes(base.error_after, next.error_after),
    filter: next.filter ?? base.filter,
  };
}

function mergeTimes(base: Time | null, next: Time | null): Time | null {
  if (base && next && timeSet(base) && timeSet(next)) return { count: next.count ?? base.count, period: next.period ?? base.period };
  if (next === null) return null;
  return timeSet(next) ? next : base;
}

const timeSet = (t: Time | null): boolean => t !== null && t.count !== null && t.period !== null;
const isSet = (f: MergedFreshness): boolean => timeSet(f.warn_after) || timeSet(f.error_after);
/** A tags value as a list of strings: a list as is, one tag alone, none as no tags. */
export const tagList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false && v !== 0;

/**
 * loaded_at_query as dbt 1.10 resolves it: the table's (top level, then
 * config) when it sets one; none when the table names a loaded_at_field
 * (a top-level `loaded_at_field:` key, even null); else the source's. Both a
 * loaded_at_field and a loaded_at_query at one level is dbt's parse error,
 * returned as its message.
 */
export function tableLoadedAtQuery(source: Record<string, unknown>, table: Record<string, unknown>): { query: string | null } | { error: string } {
  const tableConfig = isRecord(table.config) ? table.config : {};
  const sourceConfig = isRecord(source.config) ? source.config : {};
  const tablePresent = 'loaded_at_field' in table;
  if (tablePresent && (truthy(table.loaded_at_query) || truthy(tableConfig.loaded_at_query))) return { error: 'Cannot specify both loaded_at_field and loaded_at_query at table level.' };
  if ((truthy(source.loaded_at_field) || truthy(sourceConfig.loaded_at_field)) && (truthy(source.loaded_at_query) || truthy(sourceConfig.loaded_at_query))) {
    return { error: 'Cannot specify both loaded_at_field and loaded_at_query at source level.' };
  }
  const first = (...v: unknown[]) => v.find(truthy);
  let query: unknown;
  if (table.loaded_at_query != null || tableConfig.loaded_at_query != null) query = first(table.loaded_at_query, tableConfig.loaded_at_query);
  else if (!tablePresent) query = first(source.loaded_at_query, sourceConfig.loaded_at_query);
  return { query: query === undefined ? null : String(query) };
}
