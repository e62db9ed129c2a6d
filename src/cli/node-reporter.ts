import type { CommandResult } from '../api/run.js';
import type { HookPosition, NodeResult } from '../execute/node-result.js';
import type { CompiledNode } from '../manifest/types.js';
import { fancyLine, humanizeDuration, pluralize } from './fancy-line.js';
import type { LogEvent } from './log-event.js';
import { batchResultEvent, batchStartEvents, resultEvents, startEvents, nodeInfo } from './node-events.js';
import type { BatchInfo } from '../execute/microbatch-orchestrator.js';
import type { Output } from './output.js';
import { relativePaths } from './report-error.js';

/** What the reporter prints before the first node: dbt's header. */
export interface RunHeader {
  version: string;
  dbtVersion: string;
  adapterType: string;
  adapterVersion: string | null;
  /** The "Found 9 models, 79 data tests, ..." line. */
  found: string;
  threads: number;
  targetName: string;
  /** How many nodes will run (the N of "1 of N"). */
  total: number;
  invocationId: string;
  /** Nothing to do: the Found line without the Concurrency line, as dbt. */
  nothingToDo?: boolean;
}

/** dbt's Formatting event: an empty console line. */
export const blank = (): LogEvent => ({ name: 'Formatting', code: 'Z017', level: 'info', msg: '', data: { msg: '' } });

/** A failed result's message as dbt prints it after a run (RunResultError, or RunResultWarningMessage for a warning), indented. */
export function resultMessageEvent(message: string, info: Record<string, unknown> | undefined, warning = false): LogEvent {
  return { name: warning ? 'RunResultWarningMessage' : 'RunResultError', code: warning ? 'Z046' : 'Z024', level: warning ? 'warn' : 'error', msg: `  ${message.split('\n').join('\n  ')}`, data: { msg: message, ...(info ? { node_info: info } : {}) } };
}

/** A failed result with no message: dbt's RunResultErrorNoMessage (`  Status: error`). */
export function noMessageEvent(status: string, info: Record<string, unknown>): LogEvent {
  return { name: 'RunResultErrorNoMessage', code: 'Z025', level: 'error', msg: `  Status: ${status}`, data: { status, node_info: info } };
}

/** The first lines of a command's console (run-operation's only ones): the version, then the adapter registered. */
export function versionLines(o: Output, h: Pick<RunHeader, 'version' | 'dbtVersion' | 'adapterType' | 'adapterVersion' | 'invocationId'>): void {
  o.invocationId = h.invocationId;
  o.event({ name: 'MainReportVersion', code: 'A001', level: 'info', msg: `Running with tsdbt=${h.version} (dbt-core ${h.dbtVersion} compatible)`, data: { version: `=${h.dbtVersion}`, log_version: 3 } });
  if (h.adapterVersion !== null) o.event({ name: 'AdapterRegistered', code: 'E034', level: 'info', msg: `Registered adapter: ${h.adapterType}=${h.adapterVersion}`, data: { adapter_name: h.adapterType, adapter_version: `=${h.adapterVersion}` } });
}

/**
 * dbt 1.10's console for run, build, test, seed, snapshot and retry: the
 * header, a START line and a result line per node (`1 of 89 START sql view
 * model main.stg ... [RUN]`, `... [OK in 0.05s]`), and the footer. Every line
 * is also a dbt-shaped event for --log-format json.
 */
export class NodeReporter {
  private nextIndex = 0;
  private readonly indexOf = new Map<string, number>();
  total = 0;

  constructor(private readonly out: Output) {}

  header(h: RunHeader): void {
    this.total = h.total;
    const o = this.out;
    versionLines(o, h);
    o.event({ name: 'FoundStats', code: 'W006', level: 'info', msg: h.found, data: { stat_line: h.found.replace(/^Found /, '') } });
    o.event(blank());
    if (h.nothingToDo) return;
    o.event({ name: 'ConcurrencyLine', code: 'Q027', level: 'info', msg: `Concurrency: ${h.threads} threads (target='${h.targetName}')`, data: { num_threads: h.threads, target_name: h.targetName, node_count: h.total } });
    o.event(blank());
  }

  private index(id: string): number {
    let i = this.indexOf.get(id);
    if (i === undefined) {
      i = ++this.nextIndex;
      this.indexOf.set(id, i);
    }
    return i;
  }

