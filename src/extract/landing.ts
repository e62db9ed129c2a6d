import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { commitTempFile } from '../util/atomic-write.js';
import { once } from 'node:events';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Connection } from '../adapters/base/connection.js';
import { quoteIdent, quoteString } from './load-sql.js';
import { processAlive } from '../util/process-alive.js';

export interface LandOptions {
  /** A DuckDB connection used as the Parquet writer (any database; nothing is stored in it). */
  duck: Connection;
  dataDir: string;
  stream: string;
  /** Rows keyed by column name, already renamed. */
  rows: Record<string, unknown>[];
  /** Column → DuckDB type. Without it, DuckDB infers types from the rows. */
  columns?: Record<string, string>;
  /** Merge with the existing file on these columns (new rows win); empty or undefined = replace. */
  mergeOn?: string[];
  /** For error messages. */
  file?: string;
  line?: number;
}

export interface LandResult {
  file: string;
  rows: number;
  columns: { name: string; type: string }[];
}

export function parquetPath(dataDir: string, stream: string): string {
  return join(dataDir, `${stream}.parquet`);
}

/**
 * Write rows to `<dataDir>/<stream>.parquet` through DuckDB: rows go to a temp
 * NDJSON file, `read_json` with the explicit column types turns them into a
 * temp Parquet file, and only a complete file is renamed over the old one —
 * a failure anywhere leaves the previous file as it was.
 */
export async function landParquet(o: LandOptions): Promise<LandResult> {
  mkdirSync(o.dataDir, { recursive: true });
  const final = parquetPath(o.dataDir, o.stream);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ndjson = join(o.dataDir, `.${o.stream}.${tag}.ndjson`);
  const tmp = join(o.dataDir, `.${o.stream}.${tag}.parquet`);
  try {
    await writeNdjson(ndjson, o.rows);
    if (!o.columns && o.rows.length === 0) {
      throw new TsdbtError('EXTRACT_LANDING', `stream '${o.stream}': no rows and no \`columns:\`, so the Parquet file's columns are unknown`, {
        file: o.file,
        line: o.line,
        hint: 'Declare the columns and their types under the stream\'s `columns:`.',
      });
    }
    const read = o.columns
      ? `read_json(${quoteString(ndjson)}, format = 'newline_delimited', columns = {${Object.entries(o.columns)
          .map(([c, t]) => `${quoteString(c)}: ${quoteString(t)}`)
          .join(', ')}})`
      : `read_json(${quoteString(ndjson)}, format = 'newline_delimited')`;
    let select = `select * from ${read}`;
    if (o.mergeOn && o.mergeOn.length > 0 && existsSync(final)) {
      const match = o.mergeOn.map((c) => `n.${quoteIdent(c)} = o.${quoteIdent(c)}`).join(' and ');
      select = `with n as (${select}) select * from n union all by name select * from read_parquet(${quoteString(final)}) o where not exists (select 1 from n where ${match})`;
    }
    await run(o, `copy (${select}) to ${quoteString(tmp)} (format parquet)`);
    const count = await run(o, `select count(*) from read_parquet(${quoteString(tmp)})`);
    const described = await run(o, `describe select * from read_parquet(${quoteString(tmp)})`);
    commitTempFile(tmp, final, `the Parquet file of stream '${o.stream}'`);
    return {
      file: final,
      rows: Number(count.rows[0]![0]),
      columns: described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) })),
    };
  } finally {
    rmSync(ndjson, { force: true });
    rmSync(tmp, { force: true });
  }
}

/** A staging file of landParquet: `.<stream>.<pid>-<8 hex>.ndjson|parquet`. */
const STAGING = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.(ndjson|parquet)$/;

/**
 * Remove the staging files a killed run left in `dataDir` (those of a process
 * that is no longer running; a concurrent run's files are left alone).
 * Returns the names removed.
 */
export function cleanStaging(dataDir: string, alive: (pid: number) => boolean = processAlive): string[] {
  if (!existsSync(dataDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const m = STAGING.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && alive(pid)) continue;
    rmSync(join(dataDir, name), { force: true });
    removed.push(name);
  }
  return removed.sort();
}

/**
 * Rows of an existing Parquet file, with only `fields` (column → name to give
 * it). Timestamps come back as ISO strings so they compare like API values.
 */
export async function readParquetRows(duck: Connection, file: string, fields: Record<string, string>): Promise<Record<string, unknown>[]> {
  if (!existsSync(file)) return [];
  const described = await duck.execute(`describe select * from read_parquet(${quoteString(file)})`);
  const present = new Set(described.rows.map((r) => String(r[0])));
  const wanted = Object.entries(fields).filter(([col]) => present.has(col));
  if (wanted.length === 0) return [];
  const sql = `select ${wanted.map(([col]) => quoteIdent(col)).join(', ')} from read_parquet(${quoteString(file)})`;
  const result = await duck.execute(sql);
  return result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    wanted.forEach(([, name], i) => {
      const v = row[i];
      out[name] = v instanceof Date ? v.toISOString() : v;
    });
    return out;
  });
}

async function run(o: LandOptions, sql: string) {
  try {
    return await o.duck.execute(sql);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new TsdbtError('EXTRACT_LANDING', `stream '${o.stream}': writing Parquet failed: ${msg}`, {
      file: o.file,
      line: o.line,
      hint: 'Check the stream\'s `columns:` types against the records (a value that does not fit its type fails the whole file; the previous file is kept).',
      cause: e,
      detail: { sql },
    });
  }
}

async function writeNdjson(path: string, rows: Record<string, unknown>[]): Promise<void> {
  const out = createWriteStream(path);
  for (const row of rows) {
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
