import { Relation } from '../adapters/base/relation.js';
import { runtimeContext } from '../context/runtime-context.js';
import { findMaterialization } from '../execute/find-materialization.js';
import { callJinja } from '../jinja/index.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/node-result.js';
import { createSchemas, type OperationScope } from '../execute/operations.js';
import type { CompiledNode } from '../manifest/types.js';
import { openExecution } from './execution.js';
import { commandResult, type CommandResult, type RunOptions } from './run.js';

/**
 * `tsdbt clone --state DIR`: each selected model, seed and snapshot with a
 * relation in the state manifest gets one in the target through the `clone`
 * materialization (include/global/.../clone.sql, overridable as dbt's):
 * a zero-copy table clone where the adapter can (Snowflake, for a table in
 * the state), else a view `select * from` the state relation (DuckDB, as
 * dbt-duckdb, which has no table clone). A target relation that exists is
 * left alone ("No-op") unless --full-refresh; a node the state has no
 * relation for is a no-op too.
 */
export async function clone(opts: RunOptions = {}): Promise<CommandResult> {
  if (!opts.state) {
    throw new TsdbtError('STATE_REQUIRED', 'clone needs the manifest of the run to clone from, and no --state was given', {
      hint: "Add --state <dir> (or set DBT_STATE) pointing at the production run's target/ folder.",
    });
  }
  const exec = await openExecution({ ...opts, defer: true, favorState: true }, 'clone', ['model', 'seed', 'snapshot']);
  const started = performance.now();
  try {
    const { shared, session } = exec;
    const manifest = exec.parsed.manifest;
    const nodes = [...exec.selected]
      .map((id) => manifest.nodes[id])
      .filter((n): n is CompiledNode => n !== undefined && n.config.materialized !== 'ephemeral');
    const scope: OperationScope = { shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir };
    createSchemas(scope, nodes);
    const materialization = findMaterialization(exec.parsed.registry, 'clone', session.info.adapterChain);
    if (!materialization) throw new TsdbtError('MACRO_NOT_FOUND', "No materialization 'clone' was found", { hint: 'Define {% materialization clone, default %} in your macros, or keep the built-in one.' });
    const results: NodeResult[] = [];
    for (const node of nodes) {
      const t0 = performance.now();
      const from = shared.defer?.relations[node.unique_id];
      const defer = from ? shared.kit.relation(from, node.unique_id) : null;
      const sql = defer ? `select * from ${defer.render()}` : '';
      const statements: string[] = [];
      const stop = session.onStatement((st) => statements.push(st.sql));
      let status: NodeResult['status'] = 'success';
      let message = 'No-op';
      let error: TsdbtError | undefined;
      try {
        const r = runtimeContext(shared, node, { extra: { sql, compiled_code: sql, defer_relation: defer } });
        const out = callJinja(r.resolver.bind(materialization), []);
        session.commit();
        const relations = (out as { relations?: unknown } | null)?.relations;
        if (Array.isArray(relations) && relations.length > 0) {
          for (const rel of relations) if (rel instanceof Relation) session.cache.add(rel);
          message = (r.results.get('main')?.response as { _message?: string } | undefined)?._message || 'OK';
        }
      } catch (e) {
        session.rollbackIfOpen();
        status = 'error';
        error = e instanceof TsdbtError ? e.withLocation({ file: node.original_file_path }) : new TsdbtError('DATABASE_ERROR', (e as Error).message, { file: node.original_file_path });
        message = error.message;
      } finally {
        stop();
      }
      const r: NodeResult = {
        unique_id: node.unique_id,
        node,
        status,
        timing: [],
        thread_id: 'Thread-1',
        execution_time: (performance.now() - t0) / 1000,
        adapter_response: {},
        message,
        failures: null,
        compiled_path: null,
        ...(error ? { error } : {}),
        statements,
        sql_ms: 0,
      };
      results.push(r);
      opts.onResult?.(r);
    }
    const elapsed = (performance.now() - started) / 1000;
    const args = { which: 'clone', select: opts.select ?? [], exclude: opts.exclude ?? [], state: opts.state, full_refresh: Boolean(opts.fullRefresh) };
    return commandResult(exec, 'clone', results, elapsed, args, !results.some((r) => r.status === 'error'), false);
  } finally {
    await exec.close();
  }
}
