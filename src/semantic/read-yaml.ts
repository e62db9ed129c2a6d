import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, type ParsedYaml } from '../util/yaml.js';
import { hasModelSemantics, readLatestMetric, readModelSemantics } from './read-model-spec.js';
import {
  MEASURE_AGGS, METRIC_TYPES, TIME_GRAINS,
  type Metric, type MetricInput, type SavedQuery, type SavedQueryExport, type SemanticDimension, type SemanticEntity,
  type SemanticMeasure, type SemanticModel, type TimeSpine,
} from './types.js';
import { filters, grainOf, list, measureInput, metricInput, parseWindow, rec, refTarget, strOrNull } from './yaml-values.js';

/**
 * Reads the semantic layer's YAML (dbt's legacy spec: top-level
 * `semantic_models:`, `metrics:`, `saved_queries:`, plus the 1.9
 * `time_spine:` model property) from parsed properties files. Shape
 * problems are collected as located SEMANTIC_INVALID errors; references
 * between objects are checked later by validate.ts.
 */
export interface SemanticYamlParts {
  semanticModels: SemanticModel[];
  metrics: Metric[];
  savedQueries: SavedQuery[];
  timeSpines: TimeSpine[];
}

export function readSemanticYaml(y: ParsedYaml, packageName: string, errors: TsdbtError[]): SemanticYamlParts {
  const out: SemanticYamlParts = { semanticModels: [], metrics: [], savedQueries: [], timeSpines: [] };
  const doc = rec(y.value);
  const err = (message: string, at: unknown, hint?: string) =>
    errors.push(new TsdbtError('SEMANTIC_INVALID', message, { file: y.file, line: typeof at === 'number' ? at : y.lineOf(at), hint }));
  const entries = (key: string) => list(doc[key]).filter((e, i) => {
    if (isRecord(e) && typeof e.name === 'string' && e.name !== '') return true;
    errors.push(new TsdbtError('SEMANTIC_INVALID', `${key} entry ${i + 1} has no name`, { file: y.file, line: y.itemLine(doc[key], i), hint: 'Give every entry a `name:`.' }));
    return false;
  }) as Record<string, unknown>[];

  for (const sm of entries('semantic_models')) out.semanticModels.push(readSemanticModel(sm, y, packageName, err));
  for (const m of entries('metrics')) {
    const metric = readMetric(m, y, packageName, err);
    if (metric) out.metrics.push(metric);
  }
  for (const q of entries('saved_queries')) out.savedQueries.push(readSavedQuery(q, y, packageName));
  for (const model of entries('models')) {
    if (hasModelSemantics(model)) {
      const latest = readModelSemantics(model, y, packageName, err);
      out.semanticModels.push(latest.semanticModel);
      out.metrics.push(...latest.metrics);
    }
    const spine = rec(model.time_spine);
    if (!isRecord(model.time_spine)) continue;
    const column = strOrNull(spine.standard_granularity_column);
    const col = list(model.columns).map(rec).find((c) => c.name === column);
    if (!column || !col) {
      err(`time_spine of model '${model.name}' needs standard_granularity_column naming one of its columns`, model.time_spine, 'Add `standard_granularity_column: date_day` and a `columns:` entry for it with `granularity: day`.');
      continue;
    }
    const customGranularities = list(spine.custom_granularities).map(rec).map((c) => ({ name: String(c.name ?? ''), column: String(c.column_name ?? c.name ?? '') }));
    for (const c of customGranularities) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.name) || (TIME_GRAINS as readonly string[]).includes(c.name)) err(`time_spine of model '${model.name}': custom granularity '${c.name}' needs a name that is an identifier and not a standard grain`, spine.custom_granularities, 'Name it like `fiscal_quarter`.');
      else if (!list(model.columns).map(rec).some((x) => x.name === c.column)) err(`time_spine of model '${model.name}': custom granularity '${c.name}' reads column '${c.column}', which is not among the model's columns`, spine.custom_granularities, 'Add the column under `columns:` or set `column_name:`.');
    }
    out.timeSpines.push({ modelName: String(model.name), column, grain: grainOf(col.granularity) ?? 'day', customGranularities, file: y.file, line: y.lineOf(model.time_spine) });
  }
  return out;
}

