import type { CompiledNode } from '../manifest/types.js';
import type { Metric, MetricInput, MetricMeasureInput, SemanticManifest } from './types.js';

/**
 * The semantic layer as dbt writes it: the manifest's `semantic_models`,
 * `metrics` and `saved_queries` entries (unique ids, depends_on, refs) and
 * target/semantic_manifest.json in dbt-semantic-interfaces' schema, so
 * MetricFlow-reading tools accept it.
 */
type Models = ReadonlyMap<string, CompiledNode>;

const where = (filters: string[]) => (filters.length ? { where_filters: filters.map((f) => ({ where_sql_template: f })) } : null);
const win = (w: { count: number; grain: string } | null) => (w ? { count: w.count, granularity: w.grain } : null);
const measureInput = (m: MetricMeasureInput | null) => (m ? { name: m.name, filter: where(m.filter), alias: m.alias, join_to_timespine: m.joinToTimespine, fill_nulls_with: m.fillNullsWith } : null);
const metricInput = (m: MetricInput | null) => (m ? { name: m.name, filter: where(m.filter), alias: m.alias, offset_window: win(m.offsetWindow), offset_to_grain: m.offsetToGrain } : null);

function nodeRelation(node: CompiledNode | undefined, name: string) {
  return { alias: node?.alias ?? name, schema_name: node?.schema ?? '', database: node?.database ?? null, relation_name: node?.relation_name ?? null };
}

function inputMeasures(sm: SemanticManifest, metric: Metric, seen = new Set<string>()): ReturnType<typeof measureInput>[] {
  if (seen.has(metric.name)) return [];
  seen.add(metric.name);
  const out = [measureInput(metric.measure), measureInput(metric.conversion?.baseMeasure ?? null), measureInput(metric.conversion?.conversionMeasure ?? null)].filter(Boolean);
  for (const i of [metric.numerator, metric.denominator, ...metric.metrics]) {
    const m = i ? sm.metrics.find((x) => x.name === i.name) : undefined;
    if (m) out.push(...inputMeasures(sm, m, seen));
  }
  return out;
}

/**
 * A metric's type_params: manifest.json's (dbt's MetricTypeParams), or with `forSemanticManifest` the
 * dbt-semantic-interfaces 0.9 shape semantic_manifest.json has (type_params' join_to_timespine and fill_nulls_with,
 * a conversion's base_metric and conversion_metric).
 */
function typeParams(sm: SemanticManifest, m: Metric, forSemanticManifest = false) {
  const c = m.conversion;
  return {
    measure: measureInput(m.measure), numerator: metricInput(m.numerator), denominator: metricInput(m.denominator), expr: m.expr,
    window: win(m.window), grain_to_date: m.grainToDate, metrics: m.metrics.length ? m.metrics.map(metricInput) : m.type === 'derived' ? [] : null,
    conversion_type_params: c ? {
      base_measure: measureInput(c.baseMeasure), ...(forSemanticManifest ? { base_metric: null } : {}),
      conversion_measure: measureInput(c.conversionMeasure), ...(forSemanticManifest ? { conversion_metric: null } : {}),
      entity: c.entity, calculation: c.calculation, window: win(c.window),
      constant_properties: c.constantProperties.length ? c.constantProperties.map((p) => ({ base_property: p.baseProperty, conversion_property: p.conversionProperty })) : null,
    } : null,
    cumulative_type_params: m.type === 'cumulative' ? { window: win(m.window), grain_to_date: m.grainToDate, period_agg: 'first', metric: null } : null,
    input_measures: inputMeasures(sm, m),
    metric_aggregation_params: null,
    ...(forSemanticManifest ? { join_to_timespine: false, fill_nulls_with: null } : {}),
  };
}

/** A measure's `agg` as dbt writes it: tsdbt also reads `avg`, which dbt-semantic-interfaces spells `average`. */
const aggName = (agg: string) => (agg === 'avg' ? 'average' : agg);

/**
 * A semantic model as semantic_manifest.json (dbt-semantic-interfaces) writes it; `inManifest`: as manifest.json
 * (v12) does, whose entities and measures have no `metadata`.
 */
function semanticModelBody(s: SemanticManifest['semanticModels'][number], models: Models, inManifest = false) {
  const metadata = inManifest ? {} : { metadata: null };
  return {
    name: s.name, defaults: s.defaultAggTimeDimension ? { agg_time_dimension: s.defaultAggTimeDimension } : null, description: s.description,
    node_relation: nodeRelation(models.get(s.modelName), s.modelName), primary_entity: s.primaryEntity,
    entities: s.entities.map((e) => ({ name: e.name, description: e.description, type: e.type, role: null, expr: e.expr, ...metadata, label: e.label, config: null })),
    measures: s.measures.map((m) => ({
      name: m.name, agg: aggName(m.agg), description: m.description, create_metric: m.createMetric, expr: m.expr,
      agg_params: m.percentile !== null ? { percentile: m.percentile, use_discrete_percentile: m.useDiscretePercentile, use_approximate_percentile: false } : null,
      ...metadata, non_additive_dimension: m.nonAdditive ? { name: m.nonAdditive.dimension, window_choice: m.nonAdditive.windowChoice, window_groupings: m.nonAdditive.windowGroupings } : null, agg_time_dimension: m.aggTimeDimension, label: m.label, config: null,
    })),
    dimensions: s.dimensions.map((d) => ({
      name: d.name, description: d.description, type: d.type, is_partition: false,
      type_params: d.type === 'time' ? { time_granularity: d.timeGranularity, validity_params: null } : null, expr: d.expr, metadata: null, label: d.label, config: { meta: d.meta },
    })),
    label: s.label, metadata: null, config: { meta: s.meta },
  };
}

