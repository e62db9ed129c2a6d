import { writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import { relationOfSource, runtimeContext, type StoredResult } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { freshnessCriteria, freshnessStatus, pythonIsoUtc, sourcesJsonEntry, type FreshnessResult } from '../execute/freshness.js';
import { hookResultsView, runProjectHooks, scopedOperation, type HookEvents } from '../execute/operations.js';
import type { NodeResult } from '../execute/node-result.js';
import { hooksInRunOrder, projectHookNodes } from '../project/hook-nodes.js';
import { callJinja } from '../jinja/index.js';
import type { Manifest, SourceTable } from '../manifest/types.js';
import { DBT_VERSION } from '../project/dbt-version.js';
import { artifactWriteError } from './command-artifacts.js';
import { writeCommandManifest } from './command-manifest.js';
import { openExecution, type ExecutionOptions } from './execution.js';
import { NOTHING_TO_DO } from './run.js';

export interface FreshnessRun {
  success: boolean;
  results: FreshnessResult[];
  /** target/sources.json */
  path: string;
  /** Wall seconds from the first check to the last. */
  elapsed: number;
  warnings: string[];
  /** Nothing was selected: dbt warns and checks nothing. */
  nothingToDo: boolean;
  /** Artifacts that could not be written (a full disk): manifest.json, sources.json. */
  artifactErrors: TsdbtError[];
  /** The on-run-start and on-run-end hooks' results, in the order they ran. */
  hooks: NodeResult[];
}

/** What the CLI prints by (dbt's events): the header once selected, a START line and a result line per source. */
export interface FreshnessListener {
  onReady?(info: { manifest: Manifest; total: number; threads: number; targetName: string; adapterType: string; invocationId: string; nothingToDo: boolean }): void;
  onStart?(source: SourceTable, index: number, total: number): void;
  onResult?(result: FreshnessResult, source: SourceTable, index: number, total: number): void;
  /** An on-run-start/end hook starts and ends (dbt 1.10 runs them in source freshness: source_freshness_run_project_hooks). */
  hookEvents?: HookEvents;
}

/** dbt's adapters take a missing newest row as infinitely long ago: the year 1. */
const YEAR_ONE = new Date(0);
YEAR_ONE.setUTCFullYear(1, 0, 1);

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * `tsdbt source freshness`, as dbt 1.10's FreshnessTask: every selected
 * source with a freshness threshold is checked (collect_freshness on its
 * loaded_at_field, or collect_freshness_custom_sql on its loaded_at_query)
 * and judged against warn_after/error_after; one with neither is a runtime
 * error, as on an adapter without metadata-based freshness. The project's
 * on-run-start and on-run-end hooks run around the checks. Writes
 * target/sources.json and manifest.json, as dbt does.
 */
export async function sourceFreshness(opts: ExecutionOptions & FreshnessListener = {}): Promise<FreshnessRun> {
  const exec = await openExecution(opts, 'freshness', ['source']);
  try {
    const manifest = exec.parsed.manifest;
    const registry = exec.parsed.registry;
    const macro = (name: string) => registry.find(name, exec.root.name)!;
    const scope = { shared: exec.shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir };
    // As dbt's FreshnessSelector: the selected sources with a threshold (has_freshness).
    const sources = [...exec.selected].sort().map((id) => manifest.sources[id]).filter((s): s is SourceTable => s !== undefined && freshnessCriteria(s) !== null);
    const total = sources.length;
    const threads = Math.max(1, opts.threads ?? exec.loaded.threads);
    const warnings = [...exec.warnings];
    if (total === 0) warnings.push(NOTHING_TO_DO);
    opts.onReady?.({ manifest, total, threads, targetName: exec.loaded.profile.targetName, adapterType: exec.loaded.adapter.type, invocationId: exec.loaded.invocationId, nothingToDo: total === 0 });
    const results: FreshnessResult[] = [];
    const hookResults: NodeResult[] = [];
    const started = performance.now();
    // As dbt 1.10's FreshnessTask (a RunTask): the project's on-run-start hooks, the checks (run even after a failed
    // hook, as dbt without skip_nodes_if_on_run_start_fails), then on-run-end with the results. Nothing selected: no hooks.
    const hooks = total === 0 ? [] : projectHookNodes(exec.loaded.packages, { schema: exec.session.info.schema, database: exec.session.info.database });
    hookResults.push(...runProjectHooks(scope, 'on-run-start', hooksInRunOrder(hooks, 'on-run-start', exec.root.name), {}, opts.hookEvents));
    for (const [i, source] of sources.entries()) {
      opts.onStart?.(source, i + 1, total);
      const r = checkSource(exec, scope, macro, source);
      results.push(r);
      opts.onResult?.(r, source, i + 1, total);
    }
    exec.session.commit();
    const asNodeResults = results.map((r, i): NodeResult => ({
      unique_id: r.unique_id, node: sources[i] as unknown as NodeResult['node'], status: r.status as NodeResult['status'], message: r.error ?? null, failures: null,
      execution_time: r.execution_time, adapter_response: r.adapter_response as NodeResult['adapter_response'], thread_id: r.thread_id, timing: r.timing, statements: [], sql_ms: 0, compiled_path: null,
    }));
    hookResults.push(...runProjectHooks(scope, 'on-run-end', hooksInRunOrder(hooks, 'on-run-end', exec.root.name), {
      results: hookResultsView([...asNodeResults, ...hookResults.filter((h) => h.status === 'error')]),
      schemas: [],
      database_schemas: [],
    }, opts.hookEvents));
    const elapsed = (performance.now() - started) / 1000;
    const artifactErrors: TsdbtError[] = [];
    const attempt = (write: () => void, path: string): void => {
      try {
        write();
      } catch (e) {
        artifactErrors.push(artifactWriteError(path, e));
      }
    };
    const path = join(exec.targetDir, 'sources.json');
    // Neither file with --no-write-json, as dbt.
    if (exec.loaded.writeJson) attempt(() => writeFileAtomic(path, JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', dbt_version: DBT_VERSION, generated_at: new Date().toISOString(), invocation_id: exec.loaded.invocationId, invocation_started_at: exec.loaded.runStartedAt.toISOString(), env: {} },
      results: results.map(sourcesJsonEntry),
      elapsed_time: elapsed,
    }, null, 2), 'source freshness results'), path);
    // Every command that parses writes manifest.json (no node compiled here: its nodes as the parse cache holds them).
    attempt(() => writeCommandManifest(exec), join(exec.targetDir, 'manifest.json'));
    const success = !results.some((r) => r.status === 'error' || r.status === 'runtime error') && !hookResults.some((h) => h.status === 'error');
    return { success, results, path, elapsed, warnings, nothingToDo: total === 0, artifactErrors, hooks: hookResults };
  } finally {
    await exec.close();
  }
}

