import { agateJsonRows, agatePrintTable } from '../adapters/base/agate-print.js';
import type { ResultColumn } from '../adapters/base/connection.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult, TimingInfo } from '../execute/node-result.js';
import type { CompiledNode } from '../manifest/types.js';
import { compileInlineNode } from './compile.js';
import { writeCommandArtifacts } from './command-artifacts.js';
import { writeCommandManifest } from './command-manifest.js';
import { openExecution, type ExecutionOptions } from './execution.js';

export interface ShowOptions extends ExecutionOptions {
  /** `show --inline "select ..."` */
  inline?: string;
  /** Rows to fetch; default 5 as dbt. A negative limit fetches everything. */
  limit?: number;
}

export interface ShowResult {
  /** What was previewed: the node's unique id or `inline_query`. */
  source: string;
  compiledSql: string;
  columns: ResultColumn[];
  rows: unknown[][];
  /** The rows as dbt's show prints them (agate's print_table: six columns at most, cells cut at 20 characters). */
  table: string;
  /** The rows as `show --output json` lists them (agate's to_json). */
  json: Record<string, unknown>[];
  /** target/run_results.json's path (undefined with --no-write-json), and any error writing it. */
  runResultsPath?: string;
  artifactErrors: TsdbtError[];
}

/**
 * `show`: compile one node (or inline SQL) and run it with a limit, without
 * building anything. The model's SQL is run, not its relation, so the
 * preview reflects the code as it is now. As dbt's, it writes
 * run_results.json: the node's result, its compiled code the query run
 * (the limit included).
 */
export async function show(opts: ShowOptions = {}): Promise<ShowResult> {
  const exec = await openExecution(opts, 'show', opts.inline !== undefined ? [] : ['model', 'seed', 'snapshot', 'test', 'analysis']);
  try {
    // As dbt: manifest.json is written when the manifest is loaded, before the command runs.
    const manifestPath = writeCommandManifest(exec);
    const began = new Date();
    let node: CompiledNode;
    let compiledSql: string;
    if (opts.inline !== undefined) {
      ({ node, sql: compiledSql } = compileInlineNode(exec, opts.inline));
    } else {
      const ids = [...exec.selected].filter((id) => exec.parsed.manifest.nodes[id]);
      if (ids.length !== 1) {
        throw new TsdbtError('USAGE', ids.length === 0 ? `show --select ${(opts.select ?? []).join(' ')} matches no node` : `show previews one node; --select ${(opts.select ?? []).join(' ')} matches ${ids.length}: ${ids.slice(0, 5).join(', ')}`, {
          hint: 'Select exactly one model, e.g. --select my_model, or pass --inline "select ...".',
        });
      }
      node = exec.parsed.manifest.nodes[ids[0]!]!;
      compiledSql = exec.compiler.compile(node).sql;
    }
    const compiled = new Date();
    const limit = opts.limit ?? 5;
    const body = compiledSql.trim().replace(/;\s*$/, '');
    const sql = limit >= 0 ? `select * from (\n${body}\n) as dbt_show_subquery limit ${limit}` : body;
    const finish = (response: NodeResult['adapter_response']) => {
      const ended = new Date();
      const timing: TimingInfo[] = [
        { name: 'compile', started_at: began.toISOString(), completed_at: compiled.toISOString() },
        { name: 'execute', started_at: compiled.toISOString(), completed_at: ended.toISOString() },
      ];
      const seconds = (ended.getTime() - began.getTime()) / 1000;
      const result: NodeResult = {
        unique_id: node.unique_id, node, status: 'success', timing, thread_id: 'Thread-1', execution_time: seconds, adapter_response: response,
        message: null, failures: null, compiled_path: null, compiled_code: sql, statements: [sql], sql_ms: 0,
      };
      const args = { which: 'show', select: opts.select ?? [], exclude: opts.exclude ?? [], inline: opts.inline ?? null, limit };
      return writeCommandArtifacts(exec, [result], { invocationId: exec.loaded.invocationId, elapsed: seconds, args }, { manifestPath: manifestPath ?? '', artifactErrors: [] });
    };
    // A query that fails is thrown, and no run_results.json written (dbt's show is its compile task: the first error ends it).
    const outcome = exec.session.execute(sql);
    exec.session.commit();
    const written = finish(outcome.response);
    const { raw } = outcome;
    return {
      source: opts.inline !== undefined ? 'inline_query' : node.unique_id,
      compiledSql,
      columns: raw.columns,
      rows: raw.rows,
      table: agatePrintTable(raw.columns, raw.rows, { maxRows: null, maxColumns: 6, maxColumnWidth: 20, maxPrecision: 3 }),
      json: agateJsonRows(raw.columns, raw.rows),
      runResultsPath: exec.loaded.writeJson ? written.runResultsPath : undefined,
      artifactErrors: written.artifactErrors,
    };
  } finally {
    await exec.close();
  }
}
