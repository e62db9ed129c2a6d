import { TsdbtError } from '../errors/tsdbt-error.js';
import { nearestKey } from '../project/config-keys.js';
import { SemanticCatalog } from './catalog.js';
import type { Located, Metric, SemanticManifest } from './types.js';

/**
 * The semantic checks dbt runs at parse: duplicate names, references to
 * unknown measures/metrics (with a did-you-mean), metric cycles, derived
 * expressions that reference none of their inputs, an agg_time_dimension
 * that is not a time dimension, semantic models over unknown models.
 * Every problem is collected and located.
 */
export function validateSemanticManifest(manifest: SemanticManifest, knownModels: ReadonlySet<string> | null): TsdbtError[] {
  const errors: TsdbtError[] = [];
  const at = (loc: Located, message: string, hint: string) => errors.push(new TsdbtError('SEMANTIC_INVALID', message, { file: loc.file, line: loc.line, hint }));
  const dupes = (kind: string, items: (Located & { name: string })[]) => {
    const seen = new Map<string, Located>();
    for (const it of items) {
      const first = seen.get(it.name);
      if (first) at(it, `duplicate ${kind} '${it.name}' (also defined at ${first.file}${first.line ? `:${first.line}` : ''})`, `Rename one of them: ${kind} names are unique in a project.`);
      else seen.set(it.name, it);
    }
  };
  dupes('semantic model', manifest.semanticModels);
  dupes('metric', manifest.metrics);
  dupes('saved query', manifest.savedQueries);
  dupes('measure', manifest.semanticModels.flatMap((m) => m.measures.map((x) => ({ name: x.name, file: m.file, line: m.line }))));

  const catalog = new SemanticCatalog(manifest);
  const suggest = (name: string, known: Iterable<string>) => { const n = nearestKey(name, known); return n ? `Did you mean '${n}'?` : ''; };

  for (const sm of manifest.semanticModels) {
    if (knownModels && sm.modelName && !knownModels.has(sm.modelName)) at(sm, `semantic model '${sm.name}' reads ${sm.modelRef}, which matches no model`, `${suggest(sm.modelName, knownModels)} Point model: at an existing model.`.trim());
    const dims = new Map(sm.dimensions.map((d) => [d.name, d]));
    for (const [owner, name] of [['defaults.agg_time_dimension', sm.defaultAggTimeDimension], ...sm.measures.map((m) => [`measure '${m.name}' agg_time_dimension`, m.aggTimeDimension] as const)] as const) {
      if (!name) continue;
      const d = dims.get(name);
      if (!d) at(sm, `semantic model '${sm.name}': ${owner} '${name}' is not one of its dimensions`, suggest(name, dims.keys()) || 'Name a time dimension of this semantic model.');
      else if (d.type !== 'time') at(sm, `semantic model '${sm.name}': ${owner} '${name}' is a ${d.type} dimension, not a time dimension`, 'agg_time_dimension must name a dimension of type: time.');
    }
    if (sm.measures.length > 0 && !sm.defaultAggTimeDimension && sm.measures.some((m) => !m.aggTimeDimension)) {
      at(sm, `semantic model '${sm.name}' has measures but no defaults.agg_time_dimension`, 'Add `defaults: {agg_time_dimension: <a time dimension>}` or agg_time_dimension on each measure.');
    }
    const entityNames = new Set(sm.entities.map((e) => e.name));
    for (const m of sm.measures) {
      const nad = m.nonAdditive;
      if (!nad) continue;
      const d = dims.get(nad.dimension);
      if (!d || d.type !== 'time') at(sm, `measure '${m.name}' of semantic model '${sm.name}': non_additive_dimension '${nad.dimension}' is not a time dimension of it`, suggest(nad.dimension, [...dims.values()].filter((x) => x.type === 'time').map((x) => x.name)) || 'Name one of its time dimensions.');
      for (const g of nad.windowGroupings) if (!entityNames.has(g)) at(sm, `measure '${m.name}' of semantic model '${sm.name}': window grouping '${g}' is not one of its entities`, suggest(g, entityNames) || 'window_groupings name entities of the same semantic model.');
    }
    for (const m of sm.measures) if (m.agg === 'percentile' && (m.percentile === null || m.percentile <= 0 || m.percentile >= 1)) at(sm, `measure '${m.name}' has agg percentile without agg_params.percentile between 0 and 1`, 'Add `agg_params: {percentile: 0.9}`.');
  }

  const metricNames = [...catalog.metrics.keys()];
  const measureNames = [...catalog.measures.keys()];
  for (const m of manifest.metrics) {
    const measures = [m.measure?.name, m.conversion?.baseMeasure.name, m.conversion?.conversionMeasure.name].filter((x): x is string => Boolean(x));
    for (const name of measures) if (!catalog.measures.has(name)) at(m, `metric '${m.name}' refers to unknown measure '${name}'`, suggest(name, measureNames) || 'Name a measure of a semantic model.');
    for (const input of [m.numerator, m.denominator, ...m.metrics]) {
      if (input && !catalog.metrics.has(input.name)) at(m, `metric '${m.name}' refers to unknown metric '${input.name}'`, suggest(input.name, metricNames) || 'Name a metric defined in the project.');
    }
    if (m.conversion) {
      const c = m.conversion;
      for (const [side, measure, prop] of [['base', c.baseMeasure.name, 'baseProperty'], ['conversion', c.conversionMeasure.name, 'conversionProperty']] as const) {
        const ref = catalog.measures.get(measure);
        if (!ref) continue;
        const names = new Set([...ref.model.entities.map((e) => e.name), ...ref.model.dimensions.map((d) => d.name)]);
        if (!ref.model.entities.some((e) => e.name === c.entity)) at(m, `conversion metric '${m.name}': entity '${c.entity}' is not an entity of the ${side} measure's semantic model '${ref.model.name}'`, suggest(c.entity, ref.model.entities.map((e) => e.name)) || 'Name an entity both semantic models have.');
        for (const p of c.constantProperties) if (!names.has(p[prop])) at(m, `conversion metric '${m.name}': constant property '${p[prop]}' is not a dimension or entity of '${ref.model.name}'`, suggest(p[prop], names) || `Name a dimension or entity of semantic model '${ref.model.name}'.`);
      }
    }
    if (m.type === 'derived' && m.expr) {
      const ids = new Set(m.expr.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
      const used = m.metrics.filter((i) => ids.has(i.alias ?? i.name));
      if (used.length === 0) at(m, `derived metric '${m.name}': expr '${m.expr}' references none of its input metrics (${m.metrics.map((i) => i.alias ?? i.name).join(', ')})`, 'Use the input metrics (or their aliases) in expr.');
    }
  }
  // Cycles among metrics (a derived metric that reaches itself).
  const state = new Map<string, 1 | 2>();
  const visit = (m: Metric, stack: string[]): void => {
    if (state.get(m.name) === 2) return;
    if (state.get(m.name) === 1) {
      const cycle = [...stack.slice(stack.indexOf(m.name)), m.name];
      at(m, `metric cycle: ${cycle.join(' -> ')}`, 'A metric cannot depend on itself; remove one input of the cycle.');
      return;
    }
    state.set(m.name, 1);
    for (const input of [m.numerator, m.denominator, ...m.metrics]) {
      const next = input ? catalog.metrics.get(input.name) : undefined;
      if (next) visit(next, [...stack, m.name]);
    }
    state.set(m.name, 2);
  };
  for (const m of manifest.metrics) visit(m, []);

  for (const q of manifest.savedQueries) {
    for (const name of q.metrics) if (!catalog.metrics.has(name)) at(q, `saved query '${q.name}' refers to unknown metric '${name}'`, suggest(name, metricNames) || 'Name a metric defined in the project.');
  }
  return errors;
}
