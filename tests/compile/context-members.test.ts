import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { run } from '../../src/api/run.js';
import { makeProject as makeDuckProject } from '../execute/harness.js';
import { renderInProject } from '../support/render-in-project.js';

/** Render a template as a model at parse time, with the given OS environment. */
const renderAtParse = (template: string, files: Record<string, string> = {}, env: Record<string, string> = {}) => renderInProject(template, files, { env });

describe('context members dbt gives templates (base and provider contexts)', () => {
  it('flags: dbt\'s upper-case names only, with dbt\'s defaults at parse', () => {
    expect(renderAtParse('{{ flags.STATIC_PARSER }} {{ flags.FULL_REFRESH }} {{ flags.WHICH }} {{ flags.FAIL_FAST }} {{ flags.INDIRECT_SELECTION }} {{ flags.SELECT is defined }} {{ flags.full_refresh is defined }}')).toBe(
      'True None None False eager False False',
    );
  });

  it('zip, zip_strict, set, set_strict, diff_of_two_dicts, local_md5, debug, thread_id, tojson/fromjson/fromyaml/toyaml', () => {
    expect(renderAtParse("{{ zip([1, 2], ['a', 'b']) | list }} {{ zip(1) }} {{ zip(1, default='d') }} {{ zip_strict([1], [2]) | list }}")).toBe("[(1, 'a'), (2, 'b')] None d [(1, 2)]");
    expect(renderAtParse('{{ set([1, 2, 2]) }} {{ set(none) }} {{ set(3, default=0) }} {{ set_strict("ab") | sort }}')).toBe("{1, 2} None 0 ['a', 'b']");
    expect(() => renderAtParse('{{ set_strict(none) }}')).toThrow(/set_strict/);
    expect(() => renderAtParse('{{ zip_strict(1) }}')).toThrow(/zip_strict/);
    expect(renderAtParse("{{ diff_of_two_dicts({'key_x': ['value_1', 'VALUE_2'], 'KEY_Y': ['value_3']}, {'KEY_X': ['Value_1'], 'key_z': ['value_4']}) }}")).toBe("{'key_x': ['VALUE_2'], 'KEY_Y': ['value_3']}");
    expect(renderAtParse("{{ local_md5('hello world') }}|{{ debug() }}|{{ thread_id }}")).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3||MainThread');
    expect(renderAtParse("{{ tojson({'b': 1, 'a': [true, none]}, sort_keys=true) }} {{ fromjson('{bad', 'dflt') }} {{ fromyaml('a: [1, 2]')['a'][1] }} {{ toyaml({'k': 'v'}) | trim }}")).toBe('{"a": [true, null], "b": 1} dflt 2 k: v');
  });

  it("fromyaml and toyaml are PyYAML's safe_load (YAML 1.1) and safe_dump, with the default on an error (goldens from PyYAML 6)", () => {
    // yaml.safe_load('a: yes\nb: 1.0\nc: 2020-01-01\nd: 0777\ne: on')
    expect(renderAtParse('{{ fromyaml("a: yes\\nb: 1.0\\nc: 2020-01-01\\nd: 0777\\ne: on") }}')).toBe("{'a': True, 'b': 1.0, 'c': datetime.date(2020, 1, 1), 'd': 511, 'e': True}");
    // yaml.safe_dump({'b': 'yes', 'a': '1.0'}, sort_keys=True), and sort_keys=False keeps the order
    expect(renderAtParse("{{ toyaml({'b': 'yes', 'a': '1.0'}, sort_keys=true) }}|{{ toyaml({'b': 'on', 'a': 1.0}) }}")).toBe("a: '1.0'\nb: 'yes'\n|b: 'on'\na: 1.0\n");
    // safe_dump of a module is a RepresenterError; a YAML syntax error in fromyaml
    expect(renderAtParse("{{ toyaml(modules.datetime, 'x') }}|{{ toyaml(modules.datetime) }}|{{ fromyaml('a: [1', 'dflt') }}")).toBe('x|None|dflt');
  });

  it('invocation_args_dict, dbt_metadata_envs (DBT_ENV_CUSTOM_ENV_*), env, column, sql_now, validation, try_or_compiler_error, adapter_macro', () => {
    expect(renderAtParse('{{ dbt_metadata_envs }} {{ invocation_args_dict }}', {}, { DBT_ENV_CUSTOM_ENV_RUN_ID: '42', OTHER: 'x' })).toMatch(
      // dbt's args_to_dict keeps every flag that is set: the paths dbt fills in are (PROFILES_DIR, LOG_PATH).
      /^\{'RUN_ID': '42'\} \{'profiles_dir': '\/[^']+', 'log_path': '\/[^']+\/logs'\}$/,
    );
    expect(renderAtParse('{{ env.type }} {{ column.create("c", "integer").name }} {{ sql_now }} {{ write("x") }}|{{ defer_relation }}')).toBe('duckdb c now() |None');
    expect(renderAtParse("{% do validation.any('a', 'b')('b') %}ok {{ try_or_compiler_error('boom', modules.datetime.date, 2024, 1, 2) }}")).toBe('ok 2024-01-02');
    expect(() => renderAtParse("{% do validation.any('a', 'b')('c') %}")).toThrow('Expected value "c" to be one of a,b');
    expect(() => renderAtParse("{{ try_or_compiler_error('it broke', exceptions.raise_compiler_error, 'inner') }}")).toThrow('it broke');
    expect(() => renderAtParse("{{ adapter_macro('x') }}")).toThrow(/adapter_macro.*deprecated|deprecated.*adapter_macro/s);
  });

  it('parse time: execute false, run_query and load_result none, graph has dbt\'s keys and no members, adapter.get_column_schema_from_query is empty, database/schema are the target\'s', () => {
    expect(renderAtParse('{{ execute }} {{ run_query("select 1") }} {{ load_result("x") }} {{ graph.keys() | sort | join(",") }} {{ graph.nodes | length }} {{ adapter.get_column_schema_from_query("select 1") }} {{ database }}.{{ schema }}')).toBe(
      'False None None exposures,groups,metrics,nodes,saved_queries,semantic_models,sources 0 [] memory.main',
    );
    // dbt's parse_none: the strategy's macro is looked up when the model runs
    expect(renderAtParse("{{ adapter.get_incremental_strategy_macro(context, 'nope') }}")).toBe('None');
  });

  it('exceptions: dbt\'s whole namespace', () => {
    expect(() => renderAtParse("{{ exceptions.missing_config(model, 'unique_key') }}")).toThrow("does not define a required config parameter 'unique_key'");
    expect(() => renderAtParse("{{ exceptions.relation_wrong_type(this, 'view') }}")).toThrow(/Trying to create view/);
    expect(() => renderAtParse("{{ exceptions.raise_dependency_error('dep') }}")).toThrow('dep');
    expect(renderAtParse("{{ exceptions.warn_snapshot_timestamp_data_types('timestamp', 'timestamp') }}ok")).toBe('ok');
  });

  it('builtins: a project macro named ref replaces ref, and reaches dbt\'s through builtins.ref; context.get finds macros and members', () => {
    const files = {
      'macros/ref.sql': "{% macro ref(name) %}{% do return(builtins.ref(name).include(database=false)) %}{% endmacro %}",
      'macros/greet.sql': '{% macro greet() %}hi{% endmacro %}',
      'models/a.sql': 'select 1 as id',
    };
    expect(renderAtParse("{{ ref('a') }}|{{ builtins.ref is defined }}|{{ context.get('greet')() }}|{{ context['project_name'] }}|{{ context.get('nope', 'dflt') }}", files)).toBe('"main"."a"|True|hi|test_project|dflt');
  });
});

