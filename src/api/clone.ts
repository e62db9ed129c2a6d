import { relationOfNode } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/node-result.js';
import { createSchemas, type OperationScope } from '../execute/operations.js';
import type { CompiledNode } from '../manifest/types.js';
import { openExecution } from './execution.js';
import { commandResult, type CommandResult, type RunOptions } from './run.js';

/**
 * `tsdbt clone --state DIR`: each selected model, seed and snapshot with a
 * relation in the state manifest gets one in the target, as dbt's default
 * clone materialization does on a database without zero-copy table clones
 * (DuckDB; tsdbt on Snowflake does the same): a view `select * from` the
 * state relation. A target relation that exists is left alone ("No-op")
 * unless --full-refresh; a node the state has no relation for is a no-op too.
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
    const results: NodeResult[] = [];
    for (const node of nodes) {
      const t0 = performance.now();
      const from = shared.defer?.relations[node.unique_id];
      const target = relationOfNode(shared, node);
      const existing = session.cache.get(target.database, target.schema ?? session.info.schema, target.identifier ?? '');
      const statements: string[] = [];
      let status: NodeResult['status'] = 'success';
      let message = 'No-op';
      let error: TsdbtError | undefined;
      if (from && (!existing || opts.fullRefresh)) {
        const source = shared.kit.relation(from, node.unique_id);
        try {
          if (existing && existing.type !== 'view') {
            const drop = `drop ${existing.type === 'table' ? 'table' : 'view'} if exists ${target.render()}`;
            statements.push(drop);
            session.execute(drop);
          }
          const sql = `create or replace view ${target.render()} as select * from ${source.render()}`;
          statements.push(sql);
          const r = session.execute(sql);
          session.commit();
          session.cache.add(shared.kit.relation({ database: target.database, schema: target.schema ?? session.info.schema, identifier: target.identifier ?? node.alias, type: 'view' }, node.unique_id));
          message = r.response._message || 'OK';
        } catch (e) {
          session.rollbackIfOpen();
          status = 'error';
          error = e instanceof TsdbtError ? e : new TsdbtError('DATABASE_ERROR', (e as Error).message, { file: node.original_file_path });
          message = error.message;
        }
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
