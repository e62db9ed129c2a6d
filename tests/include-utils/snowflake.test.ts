import { describe, expect, it } from 'vitest';
import { renderInProject } from '../support/render-in-project.js';
import { ensureSnowflakeAdapter, SNOWFLAKE_PROFILE } from './support/snowflake-target.js';

// The same macros with a `type: snowflake` target: dispatch finds
// dbt_snowflake's snowflake__ macros, else the dbt package's default__ ones.
// Asserted as SQL only: tests never reach a real Snowflake.
ensureSnowflakeAdapter();
const render = (template: string) => renderInProject(template, SNOWFLAKE_PROFILE);

describe('cross-database macros on Snowflake', () => {
  it('dispatch sees the snowflake target', () => {
    expect(render('{{ target.type }}|{{ adapter.type() }}')).toBe('snowflake|snowflake');
  });

  it('dates use Snowflake dateadd/datediff and to_date', () => {
    expect(render(`{{ dbt.dateadd('month', 1, "'2024-01-31'::date") }}`)).toBe("dateadd(month, 1, '2024-01-31'::date)");
    expect(render(`{{ dbt.datediff('a', 'b', 'week') }}`)).toBe('datediff(week, a, b)');
    expect(render(`{{ dbt.date_trunc('month', 'd') }}`)).toBe("date_trunc('month', d)");
    expect(render('{{ dbt.date(2024, 2, 29) }}')).toBe("to_date('2024-02-29', 'YYYY-MM-DD')");
    expect(render('{{ dbt.date(2024, 1, 5) }}')).toBe("to_date('2024-01-05', 'YYYY-MM-DD')");
    expect(render(`{{ dbt.last_day('d', 'quarter') }}`)).toBe("cast(dateadd(day, -1, dateadd(quarter, 1, date_trunc('quarter', d))) as date)");
  });

  it('date_spine and generate_series use the portable binary cross join', () => {
    expect(render('{{ dbt.generate_series(3) }}')).toBe(`with p as (
  select 0 as generated_number union all select 1
), unioned as (
  select p0.generated_number * power(2, 0) + p1.generated_number * power(2, 1) + 1 as generated_number
  from p as p0 cross join p as p1
)
select * from unioned where generated_number <= 3 order by generated_number`);
    expect(render(`{{ dbt.date_spine('day', "'2024-01-01'::date", "'2024-02-01'::date") }}`)).toBe(`with rawdata as (
with p as (
  select 0 as generated_number union all select 1
), unioned as (
  select p0.generated_number * power(2, 0) + 1 as generated_number
  from p as p0
)
select * from unioned where generated_number <= 1 order by generated_number
), all_periods as (
  select (dateadd(day, row_number() over (order by 1) - 1, '2024-01-01'::date)) as date_day
  from rawdata
), filtered as (
  select * from all_periods where date_day <= '2024-02-01'::date
)
select * from filtered`);
  });

  it('aggregates: any_value, boolor_agg, listagg within group, array_slice for a limit', () => {
    expect(render(`{{ dbt.any_value('x') }}|{{ dbt.bool_or('b') }}`)).toBe('any_value(x)|boolor_agg(b)');
    expect(render(`{{ dbt.listagg('name') }}`)).toBe("listagg(name, ',')");
    expect(render(`{{ dbt.listagg('name', "', '", 'order by id') }}`)).toBe("listagg(name, ', ') within group (order by id)");
    expect(render(`{{ dbt.listagg('name', "','", 'order by id desc', 3) }}`)).toBe(
      "array_to_string(array_slice(array_agg(name) within group (order by id desc), 0, 3), ',')",
    );
  });

  it('arrays use array_construct, array_append and array_cat', () => {
    expect(render('{{ dbt.array_construct([1, 2]) }}|{{ dbt.array_construct() }}')).toBe('array_construct( 1 , 2 )|array_construct(  )');
    expect(render(`{{ dbt.array_append('xs', 3) }}|{{ dbt.array_concat('xs', 'ys') }}`)).toBe('array_append(xs, 3)|array_cat(xs, ys)');
  });

  it('casts: try_cast takes text, variant casts plainly, spatial types use constructors', () => {
    expect(render(`{{ dbt.cast('x', 'number') }}|{{ dbt.cast('x', 'geography') }}|{{ dbt.cast('x', 'GEOMETRY') }}`)).toBe('cast(x as number)|to_geography(x)|to_geometry(x)');
    expect(render(`{{ dbt.safe_cast('x', 'number') }}`)).toBe('try_cast(x as number)');
    expect(render(`{{ dbt.safe_cast(12, 'number') }}`)).toBe("try_cast('12' as number)");
    expect(render(`{{ dbt.safe_cast('v', 'variant') }}`)).toBe('cast(v as variant)');
    expect(render(`{{ dbt.safe_cast('g', 'geography') }}|{{ dbt.safe_cast('g', 'geometry') }}`)).toBe('try_to_geography(g)|try_to_geometry(g)');
    expect(render(`{{ dbt.cast_bool_to_text('flag') }}`)).toBe('cast(flag as TEXT)');
  });

  it('strings: escape with a backslash, right of zero is empty, split_part native', () => {
    expect(render(`{{ dbt.escape_single_quotes("they're") }}`)).toBe("they\\'re");
    expect(render(`{{ dbt.right('s', 'n') }}`)).toBe("case when n = 0 then '' else right(s, n) end");
    expect(render(`{{ dbt.split_part('s', "'.'", -1) }}`)).toBe("split_part(s, '.', -1)");
    expect(render(`{{ dbt.concat(['a', 'b']) }}|{{ dbt.hash('a') }}|{{ dbt.length('a') }}`)).toBe('a || b|md5(cast(a as TEXT))|length(a)');
    expect(render(`{{ dbt.position("'x'", 'a') }}|{{ dbt.replace('a', "'x'", "'y'") }}|{{ dbt.string_literal('v') }}`)).toBe("position('x' in a)|replace(a, 'x', 'y')|'v'");
  });

  it('set operators and equals', () => {
    expect(render('{{ dbt.except() }}|{{ dbt.intersect() }}|{{ dbt.equals("a", "b") }}')).toBe('except|intersect|(a = b)');
  });

  it('timestamps are converted to UTC', () => {
    expect(render('{{ dbt.current_timestamp() }}')).toBe("convert_timezone('UTC', current_timestamp())");
    expect(render('{{ dbt.current_timestamp_backcompat() }}')).toBe('current_timestamp::timestamp');
    expect(render('{{ dbt.current_timestamp_in_utc_backcompat() }}')).toBe("convert_timezone('UTC', current_timestamp::timestamp)::timestamp");
  });

  it('data types are dbt base Column labels (Snowflake maps timestamp to TIMESTAMP_NTZ itself)', () => {
    expect(render('{{ dbt.type_string() }}|{{ dbt.type_timestamp() }}|{{ dbt.type_float() }}|{{ dbt.type_numeric() }}|{{ dbt.type_bigint() }}|{{ dbt.type_int() }}|{{ dbt.type_boolean() }}')).toBe(
      'TEXT|timestamp|float|numeric(28,6)|bigint|integer|boolean',
    );
  });
});
