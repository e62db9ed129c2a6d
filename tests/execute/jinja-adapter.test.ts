import { describe, expect, it } from 'vitest';
import { runOperation } from '../../src/api/run-operation.js';
import { run } from '../../src/api/run.js';
import { makeProject } from './harness.js';
import { snowflakeAdapterInfo } from '../../src/adapters/snowflake/snowflake-info.js';
import { relationApi } from '../../src/adapters/base/relation.js';
import { callJinja } from '../../src/jinja/index.js';

describe('adapter methods from templates', () => {
  it('introspects, renames, drops and manages schemas, keeping the relation cache current', async () => {
    const p = makeProject({
      'models/t.sql': "{{ config(materialized='table') }}select 1 as id, 'x'::varchar as name, 2.5::decimal(10,2) as amount",
      'models/v.sql': 'select 1 as id',
      'macros/probe.sql': `{% macro probe() %}
  {% set out = {} %}
  {% set t = adapter.get_relation(database=target.database, schema='main', identifier='T') %}
  {% do out.update({'found': t.identifier ~ ':' ~ t.type, 'missing': adapter.get_relation(target.database, 'main', 'nope') is none}) %}
  {% set cols = adapter.get_columns_in_relation(t) %}
  {% do out.update({'columns': cols | map(attribute='name') | list, 'types': cols | map(attribute='data_type') | list,
                    'string': cols[1].is_string(), 'number': cols[2].is_number(), 'quoted': cols[0].quoted}) %}
  {% set listed = adapter.list_relations_without_caching(api.Relation.create(database=target.database, schema='main')) %}
  {% do out.update({'listed': listed | map(attribute='identifier') | sort | list}) %}
  {% set renamed = t.incorporate(path={'identifier': 't_renamed'}) %}
  {% do adapter.rename_relation(t, renamed) %}
  {% do out.update({'after_rename': [adapter.get_relation(target.database, 'main', 't') is none, adapter.get_relation(target.database, 'main', 't_renamed').type]}) %}
  {% do adapter.create_schema(api.Relation.create(database=target.database, schema='scratch')) %}
  {% do out.update({'schema_exists': adapter.check_schema_exists(target.database, 'scratch')}) %}
  {% do adapter.drop_schema(api.Relation.create(database=target.database, schema='scratch')) %}
  {% do out.update({'schema_dropped': not adapter.check_schema_exists(target.database, 'scratch')}) %}
  {% set v = adapter.get_relation(target.database, 'main', 'v') %}
  {% do adapter.drop_relation(v) %}
  {% do out.update({'view_dropped': adapter.get_relation(target.database, 'main', 'v') is none, 'already_exists': adapter.already_exists('main', 't_renamed')}) %}
  {% do out.update({'quote': adapter.quote('a"b'), 'as_configured': adapter.quote_as_configured('x', 'identifier'), 'seed_col': adapter.quote_seed_column('c', false)}) %}
  {% set c = api.Column('n', 'varchar', 20) %}
  {% do out.update({'column': c.name ~ ' ' ~ c.data_type ~ ' ' ~ c.is_string()}) %}
  {{ return(out) }}
{% endmacro %}
{% macro missing_cols() %}
  {% set a = api.Relation.create(database=target.database, schema='main', identifier='t_renamed') %}
  {% do run_query('create table main.narrow as select 1 as id') %}
  {% set b = api.Relation.create(database=target.database, schema='main', identifier='narrow') %}
  {{ return(adapter.get_missing_columns(a, b) | map(attribute='name') | list) }}
{% endmacro %}`,
    });
    await run(p.opts);
    const r = await runOperation('probe', p.opts);
    if (r.error) throw r.error;
    expect(r.returned).toEqual({
      found: 't:table',
      missing: true,
      columns: ['id', 'name', 'amount'],
      types: ['INTEGER', 'VARCHAR', 'DECIMAL(10,2)'],
      string: true,
      number: true,
      quoted: '"id"',
      listed: ['t', 'v'],
      after_rename: [true, 'table'],
      schema_exists: true,
      schema_dropped: true,
      view_dropped: true,
      already_exists: true,
      quote: '"a""b"',
      as_configured: '"x"',
      seed_col: 'c',
      column: 'n varchar(20) True',
    });
    expect(r.statements).toContain('alter table "dev"."main"."t" rename to "t_renamed"');
    expect(r.statements).toContain('drop view if exists "dev"."main"."v" cascade');
    expect(await p.query("select table_name from information_schema.tables where table_schema = 'main' order by 1")).toEqual([{ table_name: 't_renamed' }]);
    const m = await runOperation('missing_cols', p.opts);
    expect(m.returned).toEqual(['name', 'amount']);
  });

  it("gives api.Relation's default quote and include policies and adapter.config's quoting and flags (elementary, the Tuva Project)", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nquoting:\n  identifier: false\nflags:\n  list_relations_per_page: 10\n',
      'macros/policies.sql': `{% macro policies() %}
  {% set q = api.Relation.get_default_quote_policy() %}
  {{ return({'part': q.get_part('identifier'), 'schema': q.schema, 'repr': q | string, 'include': api.Relation.get_default_include_policy().get_part('database'),
             'quoting': adapter.config.quoting.get('identifier', 'unset'), 'database_quoting': adapter.config.quoting.get('database', 'unset'),
             'flag': adapter.config.flags.get('list_relations_per_page', 5), 'other_flag': adapter.config.flags.get('list_relations_page_limit', 7)}) }}
{% endmacro %}
{% macro bad_part() %}{{ return(api.Relation.get_default_quote_policy().get_part('table')) }}{% endmacro %}`,
    });
    const r = await runOperation('policies', p.opts);
    if (r.error) throw r.error;
    expect(r.returned).toEqual({
      part: true,
      schema: true,
      repr: 'Policy(database=True, schema=True, identifier=True)',
      include: true,
      quoting: false,
      database_quoting: 'unset',
      flag: 10,
      other_flag: 7,
    });
    const bad = await runOperation('bad_part', p.opts);
    expect(bad.error?.message).toBe("ValueError: Got a key of table, expected one of ['database', 'schema', 'identifier']");
  });

  it("gives Snowflake's default quote policy: nothing quoted", () => {
    const info = snowflakeAdapterInfo({ account: 'a', database: 'DB', schema: 'S' });
    const api = relationApi({ database: 'DB', schema: 'S' }, info.quotePolicy, info.quoteChar, info.relationFlavor!);
    const policy = callJinja(api.get_default_quote_policy, [], {}) as { get_part(k: string): boolean };
    expect([policy.get_part('identifier'), policy.get_part('database'), String((policy as unknown as { __repr__(): string }).__repr__())]).toEqual([
      false,
      false,
      'SnowflakeQuotePolicy(database=False, schema=False, identifier=False)',
    ]);
  });
});
