/** Templates and contexts shared by bench/jinja-render.bench.test.ts and tests/jinja/core/perf.test.ts. */
import nunjucks from 'nunjucks';
import { JinjaEnvironment, pyFunction, type RenderContext } from '../src/jinja/index.js';

/** A model both engines render identically (no Python-only syntax). */
export const MODEL = `{% macro cast_col(name, type) %}cast({{ name }} as {{ type | upper }}){% endmacro %}
{% set cols = [{"name": "id", "type": "int"}, {"name": "email", "type": "text"}, {"name": "amount", "type": "numeric"}, {"name": "created_at", "type": "timestamp"}] %}
with source as (
  select * from {{ ref("raw_orders") }}
),
renamed as (
  select
    {%- for c in cols %}
    {{ cast_col(c.name, c.type) }} as {{ c.name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
  from source
  {% if is_incremental %}where created_at > (select max(created_at) from {{ this }}){% endif %}
)
select {% for c in cols %}{{ c.name }}{{ ", " if not loop.last }}{% endfor %} from renamed
`;

export function nunjucksEnv(): nunjucks.Environment {
  return new nunjucks.Environment(null, { autoescape: false });
}

export const vars = {
  ref: (name: string) => `"db"."main"."${name}"`,
  this: '"db"."main"."orders"',
  is_incremental: true,
};

export const MACROS = `{% macro col_list(cols) %}{{ cols | join(', ') }}{% endmacro %}
{% macro quote(x) %}"{{ x }}"{% endmacro %}
{% macro limit_clause(n=none) %}{% if n %}limit {{ n }}{% endif %}{% endmacro %}`;
export const CALLER = `select {{ col_list(['a', 'b', quote('c')]) }} from {{ ref('t') }} {{ limit_clause(10) }}`;

export function macroContext(env: JinjaEnvironment): RenderContext {
  const ctx: RenderContext = {
    vars: { ref: pyFunction(([n]) => `"db"."main"."${String(n)}"`) },
    resolve: (name) => (['col_list', 'quote', 'limit_clause'].includes(name) ? env.bindMacro('macros/util.sql', MACROS, name, ctx) : undefined),
  };
  return ctx;
}

