/** Runtime errors: TsdbtError with the template file and the line being rendered. */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, pyFunction, type RenderContext } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';

function renderError(source: string, vars: Record<string, unknown> = {}, resolve?: RenderContext['resolve']): TsdbtError {
  const env = new JinjaEnvironment();
  try {
    env.renderString(source, 'models/m.sql', resolve ? { vars, resolve } : { vars });
  } catch (e) {
    expect(e).toBeInstanceOf(TsdbtError);
    return e as TsdbtError;
  }
  throw new Error('expected a render error');
}

describe('render errors', () => {
  it('attribute of an undefined name', () => {
    const e = renderError('select 1\n{% for i in [1] %}\n  {{ i }} {{ cfg.schema }}\n{% endfor %}');
    expect([e.code, e.file, e.line, e.message]).toEqual(['JINJA_RENDER', 'models/m.sql', 3, "'cfg' is undefined"]);
  });

  it('attribute of an undefined attribute names the missing one', () => {
    const e = renderError('\n{{ d.a.b.c }}', { d: { a: 1 } });
    expect([e.line, e.message]).toEqual([2, "'int object' has no attribute 'b'"]);
    expect(renderError('{{ d.missing.z }}', { d: {} }).message).toBe("'dict object' has no attribute 'missing'");
    expect(renderError('{{ n.x.y }}', { n: null }).message).toBe("'None' has no attribute 'x'");
  });

  it('calling an undefined name', () => {
    const e = renderError('a\nb\n{{ nope(1) }}');
    expect([e.line, e.message]).toEqual([3, "'nope' is undefined"]);
    expect(renderError('{{ d.nope() }}', { d: {} }).message).toBe("'dict object' has no attribute 'nope'");
  });

  it('rendering and testing undefined names is fine', () => {
    const env = new JinjaEnvironment();
    expect(env.renderString('[{{ nope }}]{{ nope is defined }}{{ nope | default("d") }}{% for x in nope %}x{% endfor %}', 'a.sql', { vars: {} })).toBe(
      '[]Falsed',
    );
  });

  it("dbt's parse-time mode (lenientUndefined) lets attribute, item and call on Undefined through", () => {
    const env = new JinjaEnvironment();
    const src = "[{{ cfg.schema }}][{{ cfg['x'].y }}][{{ nope(1).z }}][{{ d.missing.deeper }}][{{ pkg.macro(1) }}][{{ nope[1:] }}]";
    expect(env.renderString(src, 'models/m.sql', { vars: { d: {} }, lenientUndefined: true })).toBe('[][][][][][]');
    // Operators on Undefined still raise, as with dbt's parse-time Undefined.
    expect(() => env.renderString('{{ nope + 1 }}', 'models/m.sql', { vars: {}, lenientUndefined: true })).toThrow(TsdbtError);
    expect(() => env.renderString(src, 'models/m.sql', { vars: { d: {} } })).toThrow("'cfg' is undefined");
  });

  it('Python type errors from operators', () => {
    const e = renderError("\n\n{{ 'a' + 1 }}");
    expect(e.code).toBe('JINJA_RENDER');
    expect(e.line).toBe(3);
    expect(e.message).toContain('can only concatenate str (not "int") to str');
  });

  it('a plain JS error from a context function becomes JINJA_RENDER with file and line', () => {
    const boom = pyFunction(() => {
      throw new Error('connection refused');
    });
    const e = renderError('select\n  {{ boom() }}', { boom });
    expect([e.code, e.file, e.line, e.message]).toEqual(['JINJA_RENDER', 'models/m.sql', 2, 'connection refused']);
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('a TsdbtError keeps its code, and its own location when it has one', () => {
    const located = pyFunction(() => {
      throw new TsdbtError('VAR_MISSING', "var('x') is not defined", { file: 'dbt_project.yml', line: 4 });
    });
    const e = renderError('\n{{ f() }}', { f: located });
    expect([e.code, e.file, e.line]).toEqual(['VAR_MISSING', 'dbt_project.yml', 4]);
  });

  it('an error inside a macro from another file is located in that file', () => {
    const env = new JinjaEnvironment();
    const macros = "{% macro bad(x) %}\n\n  {{ x.missing.deeper }}\n{% endmacro %}";
    const ctx: RenderContext = { vars: {}, resolve: (n) => (n === 'bad' ? env.bindMacro('macros/bad.sql', macros, 'bad', ctx) : undefined) };
    try {
      env.renderString('select\n{{ bad({}) }}', 'models/m.sql', ctx);
      expect.unreachable();
    } catch (e) {
      const t = e as TsdbtError;
      expect([t.code, t.file, t.line, t.message]).toEqual(['JINJA_RENDER', 'macros/bad.sql', 3, "'dict object' has no attribute 'missing'"]);
    }
  });

  it('assigning an attribute of something that is not a namespace', () => {
    const e = renderError("{% set d = {} %}\n{% set d.x = 1 %}");
    expect(e.line).toBe(2);
    expect(e.message).toContain("cannot assign attribute 'x' on 'd'");
  });

  it('unpacking the wrong number of values', () => {
    expect(renderError('{% set a, b = [1, 2, 3] %}').message).toBe('too many values to unpack (expected 2)');
    expect(renderError('{% for a, b in [[1]] %}{% endfor %}').message).toBe('not enough values to unpack (expected 2, got 1)');
  });

  it('macro argument errors', () => {
    expect(renderError('{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}').message).toBe("macro 'm' takes not more than 1 argument(s)");
    expect(renderError('{% macro m(a) %}{% endmacro %}{{ m(1, a=2) }}').message).toBe("macro 'm' got multiple values for argument 'a'");
  });

  it('return() outside a macro', () => {
    const e = renderError('select 1\n{{ return(5) }}');
    expect([e.code, e.file, e.message]).toEqual(['JINJA_RENDER', 'models/m.sql', 'return(...) was called outside of a macro']);
  });

  it('endless recursion', () => {
    const e = renderError('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}');
    expect(e.message).toBe('maximum recursion depth exceeded while rendering');
    expect(e.file).toBe('models/m.sql');
  });

  it('iterating a non-iterable', () => {
    expect(renderError('{% for x in 5 %}{% endfor %}').message).toBe("'int' object is not iterable");
    expect(renderError('{% for x in none %}{% endfor %}').message).toBe("'NoneType' object is not iterable");
  });
});
