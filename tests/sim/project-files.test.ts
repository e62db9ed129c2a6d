/**
 * Static checks of the bundled dbt project (project/): its contract with the
 * raw tables, the targets, the dispatched macros and the documentation.
 * Running its SQL is the engine's job; tests/sim/raw-load.test.ts covers the
 * raw shape it reads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RAW_COLUMNS } from './raw-loader.js';

const P = join(import.meta.dirname, '../../project');
const read = (f: string) => readFileSync(join(P, f), 'utf8');
const yml = (f: string) => parse(read(f));
const modelFiles = ['staging', 'intermediate', 'marts'].flatMap((d) =>
  readdirSync(join(P, 'models', d)).filter((f) => f.endsWith('.sql')).map((f) => ({ dir: d, name: f.replace(/\.sql$/, '') })));
const modelDocs = ['models/staging/_staging.yml', 'models/intermediate/_intermediate.yml', 'models/marts/_marts.yml']
  .flatMap((f) => yml(f).models as { name: string; description?: string; columns?: { name: string; description?: string; data_tests?: unknown[] }[] }[]);

describe('project/', () => {
  it('is the cursor_analytics project with views, an ephemeral layer and table marts', () => {
    const project = yml('dbt_project.yml');
    expect(project.name).toBe('cursor_analytics');
    expect(project.profile).toBe('cursor_analytics');
    const cfg = project.models.cursor_analytics;
    expect([cfg.staging['+materialized'], cfg.intermediate['+materialized'], cfg.marts['+materialized']]).toEqual(['view', 'ephemeral', 'table']);
    expect(existsSync(join(P, 'packages.yml'))).toBe(false);
    expect(modelFiles.map((m) => m.name).sort()).toEqual([
      'int_pr_with_commits', 'mart_ai_impact', 'mart_quality', 'mart_review_costs', 'mart_velocity',
      'stg_commits', 'stg_pull_request_commits', 'stg_pull_requests', 'stg_repos', 'stg_reviews',
    ]);
  });

  it('has dev and ci on DuckDB and prod on Snowflake with every credential from the environment', () => {
    const outputs = yml('profiles.yml').cursor_analytics.outputs;
    expect(yml('profiles.yml').cursor_analytics.target).toBe('dev');
    expect(outputs.dev).toMatchObject({ type: 'duckdb', path: 'cursor_analytics.duckdb' });
    expect(outputs.ci.type).toBe('duckdb');
    expect(outputs.prod.type).toBe('snowflake');
    for (const key of ['account', 'user', 'password', 'role', 'warehouse', 'database']) {
      expect(outputs.prod[key]).toMatch(/^\{\{ env_var\('[A-Z_]+'\) \}\}$/);
    }
    expect(outputs.prod.password).toContain("env_var('DBT_ENV_SECRET_");
  });

  it('declares source raw with the four landed tables and only columns the raw shape has', () => {
    const [raw] = yml('models/staging/sources.yml').sources;
    expect(raw.name).toBe('raw');
    expect(raw.schema).toBe('raw');
    for (const t of raw.tables) {
      const landed = RAW_COLUMNS[t.name]!.map(([c]) => c);
      expect(t.columns.map((c: { name: string }) => c.name)).toEqual(landed);
    }
    expect(raw.tables.map((t: { name: string }) => t.name)).toEqual(['commits', 'pull_requests', 'reviews', 'repos']);
  });

  it('describes every model and every documented column', () => {
    for (const m of modelFiles) {
      const doc = modelDocs.find((d) => d.name === m.name);
      expect(doc?.description, m.name).toBeTruthy();
      for (const c of doc!.columns ?? []) expect(c.description, `${m.name}.${c.name}`).toBeTruthy();
    }
    const sqlColumns = (name: string) => {
      const sql = read(`models/${modelFiles.find((m) => m.name === name)!.dir}/${name}.sql`);
      const finalSelect = sql.slice(sql.lastIndexOf('\nselect'));
      return [...finalSelect.matchAll(/ as (\w+),?\n/g)].map((x) => x[1]);
    };
    // Every alias the final select of a mart produces is documented.
    for (const mart of ['mart_velocity', 'mart_ai_impact', 'mart_quality', 'mart_review_costs']) {
      const documented = modelDocs.find((d) => d.name === mart)!.columns!.map((c) => c.name);
      expect(sqlColumns(mart).length).toBeGreaterThanOrEqual(7);
      for (const col of sqlColumns(mart)) expect(documented, `${mart}.${col}`).toContain(col);
    }
  });

  it('dispatches each cross-engine macro to duckdb__, snowflake__ and default__', () => {
    for (const name of ['date_trunc_week', 'array_length', 'percentile_cont', 'hours_between', 'unnest_array']) {
      const text = read(`macros/${name}.sql`);
      expect(text).toContain(`adapter.dispatch('${name}', 'cursor_analytics')`);
      for (const prefix of ['default__', 'duckdb__', 'snowflake__']) expect(text).toMatch(new RegExp(`macro ${prefix}${name}\\(`));
    }
  });

  it('uses every kind of test the brief names, bare and dbt_utils accepted_range included', () => {
    const all = ['models/staging/sources.yml', 'models/staging/_staging.yml', 'models/marts/_marts.yml', 'seeds/_seeds.yml'].map(read).join('\n');
    for (const kind of ['- unique', '- not_null', '- accepted_values:', '- relationships:', '- accepted_range:', '- dbt_utils.accepted_range:']) {
      expect(all).toContain(kind);
    }
    expect(read('tests/assert_positive_cycle_times.sql')).toContain("{{ ref('stg_pull_requests') }}");
    expect(readdirSync(join(P, 'analyses')).filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(0);
  });

  it('has AI bands that cover 0..1 without gaps or overlaps', () => {
    const [header, ...lines] = read('seeds/ai_ratio_bands.csv').trim().split('\n');
    expect(header).toBe('band,min_ratio,max_ratio,sort_order,description');
    const bands = lines.map((l) => l.split(',')).map(([band, min, max]) => ({ band, min: Number(min), max: Number(max) }));
    expect(bands.map((b) => b.band)).toEqual(['low', 'medium', 'high']);
    expect(bands[0]!.min).toBe(0);
    for (let i = 1; i < bands.length; i++) expect(bands[i]!.min).toBe(bands[i - 1]!.max);
    expect(bands[bands.length - 1]!.max).toBeGreaterThan(1);
  });

  it('exposes the dashboards over all four marts', () => {
    const [exposure] = yml('models/marts/exposures.yml').exposures;
    expect(exposure.type).toBe('dashboard');
    expect(exposure.owner.email).toBeTruthy();
    expect(exposure.depends_on).toEqual([
      "ref('mart_velocity')", "ref('mart_ai_impact')", "ref('mart_quality')", "ref('mart_review_costs')",
    ]);
  });
});
