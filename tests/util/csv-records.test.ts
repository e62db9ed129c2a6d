import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/adapters/base/seed-csv.js';
import { seedCsvProblemIn } from '../../src/adapters/base/seed-csv-problem.js';
import { csvRecords } from '../../src/util/csv-records.js';

// One tokenizer (Python's csv reader) behind seeds and unit test CSV: records, the line each starts at, an open quote.
describe('csvRecords', () => {
  it.each([
    ['CRLF ends, a blank line as an empty record', 'a,b\r\n\r\n1,2', [['a', 'b'], [], ['1', '2']], [1, 2, 3], null],
    ['a quoted newline: the next record starts two lines on', 'a,b\n"x\ny",1\n2,3\n', [['a', 'b'], ['x\ny', '1'], ['2', '3']], [1, 2, 4], null],
    ['a lone CR ends a record; a quote after it opens a field', 'a\r"b,c"\n', [['a'], ['b,c']], [1, 2], null],
    ['a quote left open: the rest of the text, and its line', 'a\n1\n"x\ny\n', [['a'], ['1'], ['x\ny\n']], [1, 2, 3], 3],
    ['a quote only at the start of a field', 'a "b",c\n', [['a "b"', 'c']], [1], null],
  ])('%s', (_what, text, records, lines, openQuoteLine) => {
    expect(csvRecords(text)).toEqual({ records, lines, openQuoteLine });
  });

  it('splits on the delimiter given', () => {
    expect(csvRecords('a;b\n"1;2";3\n', ';').records).toEqual([['a', 'b'], ['1;2', '3']]);
  });
});

describe('seeds read through it', () => {
  it('parseCsv drops blank and "" records, and locates a quote never closed at the line it opened', () => {
    expect(parseCsv('a,b\n\n1,2\n""\n', ',', 'seeds/s.csv')).toEqual([['a', 'b'], ['1', '2']]);
    expect(() => parseCsv('a,b\n1,2\n"x,3\n4,5\n', ',', 'seeds/s.csv')).toThrow(expect.objectContaining({ message: 'A quoted value in the seed is never closed', file: 'seeds/s.csv', line: 3 }));
  });

  it('seedCsvProblemIn reports the first problem in the file: a row of the wrong width before a quote left open', () => {
    expect(seedCsvProblemIn('a,b\n"m\nl",2\n3,4,5\n"x,6\n', 'seeds/s.csv')?.message).toBe('Row at line 4 of the seed has 3 values but the header has 2 columns');
    expect(seedCsvProblemIn('a,b\n1,2\n"x,6\n', 'seeds/s.csv')?.message).toBe('A quoted value opened at line 3 of the seed is never closed');
    expect(seedCsvProblemIn('a,b\n\n1,2\n', 'seeds/s.csv')).toBeNull();
  });
});
