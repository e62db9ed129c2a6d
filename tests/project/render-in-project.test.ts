import { describe, expect, it } from 'vitest';
import { renderInProject } from '../support/render-in-project.js';

describe('renderInProject (test support)', () => {
  it('renders with the project macros, dispatch and target', () => {
    const out = renderInProject("{{ greet('x') }} {{ target.schema }}", {
      'macros/greet.sql': "{% macro greet(n) %}{{ return(adapter.dispatch('greet')(n)) }}{% endmacro %}\n{% macro default__greet(n) %}hi {{ n }}{% endmacro %}\n{% macro duckdb__greet(n) %}quack {{ n }}{% endmacro %}",
    });
    expect(out).toBe('quack x main');
  });
});
