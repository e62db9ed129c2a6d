import { describe, expect, it } from 'vitest';
import { runOperation } from '../../src/api/run-operation.js';
import { run } from '../../src/api/run.js';
import { duckdbAdapterInfo } from '../../src/adapters/duckdb/duckdb-info.js';
import type { Relation } from '../../src/adapters/base/relation.js';
import { makeKwargs } from '../../src/jinja/kwargs.js';
import { pyEq } from '../../src/jinja/python/operators.js';
import { renderInProject } from '../support/render-in-project.js';
import { makeProject } from './harness.js';

/** Every method and attribute of dbt's Relation, called from a macro in a real DuckDB project; each value is the string the template renders. */
const PROBE = `{% macro probe() %}
  {% set r = api.Relation.create(database='dev', schema='analytics', identifier='orders', type='table') %}
  {% set out = {} %}
  {% do out.update({
    'render': r.render(),
    'str': r | string,
    'without_identifier': r.without_identifier() | string,
    'without_identifier_id': r.without_identifier().identifier,
    'include': r.include(database=false) | string,
    'include_positional': r.include(false, false) | string,
    'quote': r.quote(identifier=false) | string,
    'incorporate': r.incorporate(path={'identifier': 'o2', 'schema': 's2'}, type='view') | string,
    'incorporate_type': r.incorporate(type='view').type,
    'incorporate_policy': r.incorporate(quote_policy={'database': false}, include_policy={'schema': false}) | string,
    'replace_path': r.replace_path(identifier='x') | string,
    'parts': [r.database, r.schema, r.identifier, r.name, r.table, r.type],
    'path': [r.path.database, r.path.schema, r.path.identifier],
    'predicates': [r.is_table, r.is_view, r.is_cte, r.is_materialized_view, r.is_pointer, r.is_function],
    'view_predicates': [r.incorporate(type='view').is_view, r.incorporate(type='cte').is_cte, r.incorporate(type='materialized_view').is_materialized_view],
    'quote_policy': [r.quote_policy.database, r.quote_policy['schema'], r.quote_policy.identifier],
    'include_policy': [r.without_identifier().include_policy.identifier, r.include_policy.schema],
    'quote_character': r.quote_character,
    'quoted': r.quoted('a'),
    'info_schema': r.information_schema() | string,
    'info_schema_view': r.information_schema('tables') | string,
    'info_schema_only': r.information_schema_only() | string,
    'matches': [r.matches(schema='analytics'), r.matches(database='dev', identifier='orders'), r.matches(identifier='other')],
    'constants': [api.Relation.Table, api.Relation.View, api.Relation.CTE, api.Relation.MaterializedView, api.Relation.External, r.View],
    'relation_types': api.Relation.get_relation_type.Table,
    'ephemeral_prefix': api.Relation.add_ephemeral_prefix('stg'),
    'scd_args': api.Relation.scd_args(['a', 'b'], 'updated_at'),
    'metadata': r.get('metadata'),
    'getitem': [r['schema'], r.get('identifier'), r.get('nope', 'fallback')],
    'is_mapping': r is mapping,
    'repr': [r] | string,
    'limit': [r.limit, r.incorporate(limit=0) | string, r.incorporate(limit=5).render_limited()],
    'event_time': r.incorporate(event_time_filter={'field_name': 'ts', 'start': '2024-01-01', 'end': '2024-01-02'}) | string,
    'create_bare': api.Relation.create(identifier='x') | string,
    'create_positional': api.Relation.create('system', 'information_schema', 'columns', 'view') | string,
    'create_quoting': api.Relation.create(database='dev', schema='s', identifier='x', quote_policy={'identifier': false}) | string,
    'from_instance': r.create(schema='s', identifier='y') | string,
    'create_from': api.Relation.create_from(config, {'database': 'dev', 'schema': 'm', 'alias': 'alias_name'}) | string,
    'create_from_model': api.Relation.create_from(config, model) | string,
    'to_dict': r.to_dict().path,
    'equal': [r == api.Relation.create(database='dev', schema='analytics', identifier='orders'), r == r.incorporate(path={'identifier': 'x'}), r != r.without_identifier()],
    'in_list': r in [api.Relation.create(database='dev', schema='analytics', identifier='orders')],
    'this': [this | string, this.type, this.without_identifier() | string],
    'ref': [ref('m') | string, ref('m').is_table],
    'get_relation': adapter.get_relation(database='dev', schema='main', identifier='m').type,
    'get_relation_missing': adapter.get_relation(database='dev', schema='main', identifier='zz') is none
  }) %}
  {{ return(out) }}
{% endmacro %}
{% macro approximate() %}
  {{ return(api.Relation.create(database='dev', schema='analytics', identifier='Orders').matches(identifier='orders')) }}
{% endmacro %}
{% macro no_search() %}
  {{ return(api.Relation.create(identifier='o').matches()) }}
{% endmacro %}
`;

