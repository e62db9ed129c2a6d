// Generates a dbt project of dbt-core's parse-benchmark shape: model i refs a
// random earlier model and all of that model's refs (unioning its ancestor
// chain); each model has unique, not_null and relationships tests on `id`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateProject(dir, models = 2000, seed = 42) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'dbt_project.yml'), 'name: bench\nversion: "1.0.0"\nconfig-version: 2\nprofile: bench\nmodels:\n  bench:\n    +materialized: view\n');
  writeFileSync(join(dir, 'profiles.yml'), 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: bench.duckdb\n      threads: 1\n');
  const refsOf = [];
  const yaml = ['version: 2', 'models:'];
  for (let i = 0; i < models; i++) {
    let refs = [];
    if (i > 0) {
      const j = Math.floor(rand() * i);
      refs = [...new Set([j, ...refsOf[j]])].slice(0, 8);
    }
    refsOf.push(refs);
    const sql = refs.length === 0
      ? `select ${i} as id, 'm${i}' as name`
      : refs.map((r) => `select id, name from {{ ref('model_${r}') }}`).join('\nunion all\n');
    writeFileSync(join(dir, 'models', `model_${i}.sql`), `{{ config(tags=['t${i % 10}']) }}\n${sql}\n`);
    yaml.push(`  - name: model_${i}`, '    columns:', '      - name: id', '        tests:', '          - unique', '          - not_null');
    if (refs.length > 0) yaml.push('          - relationships:', `              to: ref('model_${refs[0]}')`, '              field: id');
    else yaml.push('          - relationships:', `              to: ref('model_${i}')`, '              field: id');
  }
  writeFileSync(join(dir, 'models', 'schema.yml'), `${yaml.join('\n')}\n`);
}
