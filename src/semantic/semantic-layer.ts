import { createHash } from 'node:crypto';
import type { Connection } from '../adapters/base/connection.js';
import type { SemanticDialect } from '../adapters/base/semantic-dialect.js';
import { duckdbSemanticDialect } from '../adapters/duckdb/semantic-dialect.js';
import { snowflakeSemanticDialect } from '../adapters/snowflake/semantic-dialect.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { nearestKey } from '../project/config-keys.js';
import { SemanticCatalog } from './catalog.js';
import { compileQuery, type CompiledQuery } from './compile-query.js';
import { executeCompiled, type ExecuteOptions, type QueryRows } from './execute-query.js';
import type { SemanticQuery } from './query-spec.js';
import type { SavedQuery, SemanticManifest } from './types.js';

/** The dialect of an adapter type. */
export function semanticDialectFor(adapterType: string): SemanticDialect {
  if (adapterType === 'snowflake') return snowflakeSemanticDialect;
  if (adapterType === 'duckdb') return duckdbSemanticDialect;
  throw new TsdbtError('USAGE', `the semantic layer has no SQL dialect for adapter '${adapterType}'`, { hint: 'Use a DuckDB or Snowflake target.' });
}

export interface MetricInfo {
  name: string;
  label: string;
  description: string;
  type: string;
  unit: string | null;
  category: string | null;
  tags: string[];
  /** What the metric can be grouped by (metric_time, entity__dimension, entities). */
  dimensions: string[];
}

export interface ElementInfo { name: string; type: string; description: string | null; semanticModel: string }

/**
 * The semantic layer's public API (the CLI and `tsdbt serve` call this):
 * the catalog, query → {sql, binds}, execution with a timeout, and a hash
 * of the semantic manifest for cache keys.
 */
export class SemanticLayer {
  readonly catalog: SemanticCatalog;
  readonly hash: string;

  constructor(readonly manifest: SemanticManifest, readonly dialect: SemanticDialect, private readonly relationOf: (model: string) => string) {
    this.catalog = new SemanticCatalog(manifest);
    this.hash = createHash('sha256').update(JSON.stringify(manifest)).update(dialect.name).digest('hex');
  }

  listMetrics(): MetricInfo[] {
    return this.manifest.metrics.map((m) => ({
      name: m.name, label: m.label, description: m.description, type: m.type,
      unit: typeof m.meta.unit === 'string' ? m.meta.unit : null, category: typeof m.meta.category === 'string' ? m.meta.category : null,
      tags: Array.isArray(m.meta.tags) ? m.meta.tags.map(String) : [], dimensions: this.catalog.dimensionsOf(m),
    })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Dimensions (all, or those every given metric can be grouped by). */
  listDimensions(metrics: string[] = []): ElementInfo[] {
    return this.elements(metrics).filter((e) => e.type !== 'entity');
  }

  listEntities(metrics: string[] = []): ElementInfo[] {
    return this.elements(metrics).filter((e) => e.type === 'entity');
  }

  private elements(metrics: string[]): ElementInfo[] {
    const allowed = metrics.length ? metrics.map((n) => this.catalog.dimensionsOf(this.metric(n))) : null;
    const out = new Map<string, ElementInfo>();
    for (const sm of this.manifest.semanticModels) {
      for (const el of this.catalog.elementsFor(sm).values()) {
        if (allowed && !allowed.every((names) => names.includes(el.name))) continue;
        if (!out.has(el.name)) out.set(el.name, { name: el.name, type: el.kind === 'time_dimension' ? 'time' : el.kind === 'entity' ? 'entity' : 'categorical', description: el.description, semanticModel: el.model.name });
      }
    }
    if (!allowed || allowed.every((names) => names.includes('metric_time'))) out.set('metric_time', { name: 'metric_time', type: 'time', description: 'The time each metric aggregates over', semanticModel: '' });
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  listSavedQueries(): SavedQuery[] {
    return [...this.manifest.savedQueries].sort((a, b) => a.name.localeCompare(b.name));
  }

  private metric(name: string) {
    const m = this.catalog.metrics.get(name);
    if (m) return m;
    const near = nearestKey(name, this.catalog.metrics.keys());
    throw new TsdbtError('QUERY_UNKNOWN_METRIC', `unknown metric '${name}'`, { hint: near ? `Did you mean '${near}'?` : 'See `tsdbt sl list metrics`.' });
  }

  /** A saved query as a query (its where/order/limit), with overrides from `extra`. */
  savedQuery(name: string, extra: Partial<SemanticQuery> = {}): SemanticQuery {
    const q = this.manifest.savedQueries.find((x) => x.name === name);
    if (!q) {
      const near = nearestKey(name, this.manifest.savedQueries.map((x) => x.name));
      throw new TsdbtError('QUERY_INVALID', `unknown saved query '${name}'`, { hint: near ? `Did you mean '${near}'?` : 'See `tsdbt sl list saved-queries`.' });
    }
    return {
      metrics: q.metrics, groupBy: q.groupBy.map(stripGroupByTemplate), where: [...q.where, ...(extra.where ?? [])],
      orderBy: extra.orderBy ?? q.orderBy, limit: extra.limit ?? q.limit, startTime: extra.startTime, endTime: extra.endTime,
    };
  }

  compile(query: SemanticQuery): CompiledQuery {
    return compileQuery({ catalog: this.catalog, dialect: this.dialect, relationOf: this.relationOf }, query);
  }

  async execute(connection: Connection, query: SemanticQuery, opts?: ExecuteOptions): Promise<{ compiled: CompiledQuery; result: QueryRows }> {
    const compiled = this.compile(query);
    return { compiled, result: await executeCompiled(connection, compiled, opts) };
  }
}

/** Saved queries write group-bys as `{{ Dimension('x__y') }}` or `Dimension('x__y')` / `{{ TimeDimension('metric_time', 'week') }}`; queries take names. */
export function stripGroupByTemplate(g: string): string {
  const m = /^\s*(?:\{\{)?\s*(Dimension|TimeDimension|Entity)\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*(?:\.grain\(\s*['"]([^'"]+)['"]\s*\))?\s*(?:\}\})?\s*$/.exec(g);
  if (!m) return g;
  const grain = m[3] ?? m[4];
  return grain ? `${m[2]}__${grain}` : m[2]!;
}
