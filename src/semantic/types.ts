/**
 * The semantic manifest as tsdbt holds it: dbt's semantic layer objects
 * (dbt-semantic-interfaces' shapes, legacy spec), each remembering the
 * file and line it was declared at so every error can point there.
 */

export type TimeGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const TIME_GRAINS: readonly TimeGrain[] = ['day', 'week', 'month', 'quarter', 'year'];

export interface Located {
  file: string;
  line?: number;
}

export type EntityType = 'primary' | 'unique' | 'foreign' | 'natural';

export interface SemanticEntity {
  name: string;
  type: EntityType;
  expr: string | null;
  description: string | null;
  label: string | null;
}

export interface SemanticDimension {
  name: string;
  type: 'categorical' | 'time';
  expr: string | null;
  description: string | null;
  label: string | null;
  /** Time dimensions: the finest grain the data has. */
  timeGranularity: TimeGrain | null;
  meta: Record<string, unknown>;
}

export type MeasureAgg = 'sum' | 'count' | 'count_distinct' | 'avg' | 'min' | 'max' | 'median' | 'percentile' | 'sum_boolean';
export const MEASURE_AGGS: readonly MeasureAgg[] = ['sum', 'count', 'count_distinct', 'avg', 'min', 'max', 'median', 'percentile', 'sum_boolean'];

export interface SemanticMeasure {
  name: string;
  agg: MeasureAgg;
  expr: string | null;
  description: string | null;
  label: string | null;
  aggTimeDimension: string | null;
  percentile: number | null;
  useDiscretePercentile: boolean;
  createMetric: boolean;
  /** Semi-additive: only the rows at the min/max of this time dimension count (per window grouping and period). */
  nonAdditive: { dimension: string; windowChoice: 'min' | 'max'; windowGroupings: string[] } | null;
}

export interface SemanticModel extends Located {
  name: string;
  description: string | null;
  label: string | null;
  /** The model the semantic model reads (`ref('x')` → `x`). */
  modelName: string;
  /** As written, e.g. `ref('stg_pull_requests')`. */
  modelRef: string;
  defaultAggTimeDimension: string | null;
  primaryEntity: string | null;
  entities: SemanticEntity[];
  dimensions: SemanticDimension[];
  measures: SemanticMeasure[];
  meta: Record<string, unknown>;
  packageName: string;
}

export type MetricType = 'simple' | 'ratio' | 'derived' | 'cumulative' | 'conversion';
export const METRIC_TYPES: readonly MetricType[] = ['simple', 'ratio', 'derived', 'cumulative', 'conversion'];

/** A measure as a metric input: `measure: name` or its long form. */
export interface MetricMeasureInput {
  name: string;
  filter: string[];
  alias: string | null;
  fillNullsWith: number | null;
  joinToTimespine: boolean;
}

/** A metric as an input of a ratio or derived metric. */
export interface MetricInput {
  name: string;
  filter: string[];
  alias: string | null;
  offsetWindow: { count: number; grain: TimeGrain } | null;
  offsetToGrain: TimeGrain | null;
}

export interface Metric extends Located {
  name: string;
  type: MetricType;
  label: string;
  description: string;
  filter: string[];
  meta: Record<string, unknown>;
  measure: MetricMeasureInput | null;
  numerator: MetricInput | null;
  denominator: MetricInput | null;
  expr: string | null;
  metrics: MetricInput[];
  /** Cumulative: a trailing window, or a grain to date; neither means all time. */
  window: { count: number; grain: TimeGrain } | null;
  grainToDate: TimeGrain | null;
  conversion: {
    baseMeasure: MetricMeasureInput;
    conversionMeasure: MetricMeasureInput;
    entity: string;
    calculation: 'conversions' | 'conversion_rate';
    window: { count: number; grain: TimeGrain } | null;
    /** Properties that must match between the base and the conversion event. */
    constantProperties: { baseProperty: string; conversionProperty: string }[];
  } | null;
  packageName: string;
}

export interface SavedQuery extends Located {
  name: string;
  label: string | null;
  description: string | null;
  metrics: string[];
  groupBy: string[];
  where: string[];
  orderBy: string[];
  limit: number | null;
  meta: Record<string, unknown>;
  /** The saved query's `config:` export_as and schema, which its exports inherit. */
  exportAs: string | null;
  schema: string | null;
  exports: SavedQueryExport[];
  packageName: string;
}

/**
 * One of a saved query's `exports:` (a table or view dbt Cloud writes from it). schema, alias and database are as
 * configured until the parse fills in the relation dbt names for it (export-relations.ts).
 */
export interface SavedQueryExport {
  name: string;
  exportAs: string | null;
  schema: string | null;
  alias: string | null;
  database: string | null;
  /** The export's `config:` as written (dbt's unrendered_config). */
  unrendered: Record<string, unknown>;
}

export interface TimeSpine extends Located {
  modelName: string;
  /** The column holding one row per `grain`. */
  column: string;
  grain: TimeGrain;
  /** Columns of the spine that are grains of their own (`fiscal_quarter`), queried as `metric_time__fiscal_quarter`. */
  customGranularities: { name: string; column: string }[];
  /** The legacy spine (a model named metricflow_time_spine, no `time_spine:` config): dbt writes it as a time spine table configuration. */
  legacy?: boolean;
}

export interface SemanticManifest {
  projectName: string;
  semanticModels: SemanticModel[];
  metrics: Metric[];
  savedQueries: SavedQuery[];
  timeSpines: TimeSpine[];
}
