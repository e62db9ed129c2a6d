import type { MetricInfo } from '../semantic/semantic-layer.js';

/**
 * What the server needs of the semantic layer. `tsdbt serve` builds one over
 * the project's semantic manifest and target (semantic-backend.ts); tests may
 * build one over any DuckDB. Everything here is plain data.
 */

/** A metric as the semantic layer lists it, with other words for it (meta.synonyms) for the question parser. */
export interface CatalogMetric extends MetricInfo {
  synonyms: string[];
}

export interface CatalogDimension {
  /** Qualified name, as a group-by takes it: `pull_request__repo_name`, `metric_time`. */
  name: string;
  type: 'categorical' | 'time';
  description: string;
  label: string | null;
  /** For time dimensions: the grains it can be truncated to. */
  granularities: string[];
  /** Data type family for filter operators: string, number, boolean, time. */
  valueType: 'string' | 'number' | 'boolean' | 'time';
}

export interface CatalogEntity {
  name: string;
  type: string;
  description: string;
  semanticModel: string;
}

export interface CatalogSavedQuery {
  name: string;
  description: string;
  label: string | null;
  query: SemanticQuery;
}

export interface Catalog {
  metrics: CatalogMetric[];
  dimensions: CatalogDimension[];
  entities: CatalogEntity[];
  savedQueries: CatalogSavedQuery[];
}

/** The semantic layer's own query form (MetricFlow's `mf query` shape). */
export interface SemanticQuery {
  metrics: string[];
  groupBy: string[];
  /** dbt template filters: `{{ Dimension('pull_request__repo_name') }} = 'web'`. */
  where: string[];
  /** `metric_name` ascending, `-metric_name` descending. */
  orderBy: string[];
  limit?: number;
  /** ISO dates (YYYY-MM-DD) bounding metric_time. */
  startTime?: string;
  endTime?: string;
}

export interface CompiledQuery {
  sql: string;
  binds: unknown[];
  /** unique_ids of the models the query reads (for the cache's data version). */
  models: string[];
}

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  elapsedMs: number;
}

export interface ExecuteOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

/** One problem with a query, as the validator reports it. */
export interface QueryIssue {
  code: string;
  message: string;
  path: string;
  hint?: string;
}

/** Thrown by compile() for a query that cannot be answered; carries every problem found. */
export class QueryInvalid extends Error {
  constructor(readonly issues: QueryIssue[]) {
    super(issues.map((i) => `${i.code}: ${i.message}`).join('; '));
  }
}

export interface QueryBackend {
  catalog(): Catalog;
  /** Changes whenever the semantic manifest does. */
  manifestHash(): string;
  /** Name of the target queries run against. */
  target(): string;
  compile(query: SemanticQuery): CompiledQuery;
  execute(query: CompiledQuery, options: ExecuteOptions): Promise<QueryResult>;
  /** Changes whenever one of these models is rebuilt (from run results). */
  dataVersion(models: string[]): string;
}
