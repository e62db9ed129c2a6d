/**
 * Macros bound to a render context (dbt's MacroGenerator semantics): return
 * values of every type, kwargs/varargs, caller, resolution through the
 * context (project overrides beat the defining file), recursion, errors.
 */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, callJinja, pyFunction, type RenderContext } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { setFastPaths } from '../../../src/util/fast-paths.js';

const MACROS = `
{% macro ret_list() %}{{ return([1, 'a', none]) }}{% endmacro %}
{% macro ret_dict() %}{% do return({'k': [1, 2], 'n': none}) %}{% endmacro %}
{% macro ret_int(x) %}{{ return(x * 2) }}{% endmacro %}
{% macro ret_bool() %}{{ return(true) }}{% endmacro %}
{% macro ret_none() %}{{ return(none) }}{% endmacro %}
{% macro ret_obj(rel) %}{{ return(rel) }}{% endmacro %}
{% macro ret_other() %}{{ return(ret_list()) }}{% endmacro %}
{% macro early(x) %}before{% if x %}{{ return('early') }}{% endif %}after{% endmacro %}
{% macro rendered(name) %}hello {{ name }}{% endmacro %}
{% macro with_kwargs(a, b=2) %}{{ a }}|{{ b }}|{{ varargs }}|{{ kwargs }}{% endmacro %}
{% macro uses_ctx() %}{{ ref('orders') }} {{ this }} {{ helper() }}{% endmacro %}
{% macro helper() %}file-helper{% endmacro %}
{% macro wrap() %}<{{ caller() }}>{% endmacro %}
{% macro statement(name=None, fetch_result=False) %}{% set sql = caller() %}{{ return({'name': name, 'fetch': fetch_result, 'sql': sql.strip()}) }}{% endmacro %}
{% macro run_stmt() %}{% call statement('main', fetch_result=True) %}select {{ 1 + 1 }}{% endcall %}{% endmacro %}
{% macro use_statement() %}{% set r = run_stmt() %}{{ return(r) }}{% endmacro %}
{% macro fact(n) %}{% if n <= 1 %}{{ return(1) }}{% endif %}{{ return(n * fact(n - 1)) }}{% endmacro %}
{% macro boom() %}
  {{ explode() }}
{% endmacro %}
{% macro undefined_attr() %}

{{ nothing.here }}{% endmacro %}
`;

function makeContext(extra: Record<string, unknown> = {}): RenderContext & { env: JinjaEnvironment } {
  const env = new JinjaEnvironment();
  const ctx: RenderContext & { env: JinjaEnvironment } = {
    env,
    vars: { ref: pyFunction(([name]) => `"db"."main"."${String(name)}"`), this: '"db"."main"."me"', ...extra },
    resolve(name: string) {
      // dbt resolves macros through the context: every macro of the file is visible by name.
      if (/^[a-z_]+$/.test(name) && MACROS.includes(`{% macro ${name}(`)) return env.bindMacro('macros/m.sql', MACROS, name, ctx);
      return undefined;
    },
  };
  return ctx;
}

