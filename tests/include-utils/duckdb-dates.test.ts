import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { renderInProject } from '../support/render-in-project.js';
import { duckdbQuery } from './support/duckdb-query.js';

// Cross-database date macros on the default (DuckDB) target: the exact SQL
// each renders, then that SQL run on a real DuckDB.
const query = duckdbQuery();
const render = (template: string) => renderInProject(template);
const scalar = async (expression: string) => Object.values((await query(`select ${expression} as v`))[0]!)[0];
/** Render `{{ call }}`, run it as `cast(... as varchar)`, and return the text. */
const runText = async (call: string) => scalar(`cast(${render(`{{ ${call} }}`)} as varchar)`);

describe('dateadd on DuckDB', () => {
  it('renders the interval as a multiple of one unit, qualified or not', () => {
    expect(render(`{{ dbt.dateadd('day', 1, "date '2024-01-31'") }}`)).toBe("(date '2024-01-31' + cast(1 as bigint) * interval 1 day)");
    expect(render(`{{ dateadd('month', -2, 'order_date') }}`)).toBe('(order_date + cast(-2 as bigint) * interval 1 month)');
    expect(render(`{{ dbt.dateadd('quarter', 1, 'd') }}`)).toBe('(d + (cast(1 as bigint) * 3) * interval 1 month)');
    expect(render(`{{ dbt.dateadd('week', 'n', 'd') }}`)).toBe('(d + (cast(n as bigint) * 7) * interval 1 day)');
    expect(render(`{{ dbt.dateadd(datepart='HOUR', interval=3, from_date_or_timestamp='ts') }}`)).toBe('(ts + cast(3 as bigint) * interval 1 hour)');
  });

  it('clamps month ends, and takes quarters, weeks, negative and text amounts', async () => {
    expect(await runText(`dbt.dateadd('month', 1, "date '2024-01-31'")`)).toBe('2024-02-29 00:00:00');
    expect(await runText(`dbt.dateadd('quarter', 1, "date '2023-11-30'")`)).toBe('2024-02-29 00:00:00');
    expect(await runText(`dbt.dateadd('week', 2, "date '2024-01-01'")`)).toBe('2024-01-15 00:00:00');
    expect(await runText(`dbt.dateadd('day', "'-1'", "date '2024-03-01'")`)).toBe('2024-02-29 00:00:00');
    expect(await runText(`dbt.dateadd('hour', 25, "timestamp '2024-01-01 00:30:00'")`)).toBe('2024-01-02 01:30:00');
  });

  it('takes an expression as the amount (the date_spine case)', async () => {
    const sql = `select cast(${render(`{{ dbt.dateadd('day', 'row_number() over (order by 1) - 1', "date '2024-02-28'") }}`)} as date)::varchar as d from range(3)`;
    expect((await query(sql)).map((r) => r.d)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});

describe('datediff on DuckDB', () => {
  it('renders date_diff on timestamps, weeks through Sunday-start weeks', () => {
    expect(render(`{{ dbt.datediff("'2024-01-31'", "'2024-02-01'", 'month') }}`)).toBe("date_diff('month', ('2024-01-31')::timestamp, ('2024-02-01')::timestamp)");
    expect(render(`{{ datediff('a', 'b', 'week') }}`)).toBe(
      "date_diff('week', date_trunc('week', (a)::timestamp + interval 1 day), date_trunc('week', (b)::timestamp + interval 1 day))",
    );
  });

  it('counts boundaries crossed, not whole periods elapsed', async () => {
    const diff = (a: string, b: string, part: string) => scalar(render(`{{ dbt.datediff("${a}", "${b}", '${part}') }}`));
    expect(await diff("date '2024-01-31'", "date '2024-02-01'", 'month')).toBe(1);
    expect(await diff("date '2024-02-01'", "date '2024-02-29'", 'month')).toBe(0);
    expect(await diff("date '2023-12-31'", "date '2024-01-01'", 'year')).toBe(1);
    expect(await diff("timestamp '2024-01-06 23:00:00'", "timestamp '2024-01-07 01:00:00'", 'day')).toBe(1);
    expect(await diff("timestamp '2024-01-07 01:00:00'", "timestamp '2024-01-06 23:00:00'", 'day')).toBe(-1);
    expect(await diff("date '2024-01-01'", "date '2024-12-31'", 'quarter')).toBe(3);
    expect(await diff("timestamp '2024-01-01 10:59:59'", "timestamp '2024-01-01 11:00:00'", 'hour')).toBe(1);
  });

  it('counts a week each time a Sunday is reached, in both directions', async () => {
    // Every pair of dates over seven weeks, against the count of Sundays
    // passed, computed here in TypeScript.
    const days = Array.from({ length: 49 }, (_, i) => new Date(Date.UTC(2023, 11, 1 + i)));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const sundayWeek = (d: Date) => Math.floor((d.getTime() / 86_400_000 + 4) / 7); // 1970-01-04 was a Sunday
    const expected = days.flatMap((a) => days.map((b) => ({ a: iso(a), b: iso(b), w: sundayWeek(b) - sundayWeek(a) })));
    const values = days.map((d) => `(date '${iso(d)}')`).join(', ');
    const weeks = render(`{{ dbt.datediff('x.d', 'y.d', 'week') }}`);
    const rows = await query(`with t(d) as (values ${values}) select x.d::varchar as a, y.d::varchar as b, ${weeks} as w from t x, t y order by 1, 2`);
    expect(rows).toEqual(expected);
  });
});

describe('date_trunc, last_day and date on DuckDB', () => {
  it('renders date_trunc with the part quoted', async () => {
    expect(render(`{{ dbt.date_trunc('month', 'd') }}`)).toBe("date_trunc('month', d)");
    expect(await runText(`dbt.date_trunc('quarter', "date '2024-05-17'")`)).toBe('2024-04-01 00:00:00');
  });

  it('renders last_day through dateadd and date_trunc, a quarter as three months', () => {
    expect(render(`{{ dbt.last_day('d', 'month') }}`)).toBe(
      "cast(((date_trunc('month', d) + cast(1 as bigint) * interval 1 month) + cast(-1 as bigint) * interval 1 day) as date)",
    );
    expect(render(`{{ dbt.last_day('d', 'quarter') }}`)).toBe(
      "cast(((date_trunc('quarter', d) + cast(3 as bigint) * interval 1 month) + cast(-1 as bigint) * interval 1 day) as date)",
    );
  });

  it('finds the last day of a month, quarter and year', async () => {
    expect(await runText(`dbt.last_day("date '2024-02-10'", 'month')`)).toBe('2024-02-29');
    expect(await runText(`dbt.last_day("date '2023-02-10'", 'month')`)).toBe('2023-02-28');
    expect(await runText(`dbt.last_day("date '2024-05-17'", 'quarter')`)).toBe('2024-06-30');
    expect(await runText(`dbt.last_day("date '2024-05-17'", 'year')`)).toBe('2024-12-31');
  });

  it('builds a date from numbers with make_date', async () => {
    expect(render('{{ dbt.date(2024, 2, 29) }}')).toBe('make_date(2024, 2, 29)');
    expect(await scalar(`${render('{{ dbt.date(2024, 2, 29) }}')}::varchar`)).toBe('2024-02-29');
  });

  it('rejects a date that does not exist, quoting it and naming the calling model', () => {
    const err = (() => {
      try {
        render('{{ dbt.date(2023, 2, 29) }}');
      } catch (e) {
        return e as TsdbtError;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(TsdbtError);
    expect(err.code).toBe('COMPILER_ERROR');
    expect(err.message).toContain('dbt.date(2023, 2, 29) is not a calendar date. Give a year 1-9999, a month 1-12 and a day that exists in that month. (called from models/__render__.sql)');
    expect(() => render("{{ dbt.date('2024', 1, 2) }}")).toThrow(
      'dbt.date(2024, 1, 2): year, month and day must be numbers. Pass them unquoted, e.g. dbt.date(2024, 1, 31). (called from models/__render__.sql)',
    );
  });
});