type Execution = Awaited<ReturnType<typeof openExecution>>;

/** One source's check: its result, or its runtime error as dbt words it (`Database Error in source t (models/src.yml)`). */
function checkSource(exec: Execution, scope: Parameters<typeof scopedOperation>[0], macro: (name: string) => NonNullable<ReturnType<Execution['parsed']['registry']['find']>>, source: SourceTable): FreshnessResult {
  const criteria = freshnessCriteria(source)!;
  const startedAt = new Date();
  const t0 = performance.now();
  const base = { unique_id: source.unique_id, criteria, thread_id: 'Thread-1' };
  // Name the source (its table's name, as dbt) and its YAML file.
  const failed = (kind: 'Database' | 'Runtime', detail: string): FreshnessResult => ({
    ...base, status: 'runtime error', max_loaded_at: null, snapshotted_at: null, max_loaded_at_time_ago_in_s: null, adapter_response: {}, timing: [],
    execution_time: (performance.now() - t0) / 1000,
    error: exec.loaded.secrets.redact(`${kind} Error in source ${source.name} (${source.original_file_path})\n  ${detail.split('\n').join('\n  ')}`),
  });
  if (!source.loaded_at_field && !source.loaded_at_query) {
    // dbt then asks the adapter's metadata (Snowflake's last_altered, say); DuckDB has none, and tsdbt reads none yet.
    return failed('Runtime', exec.loaded.adapter.type === 'duckdb'
      ? `Could not compute freshness for source ${source.name}: no 'loaded_at_field' provided and duckdb adapter does not support metadata-based freshness checks.`
      : `Could not compute freshness for source ${source.name}: no 'loaded_at_field' provided, and tsdbt does not read freshness from ${exec.loaded.adapter.type}'s metadata; set loaded_at_field.`);
  }
  try {
    const relation = relationOfSource(exec.shared, source);
    // collect_freshness(_custom_sql) returns load_result(...): {response, table, data}.
    let stored: StoredResult | null;
    if (source.loaded_at_query) {
      // As dbt 1.10: loaded_at_query rendered with the source's context (`this` the source's relation, `source_node` and `model` the source), run as the newest load time.
      const query = scopedOperation(scope, `freshness.${source.source_name}.${source.name}`, source.loaded_at_query);
      const { sql } = exec.compiler.render(query, { allowUndeclaredRefs: true, extra: { this: relation, source_node: source, model: source } });
      const r = runtimeContext(exec.shared, query, { allowUndeclaredRefs: true });
      stored = callJinja(r.resolver.bind(macro('collect_freshness_custom_sql')), [relation, sql], {}) as StoredResult | null;
    } else {
      const node = scopedOperation(scope, `freshness.${source.source_name}.${source.name}`, '');
      const r = runtimeContext(exec.shared, node, { allowUndeclaredRefs: true });
      stored = callJinja(r.resolver.bind(macro('collect_freshness')), [relation, source.loaded_at_field, criteria.filter ?? null], {}) as StoredResult | null;
    }
    const row = stored?.table?.rawRows?.[0] ?? stored?.data?.[0];
    const maxLoaded = toDate(row?.[0]) ?? YEAR_ONE;
    const snapshotted = toDate(row?.[1]) ?? new Date();
    const age = (snapshotted.getTime() - maxLoaded.getTime()) / 1000;
    const completedAt = new Date();
    return {
      ...base,
      status: freshnessStatus(age, criteria),
      max_loaded_at: pythonIsoUtc(maxLoaded),
      snapshotted_at: pythonIsoUtc(snapshotted),
      max_loaded_at_time_ago_in_s: age,
      adapter_response: stored?.response ? { ...stored.response } : {},
      timing: [
        { name: 'compile', started_at: startedAt.toISOString(), completed_at: startedAt.toISOString() },
        { name: 'execute', started_at: startedAt.toISOString(), completed_at: completedAt.toISOString() },
      ],
      execution_time: (performance.now() - t0) / 1000,
    };
  } catch (e) {
    exec.session.rollbackIfOpen();
    // A database error's own text, not the internal macro it surfaced in.
    const database = e instanceof TsdbtError && e.code === 'DATABASE_ERROR';
    return failed(database ? 'Database' : 'Runtime', e instanceof TsdbtError ? (database ? e.message : e.format()) : String(e));
  }
}
