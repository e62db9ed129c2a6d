import { isRecord, type ParsedYaml } from '../util/yaml.js';
import {
  MEASURE_AGGS, METRIC_TYPES,
  type Metric, type MetricMeasureInput, type SemanticDimension, type SemanticEntity, type SemanticMeasure, type SemanticModel,
} from './types.js';
import { filters, grainOf, list, metricInput, parseWindow, rec, strOrNull } from './yaml-values.js';

/**
 * The latest semantic-layer spec (dbt Core 1.12 and Fusion), read into the
 * same objects as the legacy spec: a model's `semantic_model:` (true or a
 * mapping), entities and dimensions on its `columns:` (`entity: primary` or
 * `entity: {type, name}`, `dimension: time` plus the column's
 * `granularity:`), `derived_semantics:` for expression-based ones, the
 * model's `agg_time_dimension:` and `primary_entity:`, and its `metrics:`
 * with type-specific keys at the top level. A simple metric's `agg`/`expr`
 * becomes a measure of the same name on the model's semantic model, so the
 * compiler sees one shape whichever spec a project uses.
 */
/** Reports a problem at a parsed YAML value, or at a line number. */
type Err = (message: string, at: unknown, hint?: string) => void;

const ENTITY_TYPES = ['primary', 'unique', 'foreign', 'natural'];

/** True when a model entry declares a semantic model the latest way. */
export function hasModelSemantics(model: Record<string, unknown>): boolean {
  const sm = model.semantic_model;
  return sm === true || (isRecord(sm) && sm.enabled !== false);
}

export function readModelSemantics(model: Record<string, unknown>, y: ParsedYaml, packageName: string, err: Err): { semanticModel: SemanticModel; metrics: Metric[] } {
  const cfg = rec(model.semantic_model);
  const modelName = String(model.name);
  const name = strOrNull(cfg.name) ?? modelName;
  const entities: SemanticEntity[] = [];
  const dimensions: SemanticDimension[] = [];
  for (const col of list(model.columns).map(rec)) {
    const colName = String(col.name ?? '');
    if (col.entity !== undefined && col.entity !== null) {
      const e = isRecord(col.entity) ? col.entity : { type: col.entity };
      const type = String(e.type ?? '');
      if (!ENTITY_TYPES.includes(type)) err(`column '${colName}' of model '${modelName}' has entity type '${type}'`, col, 'An entity type is primary, unique, foreign or natural.');
      const entityName = strOrNull(e.name) ?? colName;
      entities.push({ name: entityName, type: type as SemanticEntity['type'], expr: entityName === colName ? null : colName, description: strOrNull(e.description ?? col.description), label: strOrNull(e.label) });
    }
    if (col.dimension !== undefined && col.dimension !== null) {
      const d = isRecord(col.dimension) ? col.dimension : { type: col.dimension };
      const dimName = strOrNull(d.name) ?? colName;
      dimensions.push(dimension(d, dimName, dimName === colName ? null : colName, col.granularity, `column '${colName}' of model '${modelName}'`, col, err));
    }
  }
  const derived = rec(model.derived_semantics);
  for (const e of list(derived.entities).map(rec)) {
    const type = String(e.type ?? '');
    if (!ENTITY_TYPES.includes(type)) err(`derived entity '${e.name}' of model '${modelName}' has type '${type}'`, e, 'An entity type is primary, unique, foreign or natural.');
    entities.push({ name: String(e.name), type: type as SemanticEntity['type'], expr: strOrNull(e.expr), description: strOrNull(e.description), label: strOrNull(e.label) });
  }
  for (const d of list(derived.dimensions).map(rec)) dimensions.push(dimension(d, String(d.name), strOrNull(d.expr), d.granularity, `derived dimension '${d.name}' of model '${modelName}'`, d, err));

  const semanticModel: SemanticModel = {
    name, description: strOrNull(model.description), label: strOrNull(cfg.label), modelName, modelRef: `ref('${modelName}')`,
    defaultAggTimeDimension: strOrNull(model.agg_time_dimension), primaryEntity: strOrNull(model.primary_entity),
    entities, dimensions, measures: [], meta: rec(rec(cfg.config).meta), packageName, file: y.file, line: y.lineOf(model.semantic_model) ?? y.lineOf(model),
  };
  const metrics: Metric[] = [];
  for (const [i, m] of list(model.metrics).entries()) {
    if (!isRecord(m) || typeof m.name !== 'string' || m.name === '') {
      err(`metrics entry ${i + 1} of model '${modelName}' has no name`, y.itemLine(model.metrics, i), 'Give every metric a `name:`.');
      continue;
    }
    const metric = readLatestMetric(m, y, packageName, err, semanticModel);
    if (metric) metrics.push(metric);
  }
  return { semanticModel, metrics };
}

function dimension(d: Record<string, unknown>, name: string, expr: string | null, granularity: unknown, what: string, at: unknown, err: Err): SemanticDimension {
  const type = String(d.type ?? '').toLowerCase();
  if (type !== 'categorical' && type !== 'time') err(`${what} has dimension type '${d.type ?? ''}'`, at, 'A dimension is categorical or time.');
  const grain = grainOf(granularity ?? d.granularity);
  if (type === 'time' && !grain) err(`${what} is a time dimension without granularity (day, week, month, quarter or year)`, at, 'Add `granularity: day` to the column.');
  return { name, type: type === 'time' ? 'time' : 'categorical', expr, description: strOrNull(d.description), label: strOrNull(d.label), timeGranularity: type === 'time' ? grain : null, meta: rec(rec(d.config).meta) };
}

