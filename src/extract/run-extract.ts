import { existsSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { join, relative } from 'node:path';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import type { Connection } from '../adapters/base/connection.js';
import { DuckDBConnection, openDuckDBInstance } from '../adapters/duckdb/duckdb-connection.js';
import type { ExtractConfig, StreamConfig } from './config-types.js';
import { HttpClient, type LogFn } from './http-client.js';
import { cleanStaging, landParquet, parquetPath, readParquetRows } from './landing.js';
import { loadExtractConfig, streamDependencies } from './load-config.js';
import { loadStatements, type LoadDialect } from './load-sql.js';
import { columnName } from './naming.js';
import { dedupe, toColumns, validateRecords, type Quarantined } from './process-records.js';
import { writeResults, type ExtractProgress, type ExtractResults, type StreamResult } from './results.js';
import { resolveAuth, resolveBaseUrl } from './source-setup.js';
import { readState, writeState } from './state.js';
import { fetchStream, maxCursor, type Row } from './stream-runner.js';

export interface ExtractOptions {
  projectDir: string;
  /** extract.yml by default, relative to projectDir. */
  configFile?: string;
  /** Overrides source.base_url and the env vars. */
  url?: string;
  /** Only these streams are landed (the streams they depend on are fetched, not landed). */
  streams?: string[];
  /** Ignore the saved cursors: fetch everything and replace the files. */
  fullRefresh?: boolean;
  /** Where `raw.<table>` is (re)created from each Parquet file; none = Parquet only. */
  connection?: Connection;
  /** SQL dialect of `connection`; only DuckDB today. */
  loadDialect?: LoadDialect;
  /** Client-side requests per minute; null = off; undefined = source.defaults.rate_limit. */
  rateLimitPerMinute?: number | null;
  concurrency?: number;
  onProgress?: (e: ExtractProgress) => void;
  log?: LogFn;
  env?: Record<string, string | undefined>;
  /** Where extract_results.json goes: the project's target folder (default `<projectDir>/target`). */
  targetDir?: string;
  /** "today" for relative dates (tests pin it). */
  now?: Date;
}

/**
 * Extract every selected stream, land each as `<project>/data/raw/<stream>.parquet`,
 * load it into `<schema>.<table>` when a connection is given, save cursors, and
 * write `<project>/target/extract_results.json`. Streams run concurrently as
 * soon as the streams they depend on are done. When any stream fails, the
 * results are still written and the error(s) thrown (detail.results holds them);
 * a failed stream never replaces its previous file.
 */
export async function runExtract(opts: ExtractOptions): Promise<ExtractResults> {
  const started = performance.now();
  const env = opts.env ?? process.env;
  const config = loadExtractConfig(opts.projectDir, opts.configFile);
  const projectDir = config.projectDir;
  const shownFile = relative(projectDir, config.file) || config.file;
  const baseUrl = resolveBaseUrl(config, opts.url, env);
  const auth = resolveAuth(config, env);
  const { selected, needed } = selectStreams(config, opts.streams);
  // Read even on a full refresh: streams not run this time keep their cursors.
  const state = readState(projectDir);
  const d = config.source.defaults;
  const client = new HttpClient({
    baseUrl,
    headers: { ...d.headers, ...auth.headers },
    query: auth.query,
    timeoutMs: d.timeout_ms,
    maxBodyBytes: d.max_body_bytes,
    concurrency: opts.concurrency ?? d.concurrency,
    rateLimitPerMinute: opts.rateLimitPerMinute !== undefined ? opts.rateLimitPerMinute : d.rate_limit,
    retry: d.retry,
    log: opts.log,
    authHint: auth.hint,
    secrets: auth.secrets,
  });
  const duck = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
  let duckQueue: Promise<unknown> = Promise.resolve();
  const withDuck = <T>(f: () => Promise<T>): Promise<T> => {
    const next = duckQueue.then(f, f);
    duckQueue = next.catch(() => undefined);
    return next;
  };
  const dataDir = join(projectDir, 'data', 'raw');
  const stale = cleanStaging(dataDir);
  if (stale.length > 0) opts.log?.('info', `Removed ${stale.length} staging file(s) left by an interrupted run in ${relative(projectDir, dataDir)}: ${stale.join(', ')}`);
  const now = opts.now ?? new Date();
  const results = new Map<string, StreamResult>();
  const failures: TsdbtError[] = [];
  const runs = new Map<string, Promise<Row[]>>();
  const byName = new Map(config.streams.map((s) => [s.name, s]));

  const runOne = (name: string): Promise<Row[]> => {
    const existing = runs.get(name);
    if (existing) return existing;
    const s = byName.get(name)!;
    const p = (async () => {
      const deps = new Map<string, Row[]>();
      for (const dep of streamDependencies(s)) {
        try {
          deps.set(dep, await runOne(dep));
        } catch {
          const r = emptyResult(s.name, 'skipped');
          r.error = { code: 'SKIPPED', message: `skipped: stream '${dep}' failed` };
          results.set(s.name, r);
          opts.onProgress?.({ stream: s.name, phase: 'skipped', pages: 0, rows: 0, requests: 0, retries: 0, waitMs: 0, message: r.error.message });
          throw new Error('skipped');
        }
      }
      return runStream(s, deps);
    })();
    runs.set(name, p);
    return p;
  };

  const runStream = async (s: StreamConfig, deps: Map<string, Row[]>): Promise<Row[]> => {
    const t0 = performance.now();
    const stats = { requests: 0, retries: 0, pages: 0, rows: 0, waitMs: 0 };
    const result = emptyResult(s.name, 'success');
    results.set(s.name, result);
    const emit = (phase: ExtractProgress['phase'], message?: string, waitFor?: number) =>
      opts.onProgress?.({ stream: s.name, phase, pages: stats.pages, rows: stats.rows, requests: stats.requests, retries: stats.retries, waitMs: stats.waitMs, waitFor, message });
    const warn = (msg: string) => {
      result.warnings.push(msg);
      opts.log?.('warn', msg);
    };
    emit('start');
    const finalFile = parquetPath(dataDir, s.name);
    const prev = state.streams[s.name];
    const cursor =
      !opts.fullRefresh && s.incremental && prev && prev.cursor_field === s.incremental.cursor_field && existsSync(finalFile)
        ? prev.cursor_value
        : undefined;
    try {
      const out = await fetchStream({
        stream: s,
        client,
        file: shownFile,
        deps,
        cursor,
        now,
        stats,
        onPage: () => emit('page'),
        onRetry: (why) => emit('retry', why),
        onWait: (ms, why) => emit('wait', why, ms),
      });
      const { valid, quarantined } = validateRecords(out.records, s);
      const { rows: unique, duplicates } = dedupe(valid, s, shownFile);
      if (duplicates > 0) opts.log?.('info', `${s.name}: dropped ${duplicates} duplicate record(s) on ${s.primary_key.join(', ')}`);
      result.api_total = out.apiTotal;
      result.rows_extracted = unique.length;
      result.quarantined = quarantined.length;
      if (s.totals && out.apiTotal !== undefined && unique.length + quarantined.length !== out.apiTotal) {
        mismatch(s, `the API reports ${out.apiTotal} records but ${unique.length + quarantined.length} unique records were extracted`, warn, shownFile, cursor);
      }
      if (s.incremental) {
        result.incremental = { cursor_field: s.incremental.cursor_field, from: cursor, to: maxCursor(unique, s.incremental.cursor_field, cursor) };
      }
      const rows = toColumns(unique, s, shownFile);
      if (s.columns) {
        const declared = new Set(Object.keys(s.columns));
        const dropped = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !declared.has(c));
        if (dropped.length > 0) warn(`${s.name}: keys not declared in columns are not landed: ${dropped.join(', ')}`);
      }
      // The complete rows (this run + earlier runs) for streams that depend on this one.
      let full: Row[] = unique.map((r) => r.record);
      if (cursor !== undefined) {
        const fields = neededFields(config, s);
        const keyOf = (r: Row) => JSON.stringify(s.primary_key.map((k) => r[k]));
        const fresh = new Set(full.map(keyOf));
        const cols = Object.fromEntries(fields.map((f) => [columnName(f, s.column_naming), f]));
        const old = await withDuck(() => readParquetRows(duck, finalFile, cols));
        full = [...full, ...old.filter((r) => !fresh.has(keyOf(r)))];
      }
      const from = s.totals?.from_stream;
      if (from) {
        const expected = (deps.get(from.stream) ?? []).reduce((n, r) => n + (Number(r[from.field]) || 0), 0);
        if (expected !== full.length) {
          mismatch(s, `the sum of ${from.stream}.${from.field} is ${expected} but ${full.length} records ${cursor !== undefined ? 'are in this run and the earlier ones' : 'were extracted'}`, warn, shownFile, cursor);
        }
      }
      result.rows = full.length;
      if (selected.has(s.name) && s.land) {
        const mergeOn = cursor !== undefined ? s.primary_key.map((k) => columnName(k, s.column_naming)) : undefined;
        const landed = await withDuck(() =>
          landParquet({ duck, dataDir, stream: s.name, rows, columns: s.columns, mergeOn, file: shownFile, line: s.line }),
        );
        result.rows = landed.rows;
        result.file = relative(projectDir, landed.file);
        writeQuarantine(projectDir, s.name, quarantined);
        if (quarantined.length > 0) warn(`${s.name}: ${quarantined.length} record(s) violating ${s.schema_ref} written to data/quarantine/${s.name}.ndjson`);
        if (opts.connection) {
          const conn = opts.connection;
          const schema = d.schema;
          for (const sql of loadStatements(opts.loadDialect ?? 'duckdb', schema, s.table, landed.file)) {
            await withDuck(() => executeLoad(conn, sql, s, shownFile));
          }
          result.table = `${schema}.${s.table}`;
        }
        emit('landed');
        if (s.incremental && result.incremental?.to !== undefined) {
          state.streams[s.name] = { cursor_field: s.incremental.cursor_field, cursor_value: result.incremental.to, updated_at: new Date().toISOString() };
        } else if (!s.incremental) delete state.streams[s.name];
      }
      emit('done');
      return full;
    } catch (e) {
      const err = e instanceof TsdbtError ? e : fileSystemError(s.name, dataDir, e);
      result.status = 'error';
      result.error = { code: err.code, message: err.message };
      failures.push(err);
      emit('error', err.message);
      throw err;
    } finally {
      Object.assign(result, { requests: stats.requests, retries: stats.retries, pages: stats.pages, duration_ms: Math.round(performance.now() - t0) });
    }
  };

  try {
    await Promise.allSettled(config.streams.filter((s) => needed.has(s.name)).map((s) => runOne(s.name)));
  } finally {
    await client.close();
    await duck.close();
  }
  writeState(projectDir, state);
  const list = config.streams.filter((s) => needed.has(s.name)).map((s) => results.get(s.name) ?? emptyResult(s.name, 'skipped'));
  const out: ExtractResults = {
    generated_at: new Date().toISOString(),
    elapsed_ms: Math.round(performance.now() - started),
    success: failures.length === 0,
    base_url: client.display(new URL(baseUrl)),
    streams: list,
    totals: {
      rows: list.reduce((n, r) => n + (r.file ? r.rows : 0), 0),
      requests: client.totalRequests,
      retries: list.reduce((n, r) => n + r.retries, 0),
      streams: list.length,
      errors: list.filter((r) => r.status === 'error').length,
    },
  };
  writeResults(opts.targetDir ?? join(projectDir, 'target'), out);
  if (failures.length === 1) {
    failures[0]!.detail = { ...failures[0]!.detail, results: out };
    throw failures[0];
  }
  if (failures.length > 1) throw Object.assign(new TsdbtErrorList(failures), { results: out });
  return out;
}