describe('bindMacro', () => {
  it('returns return() values of every type', () => {
    const ctx = makeContext();
    const call = (name: string, ...args: unknown[]) => callJinja(ctx.env.bindMacro('macros/m.sql', MACROS, name, ctx), args);
    expect(call('ret_list')).toEqual([1, 'a', null]);
    expect(call('ret_dict')).toEqual({ k: [1, 2], n: null });
    expect(call('ret_int', 21)).toBe(42);
    expect(call('ret_bool')).toBe(true);
    expect(call('ret_none')).toBeNull();
    const rel = { database: 'db', render: () => 'x' };
    expect(call('ret_obj', rel)).toBe(rel);
    expect(call('ret_other')).toEqual([1, 'a', null]);
    expect(call('early', true)).toBe('early');
    expect(call('early', false)).toBe('beforeafter');
    expect(call('rendered', 'bob')).toBe('hello bob');
  });

  it('passes kwargs and varargs', () => {
    const ctx = makeContext();
    const m = ctx.env.bindMacro('macros/m.sql', MACROS, 'with_kwargs', ctx);
    expect(callJinja(m, [1])).toBe('1|2|()|{}');
    expect(callJinja(m, [1, 3, 4, 5], { z: 'q' })).toBe("1|3|(4, 5)|{'z': 'q'}");
    expect(callJinja(m, [], { a: 'A', b: 'B' })).toBe('A|B|()|{}');
    expect(() => callJinja(ctx.env.bindMacro('macros/m.sql', MACROS, 'rendered', ctx), ['x'], { nope: 1 })).toThrow(
      "macro 'rendered' takes no keyword argument 'nope'",
    );
  });

  it('resolves names through the context before the defining file', () => {
    const ctx = makeContext();
    const m = ctx.env.bindMacro('macros/m.sql', MACROS, 'uses_ctx', ctx);
    expect(callJinja(m)).toBe('"db"."main"."orders" "db"."main"."me" file-helper');
    // A project override of `helper` (provided by the context) wins over the file's own macro.
    const overridden = makeContext({ helper: pyFunction(() => 'project-helper') });
    expect(callJinja(overridden.env.bindMacro('macros/m.sql', MACROS, 'uses_ctx', overridden))).toBe(
      '"db"."main"."orders" "db"."main"."me" project-helper',
    );
  });

  it('supports caller() and {% call statement(...) %} through bound macros', () => {
    const ctx = makeContext();
    const out = ctx.env.renderString("{% call wrap() %}inner {{ this }}{% endcall %}", 'models/a.sql', ctx);
    expect(out).toBe('<inner "db"."main"."me">');
    // A call block renders the called macro's result into the output, as in Jinja2.
    expect(callJinja(ctx.env.bindMacro('macros/m.sql', MACROS, 'use_statement', ctx))).toBe("{'name': 'main', 'fetch': True, 'sql': 'select 2'}");
  });

  it("answers dbt's MacroGenerator.call_macro(): the macro's call (its return() value), not a plain function's", () => {
    const ctx = makeContext();
    // elementary's integration project: `{% do return(dbt.materialization_test_default.call_macro()) %}`.
    const out = ctx.env.renderString(
      "{{ ret_int.call_macro(4) }}|{{ ret_list.call_macro() }}|{{ with_kwargs.call_macro(1, b=5) }}|{{ early.call_macro(x=true) }}|{{ ref.call_macro is defined }}|{{ ret_int.call_macro is defined }}",
      'models/c.sql',
      ctx,
    );
    expect(out).toBe("8|[1, 'a', None]|1|5|()|{}|early|False|True");
  });

  it('is recursion-safe and re-entrant', () => {
    const ctx = makeContext();
    const fact = ctx.env.bindMacro('macros/m.sql', MACROS, 'fact', ctx);
    expect(callJinja(fact, [10])).toBe(3628800);
    expect(ctx.env.renderString('{{ fact(5) }} {{ fact(3) }}', 'models/f.sql', ctx)).toBe('120 6');
  });

  it('binds test_ and materialization_ macros by their macro names', () => {
    const env = new JinjaEnvironment();
    const src = `{% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}
{% materialization table, adapter='duckdb' %}{{ return({'langs': supported_languages}) }}{% endmaterialization %}`;
    const ctx: RenderContext = { vars: {} };
    expect(callJinja(env.bindMacro('macros/t.sql', src, 'test_not_null', ctx), ['t', 'id'])).toBe('select * from t where id is null');
    expect(callJinja(env.bindMacro('macros/t.sql', src, 'materialization_table_duckdb', ctx))).toEqual({ langs: ['sql'] });
    expect(() => env.bindMacro('macros/t.sql', src, 'nope', ctx)).toThrow(TsdbtError);
  });

  it('keeps the code of a TsdbtError thrown by a context function and adds file and line', () => {
    const ctx = makeContext({
      explode: pyFunction(() => {
        throw new TsdbtError('REF_NOT_FOUND', "ref('x') matches no node");
      }),
    });
    const boom = ctx.env.bindMacro('macros/m.sql', MACROS, 'boom', ctx);
    let err: unknown;
    try {
      callJinja(boom);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TsdbtError);
    const t = err as TsdbtError;
    expect(t.code).toBe('REF_NOT_FOUND');
    expect(t.file).toBe('macros/m.sql');
    expect(t.line).toBe(MACROS.split('\n').findIndex((l) => l.includes('explode()')) + 1);
  });

  it('reports an attribute of an undefined name with file and line', () => {
    const ctx = makeContext();
    const m = ctx.env.bindMacro('macros/m.sql', MACROS, 'undefined_attr', ctx);
    expect(() => callJinja(m)).toThrow("'nothing' is undefined");
    try {
      callJinja(m);
    } catch (e) {
      const t = e as TsdbtError;
      expect(t.code).toBe('JINJA_RENDER');
      expect(t.file).toBe('macros/m.sql');
      expect(t.line).toBe(MACROS.split('\n').findIndex((l) => l.includes('nothing.here')) + 1);
    }
  });

  it('runs a file once per context and reuses the bound macro', () => {
    const ctx = makeContext();
    const a = ctx.env.bindMacro('macros/m.sql', MACROS, 'helper', ctx);
    const b = ctx.env.bindMacro('macros/m.sql', MACROS, 'helper', ctx);
    expect(a).toBe(b);
    const other = makeContext();
    expect(other.env.bindMacro('macros/m.sql', MACROS, 'helper', other)).not.toBe(a);
  });

  it('makes a top-level macro when first looked up; a later definition of the name wins (Jinja2 3.1)', () => {
    // Jinja2 3.1 renders this as "12|2b|<Macro 'b'>|False".
    const src = "{% macro a() %}1{% endmacro %}{{ a() }}{% macro a() %}2{% endmacro %}{{ a() }}|{% macro b() %}{{ a() }}b{% endmacro %}{{ b() }}|{{ b }}|{{ c is defined }}";
    expect(new JinjaEnvironment().renderString(src, 'models/x.sql', { vars: {} })).toBe("12|2b|<Macro 'b'>|False");
    const ctx = makeContext();
    const dup = '{% macro a() %}1{% endmacro %}{% macro a() %}2{% endmacro %}';
    expect(ctx.env.bindMacro('macros/dup.sql', dup, 'a', ctx)()).toBe('2');
    // Looked up twice in one context: the same macro object.
    expect(ctx.env.bindMacro('macros/m.sql', MACROS, 'rendered', ctx)).toBe(ctx.env.bindMacro('macros/m.sql', MACROS, 'rendered', ctx));
  });
});