/** A simple metric as an input (cumulative `input_metric`, conversion `base_metric`): the measure of that name. */
function asMeasureInput(v: unknown): MetricMeasureInput | null {
  const i = metricInput(v);
  return i ? { name: i.name, filter: i.filter, alias: i.alias, fillNullsWith: null, joinToTimespine: false } : null;
}

/**
 * A metric in the latest spec (on a model, or top-level for metrics that
 * combine others): type-specific keys at the top level. `owner` is the
 * semantic model a simple metric's measure joins; null for a top-level one.
 */
export function readLatestMetric(m: Record<string, unknown>, y: ParsedYaml, packageName: string, err: Err, owner: SemanticModel | null): Metric | null {
  const type = String(m.type ?? 'simple').toLowerCase();
  if (!(METRIC_TYPES as readonly string[]).includes(type)) {
    err(`metric '${m.name}' has type '${m.type ?? ''}'`, m, `type is one of ${METRIC_TYPES.join(', ')}.`);
    return null;
  }
  const name = String(m.name);
  const metric: Metric = {
    name, type: type as Metric['type'], label: String(m.label ?? name), description: String(m.description ?? ''),
    filter: filters(m.filter), meta: rec(rec(m.config).meta), measure: null,
    numerator: metricInput(m.numerator), denominator: metricInput(m.denominator),
    expr: type === 'derived' ? strOrNull(m.expr) : null, metrics: list(m.input_metrics).map(metricInput).filter((x) => x !== null),
    window: type === 'cumulative' ? parseWindow(m.window) : null, grainToDate: type === 'cumulative' ? grainOf(m.grain_to_date) : null,
    conversion: null, packageName, file: y.file, line: y.lineOf(m),
  };
  if (type === 'simple') {
    if (!owner) {
      err(`simple metric '${name}' is declared outside a model`, m, 'Declare simple metrics under the `metrics:` of the model whose semantic_model they aggregate.');
      return null;
    }
    const agg = String(m.agg ?? '').toLowerCase().replace(/^average$/, 'avg');
    if (!(MEASURE_AGGS as readonly string[]).includes(agg)) {
      err(`simple metric '${name}' of model '${owner.modelName}' has agg '${m.agg ?? ''}'`, m, `agg is one of ${MEASURE_AGGS.join(', ')} (a simple metric needs one).`);
      return null;
    }
    const nad = m.non_additive_dimension;
    const measure: SemanticMeasure = {
      name, agg: agg as SemanticMeasure['agg'], expr: strOrNull(m.expr), description: strOrNull(m.description), label: strOrNull(m.label),
      aggTimeDimension: strOrNull(m.agg_time_dimension), percentile: typeof m.percentile === 'number' ? m.percentile : null,
      useDiscretePercentile: String(m.percentile_type ?? '').toLowerCase() === 'discrete', createMetric: false,
      nonAdditive: isRecord(nad) && typeof nad.name === 'string'
        ? { dimension: nad.name, windowChoice: String(nad.window_agg ?? nad.window_choice ?? 'min').toLowerCase() === 'max' ? 'max' : 'min', windowGroupings: list(nad.group_by ?? nad.window_groupings).map(String) }
        : null,
    };
    if (nad !== undefined && nad !== null && !measure.nonAdditive) err(`simple metric '${name}': non_additive_dimension needs a name`, m, 'Write `non_additive_dimension: {name: a_time_dimension, window_agg: max}`.');
    owner.measures.push(measure);
    metric.measure = { name, filter: [], alias: null, fillNullsWith: typeof m.fill_nulls_with === 'number' ? m.fill_nulls_with : null, joinToTimespine: m.join_to_timespine === true };
  }
  if (type === 'cumulative') {
    metric.measure = asMeasureInput(m.input_metric);
    if (!metric.measure) err(`cumulative metric '${name}' needs input_metric`, m, 'Name the simple metric it accumulates: `input_metric: order_total`.');
  }
  if (type === 'ratio' && (!metric.numerator || !metric.denominator)) err(`ratio metric '${name}' needs numerator and denominator`, m, 'Name a metric in each.');
  if (type === 'derived' && (!metric.expr || metric.metrics.length === 0)) err(`derived metric '${name}' needs expr and input_metrics`, m, 'List its inputs under `input_metrics:` and combine them in `expr:`.');
  if (type === 'conversion') {
    const base = asMeasureInput(m.base_metric);
    const conv = asMeasureInput(m.conversion_metric);
    if (!base || !conv || typeof m.entity !== 'string') err(`conversion metric '${name}' needs base_metric, conversion_metric and entity`, m, 'Name the two simple metrics and the entity that links their events.');
    else {
      metric.conversion = {
        baseMeasure: base, conversionMeasure: conv, entity: m.entity, calculation: m.calculation === 'conversions' ? 'conversions' : 'conversion_rate', window: parseWindow(m.window),
        constantProperties: list(m.constant_properties).map(rec).map((p) => ({ baseProperty: String(p.base_property ?? ''), conversionProperty: String(p.conversion_property ?? '') })),
      };
    }
  }
  return metric;
}