function readSemanticModel(sm: Record<string, unknown>, y: ParsedYaml, packageName: string, err: (m: string, at: unknown, h?: string) => void): SemanticModel {
  const modelRef = String(sm.model ?? '');
  const modelName = refTarget(modelRef);
  if (!modelName) err(`semantic model '${sm.name}': model must be ref('a_model'), got '${modelRef}'`, sm, "Write `model: ref('stg_orders')`.");
  const defaults = rec(sm.defaults);
  const entities: SemanticEntity[] = list(sm.entities).map(rec).map((e) => {
    const type = String(e.type ?? '');
    if (!['primary', 'unique', 'foreign', 'natural'].includes(type)) err(`entity '${e.name}' of semantic model '${sm.name}' has type '${type}'`, e, 'An entity type is primary, unique, foreign or natural.');
    return { name: String(e.name), type: type as SemanticEntity['type'], expr: strOrNull(e.expr), description: strOrNull(e.description), label: strOrNull(e.label) };
  });
  const dimensions: SemanticDimension[] = list(sm.dimensions).map(rec).map((d) => {
    const type = String(d.type ?? '').toLowerCase();
    if (type !== 'categorical' && type !== 'time') err(`dimension '${d.name}' of semantic model '${sm.name}' has type '${d.type}'`, d, 'A dimension type is categorical or time.');
    const tp = rec(d.type_params);
    const grain = grainOf(tp.time_granularity);
    if (type === 'time' && !grain) err(`time dimension '${d.name}' of semantic model '${sm.name}' needs type_params.time_granularity (day, week, month, quarter or year)`, d, 'Add `type_params: {time_granularity: day}`.');
    return { name: String(d.name), type: type === 'time' ? 'time' : 'categorical', expr: strOrNull(d.expr), description: strOrNull(d.description), label: strOrNull(d.label), timeGranularity: grain, meta: rec(rec(d.config).meta ?? d.meta) };
  });
  const measures: SemanticMeasure[] = list(sm.measures).map(rec).map((m) => {
    const agg = String(m.agg ?? '').toLowerCase().replace(/^average$/, 'avg');
    if (!(MEASURE_AGGS as readonly string[]).includes(agg)) err(`measure '${m.name}' of semantic model '${sm.name}' has agg '${m.agg}'`, m, `agg is one of ${MEASURE_AGGS.join(', ')}.`);
    const ap = rec(m.agg_params);
    const nad = m.non_additive_dimension;
    const nonAdditive = isRecord(nad) && typeof nad.name === 'string'
      ? { dimension: nad.name, windowChoice: String(nad.window_choice ?? 'min').toLowerCase() === 'max' ? 'max' as const : 'min' as const, windowGroupings: list(nad.window_groupings).map(String) }
      : null;
    if (nad !== undefined && nad !== null && !nonAdditive) err(`measure '${m.name}' of semantic model '${sm.name}': non_additive_dimension needs a name`, m, 'Write `non_additive_dimension: {name: a_time_dimension, window_choice: max}`.');
    if (isRecord(nad) && nad.window_choice !== undefined && !['min', 'max'].includes(String(nad.window_choice).toLowerCase())) err(`measure '${m.name}' of semantic model '${sm.name}': window_choice '${nad.window_choice}' is not min or max`, nad, 'window_choice is min or max.');
    return {
      name: String(m.name), agg: agg as SemanticMeasure['agg'], expr: strOrNull(m.expr), description: strOrNull(m.description), label: strOrNull(m.label),
      aggTimeDimension: strOrNull(m.agg_time_dimension), percentile: typeof ap.percentile === 'number' ? ap.percentile : null,
      useDiscretePercentile: ap.use_discrete_percentile === true, createMetric: m.create_metric === true, nonAdditive,
    };
  });
  return {
    name: String(sm.name), description: strOrNull(sm.description), label: strOrNull(sm.label), modelName: modelName ?? '', modelRef,
    defaultAggTimeDimension: strOrNull(defaults.agg_time_dimension), primaryEntity: strOrNull(sm.primary_entity),
    entities, dimensions, measures, meta: rec(rec(sm.config).meta ?? sm.meta), packageName, file: y.file, line: y.lineOf(sm),
  };
}