function emptyResult(stream: string, status: StreamResult['status']): StreamResult {
  return { stream, status, rows: 0, rows_extracted: 0, pages: 0, requests: 0, retries: 0, duration_ms: 0, quarantined: 0, warnings: [] };
}

/** A failed count check; on an incremental run (a saved `cursor`) the saved state is the likely culprit. */
function mismatch(s: StreamConfig, what: string, warn: (m: string) => void, file: string, cursor?: string): void {
  const message = `stream '${s.name}': count check failed: ${what}`;
  if (s.totals?.on_mismatch === 'warn') {
    warn(message);
    return;
  }
  throw new TsdbtError('EXTRACT_COUNT', message, {
    file,
    line: s.line,
    hint: cursor !== undefined
      ? `This run continued from the saved state (.tsdbt/extract_state.json, ${s.incremental?.cursor_field} ${cursor}), which looks stale: the server's data changed since the last run (restarted or reseeded?). Run \`tsdbt extract --full-refresh\` to start over.`
      : 'Records were lost or duplicated (unstable paging?). Narrow the windows or page size; set totals.on_mismatch: warn to land anyway.',
  });
}

/** `--streams` selection plus everything the selection depends on. */
function selectStreams(config: ExtractConfig, names?: string[]): { selected: Set<string>; needed: Set<string> } {
  const all = new Map(config.streams.map((s) => [s.name, s]));
  const selected = new Set(names && names.length > 0 ? names : config.streams.map((s) => s.name));
  for (const n of selected) {
    if (!all.has(n)) {
      throw new TsdbtError('USAGE', `No stream named '${n}' in ${relative(config.projectDir, config.file)}`, {
        hint: `Streams: ${[...all.keys()].join(', ')}.`,
      });
    }
  }
  const needed = new Set<string>();
  const add = (n: string) => {
    if (needed.has(n)) return;
    needed.add(n);
    for (const d of streamDependencies(all.get(n)!)) add(d);
  };
  for (const n of selected) add(n);
  return { selected, needed };
}

