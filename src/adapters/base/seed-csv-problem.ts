import { readFileSync } from 'node:fs';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { csvRecords } from '../../util/csv-records.js';

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

/** seedCsvProblem over the file's text (its records as util/csv-records.ts reads them, as the seed is loaded). */
export function seedCsvProblemIn(csv: string, file: string, delimiter = ','): TsdbtError | null {
  const { records, lines, openQuoteLine } = csvRecords(csv.replace(/^\uFEFF/, ''), delimiter);
  let width = -1;
  // The first problem in the file: a quote left open is in its last record, after every row checked here.
  const rows = openQuoteLine === null ? records.length : records.length - 1;
  for (let r = 0; r < rows; r++) {
    const count = records[r]!.length;
    // A blank line is no row.
    if (count === 0) continue;
    if (width < 0) width = count;
    else if (count !== width) {
      const rowLine = lines[r]!;
      return new TsdbtError('COMPILER_ERROR', `Row at line ${rowLine} of the seed has ${count} values but the header has ${width} columns`, {
        file, line: rowLine, hint: 'Give every row one value per header column; quote values that contain the delimiter ("a,b").',
      });
    }
  }
  if (openQuoteLine !== null) {
    return new TsdbtError('COMPILER_ERROR', `A quoted value opened at line ${openQuoteLine} of the seed is never closed`, { file, line: openQuoteLine, hint: 'Close the quote ("), and double any quote inside a quoted value ("").' });
  }
  return null;
}
