/**
 * dbt's context objects expose their documented members only: every allowed
 * member of a relation, a column, an agate table and column, `adapter`,
 * `api` and `exceptions` works from a template at run time, and members the
 * objects carry internally are undefined, as on dbt's Python objects (which
 * have no such attributes); unsafe names are a located SecurityError, as
 * Jinja2 refuses an unsafe attribute. `modules` is shared by every render: a template cannot
 * change it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { COLUMN_MEMBERS } from '../../../src/adapters/base/column.js';
import { RELATION_MEMBERS } from '../../../src/adapters/base/relation.js';
import { exposedMembers } from '../../../src/jinja/index.js';
import { ResultColumnView, ResultTable } from '../../../src/adapters/base/result-table.js';
import { captureStreams, makeProject } from '../../support/project-fixture.js';

vi.setConfig({ testTimeout: 240_000 });

/** dbt's adapter methods templates call (BaseAdapter's available methods tsdbt implements, and dbt-duckdb's external_root). */
const ADAPTER_MEMBERS = [
  'type', 'dispatch', 'get_relation', 'load_relation', 'get_relation_type', 'already_exists', 'get_columns_in_relation',
  'list_relations_without_caching', 'list_relations', 'drop_relation', 'rename_relation', 'truncate_relation', 'create_schema',
  'drop_schema', 'check_schema_exists', 'quote', 'quote_as_configured', 'quote_seed_column', 'expand_target_column_types',
  'get_missing_columns', 'execute', 'begin', 'commit', 'cache_added', 'cache_dropped', 'cache_renamed',
  'get_column_schema_from_query', 'render_raw_columns_constraints', 'render_raw_model_constraints', 'external_root', 'warn_once',
  'valid_incremental_strategies', 'get_incremental_strategy_macro', 'Relation', 'Column',
  // tsdbt's own, called from its global macros (dbt's exceptions.raise_contract_error etc. reach these).
  'tsdbt_raise_contract_error', 'tsdbt_raise_column_type_missing', 'tsdbt_check_external_location',
];

