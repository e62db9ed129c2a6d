import { agateJsonRows, agatePrintTable } from '../adapters/base/agate-print.js';
import type { QueryResult, ResultColumn } from '../adapters/base/connection.js';
import { templateRowsOf } from '../adapters/base/template-value.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/node-result.js';
import type { CompiledNode } from '../manifest/types.js';
import { compileInlineNode } from './compile.js';
import { writeCommandArtifacts } from './command-artifacts.js';
import { writeCommandManifest } from './command-manifest.js';
import { openExecution, type Execution, type ExecutionOptions } from './execution.js';
import { loadProject } from './load-project.js';
import type { RunReadyInfo } from './run.js';
import { openTargetConnection } from './open-connection.js';

export interface ShowOptions extends ExecutionOptions {
  /** `show --inline "select ..."` */
  inline?: string;
  /** Rows to fetch; default 5 as dbt. A negative limit fetches everything. */
  limit?: number;
  /** Called once the nodes are selected, before any runs: dbt's show prints the run's header then (as compile's). */
  onReady?: (info: RunReadyInfo) => void;
}

/** One node's preview. */
export interface ShowPreview {
  /** What was previewed: the node's unique id or `inline_query`. */
  source: string;
  /** The unique id dbt's ShowNode event names: the node's (`sql_operation.<project>.inline_query` for --inline), `direct-query` for --inline-direct. */
  uniqueId: string;
  /** The node's name (`inline_query` for --inline). */
  name: string;
  compiledSql: string;
  columns: ResultColumn[];
  rows: unknown[][];
  /** The rows as dbt's show prints them (agate's print_table: six columns at most, cells cut at 20 characters). */
  table: string;
  /** The rows as `show --output json` lists them (agate's to_json). */
  json: Record<string, unknown>[];
}

/** The first preview shown, the previews dbt prints, and the artifacts written. */
export interface ShowResult extends ShowPreview {
  /**
   * The previews to print, in the order run: for --inline the query's; else
   * those of the nodes whose name appears in the first --select value (dbt's
   * rule: the others selected run, and are only recorded).
   */
  previews: ShowPreview[];
  /** target/run_results.json's path (undefined with --no-write-json), and any error writing it. */
  runResultsPath?: string;
  artifactErrors: TsdbtError[];
}

/** The resource types whose SQL show runs (a seed shows its table). */
const SHOWN = new Set(['model', 'seed', 'snapshot', 'test', 'analysis']);

/**
 * `show`: compile the selected nodes (or inline SQL) and run each with a
 * limit, without building anything. A model's SQL is run, not its relation,
 * so the preview reflects the code as it is now; a seed shows its table. As
 * dbt's show (its compile task), every selected node runs, in DAG order,
 * and the first that fails ends the command with its error and no
 * run_results.json; otherwise run_results.json records each, its compiled
 * code the query run (the limit included).
 */
export async function show(opts: ShowOptions = {}): Promise<ShowResult> {
  if (opts.inline === undefined && (opts.select ?? []).length === 0) {
    throw new TsdbtError('USAGE', 'Either --select or --inline must be passed to show', { hint: 'e.g. tsdbt show --select my_model, or tsdbt show --inline "select 1 as x".' });
  }
  const exec = await openExecution(opts, 'show', opts.inline !== undefined ? [] : [...SHOWN]);
  try {
    const { loaded } = exec;
    opts.onReady?.({
      manifest: exec.parsed.manifest, total: opts.inline !== undefined ? 1 : exec.selected.size, threads: Math.max(1, opts.threads ?? loaded.threads),
      targetName: loaded.profile.targetName, adapterType: loaded.adapter.type, invocationId: loaded.invocationId,
    });
    // As dbt: manifest.json is written when the manifest is loaded, before the command runs.
    const manifestPath = writeCommandManifest(exec);
    const limit = opts.limit ?? 5;
    const started = performance.now();
    const results: NodeResult[] = [];
    const previews: ShowPreview[] = [];
    if (opts.inline !== undefined) {
      const inline = opts.inline;
      previews.push(showNode(exec, () => compileInlineNode(exec, inline), limit, results));
    } else {
      const first = opts.select![0]!;
      const nodes = exec.parsed.manifest.nodes;
      const ids = exec.graph.topologicalOrder().filter((id) => exec.selected.has(id) && SHOWN.has(nodes[id]?.resource_type ?? ''));
      if (ids.length === 0) throw new TsdbtError('USAGE', `show --select ${(opts.select ?? []).join(' ')} matches no node`, { hint: 'Select a model, e.g. --select my_model, or pass --inline "select ...".' });
      for (const id of ids) {
        const node = nodes[id]!;
        const preview = showNode(exec, () => ({ node, sql: node.resource_type === 'seed' ? `select * from ${node.relation_name}` : exec.compiler.compile(node).sql }), limit, results);
        // dbt prints the nodes whose name is within the first --select value (a substring test, as dbt's).
        if (first.includes(node.name)) previews.push(preview);
      }
    }
    const args = { which: 'show', select: opts.select ?? [], exclude: opts.exclude ?? [], inline: opts.inline ?? null, limit };
    const written = writeCommandArtifacts(exec, results, { invocationId: exec.loaded.invocationId, elapsed: (performance.now() - started) / 1000, args }, { manifestPath: manifestPath ?? '', artifactErrors: [] });
    const empty: ShowPreview = { source: '', uniqueId: '', name: '', compiledSql: '', columns: [], rows: [], table: '', json: [] };
    return {
      ...(previews[0] ?? empty),
      previews,
      runResultsPath: exec.loaded.writeJson ? written.runResultsPath : undefined,
      artifactErrors: written.artifactErrors,
    };
  } finally {
    await exec.close();
  }
}

