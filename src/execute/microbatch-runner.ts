import type { NodeCompiler } from '../compile/node-compiler.js';
import { relationOfNode, type RuntimeOptions, type RuntimeShared } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { templateNames } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { parseEventTime } from '../project/microbatch-config.js';
import { RunFiles } from './run-files.js';
import { batchId, formatBatchStart, isoTime, planBatches, pythonTime, type BatchSize } from './microbatch-batches.js';
import type { MicrobatchPlan, MicrobatchStep } from './microbatch-step.js';
import type { NodeResult } from './node-result.js';
import { NodeRecording } from './node-recording.js';

/** Runs a node's materialization for one rendered SQL (NodeRunner's), with the batch's render options. */
export type Materialize = (node: CompiledNode, sql: string, opts: RuntimeOptions) => Partial<NodeResult>;

export const isMicrobatch = (node: CompiledNode) =>
  node.resource_type === 'model' && node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';

/**
 * dbt 1.9's microbatch model, on one thread: the steps the coordinator's
 * MicrobatchOrchestrator asks for. `plan` lists the batches (from `begin`
 * or the lookback window, `--event-time-start/end`, or under `retry` the
 * batches that failed before) and whether the later ones may run at once;
 * `batch` runs one of them: its own render (upstreams with `event_time`
 * filtered to the window), its own statements and transaction. A failed
 * batch rolls back alone, so the rows of every other batch stay.
 */
export class MicrobatchRunner {
  constructor(
    private readonly shared: RuntimeShared,
    private readonly compiler: NodeCompiler,
    private readonly materialize: Materialize,
    private readonly threadId: string,
  ) {}

  run(node: CompiledNode, step: MicrobatchStep | undefined): NodeResult {
    const rec = new NodeRecording(this.shared.session, node, this.threadId);
    if (!step) return rec.finish('error', { error: new TsdbtError('INTERNAL', `microbatch model ${node.name} was run without a batch step`) });
    try {
      if (step.kind === 'plan') return rec.finish('success', { microbatch_plan: this.plan(node) });
    } catch (e) {
      const error = (e instanceof TsdbtError ? e : new TsdbtError('INTERNAL', e instanceof Error ? e.message : String(e))).withLocation({ file: node.original_file_path });
      return rec.finish('error', { message: error.format(), error });
    }
    return this.runBatch(node, step.plan, step.index, rec);
  }

  private plan(node: CompiledNode): MicrobatchPlan {
    const size = node.config.batch_size as BatchSize;
    const previous = this.previousResults(node);
    const batches: [number, number][] = previous
      ? previous.failed.map(([s, e]) => [Date.parse(s), Date.parse(e)])
      : planBatches({
          size,
          begin: parseTime(node.config.begin),
          lookback: Number(node.config.lookback ?? 1),
          incremental: this.relationExists(node) && !this.fullRefresh(node),
          eventTimeStart: optionalTime(this.shared.flags.event_time_start),
          eventTimeEnd: optionalTime(this.shared.flags.event_time_end),
          now: Date.now(),
        }).map((b) => [b.start, b.end]);
    return {
      batches,
      names: batches.map(([s]) => formatBatchStart(s, size)),
      retry: previous !== undefined,
      concurrent: this.concurrent(node),
      previousSuccessful: previous?.successful ?? [],
    };
  }

  /**
   * dbt's should_run_in_parallel, for the batches after the first (which
   * runs alone and must succeed, so the relation exists by then): the
   * adapter supports it, and `concurrent_batches` says so, or is unset and
   * the model does not read `this`.
   */
  private concurrent(node: CompiledNode): boolean {
    if (!this.shared.session.info.capabilities.microbatchConcurrency) return false;
    const configured = node.config.concurrent_batches;
    if (configured !== undefined && configured !== null) return Boolean(configured);
    const names = templateNames(node.raw_code ?? '', node.original_file_path);
    return names !== null && !names.has('this');
  }

  private runBatch(node: CompiledNode, plan: MicrobatchPlan, index: number, rec: NodeRecording): NodeResult {
    const [start, end] = plan.batches[index]!;
    const size = node.config.batch_size as BatchSize;
    const window = { start: pythonTime(start), end: pythonTime(end) };
    const pair: [string, string] = [isoTime(start), isoTime(end)];
    const opts: RuntimeOptions = { batch: { ...window, incremental: (index > 0 || plan.retry) && this.relationExists(node) } };
    const batchNode = batchNodeOf(node, start, size, window, index === 0, index === plan.batches.length - 1);
    const started = new Date();
    // Each batch's main statement is kept as `<model>/<model>_<batch start>.sql` under target/run/, as dbt does.
    const runFiles = new RunFiles(this.compiler, node, formatBatchStart(start, size));
    try {
      const { sql } = this.compiler.compile(batchNode, opts);
      rec.compiledCode = sql;
      rec.compiledPath = this.compiler.write(node, sql);
      const out = this.materialize(batchNode, sql, { ...opts, write: runFiles.writer() });
      runFiles.wait();
      rec.timing.push({ name: 'execute', started_at: started.toISOString(), completed_at: new Date().toISOString() });
      return rec.finish('success', { adapter_response: out.adapter_response ?? {}, message: out.message ?? 'OK', batch_results: { successful: [pair], failed: [] } });
    } catch (e) {
      this.shared.session.rollbackIfOpen();
      runFiles.settle();
      rec.timing.push({ name: 'execute', started_at: started.toISOString(), completed_at: new Date().toISOString() });
      const error = (e instanceof TsdbtError ? e : new TsdbtError('INTERNAL', e instanceof Error ? e.message : String(e))).withLocation({ file: node.original_file_path });
      return rec.finish('error', { message: 'ERROR', error, batch_results: { successful: [], failed: [pair] } });
    }
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

  /** Under `retry`: what the previous run recorded for this node. */
  private previousResults(node: CompiledNode) {
    return (this.shared.flags.microbatch_retry as Record<string, { successful: [string, string][]; failed: [string, string][] }> | undefined)?.[node.unique_id];
  }
}

/**
 * The node as one batch renders it: `model.batch`, the internal config keys
 * dbt sets for the strategy macro, and (as dbt) pre-hooks on the first batch
 * only, post-hooks on the last only.
 */
function batchNodeOf(node: CompiledNode, start: number, size: BatchSize, window: { start: string; end: string }, first: boolean, last: boolean): CompiledNode {
  return {
    ...node,
    config: {
      ...node.config,
      ...(first ? {} : { pre_hook: [] }),
      ...(last ? {} : { post_hook: [] }),
      __dbt_internal_microbatch_event_time_start: window.start,
      __dbt_internal_microbatch_event_time_end: window.end,
    },
    batch: { id: batchId(start, size), event_time_start: window.start, event_time_end: window.end },
  } as CompiledNode;
}

const parseTime = (v: unknown) => parseEventTime(v instanceof Date ? v : String(v));

function optionalTime(v: unknown): number | undefined {
  return v === undefined || v === null || v === '' ? undefined : parseTime(v);
}
