/**
 * dbt's `return(...)` in compiled macros: where `return` is the builtin, a
 * macro's own `{{ return(x) }}` / `{% do return(x) %}` returns without
 * throwing (compiler.ts returnStatement). Every case is rendered twice, once
 * with the builtin and once with a stand-in of the same behaviour that the
 * compiler cannot recognise (so it throws MacroReturn as before): the
 * results, output and errors (message, file, line) must be the same.
 */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, callJinja, type RenderContext } from '../../../src/jinja/index.js';
import { BUILTINS } from '../../../src/jinja/builtins.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';
import { JsCompiler } from '../../../src/jinja/compiler.js';
import { parseTemplate } from '../../../src/jinja/template-parser.js';

const MACROS = `
{% macro branches(x) -%}
  {%- if x == 1 -%}{{ return('one') }}{%- elif x == 2 -%}{% do return('two') %}{%- else -%}{{ return(x) }}{%- endif -%}
{%- endmacro %}
{% macro in_loop(items) %}a{% for i in items %}{% if i > 2 %}{{ return(i) }}{% endif %}{{ i }}{% endfor %}z{% endmacro %}
{% macro in_loop_else(items) %}{% for i in items %}{{ i }}{% else %}{{ return('empty') }}{% endfor %}end{% endmacro %}
{% macro in_recursive(tree) %}[{% for n in tree recursive %}{% if n.stop %}{{ return('stopped ' ~ n.name) }}{% endif %}{{ n.name }}{{ loop(n.children) }}{% endfor %}]{% endmacro %}
{% macro in_setblock() %}{% set s %}x{{ return('from set block') }}y{% endset %}{{ s }}{% endmacro %}
{% macro in_filterblock() %}{% filter upper %}x{{ return('from filter') }}{% endfilter %}{% endmacro %}
{% macro wrap() %}<{{ caller() }}>{% endmacro %}
{% macro in_caller() %}{% call wrap() %}in caller{{ return('from caller') }}after{% endcall %}-outer{% endmacro %}
{% macro nested() %}{% macro inner() %}{{ return('inner') }}{% endmacro %}{{ return(inner() ~ '+outer') }}{% endmacro %}
{% macro in_with() %}{% with a = 5 %}{{ return(a + 1) }}{% endwith %}{% endmacro %}
{% macro no_args() %}x{{ return() }}y{% endmacro %}
{% macro many_args() %}{{ return(1, 2) }}{% endmacro %}
{% macro only_kwargs() %}{{ return(value=1) }}{% endmacro %}
{% macro star_args() %}{{ return(*[7, 8]) }}{% endmacro %}
{% macro star_kwargs() %}{{ return(3, **{'a': 1}) }}{% endmacro %}
{% macro of_undefined() %}{{ return(missing_name) }}{% endmacro %}
{% macro of_values() %}{{ return({'k': [1, none], 'r': true}) }}{% endmacro %}
{% macro shadowed() %}{% set return = upper_fn %}{{ return('shadowed') }}{% endmacro %}
{% macro errors_in_arg() %}
  {{ return(
      missing.attr
  ) }}
{% endmacro %}
{% macro in_expression() %}{{ 'a' ~ return('in expression') }}{% endmacro %}
{% macro in_set() %}{% set x = return('in set') %}{{ x }}{% endmacro %}
{% macro first_wins() %}{{ return('first') }}{{ return('second') }}{% endmacro %}
{% macro counted(n) %}{% do calls.append(n) %}{{ return(n) }}{% do calls.append('after') %}{% endmacro %}
`;

const CASES: [string, unknown[]][] = [
  ['branches', [1]],
  ['branches', [2]],
  ['branches', [3]],
  ['in_loop', [[1, 2, 3, 4]]],
  ['in_loop', [[1, 2]]],
  ['in_loop_else', [[]]],
  ['in_loop_else', [[1]]],
  ['in_recursive', [[{ name: 'a', children: [{ name: 'b', stop: true, children: [] }] }]]],
  ['in_setblock', []],
  ['in_filterblock', []],
  ['in_caller', []],
  ['nested', []],
  ['in_with', []],
  ['no_args', []],
  ['many_args', []],
  ['only_kwargs', []],
  ['star_args', []],
  ['star_kwargs', []],
  ['of_undefined', []],
  ['of_values', []],
  ['shadowed', []],
  ['errors_in_arg', []],
  ['in_expression', []],
  ['in_set', []],
  ['first_wins', []],
  ['counted', [5]],
];

