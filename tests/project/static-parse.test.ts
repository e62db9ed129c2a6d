import { describe, expect, it } from 'vitest';
import { staticParse } from '../../src/project/static-parse.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject } from '../support/project-fixture.js';

describe('staticParse', () => {
  it('reads ref, source and literal config calls without rendering', () => {
    expect(staticParse("{{ config(materialized='table', tags=['a', 'b'], meta={'owner': 'x'}, enabled=True, limit=3) }}\nselect * from {{ ref('m') }} join {{ ref('pkg', 'n', v=2) }} join {{ source('raw', 'orders') }}")).toEqual({
      refs: [{ name: 'm', package: null, version: null }, { package: 'pkg', name: 'n', version: 2 }],
      sources: [['raw', 'orders']],
      configCalls: [{ materialized: 'table', tags: ['a', 'b'], meta: { owner: 'x' }, enabled: true, limit: 3 }],
    });
  });

  it('gives up (null) on anything that needs the renderer', () => {
    for (const raw of [
      "{% if x %}{{ ref('a') }}{% endif %}",
      "{{ ref('a' ~ 'b') }}",
      "{{ config(materialized=var('m')) }}",
      "{{ dbt_utils.star(ref('a')) }}",
      "{# comment #}{{ ref('a') }}",
      "{{ config(x='a\\\\nb') }}",
      "{{ config(ratio=0.5) }}",
      "{{ ref(name='a') }}",
    ]) expect(staticParse(raw), raw).toBeNull();
  });

  it('gives the same manifest as rendering for the models it reads', () => {
    const files = {
      'models/a.sql': "{{ config(materialized='table', tags=['t']) }}\nselect 1 as id",
      'models/b.sql': "select * from {{ ref('a') }}",
    };
    const viaStatic = parseLoaded(loadProject({ projectDir: makeProject(files), env: {} })).manifest;
    // The same models with a no-op statement tag, which forces rendering.
    const rendered = parseLoaded(loadProject({ projectDir: makeProject(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, `{% set _x = 1 %}${v}`]))), env: {} })).manifest;
    for (const id of ['model.test_project.a', 'model.test_project.b']) {
      const a = viaStatic.nodes[id]!;
      const b = rendered.nodes[id]!;
      expect([a.config, a.refs, a.depends_on, a.tags]).toEqual([b.config, b.refs, b.depends_on, b.tags]);
    }
  });
});
