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

/**
 * A project of a realistic shape: the first third of the models are staging
 * models reading a `source()` each; the rest are intermediate models (some
 * ephemeral) and marts (tables, some incremental) that ref 1-4 earlier
 * models. Most models use project macros, `config()`, `var()`, loops and
 * conditionals; about one in six is plain SQL with refs. Every model has
 * unique and not_null tests on `id`; marts also a relationships test and
 * every fifth model an accepted_values test.
 */
export function generateRealisticProject(dir, models = 2000, seed = 7) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (n) => Math.floor(rand() * n);
  for (const sub of ['models/staging', 'models/intermediate', 'models/marts', 'macros']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'dbt_project.yml'), [
    'name: realistic', 'version: "1.0.0"', 'config-version: 2', 'profile: bench',
    'vars:', '  filter_deleted: true', '  currency: usd',
    'models:', '  realistic:', '    +materialized: view',
    '    staging:', '      +tags: [staging]', '    intermediate:', '      +schema: intermediate',
    '    marts:', '      +materialized: table', '      +tags: [marts]', '',
  ].join('\n'));
  writeFileSync(join(dir, 'profiles.yml'), 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: bench.duckdb\n      threads: 1\n');
  writeFileSync(join(dir, 'macros', 'money.sql'), [
    '{% macro cents_to_dollars(column, scale=2) -%}',
    '  round({{ column }} / 100.0, {{ scale }})',
    '{%- endmacro %}',
    '',
    '{% macro limit_in_dev(n=1000) -%}',
    "  {%- if target.name == 'dev' %}limit {{ n }}{% endif -%}",
    '{%- endmacro %}',
    '',
    '{% macro column_list(columns, prefix=none) -%}',
    '  {%- for c in columns %}{% if prefix %}{{ prefix }}.{% endif %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor -%}',
    '{%- endmacro %}',
    '',
  ].join('\n'));
  const staging = Math.max(1, Math.floor(models / 3));
  const marts = Math.max(1, Math.floor(models / 4));
  const layerOf = (i) => (i < staging ? 'staging' : i < models - marts ? 'intermediate' : 'marts');
  const nameOf = (i) => `${layerOf(i) === 'staging' ? 'stg' : layerOf(i) === 'intermediate' ? 'int' : 'fct'}_${i}`;
  const ephemeral = (i) => layerOf(i) === 'intermediate' && i % 10 === 3;
  const sources = ['version: 2', 'sources:', '  - name: raw', '    schema: raw', '    tables:'];
  const props = ['version: 2', 'models:'];
  for (let i = 0; i < models; i++) {
    const layer = layerOf(i);
    const name = nameOf(i);
    let sql;
    if (layer === 'staging') {
      sources.push(`      - name: table_${i}`);
      sql = i % 6 === 5
        ? `select id, name, amount_cents, created_at from {{ source('raw', 'table_${i}') }}`
        : [
          `{{ config(tags=['src_${i % 7}']) }}`,
          'select',
          '  id,',
          '  name,',
          `  {{ cents_to_dollars('amount_cents') }} as amount,`,
          "  '{{ var(\"currency\") }}' as currency,",
          '  created_at',
          `from {{ source('raw', 'table_${i}') }}`,
          "{% if var('filter_deleted') %}where not coalesce(is_deleted, false){% endif %}",
        ].join('\n');
    } else {
      // Intermediate models read staging and earlier intermediates; marts read anything before them.
      // An ephemeral model reads staging models only, so CTE chains stay short.
      const pool = ephemeral(i) ? staging : layer === 'intermediate' ? i : models - marts;
      const parents = [...new Set(Array.from({ length: 1 + pick(4) }, () => pick(pool)))];
      const refs = parents.map((p) => `{{ ref('${nameOf(p)}') }}`);
      if (i % 6 === 5) {
        sql = parents.map((_, k) => `select id, name, amount from ${refs[k]}`).join('\nunion all\n');
      } else {
        const materialized = ephemeral(i) ? 'ephemeral' : layer === 'marts' && i % 5 === 0 ? 'incremental' : null;
        const config = materialized === 'incremental'
          ? "{{ config(materialized='incremental', unique_key='id') }}"
          : materialized ? `{{ config(materialized='${materialized}') }}` : `{{ config(tags=['${layer}_${i % 5}']) }}`;
        sql = [
          config,
          "{% set columns = ['id', 'name', 'amount'] %}",
          'with',
          ...parents.map((_, k) => `p${k} as (\n  select {{ column_list(columns) }} from ${refs[k]}\n)${k < parents.length - 1 ? ',' : ''}`),
          `select {{ column_list(columns, prefix='p0') }}, {{ cents_to_dollars('p0.amount * 100', ${2 + (i % 3)}) }} as amount_rounded`,
          'from p0',
          ...parents.slice(1).map((_, k) => `left join p${k + 1} on p${k + 1}.id = p0.id`),
          materialized === 'incremental' ? '{% if is_incremental() %}where p0.id > (select max(id) from {{ this }}){% endif %}' : '{{ limit_in_dev(10000) }}',
        ].join('\n');
      }
    }
    writeFileSync(join(dir, 'models', layer, `${name}.sql`), `${sql}\n`);
    props.push(`  - name: ${name}`, '    columns:', '      - name: id', '        data_tests:', '          - unique', '          - not_null');
    if (layer === 'marts') props.push('          - relationships:', `              to: ref('${nameOf(pick(staging))}')`, '              field: id');
    if (i % 5 === 0) props.push('      - name: currency', '        data_tests:', '          - accepted_values:', "              values: ['usd', 'eur']");
  }
  writeFileSync(join(dir, 'models', 'staging', 'sources.yml'), `${sources.join('\n')}\n`);
  writeFileSync(join(dir, 'models', 'schema.yml'), `${props.join('\n')}\n`);
}