describe('what dbt-unit-testing relies on (EqualExperts/dbt-unit-testing: project macros named ref and is_incremental)', () => {
  it("parse time: config.get and config.require answer '' whatever is configured (dbt's parse-time config), so a ref guarded by a config read is not a dependency", () => {
    expect(renderAtParse("{{ config(materialized='table', tags=['unit-test']) }}[{{ config.get('materialized') }}|{{ config.get('nope', 'dflt') }}|{{ config.require('materialized') }}|{{ 'unit-test' in config.get('tags', {}) }}]")).toBe('[|||False]');
  });

  it('context.update and context[k] = v write names: context.get reads them back and macros called afterwards see them; never the prototype', () => {
    const files = {
      'macros/ctx.sql': [
        '{% macro put(k, v) %}{% do context.update({k: v}) %}{% endmacro %}',
        "{% macro take(k) %}{{ return(context.get(k, 'missing')) }}{% endmacro %}",
        '{% macro bare() %}{{ return(DUT_STATE) }}{% endmacro %}',
      ].join('\n'),
    };
    expect(renderAtParse("{{ take('DUT_STATE') }}|{% do put('DUT_STATE', {'a': 1}) %}{{ take('DUT_STATE') }}|{{ bare() }}|{{ render(\"{{ take('DUT_STATE') }}\") }}", files)).toBe("missing|{'a': 1}|{'a': 1}|{'a': 1}");
    expect(renderAtParse("{{ 'take' in context }} {{ 'project_name' in context }} {{ 'nope' in context }} {{ 'DUT_STATE' in context }}{% do put('DUT_STATE', 1) %} {{ 'DUT_STATE' in context }} {{ 'constructor' in context }} {{ '__proto__' in context }}", files)).toBe('True True False False True False False');
    expect(renderAtParse("{% do context.update({'__proto__': {'x': 1}, 'constructor': 2}) %}{{ context.get('x', 'none') }} {{ context.get('__proto__', 'none') }} {{ context.get('constructor') }} {{ {}.x is defined }}", files)).toBe('none none 2 False');
  });

  it('dbt.is_incremental, dbt.should_full_refresh, dbt.should_store_failures reach the context\'s, also where a project macro of that name shadows it', () => {
    const files = { 'macros/inc.sql': '{% macro is_incremental() %}{{ return(dbt.is_incremental()) }}{% endmacro %}', 'models/a.sql': 'select 1 as id' };
    expect(renderAtParse('{{ is_incremental() }} {{ dbt.is_incremental() }} {{ dbt.should_full_refresh() }} {{ dbt.should_store_failures() }} {{ dbt.is_incremental is defined }} {{ dbt.no_such_macro is defined }}', files)).toBe(
      'False False False False True False',
    );
  });
});

