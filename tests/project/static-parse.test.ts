import { describe, expect, it } from 'vitest';
import { staticParse, type Literal } from '../../src/project/static-parse.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject } from '../support/project-fixture.js';

describe('staticParse', () => {
  it('reads ref, source and literal config calls without rendering', () => {
    expect(staticParse("{{ config(materialized='table', tags=['a', 'b'], meta={'owner': 'x'}, enabled=True, limit=3) }}\nselect * from {{ ref('m') }} join {{ ref('pkg', 'n', v=2) }} join {{ source('raw', 'orders') }}")).toEqual({
      refs: [{ name: 'm', package: null, version: null }, { package: 'pkg', name: 'n', version: 2 }],
      sources: [['raw', 'orders']],
      configCalls: [{ materialized: 'table', tags: ['a', 'b'], meta: { owner: 'x' }, enabled: true, limit: 3 }],
      macros: [],
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

  it('reads `ns.name()` calls only when told what they record: each macro once, in the order first called', () => {
    const calls: string[] = [];
    const macroCall = (ns: string, name: string) => (calls.push(`${ns}.${name}`), ns === 'dbt' && name.startsWith('type_') ? `macro.dbt.${name}` : undefined);
    expect(staticParse("select cast(a as {{ dbt.type_int() }}), {{- dbt . type_string ( ) -}}, {{ dbt.type_int() }} from {{ ref('m') }}", undefined, { macro: macroCall })).toEqual({
      refs: [{ name: 'm', package: null, version: null }],
      sources: [],
      configCalls: [],
      macros: ['macro.dbt.type_int', 'macro.dbt.type_string'],
    });
    expect(calls).toEqual(['dbt.type_int', 'dbt.type_string', 'dbt.type_int']);
    // Not told (as for YAML snapshots and foreign keys), told no, or not a call without arguments: rendered.
    expect(staticParse('{{ dbt.type_int() }}')).toBeNull();
    for (const raw of ['{{ dbt.current_timestamp() }}', "{{ dbt.type_int('x') }}", '{{ dbt.type_int }}', '{{ dbt.type_int()() }}', '{{ type_int() }}', '{{ a.b.type_int() }}', '{{ dbt.type_int() ~ 1 }}']) {
      expect(staticParse(raw, undefined, { macro: macroCall }), raw).toBeNull();
    }
  });

  it('passes over a lone `{{ name.attr }}` only when told it may', () => {
    const member = (name: string, attr: string) => name === 'this' && attr === 'name';
    expect(staticParse("select '{{ this.name }}', '{{- this . name -}}' from {{ ref('m') }}", undefined, { member })).toEqual({ refs: [{ name: 'm', package: null, version: null }], sources: [], configCalls: [], macros: [] });
    for (const raw of ['{{ this.name }}', '{{ this.schema }}', '{{ this.name.upper() }}', '{{ this.name ~ 1 }}', '{{ this }}']) {
      expect(staticParse(raw, undefined, raw === '{{ this.name }}' ? {} : { member }), raw).toBeNull();
    }
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

  it('reads var() expressions in config values and a lone {{ var() }} when given how var() reads', () => {
    const vars: Record<string, unknown> = { on: true, off: false, name: 'x', jinja: "{{ 'a' }}", list: [1], n: 0 };
    const readVar = (name: string, fallback: Literal): Literal | undefined => {
      const v = name in vars ? vars[name] : fallback;
      return typeof v === 'string' && v.includes('{{') ? undefined : Array.isArray(v) && v !== fallback ? undefined : (v as Literal);
    };
    const config = (raw: string) => staticParse(raw, readVar)?.configCalls[0];
    expect(config("{{ config(enabled=var('on', False) | as_bool) }}")).toEqual({ enabled: true });
    expect(config("{{ config(enabled=var('missing', False) | as_bool) }}")).toEqual({ enabled: false });
    expect(config("{{ config(enabled=var('missing')) }}")).toEqual({ enabled: null });
    expect(config("{{ config( enabled = (var('on', false) | as_bool) and (var('off', false) | as_bool) ) }}")).toEqual({ enabled: false });
    expect(config("{{ config(enabled=(var('on', False) and var('name', False)) | as_bool, materialized='table') }}")).toEqual({ enabled: 'x', materialized: 'table' });
    expect(config("{{ config(enabled=var('off') or var('n') or var('missing', 'd')) }}")).toEqual({ enabled: 'd' });
    expect(config("{{ config(enabled=var('a', var('b', var('on', False))) | as_bool) }}")).toEqual({ enabled: true });
    expect(config("{{ config(enabled=not var('off')) }}")).toEqual({ enabled: true });
    expect(config("{{ config(enabled=var('missing', [1, 2])) }}")).toEqual({ enabled: [1, 2] });
    expect(staticParse("select {{ var('name') }}, {{ var('missing', 'z') }} from {{ ref('m') }}", readVar)).toEqual({
      refs: [{ name: 'm', package: null, version: null }],
      sources: [],
      configCalls: [],
      macros: [],
    });
    for (const raw of [
      "{{ config(enabled=var('jinja')) }}",
      "{{ var('jinja') }}",
      "{{ config(enabled=var('list')) }}",
      "{{ config(enabled=var('list') and true) }}",
      "{{ config(enabled=var('on') == True) }}",
      "{{ config(enabled=var('on') | as_number) }}",
      "{{ config(enabled=var('on'), 'x') }}",
      "{{ config(enabled=var(name='on')) }}",
      "{{ config(enabled=var('on') ~ 'x') }}",
      "{{ var('on') ~ var('off') }}",
      "{{ var('on').x }}",
      "{{ ref(var('name')) }}",
      "{{ config({'enabled': var('on')}) }}",
      "{{ config(enabled=variable('on')) }}",
      "{{ config(enabled=(var('on'), 1)) }}",
    ]) expect(staticParse(raw, readVar), raw).toBeNull();
    // Without a reader (a macro named var replaces dbt's), var() is the renderer's.
    expect(staticParse("{{ config(enabled=var('on')) }}")).toBeNull();
    expect(staticParse("{{ var('on') }}")).toBeNull();
  });

  it('var() in config and alone: the same nodes as rendering each model (--no-static-parser)', () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  \'on\': true\n  \'off\': false\n  word: table\n  jinja: "{{ \'view\' }}"\n  pkg_off: false\n',
      'models/a.sql': "{{ config(enabled=var('on', False) | as_bool) }}\nselect 1 as id",
      'models/b.sql': "{{ config(enabled=var('off', True) | as_bool) }}\nselect 1 as id",
      'models/c.sql': "{{ config( enabled = (var('on', false) | as_bool) and (var('missing', false) | as_bool) ) }}\nselect 1",
      'models/d.sql': "{{ config(enabled=var('missing', var('on', False)) | as_bool, materialized=var('word')) }}\nselect '{{ var('word') }}' as w from {{ ref('a') }}",
      'models/e.sql': "{{ config(materialized=var('jinja')) }}\nselect '{{ var('jinja') }}' as j",
      'models/f.sql': "{{ config(enabled=not var('off') or var('missing')) }}\nselect {{ var('missing') }} as n",
      'models/g.sql': "{{ config(enabled=var('missing')) }}\nselect 1",
      'models/h.sql': "{{ config(tags=var('missing', ['x', 'y']), enabled=var('on') and var('word')) }}\nselect 1",
    });
    const viaStatic = parseLoaded(loadProject({ projectDir: dir, env: {} }));
    const rendered = parseLoaded(loadProject({ projectDir: dir, env: {} }), { flags: { STATIC_PARSER: false } });
    expect(viaStatic.warnings).toEqual(rendered.warnings);
    const all = (m: typeof viaStatic.manifest) => ({ ...m.nodes, ...m.disabled });
    expect(Object.keys(all(viaStatic.manifest)).length).toBe(8);
    expect(all(viaStatic.manifest)).toEqual(all(rendered.manifest));
    expect(viaStatic.manifest.nodes['model.test_project.d']!.config.materialized).toBe('table');
    expect(viaStatic.manifest.nodes['model.test_project.b']).toBeUndefined();
  });
});

describe('a project macro named like a member of the shared parse context', () => {
  it('replaces that member in every model of the package (the names along the shared part are found once)', () => {
    const dir = makeProject({
      'macros/is_incremental.sql': "{% macro is_incremental() %}{{ return('mine') }}{% endmacro %}",
      'macros/run_query.sql': "{% macro run_query(sql) %}{{ return('q') }}{% endmacro %}",
      'models/a.sql': "{{ config(materialized='t' ~ is_incremental(), alias='a' ~ run_query('x')) }}\nselect 1 as id",
      'models/b.sql': "{{ config(materialized='t' ~ is_incremental(), alias='b' ~ run_query('x')) }}\nselect 1 as id",
    });
    const { nodes } = parseLoaded(loadProject({ projectDir: dir, env: {} })).manifest;
    for (const name of ['a', 'b']) {
      const n = nodes[`model.test_project.${name}`]!;
      expect([n.config.materialized, n.config.alias, n.depends_on.macros]).toEqual(['tmine', `${name}q`, ['macro.test_project.is_incremental', 'macro.test_project.run_query']]);
    }
  });
});
