import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { runOperation } from '../../src/api/run-operation.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

// dbt_snowflake's introspection macros against the double: `show terse objects`, `show terse
// schemas`, `describe table`, schema DDL, and case-insensitive lookups of unquoted names.
let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

const MACROS = {
  'macros/probe.sql': `
{% macro probe_relations(schema) %}
  {%- set rels = list_relations_without_caching(api.Relation.create(database='analytics', schema=schema)) -%}
  {{ return(rels | map('string') | list ~ '|' ~ rels | map(attribute='type') | list) }}
{% endmacro %}
{% macro probe_columns(name) %}
  {%- set cols = get_columns_in_relation(api.Relation.create(database='analytics', schema='intro', identifier=name)) -%}
  {{ return(cols | map(attribute='name') | list ~ '|' ~ cols | map(attribute='data_type') | list ~ '|' ~ cols | map(attribute='char_size') | list) }}
{% endmacro %}
{% macro probe_schemas() %}
  {{ return(list_schemas('analytics') | sort ~ '|' ~ check_schema_exists('analytics', 'intro') ~ check_schema_exists('analytics', 'Intro') ~ check_schema_exists('analytics', 'nope')) }}
{% endmacro %}
{% macro probe_schema_ddl() %}
  {% do adapter.create_schema(api.Relation.create(database='analytics', schema='scratch_area')) %}
  {%- set made = check_schema_exists('analytics', 'scratch_area') -%}
  {% do adapter.drop_schema(api.Relation.create(database='analytics', schema='scratch_area')) %}
  {{ return(made ~ check_schema_exists('analytics', 'scratch_area')) }}
{% endmacro %}
{% macro probe_get_relation(identifier) %}
  {%- set r = adapter.get_relation(database='ANALYTICS', schema='intro', identifier=identifier) -%}
  {{ return(r ~ '|' ~ (r.type if r is not none else 'none')) }}
{% endmacro %}
`,
};

describe('Snowflake introspection macros', () => {
  it('list relations (show terse objects), columns (describe table), schemas, schema DDL, case-insensitive get_relation', async () => {
    const p = makeSnowflakeProject(
      {
        ...MACROS,
        'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'x'::varchar(20) as code, 2.5::number(10,2) as amount, current_date as day",
        'models/orders_v.sql': "select * from {{ ref('orders') }}",
      },
      double.port,
      { schema: 'INTRO' },
    );
    expect((await run(p.opts)).success).toBe(true);
    await double.clearLog();
    const op = async (macro: string, args?: Record<string, unknown>) => {
      const r = await runOperation(macro, { ...p.opts, args });
      expect(r.success).toBe(true);
      return { value: String(r.returned), statements: r.statements };
    };
    const rels = await op('probe_relations', { schema: 'intro' });
    expect(rels.value).toBe("['ANALYTICS.INTRO.ORDERS', 'ANALYTICS.INTRO.ORDERS_V']|['table', 'view']");
    expect(rels.statements.map((s) => s.trim())).toEqual(['show terse objects in schema analytics.intro']);
    const cols = await op('probe_columns', { name: 'orders' });
    expect(cols.value).toBe("['ID', 'CODE', 'AMOUNT', 'DAY']|['NUMBER(38,0)', 'VARCHAR(16777216)', 'NUMBER(10,2)', 'DATE']|[None, 16777216, None, None]");
    expect(cols.statements.map((s) => s.trim())).toEqual(['describe table analytics.intro.orders']);
    const schemas = await op('probe_schemas');
    expect(schemas.value).toBe("['INFORMATION_SCHEMA', 'INTRO', 'PUBLIC']|110");
    expect(schemas.statements.map((s) => s.trim())[0]).toBe('show terse schemas in database analytics');
    const ddl = await op('probe_schema_ddl');
    expect(ddl.value).toBe('10');
    expect(ddl.statements.filter((s) => /analytics\.scratch_area/.test(s)).map((s) => s.trim())).toEqual([
      'create schema if not exists analytics.scratch_area',
      'drop schema if exists analytics.scratch_area cascade',
    ]);
    // unquoted names fold to upper case: any spelling finds the relation
    expect((await op('probe_get_relation', { identifier: 'Orders_V' })).value).toBe('ANALYTICS.INTRO.ORDERS_V|view');
    expect((await op('probe_get_relation', { identifier: 'missing' })).value).toBe('None|none');
    expect(await sfQuery(double, 'select count(*) as n from analytics.intro.orders')).toEqual([{ N: 1 }]);
  });
});
