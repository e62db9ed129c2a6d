/**
 * dbt semantics found missing by running dbt_project_evaluator's integration
 * project (which reads the manifest through `graph`): model versions,
 * Jinja in properties YAML configs, native rendering of dbt_project.yml,
 * model attributes (access, group, contract, time_spine) and the shape of
 * a source's freshness. Each in a tiny project written for the test.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

describe('dbt semantics packages rely on', () => {
  it('model versions: files <model>_v<n>.sql are versions of one model; ref picks the latest or the asked version', async () => {
    const p = makeProject({
      'models/orders_v1.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/orders_v2.sql': "{{ config(materialized='table') }}select 2 as id",
      'models/orders_v3.sql': "{{ config(materialized='table') }}select 3 as id",
      'models/orders.yml': `version: 2
models:
  - name: orders
    latest_version: 2
    versions:
      - v: 1
      - v: 2
      - v: 3
        config:
          alias: orders_next
`,
      'models/latest.sql': "{{ config(materialized='table') }}select id from {{ ref('orders') }}",
      'models/first.sql': "{{ config(materialized='table') }}select id from {{ ref('orders', v=1) }}",
      'models/ids.sql': "{% set ns = [] %}{% for n in graph.nodes.values() if n.name == 'orders' %}{% do ns.append(n.unique_id ~ '@' ~ n.version ~ '@' ~ n.alias) %}{% endfor %}select '{{ ns | sort | join(',') }}' as ids",
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ orders: 'success', latest: 'success', first: 'success', ids: 'success' });
    expect(await p.query('select (select id from latest) as latest, (select id from first) as first, (select id from orders_next) as next')).toEqual([{ latest: 2, first: 1, next: 3 }]);
    expect(await p.query('select ids from ids')).toEqual([{ ids: 'model.proj.orders.v1@1@orders_v1,model.proj.orders.v2@2@orders_v2,model.proj.orders.v3@3@orders_next' }]);
  });

  it('without latest_version, the greatest version is the latest', async () => {
    const p = makeProject({
      'models/m_v1.sql': 'select 1 as id',
      'models/m_v2.sql': 'select 2 as id',
      'models/m.yml': 'version: 2\nmodels:\n  - name: m\n    versions: [{v: 1}, {v: 2}]\n',
      'models/u.sql': "select * from {{ ref('m') }}",
    });
    await run(p.opts);
    expect(await p.query('select id from u')).toEqual([{ id: 2 }]);
  });

  it('configs in properties YAML render Jinja natively with target', async () => {
    const p = makeProject({
      'seeds/s.csv': 'pct\n1.5\n',
      'seeds/s.yml': `version: 2
seeds:
  - name: s
    config:
      column_types:
        pct: "{{ 'double' if target.type == 'duckdb' else 'float' }}"
`,
      'models/off.sql': 'select 1 as id',
      'models/on.sql': 'select 1 as id',
      'models/m.yml': `version: 2
models:
  - name: 'off'
    config:
      enabled: "{{ target.name != 'dev' }}"
  - name: 'on'
    config:
      enabled: "{{ target.name == 'dev' }}"
`,
    });
    const { seed } = await import('../../src/api/run.js');
    await seed(p.opts);
    expect(await p.query("select typeof(pct) as t from s")).toEqual([{ t: 'DOUBLE' }]);
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ on: 'success' });
  });

  it('dbt_project.yml values render natively: "{{ false }}" disables', async () => {
    const p = makeProject({ 'models/a.sql': 'select 1 as id', 'models/b/b.sql': 'select 1 as id' });
    p.write({ 'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\nmodels:\n  proj:\n    b:\n      +enabled: "{{ target.name != 'dev' }}"\n` });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ a: 'success' });
  });

  it('model nodes carry access, group, contract and time_spine; sources a full freshness', async () => {
    const p = makeProject({
      'models/pub.sql': 'select 1 as id',
      'models/plain.sql': 'select 1 as id',
      'models/m.yml': `version: 2
models:
  - name: pub
    config:
      access: public
      group: finance
      contract: {enforced: true}
    columns:
      - name: id
        data_type: integer
sources:
  - name: raw
    schema: main
    tables:
      - name: fresh
        loaded_at_field: at
        freshness: {warn_after: {count: 1, period: day}}
      - name: stale
`,
      'models/report.sql': `{%- set out = [] -%}
{%- for n in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | rejectattr('time_spine', 'none') -%}{% do out.append(n.name) %}{%- endfor -%}
{%- for n in graph.nodes.values() | selectattr('name', 'in', ['pub', 'plain']) | sort(attribute='name') -%}
{%- do out.append(n.name ~ ':' ~ n.access ~ ':' ~ n.group ~ ':' ~ n.contract.enforced) -%}
{%- endfor -%}
{%- for s in graph.sources.values() | sort(attribute='name') -%}
{%- do out.append(s.name ~ ':' ~ s.freshness.warn_after.count ~ ':' ~ s.freshness.error_after.count ~ ':' ~ (s.config.freshness is none)) -%}
{%- endfor -%}
select '{{ out | join(" ") }}' as r`,
    });
    await run(p.opts);
    expect(await p.query('select r from report')).toEqual([{ r: 'plain:protected:None:False pub:public:finance:True fresh:1:None:False stale:None:None:False' }]);
  });
});