/** The builtin, or a function doing exactly what it does that the compiler cannot tell is the builtin. */
function outcome(name: string, args: unknown[], builtin: boolean): { value?: unknown; error?: Record<string, unknown>; calls: unknown[] } {
  const env = new JinjaEnvironment();
  const calls: unknown[] = [];
  const stand = BUILTINS.return as (...a: unknown[]) => unknown;
  const ctx: RenderContext = {
    vars: { calls, upper_fn: (s: unknown) => String(s).toUpperCase(), ...(builtin ? {} : { return: (...a: unknown[]) => stand(...a) }) },
    resolve: (n) => (MACROS.includes(`{% macro ${n}(`) ? env.bindMacro('macros/ret.sql', MACROS, n, ctx) : undefined),
  };
  try {
    return { value: callJinja(env.bindMacro('macros/ret.sql', MACROS, name, ctx), args), calls };
  } catch (e) {
    if (!(e instanceof TsdbtError)) throw e;
    return { error: { code: e.code, message: e.message, file: e.file, line: e.line }, calls };
  }
}

describe('return() in compiled macros', () => {
  for (const [name, args] of CASES) {
    it(`${name}(${JSON.stringify(args)}) is the same as through a thrown MacroReturn`, () => {
      const fast = outcome(name, args, true);
      expect(fast).toEqual(outcome(name, args, false));
    });
  }

  it('gives the values dbt macros rely on', () => {
    const value = (name: string, args: unknown[] = []) => outcome(name, args, true).value;
    expect(value('branches', [1])).toBe('one');
    expect(value('branches', [2])).toBe('two');
    expect(value('in_loop', [[1, 2, 3, 4]])).toBe(3);
    expect(value('in_loop', [[1, 2]])).toBe('a12z');
    expect(value('in_loop_else', [[]])).toBe('empty');
    expect(value('in_recursive', [[{ name: 'a', children: [{ name: 'b', stop: true, children: [] }] }]])).toBe('stopped b');
    expect(value('in_caller')).toBe('<from caller>-outer');
    expect(value('nested')).toBe('inner+outer');
    expect(value('many_args')).toBe(1);
    expect(value('only_kwargs')).toBeUndefined();
    expect(value('star_args')).toBe(7);
    expect(value('shadowed')).toBe('SHADOWED');
    expect(value('first_wins')).toBe('first');
    expect(outcome('counted', [5], true).calls).toEqual([5]);
    expect(outcome('errors_in_arg', [], true).error).toMatchObject({ file: 'macros/ret.sql', line: 23 });
  });

  it('returns directly only from the own function of a macro', () => {
    const js = (src: string) => new JsCompiler({ file: 'm.sql', hasFilter: () => true, hasTest: () => true }).compileTemplate(parseTemplate(src, 'm.sql')).js;
    expect(js('{% macro m() %}{{ return(1) }}{% endmacro %}')).toContain('=== RETURN) return returnedValue(');
    expect(js('{% macro m() %}{% do return(1) %}{% endmacro %}')).toContain('=== RETURN) return returnedValue(');
    expect(js('{{ return(1) }}')).not.toContain('RETURN');
    expect(js('{% macro m() %}{% for x in [1] recursive %}{{ return(1) }}{% endfor %}{% endmacro %}')).not.toContain('RETURN');
    expect(js('{% macro m() %}{% set return = 1 %}{{ return(1) }}{% endmacro %}')).not.toContain('RETURN');
  });

  it('is still an error outside a macro', () => {
    const env = new JinjaEnvironment();
    expect(() => env.renderString('{{ return(1) }}', 'models/m.sql', { vars: {} })).toThrow('return(...) was called outside of a macro');
    expect(() => env.renderString('{% for i in [1] %}{{ return(1) }}{% endfor %}', 'models/m.sql', { vars: {} })).toThrow('return(...) was called outside of a macro');
  });
});