describe('context members at run time (compile on DuckDB)', () => {
  it('dbt.is_incremental() through a project macro named is_incremental: true once the incremental model exists', async () => {
    const p = makeDuckProject({
      'macros/inc.sql': '{% macro is_incremental() %}{{ return(dbt.is_incremental()) }}{% endmacro %}',
      'models/inc.sql': "{{ config(materialized='incremental') }}select 1 as id -- {{ is_incremental() }} {{ dbt.is_incremental() }}",
    });
    const first = await compile(p.opts);
    expect(first.success).toBe(true);
    expect(first.results[0]!.compiled_code).toBe('select 1 as id -- False False');
    expect((await run(p.opts)).success).toBe(true);
    const second = await compile(p.opts);
    expect(second.results[0]!.compiled_code).toBe('select 1 as id -- True True');
  });

  it('flags.WHICH, invocation_args_dict, graph (dbt\'s flat graph), selected_resources, execute, thread_id, get_column_schema_from_query', async () => {
    const p = makeDuckProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': [
        "select 1 as id -- {{ ref('a') }}",
        '-- which={{ flags.WHICH }} full_refresh={{ flags.FULL_REFRESH }} args_which={{ invocation_args_dict.which }}',
        "-- graph={{ graph.keys() | sort | join(',') }} nodes={{ graph.nodes.keys() | sort | join(',') }}",
        "-- selected={{ selected_resources | sort | join(',') }} execute={{ execute }} thread={{ thread_id }}",
        "-- cols={% if execute %}{{ adapter.get_column_schema_from_query('select 1 as x, \\'a\\' as y') | map(attribute='name') | join(',') }}{% endif %}",
      ].join('\n'),
    });
    const r = await compile({ ...p.opts, select: ['b'] });
    expect(r.success).toBe(true);
    expect(r.results[0]!.compiled_code).toBe(
      [
        'select 1 as id -- "dev"."main"."a"',
        '-- which=compile full_refresh=False args_which=compile',
        '-- graph=exposures,groups,metrics,nodes,saved_queries,semantic_models,sources nodes=model.proj.a,model.proj.b',
        '-- selected=model.proj.b execute=True thread=Thread-1',
        '-- cols=x,y',
      ].join('\n'),
    );
  });

  it("each node's context has its own dicts (a template's change to one is not seen by the next node); members shared by every node can be shadowed by a project macro, and builtins/context reach them", async () => {
    const p = makeDuckProject({
      'macros/sql_now.sql': "{% macro sql_now() %}macro_now{% endmacro %}",
      'models/a.sql': [
        'select 1 as id',
        "{% do invocation_args_dict.update({'seen_by_a': 1}) %}{% do dbt_metadata_envs.update({'A': '1'}) %}{% do validation.update({'extra': 1}) %}{% do api.update({'extra': 1}) %}",
        "-- a: {{ invocation_args_dict.seen_by_a }} {{ validation.extra }} {{ api.extra }} {{ dbt_metadata_envs }}",
      ].join('\n'),
      'models/b.sql': [
        "select 1 as id -- {{ ref('a') }}",
        "-- b: {{ invocation_args_dict.seen_by_a is defined }} {{ validation.extra is defined }} {{ api.extra is defined }} {{ dbt_metadata_envs }}",
        "-- {{ sql_now() }} {{ builtins.sql_now }} {{ context.get('sql_now')() }} {{ context['env'].type }} {{ builtins.write('x') }}|{{ context.get('nope', 'dflt') }} {{ var('v', 'dv') }} {{ builtins.var('v', 'dv2') }}",
      ].join('\n'),
    });
    const r = await compile(p.opts);
    expect(r.success).toBe(true);
    const sql = Object.fromEntries(r.results.map((x) => [x.node.name, x.compiled_code]));
    expect(sql.a).toBe(['select 1 as id', '', "-- a: 1 1 1 {'A': '1'}"].join('\n'));
    expect(sql.b).toBe(['select 1 as id -- "dev"."main"."a"', '-- b: False False False {}', '-- macro_now now() macro_now duckdb |dflt dv dv2'].join('\n'));
  });

  it('context.get, context[...] and builtins never reach what every JavaScript object inherits (Object.prototype, __proto__), at parse and at run time', async () => {
    const probe = "{{ context.get('constructor', 'none') }} {{ context.get('valueOf', 'none') }} {{ context.get('__proto__', 'none') }} {{ context.get('hasOwnProperty', 'none') }} {{ 'constructor' in context }} {{ 'toString' in builtins }} {{ context.get('project_name') }}";
    expect(renderAtParse(probe)).toBe('none none none none False False test_project');
    const p = makeDuckProject({ 'models/a.sql': `select 1 as id -- ${probe}` });
    const r = await compile(p.opts);
    expect(r.success).toBe(true);
    expect(r.results[0]!.compiled_code).toBe('select 1 as id -- none none none none False False proj');
  });
});
