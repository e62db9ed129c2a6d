import type { AdapterResponse } from '../adapters/base/database-session.js';
import { Relation } from '../adapters/base/relation.js';
import { compiledPathOf, type NodeCompiler } from '../compile/node-compiler.js';
import type { MacroRegistry } from '../context/macro-registry.js';
import { runtimeContext, type RuntimeOptions, type RuntimeShared } from '../context/runtime-context.js';
import { isMicrobatch, MicrobatchRunner } from './microbatch-runner.js';
import type { MicrobatchStep } from './microbatch-step.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callJinja } from '../jinja/index.js';
import type { CompiledNode } from '../manifest/types.js';
import { findMaterialization, materializationNotFound } from './find-materialization.js';
import type { NodeResult, NodeStatus } from './node-result.js';
import { NodeRecording } from './node-recording.js';
import { judgeTest } from './judge-test.js';
import { seedCsvProblem } from '../adapters/base/seed-csv-problem.js';
import { TestBatcher } from './test-batch.js';
import { UnitTestRunner } from './unit-test-runner.js';
import { RunFiles } from './run-files.js';

const KIND: Record<string, string> = { model: 'model', seed: 'seed', snapshot: 'snapshot', test: 'test', unit_test: 'unit test' };

/**
 * Runs one node: compile (render + CTEs, written to target/compiled), then
 * call its materialization macro with `sql` in the context. A failure rolls
 * back the open transaction (the previous relation stays) and becomes an
 * error result naming the node and its compiled SQL; tests are judged from
 * the `main` statement's failures / should_warn / should_error row.
 */
export class NodeRunner {
  constructor(
    private readonly shared: RuntimeShared,
    private readonly compiler: NodeCompiler,
    private readonly registry: MacroRegistry,
    private readonly threadId = 'Thread-1',
    /** Batched test results are taken with takeBatched() (see TestBatcher's `drained`). */
    private readonly drainBatches = false,
  ) {}

  /** Results of data tests that ran in a batch with the last node and were not asked for yet (with `drainBatches`). */
  takeBatched(): NodeResult[] {
    return this.batches?.drain() ?? [];
  }

  private unitTests: UnitTestRunner | undefined;
  private microbatch: MicrobatchRunner | undefined;
  private batches: TestBatcher | undefined;

  /** Run `node` with its query comment on what it sends (dbt names the connection for the node), the invocation's after. */
  run(node: CompiledNode, step?: MicrobatchStep): NodeResult {
    const header = this.shared.queryHeader;
    if (!header) return this.runNode(node, step);
    const session = this.shared.session;
    session.setQueryComment(header.forNode(node));
    try {
      return this.runNode(node, step);
    } finally {
      session.setQueryComment(header.master);
    }
  }

  private runNode(node: CompiledNode, step?: MicrobatchStep): NodeResult {
    if (node.resource_type === 'unit_test') return (this.unitTests ??= new UnitTestRunner(this.shared, this.compiler, this.registry, this.threadId)).run(node);
    // The data tests of one model run in one query where they can (see TestBatcher); the rest run alone here.
    if (node.resource_type === 'test') {
      const batched = (this.batches ??= new TestBatcher(this.shared, this.compiler, this.registry, this.threadId, this.drainBatches)).run(node);
      if (batched) return batched;
    }
    if (isMicrobatch(node)) {
      this.microbatch ??= new MicrobatchRunner(this.shared, this.compiler, (n, sql, opts) => this.materialize(n, sql, opts), this.threadId);
      return this.microbatch.run(node, step);
    }
    const rec = new NodeRecording(this.shared.session, node, this.threadId);
    const { timing } = rec;
    const finish = (status: NodeStatus, fields: Partial<NodeResult>) => rec.finish(status, fields);
    let phase: 'compile' | 'execute' = 'compile';
    let phaseStart = new Date();
    // The compiled file is written by a worker while the node's SQL runs; waited for before the result is reported.
    let written: { wait(): void } | undefined;
    const runFiles = new RunFiles(this.compiler, node);
    try {
      const { sql } = this.compiler.compile(node);
      rec.compiledCode = sql;
      const file = this.compiler.writeInBackground(node, sql);
      written = file;
      rec.compiledPath = file.path;
      node.compiled_code = sql;
      node.compiled_path = rec.compiledPath;
      timing.push({ name: 'compile', started_at: phaseStart.toISOString(), completed_at: new Date().toISOString() });
      phase = 'execute';
      phaseStart = new Date();
      const outcome = this.materialize(node, sql, { write: runFiles.writer() });
      timing.push({ name: 'execute', started_at: phaseStart.toISOString(), completed_at: new Date().toISOString() });
      written = undefined;
      file.wait();
      runFiles.wait();
      if (node.resource_type === 'test') return finish(outcome.status, outcome);
      return finish('success', { adapter_response: outcome.adapter_response ?? {}, message: outcome.message ?? 'OK' });
    } catch (e) {
      this.shared.session.rollbackIfOpen();
      timing.push({ name: phase, started_at: phaseStart.toISOString(), completed_at: new Date().toISOString() });
      const err = asTsdbtError(e, node, runFiles.buildPath ?? rec.compiledPath);
      try {
        written?.wait();
      } catch {
        // The node already failed; its own error says more than the file's.
      }
      runFiles.settle();
      return finish('error', { message: err.format(), error: err });
    }
  }

