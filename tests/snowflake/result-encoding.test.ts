import { describe, expect, test } from 'vitest';
import { codecFor, describeColumns, encodeRows, epochSeconds } from '../support/snowflake-double/result-encoding.js';
import { decodeBinds } from '../support/snowflake-double/double-http.js';

describe('Snowflake result encoding', () => {
  test('epoch seconds carry 9 fraction digits and a sign for pre-1970 instants', () => {
    expect(epochSeconds(Date.UTC(2024, 0, 1, 0, 0, 0, 123))).toBe('1704067200.123000000');
    expect(epochSeconds(-500)).toBe('-0.500000000');
    expect(epochSeconds(0, 3_723_500_000_000)).toBe('3723.500000000');
  });

  test('each DuckDB type gets its Snowflake rowtype and string encoding', () => {
    const columns = [
      { name: 'I', type: 'BIGINT' },
      { name: 'D', type: 'DECIMAL(10,2)' },
      { name: 'F', type: 'DOUBLE' },
      { name: 'B', type: 'BOOLEAN' },
      { name: 'DT', type: 'DATE' },
      { name: 'TS', type: 'TIMESTAMP' },
      { name: 'TZ', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'V', type: 'VARIANT' },
      { name: 'L', type: 'INTEGER[]' },
      { name: 'S', type: 'VARCHAR' },
      { name: 'BIN', type: 'BLOB' },
    ];
    const { rowtype, encoders } = describeColumns(columns);
    expect(rowtype.map((r) => [r.type, r.precision, r.scale])).toEqual([
      ['fixed', 38, 0],
      ['fixed', 10, 2],
      ['real', null, null],
      ['boolean', null, null],
      ['date', null, null],
      ['timestamp_ntz', null, 9],
      ['timestamp_tz', null, 9],
      ['variant', null, null],
      ['array', null, null],
      ['text', null, null],
      ['binary', null, null],
    ]);
    const at = new Date('2024-03-01T12:00:00.250Z');
    expect(
      encodeRows(
        [[12345678901234567890n, 1.5, 0.1, false, new Date('2024-03-01T00:00:00Z'), at, at, { a: [1n] }, [1, 2], 'x', new Uint8Array([0xab, 1])]],
        encoders,
      ),
    ).toEqual([
      ['12345678901234567890', '1.50', '0.1', '0', '19783', '1709294400.250000000', '1709294400.250000000 1440', '{"a":[1]}', '[1,2]', 'x', 'AB01'],
    ]);
    expect(encodeRows([[null]], [codecFor('VARCHAR').encode])).toEqual([[null]]);
  });

  test('Snowflake bindings decode to positional DuckDB values', () => {
    expect(
      decodeBinds({
        '2': { type: 'TEXT', value: 'b' },
        '1': { type: 'FIXED', value: '42' },
        '3': { type: 'BOOLEAN', value: 'true' },
        '4': { type: 'REAL', value: '2.5' },
        '5': { type: 'FIXED', value: '123456789012345678901' },
        '6': { type: 'TEXT', value: null },
      }),
    ).toEqual([42, 'b', true, 2.5, 123456789012345678901n, null]);
  });
});