/** API fields of `s` that other streams read (placeholders, parent fields, join keys, totals) plus its key. */
function neededFields(config: ExtractConfig, s: StreamConfig): string[] {
  const out = new Set(s.primary_key);
  for (const o of config.streams) {
    if (o.parent?.stream === s.name) {
      for (const t of [o.path, ...Object.values(o.params)]) for (const m of t.matchAll(/\{parent\.([^}]+)\}/g)) out.add(m[1]!);
      for (const f of Object.values(o.parent.fields)) out.add(f);
    }
    if (o.join?.stream === s.name) for (const f of [...Object.values(o.join.on), ...Object.values(o.join.fields)]) out.add(f);
    if (o.totals?.from_stream?.stream === s.name) out.add(o.totals.from_stream.field);
    if (o.pagination.type === 'date_window' && o.pagination.page_by?.stream === s.name) out.add(o.pagination.page_by.field);
  }
  return [...out];
}

function writeQuarantine(projectDir: string, stream: string, q: Quarantined[]): void {
  const path = join(projectDir, 'data', 'quarantine', `${stream}.ndjson`);
  if (q.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  writeFileAtomic(path, q.map((x) => JSON.stringify({ stream, ...x })).join('\n') + '\n', `the quarantined records of stream '${stream}'`);
}

async function executeLoad(conn: Connection, sql: string, s: StreamConfig, file: string): Promise<void> {
  try {
    await conn.execute(sql);
  } catch (e) {
    throw new TsdbtError('EXTRACT_LANDING', `stream '${s.name}': loading into the warehouse failed: ${(e as Error).message}`, {
      file,
      line: s.line,
      hint: 'The Parquet file is written; check the target connection and run again.',
      detail: { sql },
      cause: e,
    });
  }
}

/** An error from writing files (full disk, no permission) names the stream, the folder and the fix; anything else is internal. */
function fileSystemError(stream: string, dir: string, e: unknown): TsdbtError {
  const code = (e as { code?: string }).code;
  const message = `stream '${stream}': ${(e as Error).message}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new TsdbtError('EXTRACT_LANDING', message, { cause: e, hint: `Free disk space where the Parquet files are written (${dir}); the previous files were left as they were.` });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new TsdbtError('EXTRACT_LANDING', message, { cause: e, hint: `Make ${dir} writable; the previous files were left as they were.` });
  }
  return new TsdbtError('INTERNAL', message, { cause: e });
}
