import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import { csvFixtureRows } from '../project/unit-test-csv.js';

/** A fixture as given in YAML (`given:` entry or `expect:`). */
export interface FixtureSpec {
  rows?: unknown;
  format: 'dict' | 'csv' | 'sql';
  fixture?: string | null;
}

/**
 * A fixture's content once read: either rows (column → value, keys
 * lower-cased as dbt compares them) or raw SQL (`format: sql`).
 */
export type LoadedFixture = { kind: 'rows'; rows: Record<string, unknown>[]; columns: string[] } | { kind: 'sql'; sql: string };

/** Read a fixture's rows or SQL: inline dict rows, inline CSV text, inline SQL, or a `fixture:` file under tests/fixtures/. */
export function loadFixture(spec: FixtureSpec, unitTest: CompiledNode, what: string, packageRoot: string): LoadedFixture {
  const file = unitTest.original_file_path;
  const format = spec.format ?? 'dict';
  if (!['dict', 'csv', 'sql'].includes(format)) {
    throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}': ${what} has format '${String(format)}'`, { file, hint: 'Use format: dict, csv or sql.' });
  }
  let text: string | undefined;
  if (spec.fixture) {
    if (format === 'dict') throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}': ${what} names fixture '${spec.fixture}' but has format dict`, { file, hint: 'Fixture files need format: csv or format: sql.' });
    // Parse reads fixture files into rows (project/unit-tests.ts); a node built otherwise reads tests/fixtures here.
    text = typeof spec.rows === 'string' ? spec.rows : readFixtureFile(unitTest, packageRoot, spec.fixture, format, what);
  } else if (typeof spec.rows === 'string') {
    text = spec.rows;
  }
  if (format === 'sql') {
    if (text === undefined) throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}': ${what} has format sql but no SQL in 'rows:' or 'fixture:'`, { file, hint: "Write `rows: |\n  select 1 as id` or `fixture: my_fixture` (tests/fixtures/my_fixture.sql)." });
    return { kind: 'sql', sql: text };
  }
  if (format === 'csv') {
    // The rows manifest.json has (project/unit-test-csv.ts), each cell then typed for a relation that does not exist.
    const read = text === undefined ? [] : csvFixtureRows(text, Boolean(spec.fixture));
    const rows: Record<string, unknown>[] = [];
    const columns: string[] = [];
    for (const [n, row] of read.entries()) {
      if (Array.isArray(row.null)) {
        throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}': row ${n + 1} of the CSV of ${what} has more values than its header names`, { file, hint: 'Give each row one value per header column; quote values holding a comma ("a,b").' });
      }
      const typed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        const c = k.toLowerCase();
        typed[c] = csvValue(v as string | null);
        if (!columns.includes(c)) columns.push(c);
      }
      rows.push(typed);
    }
    return { kind: 'rows', rows, columns };
  }
  if (spec.rows === undefined || spec.rows === null) return { kind: 'rows', rows: [], columns: [] };
  if (!Array.isArray(spec.rows) || spec.rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}': the rows of ${what} must be a list of mappings, got ${JSON.stringify(spec.rows)}`, {
      file,
      hint: 'Write `rows:\n  - {id: 1, name: a}`, or set format: csv / sql for text rows.',
    });
  }
  const rows = (spec.rows as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v])));
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return { kind: 'rows', rows, columns };
}

/** CSV text cell → a typed value: empty is null, numbers and booleans as such (agate infers the same), else text. */
function csvValue(cell: string | null): unknown {
  if (cell === null || cell === '') return null;
  if (/^-?\d+$/.test(cell) && !/^-?0\d/.test(cell)) return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell;
  if (/^-?\d*\.\d+(e[+-]?\d+)?$/i.test(cell)) return Number(cell);
  if (/^(true|false)$/i.test(cell)) return cell.toLowerCase() === 'true';
  return cell;
}

function readFixtureFile(unitTest: CompiledNode, packageRoot: string, name: string, format: 'csv' | 'sql', what: string): string {
  const roots = ['tests/fixtures'].map((d) => join(packageRoot, d));
  for (const root of roots) {
    const found = findFile(root, `${name}.${format}`);
    if (found) return readFileSync(found, 'utf8');
  }
  throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${unitTest.name}': fixture '${name}' for ${what} was not found`, {
    file: unitTest.original_file_path,
    hint: `Create tests/fixtures/${name}.${format} (any sub-folder of tests/fixtures/ works).`,
  });
}

function findFile(dir: string, base: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      const inner = findFile(full, base);
      if (inner) return inner;
    } else if (entry === base) return full;
  }
  return undefined;
}

/** Column types of fixture rows when the relation does not exist: from the values, as agate infers a CSV. */
export function inferColumnTypes(rows: readonly Record<string, unknown>[], columns: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of columns) {
    const kinds = new Set<string>();
    for (const r of rows) {
      const v = r[c];
      if (v === null || v === undefined) continue;
      if (typeof v === 'boolean') kinds.add('boolean');
      else if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) kinds.add('integer');
      else if (typeof v === 'number') kinds.add('double');
      else if (v instanceof Date) kinds.add('timestamp');
      // DuckDB no longer compares text with dates implicitly, so ISO dates and timestamps get their types.
      else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) kinds.add('date');
      else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) kinds.add('timestamp');
      else kinds.add('text');
    }
    if (kinds.size === 1) out[c] = ({ boolean: 'boolean', integer: 'bigint', double: 'double', date: 'date', timestamp: 'timestamp', text: 'varchar' } as Record<string, string>)[[...kinds][0]!]!;
    else if (kinds.size === 2 && kinds.has('integer') && kinds.has('double')) out[c] = 'double';
    else if (kinds.size === 2 && kinds.has('date') && kinds.has('timestamp')) out[c] = 'timestamp';
    else out[c] = 'varchar';
  }
  return out;
}

/** A fixture value as a SQL literal (the fixture macro casts it to the column's type). */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (typeof v === 'object') return `'${JSON.stringify(v).split("'").join("''")}'`;
  return `'${String(v).split("'").join("''")}'`;
}

