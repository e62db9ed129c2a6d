import { describe, expect, it } from 'vitest';
import { readsOnly, type PureVocabulary } from '../../../src/jinja/pure-template.js';

const VOCABULARY: PureVocabulary = {
  names: new Set(['var', 'target']),
  callable: new Set(['var']),
  filters: new Set(['as_bool', 'lower']),
  tests: new Set(['none']),
};

describe('readsOnly: a template reading only the given names, calls, filters and tests', () => {
  it.each([
    'plain text',
    "{{ var('x', true) | as_bool }}",
    "{{ (var('a', false) | as_bool) and (var('b', true) | as_bool) }}",
    "{%- if var('p', None) != None -%}{{ var('p') }}_dq\n{% else %}dq{%- endif -%}",
    "{{ 'warn' if target.type == 'duckdb' else 'error' }}",
    "{{ target.name ~ '-' ~ (var('n', 1) * 2) }}",
    "{{ var('m', {'a': [1, 2]})['a'][0:1] }}",
    "{{ var('x') is none }}",
    "{{ var(name='x', default=-1) | lower }}",
  ])('pure: %s', (source) => {
    expect(readsOnly(source, VOCABULARY)).toBe(true);
  });

  it.each([
    "{{ env_var('X', 'y') }}",
    '{{ run_started_at }}',
    "{{ my_macro('x') }}",
    "{{ target.name.upper() }}",
    "{{ var('x') | upper }}",
    "{{ var('x') is string }}",
    "{{ var(*args) }}",
    "{{ var(**kw) }}",
    "{% set x = var('x') %}{{ x }}",
    "{% for i in [1] %}{{ i }}{% endfor %}",
    "{% macro m() %}{% endmacro %}",
    "{{ modules.datetime.datetime.now() }}",
    "{{ var('x'",
  ])('not pure: %s', (source) => {
    expect(readsOnly(source, VOCABULARY)).toBe(false);
  });

  const WITH_METHODS: PureVocabulary = { ...VOCABULARY, names: new Set(['target', 'run_started_at', 'modules']), methodsOf: new Set(['run_started_at', 'modules']) };

  it.each([
    '{{ run_started_at.astimezone(modules.pytz.timezone("UTC")) }}',
    "{{ run_started_at.strftime('%Y') ~ modules.datetime.datetime.now().isoformat() }}",
    "{{ modules.datetime.timedelta(days=1) }}",
  ])('pure with methodsOf run_started_at and modules: %s', (source) => {
    expect(readsOnly(source, WITH_METHODS)).toBe(true);
    expect(readsOnly(source, VOCABULARY)).toBe(false);
  });

  it.each([
    "{{ target.name.upper() }}",
    "{{ run_started_at.strftime(my_macro()) }}",
    "{{ run_started_at.strftime(*args) }}",
    "{{ modules.datetime.now()[0].x(env_var('X')) }}",
    "{{ (target).update({'a': 1}) }}",
    "{{ ref('a').render() }}",
  ])('not pure with methodsOf run_started_at and modules: %s', (source) => {
    expect(readsOnly(source, WITH_METHODS)).toBe(false);
  });
});