  /** An on-run-start/end hook starts: dbt's LogHookStartLine (`1 of 2 START hook: project.on-run-end.0 ... [RUN]`). */
  private hookStartLine(node: CompiledNode, hook: HookPosition): void {
    const msg = `START hook: ${hook.statement}`;
    const line = fancyLine(msg, 'RUN', hook.index, hook.total, undefined, this.out.printerWidth, true);
    this.out.event({
      name: 'LogHookStartLine', code: 'Q032', level: 'info', msg: line, coloured: line,
      data: { statement: hook.statement, index: hook.index, total: hook.total, node_info: nodeInfo(node, 'started', new Date().toISOString(), null) },
    });
  }

  /** An on-run-start/end hook's result: dbt's LogHookEndLine (`1 of 2 OK hook: project.on-run-end.0 ... [OK in 0.01s]`). */
  private hookLine(r: NodeResult): void {
    const o = this.out;
    const index = r.hook?.index ?? ++this.hooks;
    const total = r.hook?.total ?? index;
    const statement = r.hook?.statement ?? r.node.name;
    const word = r.status === 'success' ? 'OK' : r.status === 'skipped' ? 'SKIP' : 'ERROR';
    const colour = r.status === 'success' ? o.green(word) : r.status === 'skipped' ? o.yellow(word) : o.red(word);
    const msg = `${word} hook: ${statement}`;
    o.event({
      name: 'LogHookEndLine', code: 'Q033', level: r.status === 'error' ? 'error' : 'info',
      msg: fancyLine(msg, word, index, total, r.execution_time, o.printerWidth, true),
      coloured: fancyLine(msg, colour, index, total, r.execution_time, o.printerWidth, true),
      data: { statement, status: r.status, index, total, execution_time: r.execution_time, node_info: nodeInfo(r.node, r.status, r.timing[0]?.started_at ?? null, r.timing.at(-1)?.completed_at ?? null) },
    });
  }

  onStart = (node: CompiledNode, hook?: HookPosition): void => {
    if ((node.resource_type as string) === 'operation') {
      if (hook) this.hookStartLine(node, hook);
      return;
    }
    for (const e of startEvents(node, this.index(node.unique_id), Math.max(this.total, this.nextIndex), this.out.printerWidth, new Date().toISOString())) this.out.event(e);
  };

  private hooks = 0;

  onBatchStart = (node: CompiledNode, b: BatchInfo): void => {
    for (const e of batchStartEvents(node, b, this.out.printerWidth, new Date().toISOString())) this.out.event(e);
  };

  onBatchResult = (r: NodeResult, b: BatchInfo): void => {
    const o = this.out;
    o.event(batchResultEvent(r, b, o.printerWidth, { green: (s) => o.green(s), red: (s) => o.red(s), yellow: (s) => o.yellow(s) }));
  };

  onResult = (r: NodeResult): void => {
    const n = r.node;
    if (!n) return;
    if ((n.resource_type as string) === 'operation') return this.hookLine(r);
    const o = this.out;
    const paint = { green: (s: string) => o.green(s), red: (s: string) => o.red(s), yellow: (s: string) => o.yellow(s) };
    const events = resultEvents(r, this.index(n.unique_id), Math.max(this.total, this.nextIndex), o.printerWidth, paint);
    for (const e of events) this.out.event(e);
  };
}

/** dbt's stat line: `1 seed, 3 table models, 79 data tests, 6 view models`, sorted by kind as dbt sorts them. */
export function statLine(nodes: CompiledNode[]): string {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const key = n.resource_type === 'model' ? `${n.config.materialized} model` : (n.resource_type as string) === 'operation' ? 'project hook' : n.resource_type;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (k === 'test' && v !== 1 ? `${v} data tests` : pluralize(v, k).replace(/_/g, ' ')))
    .join(', ');
}

