import type { FreshnessListener, FreshnessRun } from '../api/source-freshness.js';
import type { FreshnessResult } from '../execute/freshness.js';
import type { SourceTable } from '../manifest/types.js';
import type { CompiledNode } from '../manifest/types.js';
import { fancyLine, humanizeDuration } from './fancy-line.js';
import { blank, noMessageEvent, resultMessageEvent, statLine } from './node-reporter.js';
import type { LogEvent } from './log-event.js';
import type { Output } from './output.js';
import { relativePaths } from './report-error.js';

/** dbt's node_info of a source, for the events' `data`. */
function sourceInfo(s: SourceTable, status: string, startedAt: string, finishedAt: string): Record<string, unknown> {
  return {
    node_path: s.path,
    node_name: s.name,
    unique_id: s.unique_id,
    resource_type: 'source',
    materialized: '',
    node_status: status,
    node_started_at: startedAt,
    node_finished_at: finishedAt,
    meta: s.meta ?? {},
    node_relation: { database: s.database ?? '', schema: s.schema, alias: s.identifier, relation_name: s.relation_name ?? '' },
    node_checksum: '',
  };
}

/** LogFreshnessResult's word for each status, and its colour. */
const WORDS: Record<FreshnessResult['status'], { word: string; colour: 'green' | 'yellow' | 'red'; level: LogEvent['level'] }> = {
  pass: { word: 'PASS', colour: 'green', level: 'info' },
  warn: { word: 'WARN', colour: 'yellow', level: 'warn' },
  error: { word: 'ERROR STALE', colour: 'red', level: 'error' },
  'runtime error': { word: 'ERROR', colour: 'red', level: 'error' },
};

/**
 * dbt 1.10's console for `source freshness` (FreshnessTask), every line also
 * a dbt-shaped event for --log-format json: the run header (`header`, the
 * caller's), `1 of 2 START freshness of raw.orders ... [RUN]`, `1 of 2 WARN
 * freshness of raw.orders ... [WARN in 0.02s]`, then `Finished running 2
 * sources in ...`, each stale or failed source's error and `Done.`.
 */
export function freshnessListener(out: Output, header: NonNullable<FreshnessListener['onReady']>): FreshnessListener {
  const started = new Map<string, string>();
  return {
    onReady: header,
    onStart(source, index, total) {
      const at = new Date().toISOString();
      started.set(source.unique_id, at);
      const description = `freshness of ${source.source_name}.${source.name}`;
      const info = sourceInfo(source, 'started', at, '');
      out.event({ name: 'NodeStart', code: 'Q024', level: 'debug', msg: `Began running node ${source.unique_id}`, data: { node_info: info } });
      out.event({ name: 'LogStartLine', code: 'Q011', level: 'info', msg: fancyLine(`START ${description}`, 'RUN', index, total, undefined, out.printerWidth), data: { description, index, total, node_info: info } });
    },
    onResult(r, source, index, total) {
      const { word, colour, level } = WORDS[r.status];
      const msg = `${word} freshness of ${source.source_name}.${source.name}`;
      const info = sourceInfo(source, r.status, started.get(source.unique_id) ?? '', new Date().toISOString());
      out.event({
        name: 'LogFreshnessResult', code: 'Q018', level,
        msg: fancyLine(msg, word, index, total, r.execution_time, out.printerWidth),
        coloured: fancyLine(msg, out[colour](word), index, total, r.execution_time, out.printerWidth),
        data: { status: r.status, source_name: source.source_name, table_name: source.name, index, total, execution_time: r.execution_time, node_info: info },
      });
      out.event({ name: 'NodeFinished', code: 'Q025', level: 'debug', msg: `Finished running node ${source.unique_id}`, data: { node_info: info } });
    },
  };
}

/** The footer: `Finished running 2 sources in ...`, each error as dbt's print_run_result_error prints it, and `Done.`. */
export function reportFreshnessSummary(out: Output, run: FreshnessRun, sources: (id: string) => SourceTable | undefined, base?: string): void {
  if (!run.nothingToDo) {
    out.event(blank());
    // As dbt's get_counts over the results, hooks included: `1 project hook, 2 sources`.
    const checked = run.results.map((r) => sources(r.unique_id)).filter((x): x is SourceTable => x !== undefined) as unknown as CompiledNode[];
    const stat = statLine([...run.hooks.map((h) => h.node), ...checked]);
    const execution = humanizeDuration(run.elapsed);
    out.event({ name: 'FinishedRunningStats', code: 'E047', level: 'info', msg: `Finished running ${stat}${execution} (${run.elapsed.toFixed(2)}s).`, data: { stat_line: stat, execution, execution_time: run.elapsed } });
  }
  for (const h of run.hooks) {
    if (h.status !== 'error') continue;
    out.event(blank());
    const message = relativePaths(h.error ? h.error.format() : (h.message ?? ''), base);
    out.event(resultMessageEvent(message, undefined), { toErr: true });
  }
  for (const r of run.results) {
    const s = sources(r.unique_id);
    if (!s || (r.status !== 'error' && r.status !== 'runtime error')) continue;
    out.event(blank());
    const info = sourceInfo(s, r.status, r.timing[0]?.started_at ?? '', r.timing.at(-1)?.completed_at ?? '');
    if (r.status === 'error') {
      // Stale: no message, so dbt heads it and gives the status.
      const head = `Failure in source ${s.name} (${s.original_file_path})`;
      out.event({ name: 'RunResultFailure', code: 'Z022', level: 'error', msg: head, coloured: out.red(head), data: { resource_type: 'source', node_name: s.name, path: s.original_file_path, node_info: info } }, { toErr: true });
      out.event(noMessageEvent(r.status, info), { toErr: true });
    } else {
      const message = relativePaths(r.error ?? '', base);
      out.event(resultMessageEvent(message, info), { toErr: true });
    }
  }
  out.event({ name: 'FreshnessCheckComplete', code: 'Q003', level: 'info', msg: 'Done.', data: {} });
}
