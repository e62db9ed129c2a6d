import { readFileSync } from 'node:fs';
import { ResultTable } from './result-table.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

/**
 * `load_agate_table()` for the default seed materialization (adapters that
 * cannot read CSV files themselves): the CSV parsed, each column typed as
 * agate would (integer, number, boolean, date, datetime, else text) and its
 * values converted; `column_types` columns are left as text for the database
 * to cast.
 */
export function loadSeedTable(path: string, file: string, delimiter = ',', columnTypes: Record<string, unknown> = {}): ResultTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TsdbtError('COMPILER_ERROR', `Cannot read the seed file: ${(e as Error).message}`, { file });
  }
  const records = parseCsv(text.replace(/^\uFEFF/, ''), delimiter, file);
  const header = records.shift() ?? [];
  const width = header.length;
  for (const [i, r] of records.entries()) {
    if (r.length !== width) {
      throw new TsdbtError('COMPILER_ERROR', `Row ${i + 2} of the seed has ${r.length} values but the header has ${width} columns`, {
        file,
        line: i + 2,
        hint: 'Every row of a seed CSV needs one value per header column (quote values that contain the delimiter).',
      });
    }
  }
  const types = header.map((name, c) => (name in columnTypes ? 'text' : inferType(records.map((r) => r[c]!))));
  const rows = records.map((r) => r.map((v, c) => convert(v, types[c]!)));
  return new ResultTable(header.map((name, c) => ({ name, type: types[c]! })), rows);
}

const INT = /^[-+]?\d+$/;
const NUM = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOL = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function inferType(values: string[]): string {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'text';
  for (const [type, re] of [['boolean', BOOL], ['integer', INT], ['number', NUM], ['date', DATE], ['datetime', DATETIME]] as const) {
    if (present.every((v) => re.test(v))) return type;
  }
  return 'text';
}

function convert(v: string, type: string): unknown {
  // agate reads an empty field as null, whatever the column's type.
  if (v === '') return null;
  if (type === 'integer' || type === 'number') return Number(v);
  if (type === 'boolean') return v.toLowerCase() === 'true';
  return v;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string, delimiter: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
      line++;
    } else field += ch;
  }
  if (quoted) throw new TsdbtError('COMPILER_ERROR', 'A quoted value in the seed is never closed', { file, line, hint: 'Close the quote ("), or double quotes inside a quoted value ("").' });
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