/** Compile one node and run its SQL with the limit (a failure throws); its result is added to `results`. */
function showNode(exec: Execution, compile: () => { node: CompiledNode; sql: string }, limit: number, results: NodeResult[]): ShowPreview {
  const began = new Date();
  const { node, sql: compiledSql } = compile();
  const compiled = new Date();
  const body = compiledSql.trim().replace(/;\s*$/, '');
  const sql = limit >= 0 ? `select * from (\n${body}\n) as dbt_show_subquery limit ${limit}` : body;
  const { raw, response } = exec.session.execute(sql);
  exec.session.commit();
  const ended = new Date();
  results.push({
    unique_id: node.unique_id, node, status: 'success', thread_id: 'Thread-1', execution_time: (ended.getTime() - began.getTime()) / 1000, adapter_response: response,
    timing: [{ name: 'compile', started_at: began.toISOString(), completed_at: compiled.toISOString() }, { name: 'execute', started_at: compiled.toISOString(), completed_at: ended.toISOString() }],
    message: null, failures: null, compiled_path: null, compiled_code: sql, statements: [sql], sql_ms: 0,
  });
  const inline = node.resource_type === 'sql_operation';
  return {
    source: inline ? 'inline_query' : node.unique_id,
    uniqueId: node.unique_id,
    name: node.name,
    compiledSql,
    ...printed(raw),
  };
}

/** A preview's rows, as printed (agate's print_table with dbt show's arguments: every row) and as JSON. */
function printed({ columns, rows, micros }: QueryResult): Pick<ShowPreview, 'columns' | 'rows' | 'table' | 'json'> {
  const values = templateRowsOf(columns.map((c) => c.type), rows, micros);
  return { columns, rows, table: agatePrintTable(columns, values, { maxRows: null, maxColumns: 6, maxColumnWidth: 20, maxPrecision: 3 }), json: agateJsonRows(columns, values) };
}

/**
 * `show --inline-direct "<sql>"` (dbt 1.10's ShowTaskDirect): the SQL as
 * given, no Jinja, sent to the target without parsing the project; the
 * first `limit` rows kept (no subquery: the SQL runs as written). Nothing
 * is written to target/. Its preview is an inline one.
 */
export async function showInlineDirect(sql: string, opts: ShowOptions = {}): Promise<ShowResult> {
  const loaded = loadProject(opts);
  const limit = opts.limit ?? 5;
  const { connection, close } = await openTargetConnection(loaded);
  try {
    let raw;
    try {
      raw = await connection.execute(sql);
    } catch (e) {
      const message = loaded.secrets.redact(e instanceof Error ? e.message : String(e));
      throw new TsdbtError('DATABASE_ERROR', message, { hint: 'The SQL of --inline-direct runs as written (no Jinja, no refs): check it against the target.' });
    }
    const preview: ShowPreview = {
      source: 'inline_query',
      uniqueId: 'direct-query',
      name: 'direct-query',
      compiledSql: sql,
      ...printed({ ...raw, rows: limit >= 0 ? raw.rows.slice(0, limit) : raw.rows }),
    };
    return { ...preview, previews: [preview], artifactErrors: [] };
  } finally {
    await close();
  }
}
