import { readFileSync } from 'node:fs';
import { TsdbtError } from '../../errors/tsdbt-error.js';

/**
 * The first thing wrong with a seed CSV, as one located error: a row whose
 * value count differs from the header's, or a quote never closed (at the line
 * it opened). Used in place of the database's CSV-sniffer report, which runs
 * to twenty lines without naming the row. Null when the file reads cleanly.
 */
export function seedCsvProblem(path: string, file: string, delimiter = ','): TsdbtError | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return seedCsvProblemIn(text, file, delimiter);
}

/** seedCsvProblem over the file's text. */
export function seedCsvProblemIn(csv: string, file: string, delimiter = ','): TsdbtError | null {
  const text = csv.replace(/^\uFEFF/, '');
  let width = -1;
  let values = 0;
  let field = false;
  let quoted = false;
  let quoteLine = 0;
  let line = 1;
  let rowLine = 1;
  const endRow = (): TsdbtError | null => {
    const count = values + 1;
    values = 0;
    field = false;
    if (count === 1 && !fieldSeen) return null;
    fieldSeen = false;
    if (width < 0) width = count;
    else if (count !== width) {
      return new TsdbtError('COMPILER_ERROR', `Row at line ${rowLine} of the seed has ${count} values but the header has ${width} columns`, {
        file, line: rowLine, hint: 'Give every row one value per header column; quote values that contain the delimiter ("a,b").',
      });
    }
    return null;
  };
  let fieldSeen = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      } else if (ch === '\n') line++;
      continue;
    }
    if (ch === '"' && !field) {
      quoted = true;
      quoteLine = line;
      field = true;
      fieldSeen = true;
    } else if (ch === delimiter) {
      values++;
      field = false;
      fieldSeen = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      const problem = endRow();
      if (problem) return problem;
      line++;
      rowLine = line;
    } else {
      field = true;
      fieldSeen = true;
    }
  }
  if (quoted) return new TsdbtError('COMPILER_ERROR', `A quoted value opened at line ${quoteLine} of the seed is never closed`, { file, line: quoteLine, hint: 'Close the quote ("), and double any quote inside a quoted value ("").' });
  return fieldSeen ? endRow() : null;
}
