/** blocks(): the top-level dbt blocks of a file, found without rendering. */
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from '../../../src/jinja/index.js';
import { TsdbtError } from '../../../src/errors/tsdbt-error.js';

const FILE = `{# header comment with {% macro fake() %} inside #}
{% macro cents_to_dollars(column_name, scale=2, sep=', ') -%}
    ({{ column_name }} / 100)::numeric(16, {{ scale }})
{%- endmacro %}

{% test not_null(model, column_name) %}
select * from {{ model }} where {{ column_name }} is null
{% endtest %}

{%- materialization table, adapter='duckdb', supported_languages=['sql', 'python'] -%}
  {% macro nested() %}x{% endmacro %}
  {{ return({'relations': []}) }}
{%- endmaterialization %}

{% materialization view, default %}v{% endmaterialization %}

{% docs orders_status %}
Status of the order: {{ "placed" }}, shipped.
{% enddocs %}

{% raw %}{% macro not_a_macro() %}{% endmacro %}{% endraw %}
{% snapshot orders_snapshot %}
{{ config(target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select * from {{ source('shop', 'orders') }} where note != '%}'
{% endsnapshot %}
`;

describe('blocks()', () => {
  const env = new JinjaEnvironment();
  const blocks = env.blocks(FILE, 'macros/all.sql');

  it('finds all five kinds in order, skipping comments, raw and nested blocks', () => {
    expect(blocks.map((b) => [b.kind, b.name, b.macroName, b.line])).toEqual([
      ['macro', 'cents_to_dollars', 'cents_to_dollars', 2],
      ['test', 'not_null', 'test_not_null', 6],
      ['materialization', 'table', 'materialization_table_duckdb', 10],
      ['materialization', 'view', 'materialization_view_default', 15],
      ['docs', 'orders_status', undefined, 17],
      ['snapshot', 'orders_snapshot', undefined, 22],
    ]);
  });

  it('gives argument names with default source text', () => {
    expect(blocks[0]!.args).toEqual([{ name: 'column_name' }, { name: 'scale', default: '2' }, { name: 'sep', default: "', '" }]);
    expect(blocks[1]!.args).toEqual([{ name: 'model' }, { name: 'column_name' }]);
    expect(blocks[2]!.adapter).toBe('duckdb');
    expect(blocks[2]!.args).toEqual([{ name: 'supported_languages', default: "['sql', 'python']" }]);
    expect(blocks[3]!.args).toEqual([{ name: 'supported_languages', default: "['sql']" }]);
  });

  it('gives body and full source text', () => {
    expect(blocks[0]!.body).toBe('\n    ({{ column_name }} / 100)::numeric(16, {{ scale }})\n');
    expect(blocks[0]!.source).toBe(
      "{% macro cents_to_dollars(column_name, scale=2, sep=', ') -%}\n    ({{ column_name }} / 100)::numeric(16, {{ scale }})\n{%- endmacro %}",
    );
    expect(blocks[4]!.body).toBe('\nStatus of the order: {{ "placed" }}, shipped.\n');
    expect(blocks[5]!.body).toContain("select * from {{ source('shop', 'orders') }} where note != '%}'");
    expect(blocks[3]!.source).toBe('{% materialization view, default %}v{% endmaterialization %}');
  });

  it('agrees with the compiler on macro names', () => {
    const tpl = env.compile(FILE, 'macros/all.sql');
    expect(tpl.macroNames).toEqual(['cents_to_dollars', 'test_not_null', 'materialization_table_duckdb', 'materialization_view_default']);
  });

  it('reports an unclosed block at its opening line', () => {
    try {
      env.blocks('select 1\n\n{% macro m() %}\nbody\n', 'macros/bad.sql');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TsdbtError);
      expect((e as TsdbtError).code).toBe('JINJA_SYNTAX');
      expect((e as TsdbtError).line).toBe(3);
      expect((e as TsdbtError).message).toContain("the 'macro' block is never closed");
    }
  });

  it('passes over a stray end tag and any other tag outside a block, as dbt does (dbt_servicenow v1.0.0 docs.md)', () => {
    expect(env.blocks('x\n{% endmacro %}', 'macros/bad.sql')).toEqual([]);
    const docs = '{% docs a %}\nA\n{% enddocs %}\n\n{% unverified %}\nU\n{% enddocs %}\n{% docs b %}B{% enddocs %}';
    expect(env.blocks(docs, 'models/docs.md').map((b) => [b.kind, b.name, b.body, b.line])).toEqual([
      ['docs', 'a', '\nA\n', 1],
      ['docs', 'b', 'B', 8],
    ]);
  });

  it('finds every block of a large file, on the right line (its speed: bench/jinja-render.bench.test.ts)', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `{% macro m${i}(a, b=${i}) %}select {{ a }} + {{ b }}{% if a %}x{% endif %}{% endmacro %}\n`).join('');
    const found = env.blocks(big, 'macros/big.sql');
    expect(found).toHaveLength(5000);
    expect(found[4999]!.line).toBe(5000);
    expect(found[4999]!.name).toBe('m4999');
  });
});

describe('blocks() tag scanning', () => {
  const env = new JinjaEnvironment();

  it('reads a tag name after whitespace control and spaces of any kind', () => {
    const src = '{%-\u00a0macro a() -%}x{%+ endmacro +%}{%macro b()%}y{%endmacro-%}{%-\tmacro c() %}z{% endmacro %}';
    expect(env.blocks(src, 'f.sql').map((b) => [b.name, b.body])).toEqual([
      ['a', 'x'],
      ['b', 'y'],
      ['c', 'z'],
    ]);
  });

  it('reports the first error in the file: an unclosed tag inside a block', () => {
    expect(() => env.blocks('{% endmacro %}\n{% macro m() ', 'f.sql')).toThrow('a {% tag is never closed with %}');
    expect(() => env.blocks('{% macro m() %}\n{% if x ', 'f.sql')).toThrow('a {% tag is never closed with %}');
  });

  it('numbers lines of blocks past long stretches of text', () => {
    const src = `${'-- text\n'.repeat(500)}{% macro m() %}{% endmacro %}\n\n{% macro n() %}{% endmacro %}`;
    expect(env.blocks(src, 'f.sql').map((b) => [b.name, b.line])).toEqual([
      ['m', 501],
      ['n', 503],
    ]);
  });
});
