import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { makeProject, type TestProject } from './harness.js';

async function cli(p: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, env, p.dir);
  return { code, out, err: err.join('\n') };
}

/** `tsdbt ls --output name` of a selection against the state folder `prod`. */
async function ls(p: TestProject, select: string, extra: string[] = []): Promise<string[]> {
  const r = await cli(p, ['ls', '--resource-type', 'model', '--output', 'name', '-s', select, '--state', 'prod', ...extra]);
  if (r.code !== 0) throw new Error(r.err);
  return r.out.flatMap((l) => l.split('\n')).filter((l) => l !== '').sort();
}

const V1 = {
  'macros/inner.sql': "{% macro inner() %}1{% endmacro %}",
  'macros/outer.sql': "{% macro outer() %}{{ inner() }}{% endmacro %}",
  'models/body.sql': 'select 1 as x',
  'models/configs.sql': "{{ config(materialized='view') }}select 1 as x",
  'models/calls_macro.sql': 'select {{ outer() }} as x',
  'models/contracted.sql': "{{ config(materialized='table') }}select 1 as id",
  'models/described.sql': "{{ config(persist_docs={'relation': true}) }}select 1 as x",
  'models/relation.sql': 'select 1 as x',
  'models/deleted.sql': 'select 1 as x',
  'models/unchanged.sql': "select * from {{ ref('body') }}",
  'models/schema.yml': `version: 2
models:
  - name: contracted
    config: {contract: {enforced: true}}
    columns:
      - name: id
        data_type: integer
  - name: described
    description: first words
`,
};

