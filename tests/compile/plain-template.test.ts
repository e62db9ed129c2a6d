import { describe, expect, it } from 'vitest';
import { readPlainTemplate, renderPlainTemplate } from '../../src/compile/plain-template.js';
import { JinjaEnvironment, pyFunction, type RenderContext } from '../../src/jinja/index.js';

/** A relation as ref() returns it: `{{ }}` prints its __str__, not its render(). */
const relation = (name: string) => ({ render: () => `"db"."main"."${name}"`, __str__: () => `"db"."main"."${name}" /* str */` });

/** A context whose ref/source/config record their calls, as the runtime's do their ephemerals. */
function context(): { context: RenderContext; calls: unknown[] } {
  const calls: unknown[] = [];
  const context: RenderContext = {
    vars: {
      ref: pyFunction((args, kwargs) => {
        calls.push(['ref', args, kwargs]);
        if (args[0] === 'missing') throw new Error('no such model');
        if (args[0] === 'number') return 42;
        return relation(args.join('.'));
      }),
      source: pyFunction((args, kwargs) => {
        calls.push(['source', args, kwargs]);
        return relation(`${String(args[0])}__${String(args[1])}`);
      }),
      config: pyFunction((args, kwargs) => {
        calls.push(['config', args, kwargs]);
        return '';
      }),
      other: pyFunction(() => 'other'),
    },
  };
  return { context, calls };
}

const env = new JinjaEnvironment();

/** The compiled template's output and calls, and the plain path's (undefined output: not taken). */
function both(source: string) {
  const viaTemplate = context();
  const template = env.renderString(source, 'models/x.sql', viaTemplate.context);
  const plain = readPlainTemplate(source);
  const viaPlain = context();
  const out = plain && renderPlainTemplate(plain, viaPlain.context);
  return { template, templateCalls: viaTemplate.calls, plain: out, plainCalls: viaPlain.calls };
}

describe('plain templates (text and literal ref/source/config calls) render as their compiled template', () => {
  it.each([
    "{{ config(tags=['t0']) }}\nselect id, name from {{ ref('model_327') }}\nunion all\nselect id from {{ ref('model_8') }}\n",
    "{{config(materialized='table', tags=['a', \"b\"], enabled=true, persist=False, x=None, n=12, nested=[[1, 'two'], []])}}select 1",
    "select * from {{ source('raw', 'orders') }} join {{ ref('pkg', 'm', v=2) }} using (id)\n\n",
    'select * from {{ ref("double_quoted") }} where x = \'}}\' -- a brace in text }}',
    "{{ ref('a}}b') }} -- the literal holds the closing braces",
    'no jinja at all\n',
    'no jinja, no newline',
    '',
    '\n',
    '{{ ref(\n  "spread"\n  ,\n  "lines"\n) }}',
    "{{ config() }}{{ ref('x') }}{{ ref('y') }}",
    "{{\tconfig(_x1=1, a_2='b', Z9=True)\t}}{{ ref(\n'x_1'\t) }}",
  ])('%j', (source) => {
    const r = both(source);
    expect(r.plain).toBe(r.template);
    expect(r.plainCalls).toEqual(r.templateCalls);
  });

  it.each([
    "{% set x = 1 %}{{ ref('a') }}",
    "{# c #}{{ ref('a') }}",
    "{{- ref('a') }}",
    "{{ ref('a') -}}",
    "{{ ref('a') | upper }}",
    "{{ ref('a').identifier }}",
    "{{ ref('a' 'b') }}",
    "{{ ref('a' ~ 'b') }}",
    "{{ ref(x) }}",
    "{{ ref('it\\'s') }}",
    "{{ ref(n=-1) }}",
    "{{ ref(n=1.5) }}",
    "{{ ref(n=1_000) }}",
    "{{ ref(n=007) }}",
    "{{ ref(['a',]) }}",
    "{{ ref(a=1, 'b') }}",
    "{{ ref(a=1, a=2) }}",
    "{{ ref({'a': 1}) }}",
    "{{ ref(('a', 'b')) }}",
    "{{ other('a') }}",
    "{{ var('a') }}",
    "{{ ref('a') }",
    "{{ ref('a') }}\r\n",
    "{{ ref('a')\u00a0}}",
    "{{ config(1a=2) }}",
    "{{ config(\u00e9=1) }}",
    "{{ refs('a') }}",
    "{{ ref_('a') }}",
  ])('leaves %j to the template', (source) => {
    expect(readPlainTemplate(source)).toBeUndefined();
  });

  it('gives up (undefined) when a call throws, returns something `{{ }}` prints otherwise, or the name is shadowed', () => {
    const { context: c } = context();
    expect(renderPlainTemplate(readPlainTemplate("{{ ref('missing') }}")!, c)).toBeUndefined();
    expect(renderPlainTemplate(readPlainTemplate("{{ ref('number') }}")!, c)).toBeUndefined();
    // A user macro named `ref` hides the member (ContextFactory.finish sets it to undefined): the template resolves the macro.
    c.vars.ref = undefined;
    expect(renderPlainTemplate(readPlainTemplate("{{ ref('a') }}")!, c)).toBeUndefined();
  });
});
