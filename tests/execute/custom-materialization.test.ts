import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

describe('materialization lookup', () => {
  it('runs a custom materialization defined in the project', async () => {
    const p = makeProject({
      'macros/append_log.sql': `{% materialization append_log, default %}
  {%- set target = this.incorporate(type='table') -%}
  {% if load_cached_relation(this) is none %}
    {% call statement('main') %}create table {{ target }} as {{ sql }}{% endcall %}
  {% else %}
    {% call statement('main') %}insert into {{ target }} {{ sql }}{% endcall %}
  {% endif %}
  {{ adapter.commit() }}
  {{ return({'relations': [target]}) }}
{% endmaterialization %}`,
      'models/log.sql': "{{ config(materialized='append_log') }}select 1 as v",
    });
    await run(p.opts);
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ log: 'success' });
    expect(await p.query('select count(*)::int as n from main.log')).toEqual([{ n: 2 }]);
  });

  it('an adapter-specific override in the project wins over the built-in default', async () => {
    const p = makeProject({
      'macros/view.sql': `{% materialization view, adapter='duckdb' %}
  {% call statement('main') %}create or replace table {{ this }} as {{ sql }}{% endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}`,
      'models/m.sql': 'select 1 as v',
    });
    await run(p.opts);
    expect(await p.query("select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'BASE TABLE' }]);
  });

  it('an unknown materialization is an error naming what was searched', async () => {
    const p = makeProject({ 'models/m.sql': "{{ config(materialized='nope') }}select 1" });
    const r = await run(p.opts);
    expect(r.results[0]!.status).toBe('error');
    expect(r.results[0]!.message).toBe("models/m.sql: No materialization 'nope' was found for adapter duckdb! (searched types 'default' and 'duckdb')\n  Use a built-in materialization (view, table, incremental, ephemeral), or define {% materialization nope, default %} in your macros.");
  });
});
