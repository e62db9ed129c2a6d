import { describe, expect, it } from 'vitest';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { buildSemanticManifest, type KnownModels } from '../../src/semantic/load-semantic.js';

/** Known model names asked for lazily, recording what was asked (parse's form: no set of every name unless needed). */
function lazyKnown(names: string[]): KnownModels & { asked: string[]; listed: number } {
  const out = {
    asked: [] as string[],
    listed: 0,
    has: (name: string) => { out.asked.push(name); return names.includes(name); },
    all: () => { out.listed++; return new Set(names); },
  };
  return out;
}

const ORDERS = `semantic_models:
  - name: orders
    model: ref('orderz')
    defaults: {agg_time_dimension: ordered_at}
    entities: [{name: order, type: primary, expr: order_id}]
    dimensions: [{name: ordered_at, type: time, type_params: {time_granularity: day}}]
    measures: [{name: revenue, agg: sum, expr: amount}]
`;

const messages = (f: () => unknown) => {
  try { f(); } catch (e) {
    return (e instanceof TsdbtErrorList ? e.errors : [e as TsdbtError]).map((x) => `${x.file}:${x.line}: [${x.code}] ${x.message}${x.hint ? ` (${x.hint})` : ''}`);
  }
  return [];
};

describe('buildSemanticManifest with known models asked lazily', () => {
  const plainYaml = { file: 'models/schema.yml', text: 'version: 2\nmodels:\n  - name: a\n    columns: [{name: id}]\n' };

  it('without a semantic layer: only the legacy time spine is asked about, no list of every name is made', () => {
    const known = lazyKnown(['a', 'metricflow_time_spine']);
    const sm = buildSemanticManifest([plainYaml], 'p', known);
    expect(known.asked).toEqual(['metricflow_time_spine']);
    expect(known.listed).toBe(0);
    expect(sm.timeSpines).toEqual([{ modelName: 'metricflow_time_spine', column: 'date_day', grain: 'day', customGranularities: [], file: 'metricflow_time_spine', legacy: true }]);
    expect(sm).toEqual(buildSemanticManifest([plainYaml], 'p', new Set(['a', 'metricflow_time_spine'])));
    const none = lazyKnown(['a']);
    expect(buildSemanticManifest([plainYaml], 'p', none).timeSpines).toEqual([]);
    expect(none.listed).toBe(0);
  });

  it('with semantic models: their models are checked against every name, with the same errors as a set gives', () => {
    const files = [{ file: 'models/sl.yml', text: ORDERS }];
    const known = lazyKnown(['orders', 'customers']);
    const lazy = messages(() => buildSemanticManifest(files, 'p', known));
    expect(known.listed).toBe(1);
    expect(lazy).toEqual(messages(() => buildSemanticManifest(files, 'p', new Set(['orders', 'customers']))));
    expect(lazy).toEqual([
      "models/sl.yml:2: [SEMANTIC_INVALID] semantic model 'orders' reads ref('orderz'), which matches no model (Did you mean 'orders'? Point model: at an existing model.)",
    ]);
  });

  it('a text with none of the semantic words is not read as semantic YAML; one with a word but no such key is read and adds nothing', () => {
    const words = { file: 'models/x.yml', text: "version: 2\nmodels:\n  - name: metrics_daily\n    description: 'saved_queries and time_spine, not keys'\n" };
    expect(buildSemanticManifest([words], 'p', null)).toEqual({ projectName: 'p', semanticModels: [], metrics: [], savedQueries: [], timeSpines: [] });
  });
});
