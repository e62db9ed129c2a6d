import { formatTable } from '../adapters/base/result-table.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { compileInline } from './compile.js';
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
  columns: { name: string; type: string }[];
  rows: unknown[][];
  /** The rows as a text grid, as the CLI prints it. */
  table: string;
}

/**
 * `show`: compile one node (or inline SQL) and run it with a limit, without
 * building anything. The model's SQL is run, not its relation, so the
 * preview reflects the code as it is now.
 */
export async function show(opts: ShowOptions = {}): Promise<ShowResult> {
  const exec = await openExecution(opts, 'show', opts.inline !== undefined ? [] : ['model', 'seed', 'snapshot', 'test', 'analysis']);
  try {
    // As dbt: manifest.json is written when the manifest is loaded, before the command runs.
    writeCommandManifest(exec);
    let source = 'inline_query';
    let compiledSql: string;
    if (opts.inline !== undefined) {
      compiledSql = compileInline(exec, opts.inline);
    } else {
      const ids = [...exec.selected].filter((id) => exec.parsed.manifest.nodes[id]);
      if (ids.length !== 1) {
        throw new TsdbtError('USAGE', ids.length === 0 ? `show --select ${(opts.select ?? []).join(' ')} matches no node` : `show previews one node; --select ${(opts.select ?? []).join(' ')} matches ${ids.length}: ${ids.slice(0, 5).join(', ')}`, {
          hint: 'Select exactly one model, e.g. --select my_model, or pass --inline "select ...".',
        });
      }
      const node = exec.parsed.manifest.nodes[ids[0]!]!;
      source = node.unique_id;
      compiledSql = exec.compiler.compile(node).sql;
    }
    const limit = opts.limit ?? 5;
    const body = compiledSql.trim().replace(/;\s*$/, '');
    const sql = limit >= 0 ? `select * from (\n${body}\n) as dbt_show_subquery limit ${limit}` : body;
    const { raw } = exec.session.execute(sql);
    exec.session.commit();
    return { source, compiledSql, columns: raw.columns, rows: raw.rows, table: formatTable(raw.columns.map((c) => c.name), raw.rows, 40, raw.columns.map((c) => c.type)) };
  } finally {
    await exec.close();
  }
}
