import { describe, expect, it } from 'vitest';
import { csvDictRows } from '../../src/project/csv-dict-rows.js';

// Each expectation is what Python 3's csv.DictReader(io.StringIO(text)) gives (restkey None written as "null").
describe("csvDictRows reads CSV text as Python's csv.DictReader", () => {
  it.each([
    ['quoted delimiters, an empty last value', 'id,name\n1,\n2,"x,y"\n', [{ id: '1', name: '' }, { id: '2', name: 'x,y' }]],
    ['blank lines skipped', 'a,b\n\n1,2\n\n', [{ a: '1', b: '2' }]],
    ['CRLF line ends, no newline at the end', 'a,b\r\n1,2\r\n3,4', [{ a: '1', b: '2' }, { a: '3', b: '4' }]],
    ['a short row (None) and a long one (the rest under null)', 'a,b\n1\n1,2,3,4\n', [{ a: '1', b: null }, { a: '1', b: '2', null: ['3', '4'] }]],
    ['a newline in a quoted value', 'a,b\n"multi\nline",2\n', [{ a: 'multi\nline', b: '2' }]],
    ['a doubled quote', 'a,b\n"q""x",2\n', [{ a: 'q"x', b: '2' }]],
    ['text after a closing quote', 'a,b\n"ab"cd,2\n', [{ a: 'abcd', b: '2' }]],
    ['no text', '', []],
    ['a header only', 'a,b', []],
    ['a quote never closed: the rest of the text', 'a,b\n"open,2\n', [{ a: 'open,2\n', b: null }]],
    ['spaces kept; a value beyond the names', 'h\n x ," y"\n', [{ h: ' x ', null: [' y'] }]],
    ['a repeated name: the last value', 'a,a\n1,2\n', [{ a: '2' }]],
    ['empty values', 'a,b\n,\n', [{ a: '', b: '' }]],
  ])('%s', (_what, text, rows) => {
    expect(csvDictRows(text)).toEqual(rows);
  });
});
