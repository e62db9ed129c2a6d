/**
 * CSV text read as Python's `csv.DictReader(StringIO(text))` reads it (the
 * excel dialect: `,` between fields, `"` quoting with `""` for a quote, no
 * escape character, not strict): what dbt makes of a unit test's CSV rows,
 * a CSV fixture file and a seed's rows (parser/unit_tests.py, fixtures.py).
 * The first record names the fields; each later record that is not empty
 * is a row of text, a field it lacks None; fields beyond the names are kept
 * as a list under the key `null` (DictReader's restkey None, which Python's
 * json writes as "null").
 */
export function csvDictRows(text: string): Record<string, string | string[] | null>[] {
  const records = csvRecords(text);
  const names = records.shift() ?? [];
  const out: Record<string, string | string[] | null>[] = [];
  for (const record of records) {
    if (record.length === 0) continue;
    const row: Record<string, string | string[] | null> = {};
    names.forEach((name, i) => (row[name] = i < record.length ? record[i]! : null));
    if (record.length > names.length) row.null = record.slice(names.length);
    out.push(row);
  }
  return out;
}

type State = 'startRecord' | 'startField' | 'inField' | 'inQuoted' | 'quoteInQuoted' | 'eatNewline';

/**
 * The records of `text` as Python's csv reader gives them, fed the lines
 * StringIO gives (each ending after a `\n`): a record ends with the line
 * it is in, unless a quoted field goes on; a blank line is an empty record.
 */
function csvRecords(text: string): string[][] {
  const out: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let state: State = 'startRecord';
  const save = () => {
    fields.push(field);
    field = '';
  };
  // Each line's characters, then its end (EOL), as the reader processes them.
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  for (const line of lines) {
    for (let i = 0; i <= line.length; i++) {
      const eol = i === line.length;
      const c = eol ? '' : line[i]!;
      const newline = c === '\n' || c === '\r';
      switch (state) {
        case 'startRecord':
          if (eol) break;
          if (newline) {
            state = 'eatNewline';
            break;
          }
          state = 'startField';
        // falls through: the character starts the first field
        case 'startField':
          if (eol || newline) {
            save();
            state = eol ? 'startRecord' : 'eatNewline';
          } else if (c === '"') state = 'inQuoted';
          else if (c === ',') save();
          else {
            field += c;
            state = 'inField';
          }
          break;
        case 'inField':
          if (eol || newline) {
            save();
            state = eol ? 'startRecord' : 'eatNewline';
          } else if (c === ',') {
            save();
            state = 'startField';
          } else field += c;
          break;
        case 'inQuoted':
          if (c === '"') state = 'quoteInQuoted';
          else if (!eol) field += c;
          break;
        case 'quoteInQuoted':
          if (c === '"') {
            field += c;
            state = 'inQuoted';
          } else if (c === ',') {
            save();
            state = 'startField';
          } else if (eol || newline) {
            save();
            state = eol ? 'startRecord' : 'eatNewline';
          } else {
            field += c;
            state = 'inField';
          }
          break;
        case 'eatNewline':
          // (Python raises "new-line character seen in unquoted field" for text after a lone \r; kept as the next record here.)
          if (eol) state = 'startRecord';
          else if (!newline) {
            out.push(fields);
            fields = [];
            field += c;
            state = 'inField';
          }
          break;
      }
    }
    if (state === 'startRecord') {
      out.push(fields);
      fields = [];
    }
  }
  // A quoted field still open at the end (not strict: kept as it is).
  if (state !== 'startRecord' && (field !== '' || state === 'inQuoted' || fields.length > 0)) {
    save();
    out.push(fields);
  }
  return out;
}