const savedQueryParams = (q: SemanticManifest['savedQueries'][number]) => ({ metrics: q.metrics, group_by: q.groupBy, where: where(q.where), order_by: q.orderBy, limit: q.limit });

/** A saved query's exports: manifest.json's (with the database and the config as written) or semantic_manifest.json's. */
const exportsOf = (q: SemanticManifest['savedQueries'][number], inManifest: boolean) => q.exports.map((e) => (inManifest
  ? { name: e.name, config: { export_as: e.exportAs, schema_name: e.schema, alias: e.alias, database: e.database }, unrendered_config: e.unrendered }
  : { name: e.name, config: { export_as: e.exportAs, schema_name: e.schema, alias: e.alias } }));

/**
 * dbt's project_configuration: the models configured as time spines, and, when the project has semantic models and
 * a model named metricflow_time_spine, that model as the legacy time spine table (configured or not: dbt compares
 * the name with relation names, which never match).
 */
function projectConfiguration(sm: SemanticManifest, models: Models) {
  const legacy = sm.semanticModels.length > 0 ? models.get('metricflow_time_spine') : undefined;
  return {
    time_spine_table_configurations: legacy ? [{ location: legacy.relation_name ?? '', column_name: 'date_day', grain: 'day' }] : [],
    metadata: null, dsi_package_version: { major_version: '0', minor_version: '7', patch_version: '0' },
    time_spines: sm.timeSpines.filter((t) => !t.legacy).map((t) => ({ node_relation: nodeRelation(models.get(t.modelName), t.modelName), primary_column: { name: t.column, time_granularity: t.grain }, custom_granularities: t.customGranularities.map((c) => ({ name: c.name, column_name: c.column })) })),
  };
}

/** target/semantic_manifest.json. */
export function semanticManifestJson(sm: SemanticManifest, models: Models): Record<string, unknown> {
  return {
    semantic_models: sm.semanticModels.map((s) => semanticModelBody(s, models)),
    metrics: sm.metrics.map((m) => ({ name: m.name, description: m.description, type: m.type, type_params: typeParams(sm, m, true), filter: where(m.filter), metadata: null, label: m.label, config: { meta: m.meta }, time_granularity: null })),
    project_configuration: projectConfiguration(sm, models),
    // dbt-semantic-interfaces' saved query has no config.
    saved_queries: sm.savedQueries.map((q) => ({ name: q.name, query_params: savedQueryParams(q), description: q.description, metadata: null, label: q.label, exports: exportsOf(q, false), tags: [] })),
  };
}

/** The manifest.json maps, keyed by unique id, with depends_on and refs. */
export function manifestEntries(sm: SemanticManifest, models: Models): { semantic_models: Record<string, unknown>; metrics: Record<string, unknown>; saved_queries: Record<string, unknown> } {
  const common = (kind: string, x: { name: string; file: string; packageName: string }) => ({
    resource_type: kind, package_name: x.packageName, path: x.file.replace(/^[^/]+\//, ''), original_file_path: x.file,
    unique_id: `${kind}.${x.packageName}.${x.name}`, fqn: [x.packageName, ...x.file.split('/').slice(1, -1), x.name],
  });
  const semanticModels: Record<string, unknown> = {};
  const smOfMeasure = new Map<string, string>();
  for (const s of sm.semanticModels) {
    const c = common('semantic_model', s);
    for (const m of s.measures) smOfMeasure.set(m.name, c.unique_id);
    const node = models.get(s.modelName);
    semanticModels[c.unique_id] = {
      ...semanticModelBody(s, models, true), ...c, model: s.modelRef, refs: [{ name: s.modelName, package: null, version: null }],
      depends_on: { macros: [], nodes: node ? [node.unique_id] : [] }, created_at: 0, config: { enabled: true, group: null, meta: s.meta }, unrendered_config: {}, group: null,
    };
  }
  const metrics: Record<string, unknown> = {};
  for (const m of sm.metrics) {
    const c = common('metric', m);
    const tp = typeParams(sm, m);
    const smIds = [...new Set(tp.input_measures.map((i) => smOfMeasure.get(i!.name)).filter((x): x is string => Boolean(x)))].sort();
    const metricDeps = [m.numerator, m.denominator, ...m.metrics].filter(Boolean).map((i) => [i!.name]);
    metrics[c.unique_id] = {
      ...c, name: m.name, description: m.description, label: m.label, type: m.type, type_params: tp, filter: where(m.filter), metadata: null, time_granularity: null,
      meta: m.meta, tags: [], config: { enabled: true, group: null, meta: m.meta }, unrendered_config: {}, sources: [],
      depends_on: { macros: [], nodes: m.type === 'ratio' || m.type === 'derived' ? [...new Set(metricDeps.map(([n]) => `metric.${m.packageName}.${n}`))].sort() : smIds },
      refs: [], metrics: metricDeps, created_at: 0, group: null,
    };
  }
  const savedQueries: Record<string, unknown> = {};
  for (const q of sm.savedQueries) {
    const c = common('saved_query', q);
    savedQueries[c.unique_id] = {
      ...c, name: q.name, query_params: { ...savedQueryParams(q), group_by: q.groupBy }, exports: exportsOf(q, true), label: q.label, description: q.description, metadata: null,
      config: { enabled: true, group: null, meta: q.meta, export_as: q.exportAs, schema: q.schema, cache: { enabled: false } }, unrendered_config: {}, group: null,
      depends_on: { macros: [], nodes: q.metrics.map((n) => `metric.${q.packageName}.${n}`).sort() }, created_at: 0, refs: [], tags: [],
    };
  }
  return { semantic_models: semanticModels, metrics, saved_queries: savedQueries };
}