/** The footer: Finished running ..., what `beforeSummary` prints, the end-of-run summary with each problem, and `Done. PASS=...`. */
export function reportSummary(out: Output, result: CommandResult, base?: string, beforeSummary?: () => void): void {
  // dbt 1.10's results hold the on-run-start/end hooks too: they count in the summary and the Done line.
  const rs = result.results.filter((r) => r.node);
  const event = (e: LogEvent, toErr = false) => out.event(e, { toErr });
  // As dbt: a run that had nothing to do (no hooks ran either) has no Finished running line.
  if (!result.nothingToDo) {
    event(blank());
    const stat = statLine(result.results.filter((r) => r.node).map((r) => r.node));
    const finished = `Finished running ${stat}${humanizeDuration(result.elapsed)} (${result.elapsed.toFixed(2)}s).`;
    event({ name: 'FinishedRunningStats', code: 'E047', level: 'info', msg: finished, data: { stat_line: stat, execution: humanizeDuration(result.elapsed), execution_time: result.elapsed } });
  }
  // What a command prints at its end before the summary (dbt's task_end_messages): seed --show's samples.
  beforeSummary?.();

  // dbt 1.10: errors (error, fail) and warnings are counted apart; a warning is never an error (--warn-error has already made it a failure).
  // A hook skipped after a failed one is counted as an error, as dbt counts a skipped result with a message (printed only at debug).
  const skippedHook = (r: NodeResult) => r.status === 'skipped' && r.hook !== undefined;
  const errors = rs.filter((r) => r.status === 'error' || r.status === 'fail' || skippedHook(r));
  const warnings = rs.filter((r) => r.status === 'warn' && !errors.includes(r));
  // Microbatch models whose batches partly failed (dbt 1.9): counted apart, and as errors in the Done line.
  const partial = rs.filter((r) => r.status === 'partial success');
  const partials = `${partial.length} partial ${partial.length === 1 ? 'success' : 'successes'}`;
  event(blank());
  let summary: string;
  let coloured: string;
  if (result.cancelled) {
    summary = 'Exited because of keyboard interrupt';
    coloured = out.yellow(summary);
  } else if (errors.length > 0) {
    summary = `Completed with ${pluralize(errors.length, 'error')}, ${partials}, and ${pluralize(warnings.length, 'warning')}:`;
    coloured = out.red(summary);
  } else if (partial.length > 0) {
    summary = `Completed with ${partials} and ${pluralize(warnings.length, 'warning')}`;
    coloured = out.yellow(summary);
  } else if (warnings.length > 0) {
    summary = `Completed with ${pluralize(warnings.length, 'warning')}:`;
    coloured = out.yellow(summary);
  } else {
    summary = 'Completed successfully';
    coloured = out.green(summary);
  }
  event({ name: 'EndOfRunSummary', code: 'Z030', level: 'info', msg: summary, coloured, data: { num_errors: errors.length, num_warnings: warnings.length, num_partial_success: partial.length, keyboard_interrupt: result.cancelled } });

  const problem = (r: NodeResult, warning: boolean) => {
    const n = r.node;
    const info = nodeInfo(n, r.status, r.timing[0]?.started_at ?? null, r.timing.at(-1)?.completed_at ?? null);
    event(blank());
    const what = result.cancelled ? 'Cancelled' : warning ? 'Warning' : r.status === 'fail' ? 'Failure' : 'Error';
    const head = `${what} in ${n.resource_type} ${n.name} (${n.original_file_path})`;
    const message = relativePaths(r.error ? r.error.format() : (r.message ?? ''), base);
    // A message that already says where it failed (`Database Error in model x (path)`) is not headed twice.
    if (!/^[A-Z][\w ]* (Error|error) in \w+ /.test(message)) event({ name: warning ? 'RunResultWarning' : 'RunResultFailure', code: warning ? 'Z021' : 'Z022', level: warning ? 'warn' : 'error', msg: head, coloured: warning ? out.yellow(head) : out.red(head), data: { resource_type: n.resource_type, node_name: n.name, path: n.original_file_path, node_info: info } }, !warning);
    if (message) event(resultMessageEvent(message, info, warning), !warning);
    else event(noMessageEvent(r.status, info), true);
    if (r.compiled_path && !message.includes(r.compiled_path)) {
      event(blank());
      event({ name: 'SQLCompiledPath', code: 'Z026', level: 'info', msg: `  compiled code at ${r.compiled_path}`, data: { path: r.compiled_path, node_info: info } });
    }
  };
  for (const r of errors) if (!skippedHook(r)) problem(r, false);
  for (const r of warnings) problem(r, true);

  const count = (...s: string[]) => rs.filter((r) => s.includes(r.status)).length;
  const stats = { pass: count('success', 'pass'), warn: count('warn'), error: count('error', 'fail', 'partial success'), skip: count('skipped'), noop: 0, total: rs.length };
  event(blank());
  event({ name: 'StatsLine', code: 'Z023', level: 'info', msg: `Done. PASS=${stats.pass} WARN=${stats.warn} ERROR=${stats.error} SKIP=${stats.skip} NO-OP=${stats.noop} TOTAL=${stats.total}`, data: { stats } });
}