async function compile(dir: string) {
  const io = captureStreams();
  const code = await runCli(['run', '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, text: io.stdout.join('') + io.stderr.join('') };
}

/** `name=<defined>` for each member, read with `attr` (the filter) and with `.` through a loop variable. */
const probe = (obj: string, members: readonly string[], how: 'attr' | 'item' = 'attr') =>
  `{% for m in ${JSON.stringify(members)} %}{{ m }}={{ (${how === 'attr' ? `${obj} | attr(m)` : `${obj}[m]`}) is defined }};{% endfor %}`;

describe('context objects: documented members only', () => {
  it('the declared lists are the ones the objects carry', () => {
    expect(exposedMembers(ResultTable)).toEqual(['rows', 'columns', 'column_names', 'column_types', 'print_table', 'rename', 'group_by', 'to_json']);
    expect(exposedMembers(ResultColumnView)).toEqual(['name', 'data_type', 'index', 'values', 'values_without_nulls']);
    expect(RELATION_MEMBERS).toContain('render_event_time_filtered');
    expect(COLUMN_MEMBERS).toContain('is_numeric');
  });

  it('every allowed member works at run time; internal members are undefined, unsafe ones located SecurityErrors', async () => {
    const relation = "api.Relation.create(database='memory', schema='main', identifier='t', type='table')";
    const denied: Record<string, [string, string, string]> = {
      // model: [expression, attribute, type name in the message]
      relation_private: [`${relation}._private`, '_private', 'Relation'],
      column_constructor: ["api.Column.create('c', 'integer').constructor", 'constructor', 'Column'],
      adapter_conn: ['adapter._conn', '_conn', 'dict'],
      adapter_dunder: ['adapter.dispatch.__globals__', '__globals__', 'function'],
      modules_update: ["modules.re.update({'compile': none})", 'update', 'dict'],
      modules_pop: ["modules.pop('re')", 'pop', 'dict'],
    };
    // Members our JavaScript objects carry that dbt's Python objects do not have: undefined, never their values.
    const hidden: Record<string, string> = {
      relation_flavor: `${relation}.flavor`,
      relation_quote_char: `${relation}['quoteChar']`,
      relation_copy: `${relation}.copy`,
      relation_class: `${relation} | attr('relationClass')`,
      relation_alias: `${relation}.alias`,
      this_node_id: 'this.node_id',
      table_raw_rows: "run_query('select 1 as a').rawRows",
      table_template_rows: "run_query('select 1 as a') | attr('templateRows')",
      column_view_table: "run_query('select 1 as a').columns[0].table",
    };
    const files: Record<string, string> = {
      'models/t.sql': "{{ config(materialized='table') }} select 1 as a, 'x' as b",
      'models/allowed.sql': `-- depends_on: {{ ref('t') }}
{% set r = ${relation} %}{% set c = api.Column.create('c', 'varchar(10)') %}
{% if execute %}{% set tbl = run_query('select 1 as a, 2 as b') %}{% set col = tbl.columns[0] %}
-- relation: ${probe('r', RELATION_MEMBERS)}
-- info_schema: ${probe('r.information_schema()', [...RELATION_MEMBERS, 'information_schema_view'])}
-- column: ${probe('c', COLUMN_MEMBERS)}
-- table: ${probe('tbl', exposedMembers(ResultTable))}
-- column_view: ${probe('col', exposedMembers(ResultColumnView))}
-- adapter: ${probe('adapter', ADAPTER_MEMBERS, 'item')}
-- values: {{ r }} {{ r.render() }} {{ r.include(database=false) }} {{ r.incorporate(path={'identifier': 'u'}) }} {{ r.get('schema') }} {{ r.is_table }} {{ r.quoted('x') }} {{ r.information_schema('tables') }} {{ r.to_dict()['path']['identifier'] }} {{ r.matches(identifier='t') }}
-- column values: {{ c.name }} {{ c.quoted }} {{ c.is_string() }} {{ c.is_number() }} {{ api.Column.string_type(5) }} {{ api.Column.numeric_type('numeric', 10, 2) }}
-- table values: {{ tbl.column_names | list }} {{ tbl.rows[0][1] }} {{ tbl.rows[0]['b'] }} {{ col.name }} {{ col.index }} {{ col.values() | list }} {{ tbl.columns['b'].values() | list }}
-- adapter values: {{ adapter.type() }} {{ adapter.quote('x') }} {{ adapter.get_relation(database='memory', schema='main', identifier='t') }} {{ adapter.get_columns_in_relation(ref('t')) | map(attribute='name') | list }} {{ adapter.dispatch('current_timestamp')() | length > 0 }}
-- exceptions: {{ exceptions.raise_compiler_error is defined }} {{ exceptions.warn is defined }}
-- cycler: {% set cy = cycler('a', 'b') %}{{ cy.next() }}{{ cy.pos }}{{ cy.current }}{{ cy.items }}
-- modules: {{ modules.datetime.date(2020, 1, 2) }} {{ modules.re.sub('a', 'b', 'aa') }} {{ modules.itertools.chain([1], [2]) | list }}
-- hidden: ${Object.entries(hidden).map(([k, e]) => `${k}={{ (${e}) is defined }}`).join(';')};
{% endif %}
select 1 as id`,
    };
    for (const [name, [expr]] of Object.entries(denied)) files[`models/${name}.sql`] = `-- ${name}\n{% if execute %}{{ ${expr} }}{% endif %}\nselect 1 as id`;
    const dir = makeProject(files);
    const r = await compile(dir);
    expect(r.code).toBe(1);
    expect(r.text, r.text).not.toMatch(/in model allowed /);

    const sql = readFileSync(join(dir, 'target/compiled/test_project/models/allowed.sql'), 'utf8');
    for (const line of sql.split('\n').filter((l) => /^-- (relation|info_schema|column|table|column_view|adapter):/.test(l))) {
      // Every member is defined: no "=False".
      expect(line, line.slice(0, 40)).not.toContain('=False');
      expect(line).toMatch(/=True;/);
    }
    expect(sql).toContain('-- values: "memory"."main"."t" "memory"."main"."t" "main"."t" "memory"."main"."u" main True "x" "memory".INFORMATION_SCHEMA.tables t True');
    expect(sql).toContain('-- column values: c "c" True False character varying(5) numeric(10,2)');
    expect(sql).toContain("-- table values: ['a', 'b'] 2 2 a 0 [1] [2]");
    expect(sql).toContain(`-- adapter values: duckdb "x" "memory"."main"."t" ['a', 'b'] True`);
    expect(sql).toContain('-- exceptions: True True');
    expect(sql).toContain('-- modules: 2020-01-02 bb [1, 2]');
    // The Tuva Project's `model.alias if model.alias else model.name` reads an attribute dbt's relation lacks.
    expect(sql).toContain(`-- hidden: ${Object.keys(hidden).map((k) => `${k}=False`).join(';')};`);
    // Jinja2's Cycler members (items, pos, current, next, reset), as Jinja2 renders them.
    expect(sql).toContain("-- cycler: a1b('a', 'b')");

    // Each internal member: the model that reached for it fails with Jinja2's words, at its line.
    for (const [name, [, attribute, type]] of Object.entries(denied)) {
      expect(r.text, name).toContain(`models/${name}.sql:2: SecurityError: access to attribute '${attribute}' of '${type}' object is unsafe.`);
    }
  });
});
