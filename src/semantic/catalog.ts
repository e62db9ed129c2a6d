import type { Metric, SemanticDimension, SemanticEntity, SemanticManifest, SemanticMeasure, SemanticModel, TimeGrain } from './types.js';

/**
 * Name lookups over a semantic manifest: measures, metrics, and every
 * group-by name a measure can be grouped by (its own dimensions and those
 * reachable along entities, many-to-one, up to two hops), built once.
 */
export interface MeasureRef {
  model: SemanticModel;
  measure: SemanticMeasure;
}

/** Where a group-by name's column lives, and the joins that reach it from the measure's model. */
export interface ResolvedElement {
  /** `pull_request__repo_name`, `author`, `pull_request__created_at`. */
  name: string;
  kind: 'dimension' | 'time_dimension' | 'entity';
  model: SemanticModel;
  /** The joins from the measure's model, one per hop: via this entity into this model. */
  path: { entity: string; model: SemanticModel }[];
  /** SQL over the model's own columns (the expr, or the name). */
  expr: string;
  timeGranularity: TimeGrain | null;
  description: string | null;
}

const JOINABLE_TARGET = new Set(['primary', 'unique', 'natural']);

export class SemanticCatalog {
  readonly measures = new Map<string, MeasureRef>();
  readonly metrics = new Map<string, Metric>();
  readonly models = new Map<string, SemanticModel>();
  /** Custom granularities the time spines declare (`fiscal_quarter`). */
  readonly customGrains: ReadonlySet<string>;
  private readonly elementsCache = new Map<string, Map<string, ResolvedElement>>();

  constructor(readonly manifest: SemanticManifest) {
    for (const model of manifest.semanticModels) {
      if (!this.models.has(model.name)) this.models.set(model.name, model);
      for (const measure of model.measures) if (!this.measures.has(measure.name)) this.measures.set(measure.name, { model, measure });
    }
    for (const m of manifest.metrics) if (!this.metrics.has(m.name)) this.metrics.set(m.name, m);
    this.customGrains = new Set(manifest.timeSpines.flatMap((s) => s.customGranularities.map((c) => c.name)));
  }

  /** The models a joined entity leads to (the entity is their primary, unique or natural key). */
  private targetsOf(entity: string, from: SemanticModel): SemanticModel[] {
    return this.manifest.semanticModels.filter((m) => m !== from && m.entities.some((e) => e.name === entity && JOINABLE_TARGET.has(e.type)));
  }

  /** The time dimension a measure aggregates over. */
  aggTimeDimension(ref: MeasureRef): SemanticDimension | null {
    const name = ref.measure.aggTimeDimension ?? ref.model.defaultAggTimeDimension;
    return ref.model.dimensions.find((d) => d.name === name && d.type === 'time') ?? null;
  }

  /**
   * Every group-by name available to a model's measures, in a stable order
   * (local first, then one hop, then two), the first path found winning as
   * MetricFlow prefers the shortest join path.
   */
  elementsFor(model: SemanticModel): Map<string, ResolvedElement> {
    const cached = this.elementsCache.get(model.name);
    if (cached) return cached;
    const out = new Map<string, ResolvedElement>();
    const add = (el: ResolvedElement) => { if (!out.has(el.name)) out.set(el.name, el); };
    const addModel = (m: SemanticModel, prefix: string[], path: ResolvedElement['path'], entities: SemanticEntity[]) => {
      for (const e of entities) {
        const names = [...prefix, e.name];
        for (const d of m.dimensions) {
          add({ name: [...names, d.name].join('__'), kind: d.type === 'time' ? 'time_dimension' : 'dimension', model: m, path, expr: d.expr ?? d.name, timeGranularity: d.timeGranularity, description: d.description });
        }
      }
    };
    // Local: the model's own keys (primary, unique, natural, or primary_entity) prefix its dimensions, as in
    // MetricFlow, so `customer__country` means the customer model's country; every entity is itself a group-by.
    const keys = model.entities.filter((e) => JOINABLE_TARGET.has(e.type) || e.name === model.primaryEntity);
    addModel(model, [], [], keys.length ? keys : model.primaryEntity ? [{ name: model.primaryEntity, type: 'primary', expr: null, description: null, label: null }] : model.entities);
    for (const e of model.entities) add({ name: e.name, kind: 'entity', model, path: [], expr: e.expr ?? e.name, timeGranularity: null, description: e.description });
    // One hop: along any entity of this model into a model where it is a key.
    for (const e of model.entities) {
      for (const target of this.targetsOf(e.name, model)) {
        const path = [{ entity: e.name, model: target }];
        addModel(target, [], path, target.entities.filter((te) => te.name === e.name));
        for (const te of target.entities) if (te.type === 'foreign') add({ name: `${e.name}__${te.name}`, kind: 'entity', model: target, path, expr: te.expr ?? te.name, timeGranularity: null, description: te.description });
      }
    }
    // Two hops: from those models along their foreign entities.
    for (const e of model.entities) {
      for (const mid of this.targetsOf(e.name, model)) {
        for (const f of mid.entities.filter((x) => x.type === 'foreign')) {
          for (const target of this.targetsOf(f.name, mid)) {
            if (target === model) continue;
            addModel(target, [e.name], [{ entity: e.name, model: mid }, { entity: f.name, model: target }], target.entities.filter((te) => te.name === f.name));
          }
        }
      }
    }
    this.elementsCache.set(model.name, out);
    return out;
  }

  /** The simple measures a metric reads, through ratio/derived inputs. */
  measuresOf(metric: Metric, seen = new Set<string>()): MeasureRef[] {
    if (seen.has(metric.name)) return [];
    seen.add(metric.name);
    const out: MeasureRef[] = [];
    const fromMeasure = (n: string | undefined) => { const r = n ? this.measures.get(n) : undefined; if (r) out.push(r); };
    fromMeasure(metric.measure?.name);
    if (metric.conversion) { fromMeasure(metric.conversion.baseMeasure.name); fromMeasure(metric.conversion.conversionMeasure.name); }
    for (const input of [metric.numerator, metric.denominator, ...metric.metrics]) {
      const m = input ? this.metrics.get(input.name) : undefined;
      if (m) out.push(...this.measuresOf(m, seen));
    }
    return out;
  }

  /** Group-by names every measure of the metric can use (the intersection), plus metric_time. */
  dimensionsOf(metric: Metric): string[] {
    const refs = this.measuresOf(metric);
    if (refs.length === 0) return [];
    let names: string[] | null = null;
    for (const r of refs) {
      const mine = [...this.elementsFor(r.model).keys()];
      names = names === null ? mine : names.filter((n) => mine.includes(n));
    }
    const hasTime = refs.every((r) => this.aggTimeDimension(r));
    return [...(hasTime ? ['metric_time'] : []), ...(names ?? [])];
  }
}
