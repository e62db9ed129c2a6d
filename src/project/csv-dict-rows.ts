import { csvRecords } from '../util/csv-records.js';

/**
 * CSV text read as Python's `csv.DictReader(StringIO(text))` reads it (the
 * excel dialect: `,` between fields, `"` quoting with `""` for a quote, no
 * escape character, not strict): what dbt makes of a unit test's CSV rows,
 * a CSV fixture file and a seed's rows (parser/unit_tests.py, fixtures.py).
 * The first record names the fields; each later record that is not empty
 * is a row of text, a field it lacks None; fields beyond the names are kept
 * as a list under the key `null` (DictReader's restkey None, which Python's
 * json writes as "null"). The records are util/csv-records.ts's, as seeds read theirs.
 */
export function csvDictRows(text: string): Record<string, string | string[] | null>[] {
  const { records } = csvRecords(text);
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
