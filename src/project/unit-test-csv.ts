import { pyStrip } from '../util/py-strip.js';
import { csvDictRows } from './csv-dict-rows.js';

/**
 * A unit test's `format: csv` rows as dbt-core 1.10 reads them
 * (UnitTestParser._validate_and_normalize_rows): csv.DictReader's rows of
 * the inline text, or of a fixture file's text stripped (dbt reads every
 * file stripped), each empty value None. What manifest.json writes and what
 * the runner builds its CTE from, so the two cannot disagree.
 */
export function csvFixtureRows(text: string, fromFile: boolean): Record<string, string | string[] | null>[] {
  return csvDictRows(fromFile ? pyStrip(text).text : text).map((row) => {
    const out: Record<string, string | string[] | null> = {};
    for (const [k, v] of Object.entries(row)) out[k] = v === '' ? null : v;
    return out;
  });
}
