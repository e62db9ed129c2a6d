/**
 * dbt semantics re_data's integration project exercises, each reproduced in a
 * tiny project with a small local package (written for these tests, not
 * taken from re_data): `var.has_var`, a package test macro reaching its
 * package's macros by plain name while the test is parsed, a package
 * namespace read as a dict (`context['pkg'].get(name)`), run-operation of a
 * package's macro by its plain name (its own macros then visible by plain
 * name), and agate's `to_json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOperation } from '../../src/api/run-operation.js';
import { build } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

const pkg = {
  'dbt_packages/mon/dbt_project.yml': 'name: mon\nversion: "1.0.0"\nconfig-version: 2\nvars:\n  mon_flag: false\n',
  'dbt_packages/mon/macros/types.sql': `
{% macro text_type() %}varchar{% endmacro %}
`,
  'dbt_packages/mon/macros/mock.sql': `
{% macro empty_row() %}select cast(null as {{ text_type() }}) as v where false{% endmacro %}
`,
  'dbt_packages/mon/macros/checks.sql': `
{% test always_empty(model) %}
  -- depends_on: {{ ref('m') }}
  {% if execute %}
    select * from {{ model }} where 1 = 0
  {% else %}
    {{ mon.empty_row() }}
  {% endif %}
{% endtest %}
`,
  'dbt_packages/mon/macros/metrics.sql': `
{% macro mon_metric_rows(x) %}count(*) + {{ x }}{% endmacro %}
{% macro metric_macro(name) %}
  {% if context['mon'].get('mon_metric_' ~ name) %}{{ return(context['mon']['mon_metric_' ~ name]) }}{% endif %}
  {{ return(context['mon'].get('mon_metric_' ~ name, 'missing')) }}
{% endmacro %}
`,
  'dbt_packages/mon/macros/export.sql': `
{% macro export_counts(path) %}
  {% set t = run_query("select 1 as id, 2.5 as amount, 'caf\u00e9' as label, date '2021-05-02' as day union all select 2, null, 'x\\"y', null order by id") %}
  {% do t.to_json(path) %}
  {% do t.to_json(path ~ '.keyed', key='id', indent=2) %}
  {% do t.to_json(path ~ '.lines', newline=true) %}
  {{ log('exported with ' ~ text_type(), info=true) }}
{% endmacro %}
`,
};

describe("re_data's constructs", () => {
  it('var.has_var: set in the project, by --vars or in the package; not for an unknown name or a var() default', async () => {
    const p = makeProject({
      ...pkg,
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\nvars:\n  in_project: 1\n',
      'models/m.sql': "select '{{ var.has_var('in_project') }}|{{ var.has_var('from_cli') }}|{{ var.has_var('nope') }}|{{ var('nope', 3) }}|{{ var.has_var('nope') }}' as v",
      'dbt_packages/mon/models/pm.sql': "select '{{ var.has_var('mon_flag') }}|{{ var.has_var('in_project') }}' as v",
    });
    const r = await build({ ...p.opts, vars: '{from_cli: 2}' });
    expect(statuses(r.results)).toEqual({ pm: 'success', m: 'success' });
    expect(await p.query('select v from m')).toEqual([{ v: 'True|True|False|3|False' }]);
    expect(await p.query('select v from pm')).toEqual([{ v: 'True|True' }]);
  });

  it("a package's test macro reaches the package's macros by plain name while the test is parsed", async () => {
    const p = makeProject({
      ...pkg,
      'models/m.sql': 'select 1 as id',
      'models/m.yml': 'models:\n  - name: m\n    data_tests:\n      - mon.always_empty\n',
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success', mon_always_empty_m_: 'pass' });
  });

  it('a package name is a dict of its macros: get() with and without a default, [] and `in`, keys(), values() and items()', async () => {
    const p = makeProject({
      ...pkg,
      'models/m.sql': [
        "select {{ mon.metric_macro('rows')(1) }} as a, '{{ mon.metric_macro('nothing') }}' as b, {{ 'mon_metric_rows' in mon }} as c,",
        " {{ mon.keys() | select('equalto', 'text_type') | list | length }} as d, '{{ mon.keys() | sort | join(',') }}' as e,",
        " {{ mon.values() | length }} as f, '{% for k, m in mon.items() %}{% if k == 'text_type' %}{{ m() }}{% endif %}{% endfor %}' as g from (select 1)",
      ].join(''),
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ m: 'success' });
    expect(await p.query('select * from m')).toEqual([
      { a: 2, b: 'missing', c: true, d: 1, e: 'empty_row,export_counts,metric_macro,mon_metric_rows,test_always_empty,text_type', f: 6, g: 'varchar' },
    ]);
  });

  it("run-operation finds a package's macro by its plain name; the macro sees its package's macros; to_json writes agate's JSON from the project folder", async () => {
    const p = makeProject(pkg);
    const r = await runOperation('export_counts', { ...p.opts, args: '{path: out/rows.json}' });
    expect(r.success).toBe(true);
    expect(readFileSync(join(p.dir, 'out/rows.json'), 'utf8')).toBe(
      '[{"id": 1, "amount": 2.5, "label": "caf\u00e9", "day": "2021-05-02"}, {"id": 2, "amount": null, "label": "x\\"y", "day": null}]',
    );
    expect(readFileSync(join(p.dir, 'out/rows.json.keyed'), 'utf8')).toBe(
      '{\n  "1": {\n    "id": 1,\n    "amount": 2.5,\n    "label": "caf\u00e9",\n    "day": "2021-05-02"\n  },\n  "2": {\n    "id": 2,\n    "amount": null,\n    "label": "x\\"y",\n    "day": null\n  }\n}',
    );
    expect(readFileSync(join(p.dir, 'out/rows.json.lines'), 'utf8')).toBe(
      '{"id": 1, "amount": 2.5, "label": "caf\u00e9", "day": "2021-05-02"}\n{"id": 2, "amount": null, "label": "x\\"y", "day": null}\n',
    );
  });

  it("to_json's errors are agate's: a key column the table has not, newline with indent", async () => {
    const p = makeProject({
      ...pkg,
      'macros/bad.sql': "{% macro bad(how) %}{% set t = run_query('select 1 as id') %}{% if how == 'key' %}{% do t.to_json('x.json', key='nope') %}{% else %}{% do t.to_json('x.json', newline=true, indent=2) %}{% endif %}{% endmacro %}",
    });
    const key = await runOperation('bad', { ...p.opts, args: '{how: key}' });
    expect([key.success, key.error?.message]).toEqual([false, 'KeyError: Column nope does not exist.']);
    const both = await runOperation('bad', { ...p.opts, args: '{how: both}' });
    expect([both.success, both.error?.message]).toEqual([false, 'ValueError: newline and indent may not be specified together.']);
  });

  it('a macro no package defines is still not found', async () => {
    const p = makeProject(pkg);
    await expect(runOperation('no_such_macro', p.opts)).rejects.toThrow("No macro named 'no_such_macro' was found in the project or its packages");
  });
});
