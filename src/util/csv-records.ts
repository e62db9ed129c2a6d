/** CSV text split into records, with where each record starts and where a quote was left open. */
export interface CsvRecords {
  /** The records' fields; a blank line is an empty record. */
  records: string[][];
  /** The 1-based line each record starts at (its first character's). */
  lines: number[];
  /** The line of a quote still open at the end of the text (the rest of the text is its value), or null. */
  openQuoteLine: number | null;
}

type State = 'startRecord' | 'startField' | 'inField' | 'inQuoted' | 'quoteInQuoted' | 'eatNewline';

/**
 * The records of `text` as Python's csv reader gives them (the excel
 * dialect with `delimiter` between fields: `"` quoting a field that starts
 * with it, `""` for a quote inside, no escape character, not strict), fed
 * the lines StringIO or a text file gives (each ending after a `\n`): a
 * record ends with the line it is in, unless a quoted field goes on; a
 * blank line is an empty record; text after a closing quote joins the
 * field. What dbt's seeds (agate) and unit test CSV (DictReader) read; the
 * one tokenizer behind both in tsdbt, so they cannot disagree. Lines are
 * counted at each `\n` and at a lone `\r` outside quotes.
 */
export function csvRecords(text: string, delimiter = ','): CsvRecords {
  const records: string[][] = [];
  const lines: number[] = [];
  let fields: string[] = [];
  let field = '';
  let state: State = 'startRecord';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const save = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    records.push(fields);
    lines.push(recordLine);
    fields = [];
  };
  // Each line's characters, then its end (EOL), as the reader processes them.
  const split = text === '' ? [] : text.split(/(?<=\n)/);
  for (const chunk of split) {
    for (let i = 0; i <= chunk.length; i++) {
      const eol = i === chunk.length;
      const c = eol ? '' : chunk[i]!;
      const newline = c === '\n' || c === '\r';
      switch (state) {
        case 'startRecord':
          if (eol) break;
          recordLine = line;
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
          } else if (c === '"') {
            state = 'inQuoted';
            quoteLine = line;
          } else if (c === delimiter) save();
          else {
            field += c;
            state = 'inField';
          }
          break;
        case 'inField':
          if (eol || newline) {
            save();
            state = eol ? 'startRecord' : 'eatNewline';
          } else if (c === delimiter) {
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
          } else if (c === delimiter) {
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
          if (eol) state = 'startRecord';
          else if (!newline) {
            // A lone \r ended the record (Python raises "new-line character seen in unquoted field"; a seed has
            // always read it as a line end): the character starts the next record, read again from startField.
            endRecord();
            line++;
            recordLine = line;
            state = 'startField';
            i--;
          }
          break;
      }
      if (c === '\n') line++;
    }
    if (state === 'startRecord') endRecord();
  }
  const open = (state as State) === 'inQuoted';
  // A quoted field still open at the end (not strict: kept as it is).
  if ((state as State) !== 'startRecord' && (field !== '' || open || fields.length > 0)) {
    save();
    endRecord();
  }
  return { records, lines, openQuoteLine: open ? quoteLine : null };
}