describe('the Relation API', () => {
  it('answers every method and attribute dbt offers macros', async () => {
    const p = makeProject({ 'models/m.sql': "{{ config(materialized='table') }}select 1 as id", 'macros/probe.sql': PROBE });
    await run(p.opts);
    const r = await runOperation('probe', p.opts);
    if (r.error) throw r.error;
    expect(r.returned).toEqual({
      render: '"dev"."analytics"."orders"',
      str: '"dev"."analytics"."orders"',
      without_identifier: '"dev"."analytics"',
      without_identifier_id: null,
      include: '"analytics"."orders"',
      include_positional: '"orders"',
      quote: '"dev"."analytics".orders',
      incorporate: '"dev"."s2"."o2"',
      incorporate_type: 'view',
      incorporate_policy: 'dev."orders"',
      replace_path: '"dev"."analytics"."x"',
      parts: ['dev', 'analytics', 'orders', 'orders', 'orders', 'table'],
      path: ['dev', 'analytics', 'orders'],
      predicates: [true, false, false, false, false, false],
      view_predicates: [true, true, true],
      quote_policy: [true, true, true],
      include_policy: [false, true],
      quote_character: '"',
      quoted: '"a"',
      info_schema: '"dev".INFORMATION_SCHEMA',
      info_schema_view: '"dev".INFORMATION_SCHEMA.tables',
      info_schema_only: '"dev".INFORMATION_SCHEMA',
      matches: [true, true, false],
      constants: ['table', 'view', 'cte', 'materialized_view', 'external', 'view'],
      relation_types: 'table',
      ephemeral_prefix: '__dbt__cte__stg',
      scd_args: ['a', 'b', 'updated_at'],
      metadata: { type: 'DuckDBRelation' },
      getitem: ['analytics', 'orders', 'fallback'],
      is_mapping: true,
      repr: '[<DuckDBRelation "dev"."analytics"."orders">]',
      // DuckDB's relation needs no alias on a limited subquery (dbt-duckdb's require_alias=False).
      limit: [null, '(select * from "dev"."analytics"."orders" where false limit 0)', '(select * from "dev"."analytics"."orders" limit 5)'],
      event_time: `(select * from "dev"."analytics"."orders" where ts >= '2024-01-01' and ts < '2024-01-02')`,
      create_bare: '"x"',
      create_positional: '"system"."information_schema"."columns"',
      create_quoting: '"dev"."s".x',
      from_instance: '"s"."y"',
      create_from: '"dev"."m"."alias_name"',
      create_from_model: '"dev"."main"."run-operation.probe"',
      to_dict: { database: 'dev', schema: 'analytics', identifier: 'orders' },
      equal: [true, false, true],
      in_list: true,
      this: ['"dev"."main"."run-operation.probe"', null, '"dev"."main"'],
      ref: ['"dev"."main"."m"', false],
      get_relation: 'table',
      get_relation_missing: true,
    });
  });

  it('at parse time too: api.Relation.create(...).without_identifier() and information_schema()', () => {
    const out = renderInProject("{{ api.Relation.create(database='d', schema='s', identifier='t').without_identifier() }}|{{ api.Relation.create(database='d', schema='s').information_schema('columns') }}");
    expect(out).toBe('"d"."s"|"d".INFORMATION_SCHEMA.columns');
  });

  it('matches() refuses an approximate match, and a search with no parts, as dbt does', async () => {
    const p = makeProject({ 'macros/probe.sql': PROBE });
    const a = await runOperation('approximate', p.opts);
    expect(a.error?.message).toContain('When searching for a relation, dbt found an approximate match.');
    expect(a.error?.message).toContain('Searched for: "orders"\nFound: "dev"."analytics"."Orders"');
    const b = await runOperation('no_search', p.opts);
    expect(b.error?.message).toContain('Tried to match relation, but no search path was passed!');
  });

  it('equal relations share one key (for dicts and sets) and compare equal by path', () => {
    const info = duckdbAdapterInfo({ path: 'dev.duckdb' });
    const a = info.makeRelation({ database: 'dev', schema: 's', identifier: 't' });
    const b = info.makeRelation({ database: 'dev', schema: 's', identifier: 't', type: 'table' });
    const c = a.replace_path(makeKwargs({ identifier: 'u' })) as Relation;
    expect([a.__pyKey__() === b.__pyKey__(), a.__pyKey__() === c.__pyKey__()]).toEqual([true, false]);
    expect([pyEq(a, b), pyEq(a, c), pyEq(a, '"dev"."s"."t"')]).toEqual([true, false, false]);
  });
});