  private materialize(node: CompiledNode, sql: string, opts: RuntimeOptions = {}): Partial<NodeResult> & { status: NodeStatus } {
    const name = node.config.materialized;
    const chain = this.shared.session.info.adapterChain;
    const macro = findMaterialization(this.registry, name, chain);
    if (!macro) throw materializationNotFound(node, name, chain);
    const r = runtimeContext(this.shared, node, { ...opts, extra: { sql, compiled_code: sql } });
    const out = callJinja(r.resolver.bind(macro), []);
    // A materialization that leaves its transaction open gets it committed, as dbt's runner does;
    // a commit it asked for may ride along with the next node's first statement.
    this.shared.session.commit({ flushDeferred: false });
    const relations = (out as { relations?: unknown } | null)?.relations;
    if (Array.isArray(relations)) for (const rel of relations) if (rel instanceof Relation) this.shared.session.cache.add(rel);
    const main = r.results.get('main');
    const response = (main?.response ?? {}) as AdapterResponse;
    if (node.resource_type !== 'test') return { status: 'success', adapter_response: response, message: response._message ?? 'OK' };
    return { ...judgeTest(node, main?.table.rawRows[0], main?.table.column_names ?? []), adapter_response: response };
  }
}

/** ` on model orders, column status` for a generic test, so a bad column names what it was looked up in. */
function testedSubject(node: CompiledNode): string {
  if (node.resource_type !== 'test' || !node.test_metadata || !node.attached_node) return '';
  const [type, , ...rest] = node.attached_node.split('.');
  return ` on ${type} ${rest.join('.')}${node.column_name ? `, column ${node.column_name}` : ''}`;
}

/** `compiledPath`: the code the error ran, as dbt's `compiled code at`: the node's target/run/ file once its main statement wrote one (dbt's build_path), else its compiled file. */
function asTsdbtError(e: unknown, node: CompiledNode, compiledPath: string | null): TsdbtError {
  const kind = KIND[node.resource_type] ?? node.resource_type;
  const where = compiledPath ?? compiledPathOf(node);
  if (e instanceof TsdbtError) {
    if (e.code === 'DATABASE_ERROR' && node.resource_type === 'seed' && node.seed_file && /sniffing file|CSV Error|CSV parsing|Could not convert string/i.test(e.message)) {
      // The database's CSV report is long and names no row: say which line of the file is wrong instead.
      const problem = seedCsvProblem(node.seed_file, node.original_file_path, typeof node.config.delimiter === 'string' ? node.config.delimiter : ',');
      if (problem) return problem;
    }
    if (e.code === 'DATABASE_ERROR') {
      const err = new TsdbtError('DATABASE_ERROR', `Database Error in ${kind} ${node.name} (${node.original_file_path})${testedSubject(node)}\n  ${e.message.split('\n').join('\n  ')}\n  compiled code at ${where}`, {
        hint: e.hint,
        cause: e,
        detail: { ...e.detail, compiled_path: where, node: node.unique_id },
      });
      return err;
    }
    return e.calledBy(`${node.resource_type} ${node.name}`, node.original_file_path).withLocation({ file: node.original_file_path });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new TsdbtError('INTERNAL', `Unexpected error in ${kind} ${node.name} (${node.original_file_path}): ${message}`, { cause: e, file: node.original_file_path });
}
