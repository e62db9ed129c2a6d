import { describe, expect, it } from 'vitest';
import { seed } from '../../src/api/run.js';
import { join } from 'node:path';
import { agateNumber, inferSeedColumnType, loadSeedTable } from '../../src/adapters/base/seed-csv.js';
import { makeProject, statuses } from './harness.js';

const typesOf = (p: { query(sql: string): Promise<Record<string, unknown>[]> }, table: string) =>
  p.query(`select column_name, data_type from information_schema.columns where table_name = '${table}' order by ordinal_position`);

describe('seed column types follow dbt\'s agate inference', () => {
  it('infers each column as agate would, one seed per case, on DuckDB', async () => {
    const p = makeProject({
      // Every field empty: agate's Number accepts nulls, so the column is an integer column.
      'seeds/all_empty.csv': 'id,nothing\n1,\n2,\n',
      // `null` (any case) is null for every type; whole numbers written with a zero fraction are still integers.
      'seeds/nulls.csv': 'n,f,t\nnull,1.0,NULL\n3,2.50,x\n',
      // Above 32 bits a whole-number column needs BIGINT.
      'seeds/big.csv': 'n\n1\n3000000000\n',
      // Dates as strptime('%Y-%m-%d') reads them (one-digit fields too), datetimes as '%Y-%m-%d %H:%M:%S' or ISO 8601 with T.
      'seeds/dates.csv': 'd,dt,iso,iso_tz,frac_space\n2020-1-5,2020-01-05 10:11:12,2020-01-05T10:11:12.5,2020-01-05T10:11:12Z,2020-01-05 10:11:12.5\n',
      // Booleans: true/false in any case; yes/no and 1/0 are not booleans (0/1 are integers).
      'seeds/bools.csv': 'b,yn,bit\nTrue,yes,1\nfalse,no,0\n',
      // An invalid date or a mixed column is text; a leading-zero code is the number 7 to agate (pin it with column_types).
      'seeds/texts.csv': 'bad_date,mixed,code\n2020-02-30,1,007\n2020-02-01,a,010\n',
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ all_empty: 'success', nulls: 'success', big: 'success', dates: 'success', bools: 'success', texts: 'success' });
    expect(await typesOf(p, 'all_empty')).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'nothing', data_type: 'INTEGER' },
    ]);
    expect(await p.query('select * from main.all_empty order by id')).toEqual([{ id: 1, nothing: null }, { id: 2, nothing: null }]);
    expect(await typesOf(p, 'nulls')).toEqual([
      { column_name: 'n', data_type: 'INTEGER' },
      { column_name: 'f', data_type: 'DOUBLE' },
      { column_name: 't', data_type: 'VARCHAR' },
    ]);
    expect(await p.query('select * from main.nulls order by n nulls first')).toEqual([{ n: null, f: 1, t: null }, { n: 3, f: 2.5, t: 'x' }]);
    expect(await typesOf(p, 'big')).toEqual([{ column_name: 'n', data_type: 'BIGINT' }]);
    expect(await p.query('select n::varchar as n from main.big order by n')).toEqual([{ n: '1' }, { n: '3000000000' }]);
    expect(await typesOf(p, 'dates')).toEqual([
      { column_name: 'd', data_type: 'DATE' },
      { column_name: 'dt', data_type: 'TIMESTAMP' },
      { column_name: 'iso', data_type: 'TIMESTAMP' },
      { column_name: 'iso_tz', data_type: 'TIMESTAMP' },
      { column_name: 'frac_space', data_type: 'VARCHAR' },
    ]);
    expect(await p.query('select d::varchar as d, dt::varchar as dt, iso::varchar as iso, iso_tz::varchar as iso_tz, frac_space from main.dates')).toEqual([
      { d: '2020-01-05', dt: '2020-01-05 10:11:12', iso: '2020-01-05 10:11:12.5', iso_tz: '2020-01-05 10:11:12', frac_space: '2020-01-05 10:11:12.5' },
    ]);
    expect(await typesOf(p, 'bools')).toEqual([
      { column_name: 'b', data_type: 'BOOLEAN' },
      { column_name: 'yn', data_type: 'VARCHAR' },
      { column_name: 'bit', data_type: 'INTEGER' },
    ]);
    expect(await p.query('select * from main.bools order by bit')).toEqual([{ b: false, yn: 'no', bit: 0 }, { b: true, yn: 'yes', bit: 1 }]);
    expect(await typesOf(p, 'texts')).toEqual([
      { column_name: 'bad_date', data_type: 'VARCHAR' },
      { column_name: 'mixed', data_type: 'VARCHAR' },
      { column_name: 'code', data_type: 'INTEGER' },
    ]);
    expect(await p.query('select * from main.texts order by code')).toEqual([
      { bad_date: '2020-02-30', mixed: '1', code: 7 },
      { bad_date: '2020-02-01', mixed: 'a', code: 10 },
    ]);
  });

  it('ignores a column_types entry naming a column the CSV lacks, and still pins the others', async () => {
    const p = makeProject({
      'seeds/s.csv': 'id,code\n1,007\n',
      'seeds/props.yml': 'version: 2\nseeds:\n  - name: s\n    config:\n      column_types:\n        code: varchar\n        not_in_csv: bigint\n',
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ s: 'success' });
    expect(await typesOf(p, 's')).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'code', data_type: 'VARCHAR' },
    ]);
    expect(await p.query('select * from main.s')).toEqual([{ id: 1, code: '007' }]);
  });

  it('inferSeedColumnType: the type tester order Number, Date, DateTime, ISO datetime, Boolean, Text', () => {
    expect(inferSeedColumnType([])).toBe('integer');
    expect(inferSeedColumnType(['', ' null '])).toBe('integer');
    expect(inferSeedColumnType(['1e3', '-2'])).toBe('integer');
    expect(inferSeedColumnType(['1.25e1'])).toBe('number');
    expect(inferSeedColumnType(['.5'])).toBe('number');
    expect(inferSeedColumnType(['nan'])).toBe('number');
    expect(inferSeedColumnType(['2020-01-01', ''])).toBe('date');
    expect(inferSeedColumnType(['2020-01-01', '2020-01-01 00:00:00'])).toBe('text');
    expect(inferSeedColumnType(['2020-01-01 24:00:00'])).toBe('text');
    expect(inferSeedColumnType(['20200101T101112+0200'])).toBe('datetime');
    expect(inferSeedColumnType(['TRUE', 'False'])).toBe('boolean');
    expect(inferSeedColumnType(['t', 'f'])).toBe('text');
  });

  // agate's Number.cast (en_US) strips `%`, currency symbols and `,` group separators: these are numbers to dbt.
  it('agateNumber and inference: thousands separators, currency signs and percents make numbers', () => {
    expect(['1,200', '$1,200.50', '-€5', '12%', '$-5', '-$5', ' 7 ', '1,2,3', '$', '1.2.3', '€ 5', '5 kg'].map(agateNumber)).toEqual([
      '1200', '1200.50', '-5', '12', '-5', '-5', '7', '123', undefined, undefined, undefined, undefined,
    ]);
    expect(inferSeedColumnType(['1,200', '$300', '', 'null'])).toBe('integer');
    expect(inferSeedColumnType(['$1,200.50', '3'])).toBe('number');
    expect(inferSeedColumnType(['$3,000,000,000'])).toBe('bigint');
    expect(inferSeedColumnType(['1,200', 'n/a'])).toBe('text');
  });

  it("the parsed seed (what the default materialization inserts, as dbt-snowflake inserts agate's values) holds the numbers", () => {
    const p = makeProject({ 'seeds/money.csv': 'id,amount,price\n1,"1,200","$1,200.50"\n2,300,$5\n' });
    const t = loadSeedTable(join(p.dir, 'seeds/money.csv'), 'seeds/money.csv');
    expect([t.column_names, t.column_types]).toEqual([['id', 'amount', 'price'], ['integer', 'integer', 'number']]);
    expect(t.rawRows).toEqual([[1, 1200, 1200.5], [2, 300, 5]]);
  });

  it("a header's empty and repeated names are agate's: the letter name by position, then `_2` (dbt_workday's header ends in a comma)", async () => {
    expect(loadSeedTable(join(makeProject({ 'seeds/s.csv': 'a,,b,b,b_2\n1,2,3,4,5\n' }).dir, 'seeds/s.csv'), 'seeds/s.csv').column_names).toEqual(['a', 'b', 'b_2', 'b_3', 'b_2_2']);
    const wide = `${Array.from({ length: 36 }, (_, i) => `c${i}`).join(',')},\n${'1,'.repeat(36)}\n`;
    const p = makeProject({
      'seeds/wide.csv': wide,
      'seeds/dupes.csv': 'id,,name,name\n1,x,a,b\n',
      'seeds/dupes_slow.csv': 'id,,name,name\n1,x,a,b\n',
      'seeds/props.yml': 'version: 2\nseeds:\n  - name: dupes_slow\n    config:\n      fast: false\n',
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ wide: 'success', dupes: 'success', dupes_slow: 'success' });
    expect((await typesOf(p, 'wide')).slice(-2)).toEqual([{ column_name: 'c35', data_type: 'INTEGER' }, { column_name: 'kk', data_type: 'INTEGER' }]);
    for (const t of ['dupes', 'dupes_slow']) expect(await p.query(`select * from main.${t}`)).toEqual([{ id: 1, b: 'x', name: 'a', name_2: 'b' }]);
  });

  it("DuckDB: by default the file is read into agate's types and `1,200` fails the load, as dbt-duckdb's COPY; fast: false inserts agate's values", async () => {
    const p = makeProject({
      'seeds/money.csv': 'id,amount,price\n1,"1,200","$1,200.50"\n2,300,$5\n',
      'seeds/money_slow.csv': 'id,amount,price\n1,"1,200","$1,200.50"\n2,300,$5\n',
      'seeds/props.yml': 'version: 2\nseeds:\n  - name: money_slow\n    config:\n      fast: false\n',
    });
    const r = await seed(p.opts);
    expect(statuses(r.results)).toEqual({ money: 'error', money_slow: 'success' });
    expect(r.results.find((x) => x.node.name === 'money')!.message).toMatch(/Could not convert string "1,200" to 'INTEGER'/);
    expect(await typesOf(p, 'money_slow')).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'amount', data_type: 'INTEGER' },
      { column_name: 'price', data_type: 'DOUBLE' },
    ]);
    expect(await p.query('select * from main.money_slow order by id')).toEqual([{ id: 1, amount: 1200, price: 1200.5 }, { id: 2, amount: 300, price: 5 }]);
    // A second load keeps the table and replaces its rows.
    expect(statuses((await seed({ ...p.opts, select: ['money_slow'] } as never)).results)).toEqual({ money_slow: 'success' });
    expect(await p.query('select count(*)::int as n from main.money_slow')).toEqual([{ n: 2 }]);
  });
});
