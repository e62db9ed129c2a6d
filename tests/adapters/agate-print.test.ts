import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agateJsonRows, agatePrintTable, pyJsonIndented } from '../../src/adapters/base/agate-print.js';

/** Made by golden/gen_agate_cells.py with Python's Decimal, datetime and timedelta. */
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'golden', 'agate-cells.json'), 'utf8')) as {
  numbers: { values: (number | null)[]; cells: string[] }[];
  intervals: { value: { months: number; days: number; micros: number }; text: string }[];
  datetimes: { iso: string; str: string; isoformat: string; zoned: string }[];
  times: { micros: number; str: string }[];
  bytes: { values: number[]; str: string }[];
};

const DBT_SHOW = { maxRows: null, maxColumns: 6, maxColumnWidth: 20, maxPrecision: 3 } as const;

/** A one-column table as print_table lays it out: right-justified unless text. */
function oneColumn(name: string, cells: string[], left = false): string {
  const w = Math.max(name.length, ...cells.map((c) => c.length));
  const pad = (s: string) => (left ? s.padEnd(w) : s.padStart(w));
  return [`| ${pad(name)} |`, `| ${'-'.repeat(w)} |`, ...cells.map((c) => `| ${pad(c)} |`)].join('\n');
}

describe("agate's print_table, as dbt's show and print_table() write a result", () => {
  for (const { values, cells } of golden.numbers) {
    it(`a decimal column: ${values.join(', ')} → ${cells.join(', ')} (places of its most precise value, at most 3 then …, half to even, grouped)`, () => {
      expect(agatePrintTable([{ name: 'v', type: 'DOUBLE' }], values.map((v) => [v]), { ...DBT_SHOW, maxColumnWidth: null })).toBe(oneColumn('v', cells));
    });
  }

  it('whole-number columns print as Python prints an int (no grouping), right-justified; so does a Snowflake NUMBER(38,0)', () => {
    const rows = [[1234567, 1234567], [-5, null]];
    expect(agatePrintTable([{ name: 'n', type: 'BIGINT' }, { name: 'sf', type: 'NUMBER(38,0)' }], rows, DBT_SHOW)).toBe(
      '|       n |      sf |\n| ------- | ------- |\n| 1234567 | 1234567 |\n|      -5 |         |',
    );
  });

  it("intervals as Python's timedelta (a month 30 days), in a text column", () => {
    const texts = golden.intervals.map((x) => x.text);
    expect(agatePrintTable([{ name: 'iv', type: 'INTERVAL' }], golden.intervals.map((x) => [x.value]), { ...DBT_SHOW, maxColumnWidth: null })).toBe(oneColumn('iv', texts, true));
  });

  it("times and bytes as Python's str() of them (text columns)", () => {
    const cols = [{ name: 't', type: 'TIME' }];
    expect(agatePrintTable(cols, golden.times.map((x) => [x.micros]), DBT_SHOW)).toBe(oneColumn('t', golden.times.map((x) => x.str), true));
    const blobs = golden.bytes.map((x) => [new Uint8Array(x.values)]);
    expect(agatePrintTable([{ name: 'b', type: 'BLOB' }], blobs, DBT_SHOW)).toBe(oneColumn('b', golden.bytes.map((x) => x.str), true));
  });

  it("date-times as Python's str() of a datetime (microseconds only when there are some; +00:00 when zoned), cut at 20 characters", () => {
    const values = golden.datetimes.map((d) => new Date(`${d.iso}Z`));
    const cols = [{ name: 'ts', type: 'TIMESTAMP' }, { name: 'tz', type: 'TIMESTAMP WITH TIME ZONE' }];
    const wide = agatePrintTable(cols, values.map((v) => [v, v]), { ...DBT_SHOW, maxColumnWidth: null });
    expect(wide.split('\n').slice(2).map((l) => l.split('|').slice(1, 3).map((c) => c.trim()))).toEqual(golden.datetimes.map((d) => [d.str, d.zoned]));
    expect(agatePrintTable(cols.slice(0, 1), [[values[1]]], DBT_SHOW)).toBe(oneColumn('ts', ['2024-03-01 10:30:...']));
    expect(agateJsonRows(cols, values.map((v) => [v, v])).map((r) => r.ts)).toEqual(golden.datetimes.map((d) => d.isoformat));
    // Snowflake's names: TIMESTAMP_NTZ is naive, TIMESTAMP_TZ and _LTZ aware.
    const snowflake = ['TIMESTAMP_NTZ', 'TIMESTAMP_TZ', 'TIMESTAMP_LTZ'].map((type) => ({ name: type.toLowerCase(), type }));
    expect(agatePrintTable(snowflake, [[values[0], values[0], values[0]]], { ...DBT_SHOW, maxColumnWidth: null }).split('\n')[2]).toBe(`| ${golden.datetimes[0]!.str} | ${golden.datetimes[0]!.zoned} | ${golden.datetimes[0]!.zoned} |`);
  });

  it('six columns at most (then a ... column), names and cells cut to 20 characters, text left and everything else right, booleans as True/False, lists and dicts as JSON', () => {
    const cols = [
      { name: 'id', type: 'INTEGER' }, { name: 'a_very_long_column_name', type: 'VARCHAR' }, { name: 'ok', type: 'BOOLEAN' },
      { name: 'day', type: 'DATE' }, { name: 'tags', type: 'VARCHAR[]' }, { name: 'attrs', type: 'STRUCT(k VARCHAR)' }, { name: 'hidden', type: 'VARCHAR' },
    ];
    const rows = [
      [1, 'short', true, new Date('2024-01-31T00:00:00Z'), ['a', 'b'], { k: 'v' }, 'x'],
      [22, 'a text longer than twenty characters', false, null, [], { k: 'é' }, 'y'],
    ];
    expect(agatePrintTable(cols, rows, DBT_SHOW)).toBe([
      '| id | a_very_long_colum... |    ok |        day | tags       | attrs           | ... |',
      '| -- | -------------------- | ----- | ---------- | ---------- | --------------- | --- |',
      '|  1 | short                |  True | 2024-01-31 | ["a", "b"] | {"k": "v"}      | ... |',
      '| 22 | a text longer tha... | False |            | []         | {"k": "\\u00e9"} | ... |',
    ].join('\n'));
  });

  it('max_rows: a last row of ... (as wide as ... needs, as agate writes it); max_columns None shows every column', () => {
    const cols = [{ name: 'n', type: 'INTEGER' }, { name: 's', type: 'VARCHAR' }];
    expect(agatePrintTable(cols, [[1, 'a'], [2, 'b'], [3, 'c']], { maxRows: 2, maxColumns: null, maxColumnWidth: 20, maxPrecision: 3 })).toBe(
      '| n | s |\n| - | - |\n| 1 | a |\n| 2 | b |\n| ... | ... |',
    );
  });

  it('a column of unknown type is typed by its values: whole numbers, decimals, date-times, booleans, else text', () => {
    const cols = ['i', 'f', 'd', 'b', 's'].map((name) => ({ name, type: '' }));
    expect(agatePrintTable(cols, [[3, 1.5, new Date('2024-01-02T03:04:05Z'), true, 'x'], [null, 2, null, null, 4]], DBT_SHOW)).toBe(
      '| i |   f |                   d |    b | s |\n| - | --- | ------------------- | ---- | - |\n| 3 | 1.5 | 2024-01-02 03:04:05 | True | x |\n|   | 2.0 |                     |      | 4 |',
    );
  });

  it("show --output json's rows: decimals as Python floats, whole numbers as ints, dates in ISO format, text escaped as Python's json.dumps", () => {
    const cols = [{ name: 'n', type: 'BIGINT' }, { name: 'amount', type: 'DECIMAL(10,2)' }, { name: 'day', type: 'DATE' }, { name: 'name', type: 'VARCHAR' }, { name: 'ok', type: 'BOOLEAN' }];
    const json = agateJsonRows(cols, [[2, 33, new Date('2018-01-01T00:00:00Z'), 'Zoë', true], [null, null, null, null, null]]);
    expect(pyJsonIndented({ node: 'customers', show: json })).toBe(
      '{\n  "node": "customers",\n  "show": [\n    {\n      "n": 2,\n      "amount": 33.0,\n      "day": "2018-01-01",\n      "name": "Zo\\u00eb",\n      "ok": true\n    },\n    {\n      "n": null,\n      "amount": null,\n      "day": null,\n      "name": null,\n      "ok": null\n    }\n  ]\n}',
    );
  });
});
