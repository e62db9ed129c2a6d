import type { NodeResult } from '../execute/node-result.js';
import type { BatchInfo } from '../execute/microbatch-orchestrator.js';
import type { CompiledNode } from '../manifest/types.js';
import { fancyLine } from './fancy-line.js';
import type { LogEvent } from './log-event.js';

/** Colours for the status word of a line; identity when colour is off. */
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
}

/** dbt's `node_info`, carried by every node event in the JSON log. */
export function nodeInfo(node: CompiledNode, status: string, startedAt: string | null, finishedAt: string | null): Record<string, unknown> {
  const n = node as CompiledNode & { relation_name?: string | null; checksum?: { checksum?: string }; path?: string; meta?: Record<string, unknown> };
  return {
    node_path: n.path ?? n.original_file_path,
    node_name: n.name,
    unique_id: n.unique_id,
    resource_type: n.resource_type,
    materialized: n.config.materialized ?? '',
    node_status: status,
    node_started_at: startedAt ?? '',
    node_finished_at: finishedAt ?? '',
    meta: n.config.meta ?? n.meta ?? {},
    node_relation: { database: n.database ?? '', schema: n.schema ?? '', alias: n.alias ?? n.name, relation_name: n.relation_name ?? '' },
    node_checksum: n.checksum?.checksum ?? '',
  };
}

/**
 * `orders::test_name` (`orders::test_name_v2` for one version of a versioned
 * model): the tested model and the test, as dbt names a unit test in its
 * START and result lines.
 */
function unitTestName(node: CompiledNode): string {
  const version = node.version === null || node.version === undefined ? '' : `_v${String(node.version)}`;
  return `${node.unit_test?.model ?? ''}::${node.name}${version}`;
}

/** `sql view model main.stg_a`, `seed file main.raw`, `test not_null_x`, as dbt describes a node. */
export function describeNode(node: CompiledNode): string {
  const rel = `${node.schema}.${node.alias ?? node.name}`;
  switch (node.resource_type) {
    // dbt's MicrobatchModelRunner says `sql microbatch model main.x`.
    case 'model': return `${(node as { language?: string }).language ?? 'sql'} ${isMicrobatchNode(node) ? 'microbatch' : node.config.materialized} model ${rel}`;
    case 'seed': return `seed file ${rel}`;
    case 'snapshot': return `snapshot ${rel}`;
    case 'unit_test': return `unit_test ${unitTestName(node)}`;
    default: return `${node.resource_type} ${node.name}`;
  }
}

export function startEvents(node: CompiledNode, index: number, total: number, width: number, startedAt: string): LogEvent[] {
  const info = nodeInfo(node, 'started', startedAt, null);
  const description = describeNode(node);
  const msg = fancyLine(`START ${description}`, 'RUN', index, total, undefined, width);
  return [
    { name: 'NodeStart', code: 'Q024', level: 'debug', msg: `Began running node ${node.unique_id}`, data: { node_info: info } },
    { name: 'LogStartLine', code: 'Q011', level: 'info', msg, data: { description, index, total, node_info: info } },
  ];
}

function runResultData(r: NodeResult): Record<string, unknown> {
  return {
    status: r.status, message: r.message ?? '', thread: r.thread_id, execution_time: r.execution_time, num_failures: r.failures ?? 0,
    timing_info: r.timing.map((t) => ({ name: t.name, started_at: t.started_at, completed_at: t.completed_at })), adapter_response: r.adapter_response ?? {},
  };
}

