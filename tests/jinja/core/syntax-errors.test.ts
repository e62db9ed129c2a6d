/** Syntax errors: JINJA_SYNTAX with the file and the 1-based line Jinja2 reports. */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';

function syntaxError(source: string): TsdbtError {
  const env = new JinjaEnvironment();
  try {
    env.compile(source, 'models/bad.sql');
  } catch (e) {
    expect(e).toBeInstanceOf(TsdbtError);
    return e as TsdbtError;
  }
  throw new Error('expected a syntax error');
}

describe('syntax errors', () => {
  const cases: [string, string, number, RegExp][] = [
    ['unclosed if', 'a\nb\n{% if x %}\nc', 3, /'if' block opened on line 3 is never closed \(expected 'elif' or 'else' or 'endif'\)/],
    ['unclosed for at end', 'select\n{% for c in cols %}\n{{ c }},\n', 3, /'for' block opened on line 2 is never closed/],
    ['dangling operator', 'a\n{{ 1 + }}\n', 2, /unexpected end of print statement/],
    ['unknown tag', 'a\n\n{% foo %}', 3, /Encountered unknown tag 'foo'/],
    ['mismatched end tag', '{% for x in y %}\n{% endif %}\n{% endfor %}', 2, /unknown tag 'endif' \(the 'for' block opened on line 1 expects 'else' or 'endfor'\)/],
    ['two expressions', 'x\n{{ a b }}', 2, /expected end of print statement '}}', got 'b'/],
    ['set without target', 'x\ny\n{% set %}', 3, /expected a name/],
    ['non-default after default', '\n{% macro m(a=1, b) %}{% endmacro %}', 2, /non-default argument 'b' follows default argument/],
    ['unknown filter', 'a\n{{ x | nofilter }}', 2, /No filter named 'nofilter'/],
    ['break outside loop', '\n\n{% break %}', 3, /'break' is only allowed inside a for loop/],
    ['stray end tag', '\n{% endfor %}', 2, /Encountered unknown tag 'endfor'/],
    ['bad attribute', 'a\n{{ x.[1] }}', 2, /expected an attribute name after '.', got '\['/],
    ['unclosed macro', '{% macro m() %}\nselect 1\n', 1, /'macro' block opened on line 1 is never closed/],
    ['bad materialization arg', "\n{% materialization table, flavour='x' %}{% endmaterialization %}", 2, /unexpected argument 'flavour'/],
    ['unclosed raw', 'x\n{% raw %}\n{{ y }}', 2, /'raw' block opened on line 2 is never closed/],
    // Lines counted across long text tokens (found by indexOf) and short ones alike.
    ['after long text', `${'select a, b, c from some_table where x = 1\n'.repeat(40)}{{ ref('m') }} {{ 1 + }}`, 41, /unexpected end of print statement/],
    ['long text, no newline after', `${'x'.repeat(100)}\n${'y'.repeat(100)} {{ a }} ${'z'.repeat(100)} {{ 1 + }}`, 2, /unexpected end of print statement/],
    ['long comment spanning lines', `{# ${'note\n'.repeat(30)} #}${'w'.repeat(80)}\n{% endif %}`, 32, /Encountered unknown tag 'endif'/],
  ];
  for (const [name, source, line, message] of cases) {
    it(name, () => {
      const e = syntaxError(source);
      expect(e.code).toBe('JINJA_SYNTAX');
      expect(e.file).toBe('models/bad.sql');
      expect(e.message).toMatch(message);
      expect(e.line).toBe(line);
      expect(e.hint).toBeTruthy();
    });
  }

  it('quotes the offending line', () => {
    const e = syntaxError('select 1\n{{ amount | nofilter(2) }} as x\n');
    expect(e.message).toBe("No filter named 'nofilter'. (near: {{ amount | nofilter(2) }} as x)");
    expect(e.detail).toEqual({ sourceLine: '{{ amount | nofilter(2) }} as x' });
    expect(e.format()).toBe("models/bad.sql:2: No filter named 'nofilter'. (near: {{ amount | nofilter(2) }} as x)\n  Check the filter name; Jinja2 filters such as default, join, lower, upper, replace are available.");
  });

  it('reports an unknown test only when it is evaluated (as Jinja2 does)', () => {
    const env = new JinjaEnvironment();
    expect(env.renderString('{% if false and x is nosuchtest %}y{% endif %}ok', 'a.sql', { vars: {} })).toBe('ok');
    expect(() => env.renderString('\n{{ 1 is nosuchtest }}', 'a.sql', { vars: {} })).toThrow("No test named 'nosuchtest'.");
  });
});
