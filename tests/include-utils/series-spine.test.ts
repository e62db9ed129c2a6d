import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { run } from '../../src/api/run.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { makeProject } from '../support/project-fixture.js';
import { renderInProject } from '../support/render-in-project.js';
import { duckdbQuery } from './support/duckdb-query.js';

// generate_series, get_powers_of_two, get_intervals_between and date_spine:
// rendered at parse time, and built as real models (where
// get_intervals_between asks DuckDB how many periods to generate).
const query = duckdbQuery();
const render = (template: string) => renderInProject(template);

const errorOf = (fn: () => unknown): TsdbtError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof TsdbtError) return e;
    throw e;
  }
  throw new Error('expected a TsdbtError');
};

describe('generate_series', () => {
  it('get_powers_of_two is the smallest k >= 1 with 2^k >= n', () => {
    const powers = [1, 2, 3, 4, 5, 8, 9, 1000, 1024, 1025].map((n) => render(`{{ dbt.get_powers_of_two(${n}) }}`));
    expect(powers).toEqual(['1', '1', '2', '2', '3', '3', '4', '10', '10', '11']);
  });

  it('on DuckDB selects from its generate_series table function', async () => {
    expect(render('{{ dbt.generate_series(5) }}')).toBe('select generate_series as generated_number from generate_series(1, 5)');
    const rows = await query(render('{{ dbt.generate_series(5) }}'));
    expect(rows.map((r) => r.generated_number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('by default cross joins 0/1 columns as binary digits', async () => {
    expect(render('{{ dbt.default__generate_series(5) }}')).toBe(`with p as (
  select 0 as generated_number union all select 1
), unioned as (
  select p0.generated_number * power(2, 0) + p1.generated_number * power(2, 1) + p2.generated_number * power(2, 2) + 1 as generated_number
  from p as p0 cross join p as p1 cross join p as p2
)
select * from unioned where generated_number <= 5 order by generated_number`);
    for (const n of [1, 2, 7, 100]) {
      const rows = await query(render(`{{ dbt.default__generate_series(${n}) }}`));
      expect(rows.map((r) => r.generated_number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    }
  });

  it('rejects a bound that is not a positive number, quoting it', () => {
    const zero = errorOf(() => render('{{ dbt.generate_series(0) }}'));
    expect(zero.code).toBe('COMPILER_ERROR');
    expect(zero.message).toBe(
      'generate_series: upper bound must be a positive number, got 0. Pass how many rows to generate (1 or more); for a date_spine, an end_date after start_date. (called from models/__render__.sql)',
    );
    expect(errorOf(() => render("{{ dbt.default__generate_series('ten') }}")).message).toContain("got 'ten'.");
  });
});

describe('date_spine', () => {
  it('renders at parse time with one interval (nothing runs while parsing)', () => {
    expect(render(`{{ dbt.date_spine('day', "cast('2024-01-01' as date)", "cast('2024-02-01' as date)") }}`)).toBe(`with rawdata as (
select generate_series as generated_number from generate_series(1, 1)
), all_periods as (
  select ((cast('2024-01-01' as date) + cast(row_number() over (order by 1) - 1 as bigint) * interval 1 day)) as date_day
  from rawdata
), filtered as (
  select * from all_periods where date_day <= cast('2024-02-01' as date)
)
select * from filtered`);
    expect(render(`{{ dbt.get_intervals_between("date '2024-01-01'", "date '2024-03-01'", 'month') }}`)).toBe('1');
  });

  it('builds one row per period, end date excluded, when run', async () => {
    const dir = makeProject({
      'profiles.yml': `test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n`,
      'models/days.sql': `{{ config(materialized='table') }}\n{{ dbt.date_spine('day', "cast('2024-01-01' as date)", "cast('2024-02-01' as date)") }}`,
      'models/months.sql': `{{ config(materialized='table') }}\n{{ date_spine('month', "cast('2023-11-15' as date)", "cast('2024-03-01' as date)") }}`,
      'models/weeks.sql': `{{ config(materialized='table') }}\n{{ dbt.date_spine('week', "cast('2024-01-01' as date)", "cast('2024-01-29' as date)") }}`,
      // Runtime rendering too: the runtime api.Column is another object than the parse-time one.
      'models/typed.sql': `select cast(1.5 as {{ dbt.type_numeric() }}) as n, cast(2 as {{ type_bigint() }}) as b, {{ dbt.hash("'a'") }} as h, {{ dbt.equals('1', '1') }} as e, {{ dbt.safe_cast("'7'", dbt.type_int()) }} as i`,
      'models/intervals.sql': `select {{ dbt.get_intervals_between("date '2024-01-31'", "date '2024-03-01'", 'month') }} as n`,
    });
    const result = await run({ projectDir: dir, profilesDir: dir, env: {} });
    for (const r of result.results) if (r.error) throw r.error;
    expect(result.success).toBe(true);

    const instance = await openDuckDBInstance(join(dir, 'dev.duckdb'));
    const conn = await DuckDBConnection.open(instance);
    const rows = async (sql: string) => (await conn.execute(sql)).rows;
    try {
      const days = await rows('select count(*), min(date_day)::date::varchar, max(date_day)::date::varchar from main.days');
      expect(days).toEqual([[31, '2024-01-01', '2024-01-31']]);
      expect(await rows('select date_month::date::varchar from main.months order by 1')).toEqual([['2023-11-15'], ['2023-12-15'], ['2024-01-15'], ['2024-02-15']]);
      expect(await rows('select date_week::date::varchar from main.weeks order by 1')).toEqual([['2024-01-01'], ['2024-01-08'], ['2024-01-15'], ['2024-01-22']]);
      expect(await rows('select typeof(n), n::varchar, typeof(b), h, e, typeof(i), i from main.typed')).toEqual([
        ['DECIMAL(28,6)', '1.500000', 'BIGINT', '0cc175b9c0f1b6a831c399e269772661', true, 'INTEGER', 7],
      ]);
      // Rendered while running, get_intervals_between is the database's datediff.
      expect(await rows('select n from main.intervals')).toEqual([[2]]);
    } finally {
      await conn.close();
      instance.closeSync();
    }
  });
});