describe('state selection (--state)', () => {
  async function twoRuns(): Promise<TestProject> {
    const p = makeProject(V1);
    expect((await cli(p, ['parse'])).code).toBe(0);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod'), { recursive: true });
    rmSync(join(p.dir, 'models/deleted.sql'));
    p.write({
      'macros/inner.sql': "{% macro inner() %}2{% endmacro %}",
      'models/body.sql': 'select 2 as x',
      'models/configs.sql': "{{ config(materialized='table') }}select 1 as x",
      'models/relation.sql': "{{ config(alias='relation_v2') }}select 1 as x",
      'models/new_model.sql': 'select 1 as x',
      'models/schema.yml': V1['models/schema.yml'].replace('data_type: integer', 'data_type: bigint').replace('first words', 'second words'),
    });
    return p;
  }

  it('state:modified and each sub-selector select what changed, as dbt does', async () => {
    const p = await twoRuns();
    expect(await ls(p, 'state:new')).toEqual(['new_model']);
    expect(await ls(p, 'state:old')).toEqual(['body', 'calls_macro', 'configs', 'contracted', 'described', 'relation', 'unchanged']);
    expect(await ls(p, 'state:modified')).toEqual(['body', 'calls_macro', 'configs', 'contracted', 'described', 'new_model', 'relation']);
    expect(await ls(p, 'state:unmodified')).toEqual(['unchanged']);
    // A config() block is part of the body (raw code), as in dbt.
    expect(await ls(p, 'state:modified.body')).toEqual(['body', 'configs', 'new_model', 'relation']);
    expect(await ls(p, 'state:modified.configs')).toEqual(['configs', 'new_model']);
    expect(await ls(p, 'state:modified.relation')).toEqual(['new_model', 'relation']);
    // A macro changed two calls down (calls_macro -> outer -> inner).
    expect(await ls(p, 'state:modified.macros')).toEqual(['calls_macro']);
    expect(await ls(p, 'state:modified.contract')).toEqual(['contracted', 'new_model']);
    expect(await ls(p, 'state:modified.persisted_descriptions')).toEqual(['described', 'new_model']);
    // Graph operators apply as usual.
    expect(await ls(p, 'state:modified.body+')).toEqual(['body', 'configs', 'new_model', 'relation', 'unchanged']);
  });

  it('state:modified.configs sees dbt_project.yml configs of a folder, compared as written (unrendered), as dbt does', async () => {
    const project = (staging: string, marts = "\"{{ 'table' if target.name == 'prod' else 'view' }}\"") =>
      `name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  proj:\n    staging:\n${staging}    marts:\n      +materialized: ${marts}\n`;
    const p = makeProject({
      'dbt_project.yml': project('      +materialized: view\n'),
      'models/staging/stg_a.sql': 'select 1 as x',
      'models/staging/stg_b.sql': 'select 1 as x',
      'models/marts/mart.sql': "select * from {{ ref('stg_a') }}",
      'profiles.yml': 'proj:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb}\n    prod: {type: duckdb, path: prod.duckdb}\n',
    });
    expect((await cli(p, ['parse', '--target', 'prod'])).code).toBe(0);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod'), { recursive: true });
    // The same project parsed for another target: the Jinja-valued config renders differently but is written the same.
    expect(await ls(p, 'state:modified')).toEqual([]);
    p.write({ 'dbt_project.yml': project('      +materialized: table\n') });
    expect(await ls(p, 'state:modified.configs')).toEqual(['stg_a', 'stg_b']);
    expect(await ls(p, 'state:modified')).toEqual(['stg_a', 'stg_b']);
    expect(await ls(p, 'state:modified.body')).toEqual([]);
    // A config added for the folder counts too; a project-level +schema is a relation change, not a config one.
    p.write({ 'dbt_project.yml': project('      +materialized: view\n      +persist_docs: {relation: true}\n') });
    expect(await ls(p, 'state:modified.configs')).toEqual(['stg_a', 'stg_b']);
    p.write({ 'dbt_project.yml': project('      +materialized: view\n      +schema: stg\n') });
    expect(await ls(p, 'state:modified.configs')).toEqual([]);
    expect(await ls(p, 'state:modified.relation')).toEqual(['stg_a', 'stg_b']);
    // The manifest records the project-level configs as written.
    const manifest = JSON.parse(readFileSync(join(p.dir, 'prod/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.proj.mart'].unrendered_config).toEqual({ materialized: "{{ 'table' if target.name == 'prod' else 'view' }}" });
    expect(manifest.nodes['model.proj.mart'].config.materialized).toBe('table');
  });

  it('DBT_STATE stands in for --state; a description without persist_docs is no change', async () => {
    const p = makeProject({ 'models/a.sql': 'select 1 as x', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: one\n' });
    await cli(p, ['parse']);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod'), { recursive: true });
    p.write({ 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: two\n' });
    const r = await cli(p, ['ls', '--output', 'name', '-s', 'state:modified'], { DBT_STATE: 'prod' });
    expect(r.code).toBe(0);
    expect(r.out.join('\n').trim()).toBe('');
    p.write({ 'models/a.sql': 'select 2 as x' });
    const r2 = await cli(p, ['ls', '--output', 'name', '-s', 'state:modified'], { DBT_STATE: 'prod' });
    expect(r2.out.join('\n').trim()).toBe('a');
  });

  it('result:<status> selects from the state run_results.json', async () => {
    const p = makeProject({ 'models/ok.sql': 'select 1 as x', 'models/bad.sql': 'select * from nowhere', 'models/child.sql': "select * from {{ ref('bad') }}" });
    expect((await cli(p, ['run'])).code).toBe(1);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod'), { recursive: true });
    expect(await ls(p, 'result:error')).toEqual(['bad']);
    expect(await ls(p, 'result:error+')).toEqual(['bad', 'child']);
    expect(await ls(p, 'result:success')).toEqual(['ok']);
    expect(await ls(p, 'result:skipped')).toEqual(['child']);
  });

  it('source_status:fresher compares max_loaded_at of the state and the current sources.json', async () => {
    const p = makeProject({
      'models/uses_a.sql': "select * from {{ source('raw', 'a') }}",
      'models/uses_b.sql': "select * from {{ source('raw', 'b') }}",
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables: [{name: a}, {name: b}, {name: c}]\n',
    });
    const entry = (t: string, at?: string) => ({ unique_id: `source.proj.raw.${t}`, ...(at ? { max_loaded_at: at } : {}), status: 'pass' });
    p.write({
      'prod/manifest.json': '{"nodes": {}, "sources": {}, "macros": {}}',
      'prod/sources.json': JSON.stringify({ results: [entry('a', '2024-01-01T00:00:00Z'), entry('b', '2024-01-02T00:00:00Z')] }),
      'target/sources.json': JSON.stringify({ results: [entry('a', '2024-01-03T00:00:00Z'), entry('b', '2024-01-02T00:00:00Z'), entry('c')] }),
    });
    const r = await cli(p, ['ls', '--output', 'name', '-s', 'source_status:fresher+', '--state', 'prod']);
    expect(r.err).toBe('');
    expect(r.out.join('\n').split('\n').filter(Boolean).sort()).toEqual(['raw.a', 'uses_a']);
  });

  it('bad input: no manifest in the state folder, no --state, an unknown sub-selector are usage errors (exit 2) with the fix', async () => {
    const p = makeProject({ 'models/a.sql': 'select 1 as x', 'empty/readme.txt': 'x', 'prod/manifest.json': '{"nodes": {}}' });
    const noManifest = await cli(p, ['ls', '-s', 'state:modified', '--state', 'empty']);
    expect(noManifest.code).toBe(2);
    expect(noManifest.err).toContain('--state empty has no manifest.json');
    expect(noManifest.err).toContain("Copy manifest.json from the comparison run's target/ folder");
    const noState = await cli(p, ['ls', '-s', 'state:modified']);
    expect(noState.code).toBe(2);
    expect(noState.err).toContain("The 'state:' selector needs a comparison state, and no --state was given");
    const unknown = await cli(p, ['ls', '-s', 'state:modified.bodies', '--state', 'prod']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("'modified.bodies' is not a valid state selector");
    expect(unknown.err).toContain('modified.body');
    const noResults = await cli(p, ['ls', '-s', 'result:error', '--state', 'prod']);
    expect(noResults.code).toBe(2);
    expect(noResults.err).toContain('needs run_results.json in the state folder');
  });
});