function readMetric(m: Record<string, unknown>, y: ParsedYaml, packageName: string, err: (m: string, at: unknown, h?: string) => void): Metric | null {
  const type = String(m.type ?? '').toLowerCase();
  if (!(METRIC_TYPES as readonly string[]).includes(type)) {
    err(`metric '${m.name}' has type '${m.type ?? ''}'`, m, `type is one of ${METRIC_TYPES.join(', ')}.`);
    return null;
  }
  // The latest spec: type-specific keys at the top level (input_metrics, base_metric, ...), no type_params.
  if (!isRecord(m.type_params) && ['input_metrics', 'input_metric', 'base_metric', 'conversion_metric', 'agg'].some((k) => k in m)) return readLatestMetric(m, y, packageName, err, null);
  const tp = rec(m.type_params);
  const metric: Metric = {
    name: String(m.name), type: type as Metric['type'], label: String(m.label ?? m.name), description: String(m.description ?? ''),
    filter: filters(m.filter), meta: { ...rec(m.meta), ...rec(rec(m.config).meta) },
    measure: measureInput(tp.measure), numerator: metricInput(tp.numerator), denominator: metricInput(tp.denominator),
    expr: strOrNull(tp.expr), metrics: list(tp.metrics).map(metricInput).filter((x): x is MetricInput => x !== null),
    window: parseWindow(rec(tp.cumulative_type_params).window ?? tp.window),
    grainToDate: grainOf(rec(tp.cumulative_type_params).grain_to_date ?? tp.grain_to_date),
    conversion: null, packageName, file: y.file, line: y.lineOf(m),
  };
  if ((type === 'simple' || type === 'cumulative') && !metric.measure) err(`${type} metric '${metric.name}' needs type_params.measure`, m, 'Add `type_params: {measure: a_measure}`.');
  if (type === 'ratio' && (!metric.numerator || !metric.denominator)) err(`ratio metric '${metric.name}' needs type_params.numerator and denominator`, m, 'Name a metric in each.');
  if (type === 'derived' && (!metric.expr || metric.metrics.length === 0)) err(`derived metric '${metric.name}' needs type_params.expr and metrics`, m, 'List its input metrics under `metrics:` and combine them in `expr:`.');
  if (type === 'conversion') {
    const c = rec(tp.conversion_type_params);
    const base = measureInput(c.base_measure);
    const conv = measureInput(c.conversion_measure);
    if (!base || !conv || typeof c.entity !== 'string') err(`conversion metric '${metric.name}' needs conversion_type_params base_measure, conversion_measure and entity`, m, 'See dbt\'s conversion metric docs.');
    else metric.conversion = { baseMeasure: base, conversionMeasure: conv, entity: c.entity, calculation: c.calculation === 'conversions' ? 'conversions' : 'conversion_rate', window: parseWindow(c.window),
      constantProperties: list(c.constant_properties).map(rec).map((p) => ({ baseProperty: String(p.base_property ?? ''), conversionProperty: String(p.conversion_property ?? '') })),
    };
  }
  return metric;
}

function readSavedQuery(q: Record<string, unknown>, y: ParsedYaml, packageName: string): SavedQuery {
  const qp = rec(q.query_params);
  const config = rec(q.config);
  return {
    name: String(q.name), label: strOrNull(q.label), description: strOrNull(q.description),
    metrics: list(qp.metrics).map(String), groupBy: list(qp.group_by).map(String), where: filters(qp.where),
    orderBy: list(qp.order_by).map(String), limit: typeof qp.limit === 'number' ? qp.limit : null,
    meta: { ...rec(q.meta), ...rec(config.meta) }, exportAs: strOrNull(config.export_as), schema: strOrNull(config.schema),
    exports: list(q.exports).map((e) => readExport(rec(e))), packageName, file: y.file, line: y.lineOf(q),
  };
}

/** An export's own config, as written; what it inherits from the saved query is filled in at parse. */
function readExport(e: Record<string, unknown>): SavedQueryExport {
  const c = rec(e.config);
  return {
    name: String(e.name), exportAs: strOrNull(c.export_as), schema: strOrNull(c.schema_name ?? c.schema), alias: strOrNull(c.alias),
    database: strOrNull(c.database), unrendered: { ...c },
  };
}
