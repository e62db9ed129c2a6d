// Semantic layer speed: compile p95, loading a 200-model/100-metric manifest, an 80-metric saved query.
// Run: npx tsc -p tsconfig.build.json && node bench/semantic.bench.mjs
import { buildSemanticManifest } from '../dist/semantic/load-semantic.js';
import { SemanticLayer } from '../dist/semantic/semantic-layer.js';
import { duckdbSemanticDialect } from '../dist/adapters/duckdb/semantic-dialect.js';

const models = [];
const metrics = [];
for (let i = 0; i < 200; i++) {
  models.push(`  - name: sm_${i}
    model: ref('m_${i}')
    defaults:
      agg_time_dimension: ts
    entities:
      - name: e_${i}
        type: primary
        expr: id
${i > 0 ? `      - name: e_${i - 1}\n        type: foreign\n        expr: parent_id\n` : ''}    dimensions:
      - name: ts
        type: time
        type_params:
          time_granularity: day
      - name: cat_${i}
        type: categorical
    measures:
      - name: total_${i}
        agg: sum
        expr: amount`);
}
for (let i = 0; i < 100; i++) {
  metrics.push(i % 4 === 3
    ? `  - name: metric_${i}\n    type: ratio\n    type_params:\n      numerator: metric_${i - 1}\n      denominator: metric_${i - 2}`
    : `  - name: metric_${i}\n    type: simple\n    type_params:\n      measure: total_${i}`);
}
metrics.push('  - name: conv_12\n    type: conversion\n    type_params:\n      conversion_type_params: {base_measure: total_1, conversion_measure: total_2, entity: e_1, window: 7 days}');
const text = `semantic_models:\n${models.join('\n')}\nmetrics:\n${metrics.join('\n')}\n`;
// The same 200 models and 100 simple/ratio metrics in the latest (dbt 1.12 / Fusion) spec.
// Block style, as projects write it (the yaml package parses flow mappings like `{name: id}` far slower).
const latest = `models:\n${Array.from({ length: 200 }, (_, i) => `  - name: m_${i}
    semantic_model: true
    agg_time_dimension: ts
    columns:
      - name: id
        entity:
          type: primary
          name: e_${i}
${i > 0 ? `      - name: parent_id\n        entity:\n          type: foreign\n          name: e_${i - 1}\n` : ''}      - name: ts
        granularity: day
        dimension: time
      - name: cat_${i}
        dimension: categorical
    metrics:
      - name: metric_${i}
        agg: sum
        expr: amount`).join('\n')}\n`;

const known = new Set(Array.from({ length: 200 }, (_, i) => `m_${i}`));
const loads = [];
let manifest;
for (let r = 0; r < 20; r++) { const t = performance.now(); manifest = buildSemanticManifest([{ file: 'x.yml', text }], 'bench', known); loads.push(performance.now() - t); }
const latestLoads = [];
for (let r = 0; r < 20; r++) { const t = performance.now(); buildSemanticManifest([{ file: 'x.yml', text: latest }], 'bench', known); latestLoads.push(performance.now() - t); }
const layer = new SemanticLayer(manifest, duckdbSemanticDialect, (m) => `main.${m}`);
const timed = (q) => { const xs = []; for (let r = 0; r < 200; r++) { const t = performance.now(); layer.compile(q); xs.push(performance.now() - t); } return xs; };
const conv = timed({ metrics: ['conv_12'], groupBy: ['metric_time__week', 'cat_1'] });
const metricFilter = timed({ metrics: ['metric_1'], groupBy: ['e_1'], where: ["{{ Metric('metric_2', group_by=['e_1']) }} > 0"] });
const times = [];
for (let r = 0; r < 300; r++) {
  const t = performance.now();
  layer.compile({ metrics: [`metric_${r % 100}`, `metric_${(r + 7) % 100}`], groupBy: ['metric_time__week'], where: ["{{ TimeDimension('metric_time', 'day') }} >= '2024-01-01'"], limit: 100 });
  times.push(performance.now() - t);
}
const p = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const t80 = performance.now();
const sq = layer.compile({ metrics: Array.from({ length: 80 }, (_, i) => `metric_${i}`), groupBy: ['metric_time__month'] });
const ms80 = performance.now() - t80;
console.log(`load 200 models/100 metrics: median ${p(loads, 0.5).toFixed(1)} ms, max ${Math.max(...loads).toFixed(1)} ms`);
console.log(`load the same in the latest spec: median ${p(latestLoads, 0.5).toFixed(1)} ms, max ${Math.max(...latestLoads).toFixed(1)} ms`);
console.log(`compile a conversion metric: p50 ${p(conv, 0.5).toFixed(2)} ms, p95 ${p(conv, 0.95).toFixed(2)} ms`);
console.log(`compile with a Metric() filter: p50 ${p(metricFilter, 0.5).toFixed(2)} ms, p95 ${p(metricFilter, 0.95).toFixed(2)} ms`);
console.log(`compile 2 metrics: p50 ${p(times, 0.5).toFixed(2)} ms, p95 ${p(times, 0.95).toFixed(2)} ms`);
console.log(`compile 80 metrics: ${ms80.toFixed(1)} ms (${sq.sql.length} chars of SQL)`);