describe('a file of macros: each macro compiled when first made (fast paths) or the file at once', () => {
  const FILE = `{% macro a() %}A{{ b() }}{% endmacro %} between
{% macro b() %}B1{% endmacro %}
{%- macro b() -%}B2{{ 1.5 * 2 }}{%- endmacro %}
{% macro c(x, y=[1, 2]) %}{% for i in y %}{{ x }}{{ i }}{{ loop.index }}{% endfor %}{{ return(x ~ '!') if x == 'r' }}{% endmacro %}
{% macro d() %}
  {{ missing.attr }}
{% endmacro %}
`;
  const BROKEN = `{% macro fine() %}ok{% endmacro %}
{% macro bad() %}
  {{ 'x' | no_such_filter }}
{% endmacro %}`;
  // A namespace attribute as a target: its code is generated with the file's (the compiler can reject such targets).
  const NAMESPACED = `{% macro count(items) %}{% set ns = namespace(n=0) %}{% for i in items %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n | string | upper }}{% endmacro %}`;

  /** What binding and calling gives, error messages and lines included, with the fast paths on or off. */
  function outcomes(fast: boolean): unknown[] {
    const was = setFastPaths(fast);
    try {
      const env = new JinjaEnvironment();
      // No resolve(): names fall back to the file's own macros (b() from a(): the last definition).
      const ctx: RenderContext = { vars: {} };
      const run = (f: () => unknown): unknown => {
        try {
          return { value: f() };
        } catch (e) {
          const t = e as TsdbtError;
          return { error: t.message, code: t.code, line: t.line, file: t.file };
        }
      };
      return [
        run(() => env.renderString(FILE, 'macros/f.sql', ctx)),
        run(() => callJinja(env.bindMacro('macros/f.sql', FILE, 'a', ctx), [])),
        run(() => callJinja(env.bindMacro('macros/f.sql', FILE, 'c', ctx), ['q'])),
        run(() => callJinja(env.bindMacro('macros/f.sql', FILE, 'c', ctx), ['r', [7]])),
        run(() => callJinja(env.bindMacro('macros/f.sql', FILE, 'd', ctx), [])),
        run(() => env.bindMacro('macros/f.sql', FILE, 'nope', ctx)),
        run(() => callJinja(env.bindMacro('macros/broken.sql', BROKEN, 'fine', ctx), [])),
        run(() => callJinja(env.bindMacro('macros/ns.sql', NAMESPACED, 'count', ctx), [[1, 2, 3]])),
      ];
    } finally {
      setFastPaths(was);
    }
  }

  it('gives what compiling the whole file gives: output, results, errors and their lines', () => {
    const fast = outcomes(true);
    expect(fast).toEqual(outcomes(false));
    expect(fast.slice(1, 4)).toEqual([{ value: 'AB23.0' }, { value: 'q11q22' }, { value: 'r!' }]);
    // A compile error anywhere in the file (an unknown filter) still fails the file's other macros.
    expect(fast[6]).toMatchObject({ code: 'JINJA_SYNTAX', line: 3 });
    expect(fast[7]).toEqual({ value: '6' });
  });
});
