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
const text = `semantic_models:\n${models.join('\n')}\nmetrics:\n${metrics.join('\n')}\n`;

const known = new Set(Array.from({ length: 200 }, (_, i) => `m_${i}`));
const loads = [];
let manifest;
for (let r = 0; r < 20; r++) { const t = performance.now(); manifest = buildSemanticManifest([{ file: 'x.yml', text }], 'bench', known); loads.push(performance.now() - t); }
const layer = new SemanticLayer(manifest, duckdbSemanticDialect, (m) => `main.${m}`);
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
console.log(`compile 2 metrics: p50 ${p(times, 0.5).toFixed(2)} ms, p95 ${p(times, 0.95).toFixed(2)} ms`);
console.log(`compile 80 metrics: ${ms80.toFixed(1)} ms (${sq.sql.length} chars of SQL)`);
