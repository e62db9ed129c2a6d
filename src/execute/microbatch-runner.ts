import type { AdapterResponse } from '../adapters/base/database-session.js';
import type { NodeCompiler } from '../compile/node-compiler.js';
import { relationOfNode, type RuntimeOptions, type RuntimeShared } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode } from '../manifest/types.js';
import { parseEventTime } from '../project/microbatch-config.js';
import { batchId, planBatches, pythonTime, type Batch, type BatchSize } from './microbatch-batches.js';
import type { BatchResults, NodeResult, NodeStatus } from './node-result.js';
import { NodeRecording } from './node-recording.js';

/** Runs a node's materialization for one rendered SQL (NodeRunner's), with the batch's render options. */
export type Materialize = (node: CompiledNode, sql: string, opts: RuntimeOptions) => { adapter_response?: AdapterResponse | Record<string, never>; message?: string | null };

export const isMicrobatch = (node: CompiledNode) =>
  node.resource_type === 'model' && node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';

/**
 * dbt 1.9's microbatch model: the model runs once per batch, each its own
 * render (upstreams with `event_time` filtered to the batch window), its
 * own statements and transaction. A failed batch rolls back alone, so the
 * rows of every other batch stay; the node's result is success, error (no
 * batch succeeded) or `partial success`, with `batch_results` listing the
 * successful and failed windows (what `retry` re-runs).
 */
export class MicrobatchRunner {
  constructor(
    private readonly shared: RuntimeShared,
    private readonly compiler: NodeCompiler,
    private readonly materialize: Materialize,
    private readonly threadId: string,
  ) {}

  run(node: CompiledNode): NodeResult {
    const rec = new NodeRecording(this.shared.session, node, this.threadId);
    const size = node.config.batch_size as BatchSize;
    const started = new Date();
    const retry = this.retryBatches(node);
    const batches = retry ?? planBatches({
      size,
      begin: parseTime(node.config.begin),
      lookback: Number(node.config.lookback ?? 1),
      incremental: this.relationExists(node) && !this.fullRefresh(node),
      eventTimeStart: optionalTime(this.shared.flags.event_time_start),
      eventTimeEnd: optionalTime(this.shared.flags.event_time_end),
      now: Date.now(),
    });
    const results: BatchResults = { successful: [], failed: [] };
    const errors: TsdbtError[] = [];
    let lastResponse: AdapterResponse | Record<string, never> = {};
    batches.forEach((b, i) => {
      const window = { start: pythonTime(b.start), end: pythonTime(b.end) };
      const pair: [string, string] = [isoTime(b.start), isoTime(b.end)];
      const opts: RuntimeOptions = { batch: { ...window, incremental: (i > 0 || retry !== undefined) && this.relationExists(node) } };
      const batchNode = batchNodeOf(node, b, size, window);
      try {
        const { sql } = this.compiler.compile(batchNode, opts);
        rec.compiledCode = sql;
        rec.compiledPath = this.compiler.write(node, sql);
        lastResponse = this.materialize(batchNode, sql, opts).adapter_response ?? {};
        results.successful.push(pair);
      } catch (e) {
        this.shared.session.rollbackIfOpen();
        results.failed.push(pair);
        const err = e instanceof TsdbtError ? e : new TsdbtError('INTERNAL', e instanceof Error ? e.message : String(e));
        errors.push(err.withLocation({ file: node.original_file_path }));
      }
    });
    rec.timing.push({ name: 'execute', started_at: started.toISOString(), completed_at: new Date().toISOString() });
    // As dbt: a retry's result also lists the batches that succeeded before.
    results.successful.push(...(this.previousResults(node)?.successful ?? []));
    const ok = results.successful.length;
    const bad = results.failed.length;
    const status: NodeStatus = bad === 0 ? 'success' : ok === 0 ? 'error' : 'partial success';
    const message = bad === 0 ? 'SUCCESS' : ok === 0 ? 'ERROR' : `PARTIAL SUCCESS (${ok}/${ok + bad})`;
    const error = errors.length > 0 ? new TsdbtError(errors[0]!.code, `${bad} of ${ok + bad} batches of microbatch model ${node.name} failed:\n${errors.map((e, i) => `  batch ${results.failed[i]![0]}: ${e.message}`).join('\n')}`, { file: node.original_file_path, hint: "Fix the cause, then 'tsdbt retry' re-runs only the failed batches." }) : undefined;
    return rec.finish(status, { adapter_response: lastResponse, message, batch_results: results, ...(error ? { error } : {}) });
  }

  private relationExists(node: CompiledNode): boolean {
    const rel = relationOfNode(this.shared, node);
    const existing = this.shared.session.cache.get(rel.database, rel.schema ?? this.shared.session.info.schema, rel.identifier ?? '');
    return existing !== null && existing.type === 'table';
  }

  private fullRefresh(node: CompiledNode): boolean {
    const cfg = node.config.full_refresh;
    return cfg === null || cfg === undefined ? Boolean(this.shared.flags.full_refresh) : Boolean(cfg);
  }

  private previousResults(node: CompiledNode): BatchResults | undefined {
    return (this.shared.flags.microbatch_retry as Record<string, BatchResults> | undefined)?.[node.unique_id];
  }

  /** Under `retry`: the batches the previous run recorded as failed for this node. */
  private retryBatches(node: CompiledNode): Batch[] | undefined {
    return this.previousResults(node)?.failed.map(([s, e]) => ({ start: Date.parse(s), end: Date.parse(e) }));
  }
}

/** The node as one batch renders it: `model.batch` and the internal config keys dbt sets for the strategy macro. */
function batchNodeOf(node: CompiledNode, b: Batch, size: BatchSize, window: { start: string; end: string }): CompiledNode {
  return {
    ...node,
    config: { ...node.config, __dbt_internal_microbatch_event_time_start: window.start, __dbt_internal_microbatch_event_time_end: window.end },
    batch: { id: batchId(b.start, size), event_time_start: window.start, event_time_end: window.end },
  } as CompiledNode;
}

const parseTime = (v: unknown) => parseEventTime(v instanceof Date ? v : String(v));

function optionalTime(v: unknown): number | undefined {
  return v === undefined || v === null || v === '' ? undefined : parseTime(v);
}

/** A batch bound as dbt serialises a UTC datetime in run_results.json. */
const isoTime = (t: number) => `${new Date(t).toISOString().slice(0, 19)}+00:00`;