/** The result line of a node (LogModelResult, LogTestResult, LogSeedResult, LogSnapshotResult, SkippingDetails) and NodeFinished. */
export function resultEvents(r: NodeResult, index: number, total: number, width: number, paint: Paint): LogEvent[] {
  const node = r.node;
  const started = r.timing[0]?.started_at ?? null;
  const finished = r.timing.at(-1)?.completed_at ?? null;
  const info = nodeInfo(node, r.status, started, finished);
  const t = r.execution_time;
  const line = (msg: string, plain: string, coloured: string, time = true) => ({
    msg: fancyLine(msg, plain, index, total, time ? t : undefined, width),
    coloured: fancyLine(msg, coloured, index, total, time ? t : undefined, width),
  });
  const thread = r.thread_id || undefined;
  const finishedEvent: LogEvent = { name: 'NodeFinished', code: 'Q025', level: 'debug', msg: `Finished running node ${node.unique_id}`, data: { node_info: info, run_result: runResultData(r) }, thread };
  let main: LogEvent;
  if (r.status === 'skipped') {
    const isRelation = ['model', 'seed', 'snapshot'].includes(node.resource_type);
    const msg = isRelation ? `SKIP relation ${node.schema}.${node.alias ?? node.name}` : `SKIP ${node.resource_type} ${node.name}`;
    main = { name: 'SkippingDetails', code: 'Q034', level: 'info', ...line(msg, 'SKIP', paint.yellow('SKIP'), false), data: { resource_type: node.resource_type, schema: node.schema, node_name: node.name, index, total, node_info: info } };
  } else if (node.resource_type === 'test' || node.resource_type === 'unit_test') {
    const word = r.status === 'pass' ? 'PASS' : r.status === 'warn' ? `WARN ${r.failures ?? 0}` : r.status === 'fail' ? `FAIL ${r.failures ?? 0}` : 'ERROR';
    const colour = r.status === 'pass' ? paint.green : r.status === 'warn' ? paint.yellow : paint.red;
    const name = node.resource_type === 'unit_test' ? unitTestName(node) : node.name;
    const level = r.status === 'pass' ? 'info' : r.status === 'warn' ? 'warn' : 'error';
    main = { name: 'LogTestResult', code: 'Q007', level, ...line(`${word} ${name}`, word, colour(word)), data: { name, status: r.status, index, num_models: total, execution_time: t, num_failures: r.failures ?? 0, node_info: info } };
  } else if (node.resource_type === 'seed') {
    const rows = (r.adapter_response as { rows_affected?: number }).rows_affected;
    const resultMessage = r.status === 'error' ? 'ERROR' : rows !== undefined && rows !== null ? `INSERT ${rows}` : String((r.adapter_response as { _message?: string })._message ?? 'OK');
    const msg = `${r.status === 'error' ? 'ERROR loading' : 'OK loaded'} seed file ${node.schema}.${node.alias ?? node.name}`;
    main = { name: 'LogSeedResult', code: 'Q016', level: r.status === 'error' ? 'error' : 'info', ...line(msg, resultMessage, r.status === 'error' ? paint.red(resultMessage) : paint.green(resultMessage)), data: { status: r.status, result_message: resultMessage, index, total, execution_time: t, schema: node.schema, relation: node.alias ?? node.name, node_info: info } };
  } else if (node.resource_type === 'snapshot') {
    const resultMessage = r.status === 'error' ? 'ERROR' : String((r.adapter_response as { _message?: string })._message ?? 'OK');
    const msg = `${r.status === 'error' ? 'ERROR snapshotting' : 'OK snapshotted'} ${describeNode(node)}`;
    main = { name: 'LogSnapshotResult', code: 'Q015', level: r.status === 'error' ? 'error' : 'info', ...line(msg, resultMessage, r.status === 'error' ? paint.red(resultMessage) : paint.green(resultMessage)), data: { description: describeNode(node), status: r.status, index, total, execution_time: t, result_message: resultMessage, node_info: info } };
  } else if (r.status === 'partial success') {
    // A microbatch model some of whose batches failed: dbt's "PARTIALLY created" line.
    // dbt prints the result message upper-cased: `PARTIAL SUCCESS (2/3)`.
    const status = String(r.message ?? 'PARTIAL SUCCESS').toUpperCase();
    const msg = `PARTIALLY created ${describeNode(node)}`;
    main = { name: 'LogModelResult', code: 'Q012', level: 'warn', ...line(msg, status, paint.yellow(status)), data: { description: describeNode(node), status, index, total, execution_time: t, node_info: info } };
  } else {
    // A microbatch model's status is its result message (`SUCCESS`), as dbt prints it.
    const status = r.status === 'error' ? 'ERROR' : isMicrobatchNode(node) ? String(r.message ?? 'SUCCESS') : String((r.adapter_response as { _message?: string })._message ?? r.message ?? 'OK');
    const msg = `${r.status === 'error' ? 'ERROR creating' : 'OK created'} ${describeNode(node)}`;
    main = { name: 'LogModelResult', code: 'Q012', level: r.status === 'error' ? 'error' : 'info', ...line(msg, status, r.status === 'error' ? paint.red(status) : paint.green(status)), data: { description: describeNode(node), status: r.status === 'error' ? 'error' : status, index, total, execution_time: t, node_info: info } };
  }
  return [{ ...main, thread }, finishedEvent];
}

const isMicrobatchNode = (node: CompiledNode) => node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';

/** `batch 2024-01-01 of main.daily`, as dbt's MicrobatchBatchRunner describes a batch. */
const describeBatch = (node: CompiledNode, b: BatchInfo) => `batch ${b.name} of ${node.schema}.${node.alias ?? node.name}`;

/** A batch starting: dbt's MicrobatchExecutionDebug (how it runs) and LogStartBatch (`Batch 1 of 3 START batch 2024-01-01 of main.daily ... [RUN]`). */
export function batchStartEvents(node: CompiledNode, b: BatchInfo, width: number, startedAt: string): LogEvent[] {
  const description = describeBatch(node, b);
  const info = nodeInfo(node, 'started', startedAt, null);
  return [
    { name: 'MicrobatchExecutionDebug', code: 'Q044', level: 'debug', msg: `${description} is being run ${b.concurrent ? 'concurrently' : 'sequentially'}`, data: { msg: `${description} is being run ${b.concurrent ? 'concurrently' : 'sequentially'}` } },
    { name: 'LogStartBatch', code: 'Q045', level: 'info', msg: `Batch ${fancyLine(`START ${description}`, 'RUN', b.index, b.total, undefined, width)}`, data: { description, batch_index: b.index, total_batches: b.total, node_info: info } },
  ];
}

/** A batch's result: dbt's LogBatchResult (`Batch 2 of 3 OK created batch 2024-01-02 of main.daily ... [OK in 0.02s]`, `ERROR creating`, `SKIP`). */
export function batchResultEvent(r: NodeResult, b: BatchInfo, width: number, paint: Paint): LogEvent {
  const description = describeBatch(r.node, b);
  const [info, word, colour, level] =
    r.status === 'error' ? ['ERROR creating', 'ERROR', paint.red, 'error'] as const
    : r.status === 'skipped' ? ['SKIP', 'SKIPPED', paint.yellow, 'info'] as const
    : ['OK created', String(r.message ?? 'OK'), paint.green, 'info'] as const;
  const msg = `${info} ${description}`;
  return {
    name: 'LogBatchResult', code: 'Q046', level,
    msg: `Batch ${fancyLine(msg, word, b.index, b.total, r.execution_time, width)}`,
    coloured: `Batch ${fancyLine(msg, colour(word), b.index, b.total, r.execution_time, width)}`,
    data: { description, status: r.status === 'error' || r.status === 'skipped' ? r.status : word, batch_index: b.index, total_batches: b.total, execution_time: r.execution_time, node_info: nodeInfo(r.node, r.status, r.timing[0]?.started_at ?? null, r.timing.at(-1)?.completed_at ?? null) },
    thread: r.thread_id || undefined,
  };
}
