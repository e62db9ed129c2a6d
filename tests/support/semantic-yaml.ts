/**
 * The YAML of one legacy-spec semantic model over `model` (an order_id primary entity, an ordered_at day
 * dimension, a sum of amount named `measure`), for tests of what the semantic layer writes around it.
 */
export function ordersSemanticModel(name: string, model: string, measure: string): string {
  return [
    'semantic_models:',
    `  - name: ${name}`,
    `    model: ref('${model}')`,
    '    defaults: {agg_time_dimension: ordered_at}',
    '    entities: [{name: order, type: primary, expr: order_id}]',
    '    dimensions: [{name: ordered_at, type: time, type_params: {time_granularity: day}}]',
    `    measures: [{name: ${measure}, agg: sum, expr: amount}]`,
    '',
  ].join('\n');
}
