import type { ExecutionOptions } from '../../api/execution.js';
import type { CommandResult, NodeCommand, RunOptions, RunReadyInfo } from '../../api/run.js';
import type { NodeResult } from '../../execute/node-result.js';
import { DBT_VERSION } from '../../manifest/dbt-version.js';
import { adapterVersion } from '../adapter-version.js';
import { TSDBT_VERSION } from '../../util/tsdbt-version.js';
import { summariseManifest } from './summary.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { parseSampleWindow } from '../../context/sample-window.js';
import { globalOptions, selectionFlags, stateFlags, type Command, type CommandContext } from '../command-context.js';
import { blank, NodeReporter, reportSummary, versionLines } from '../node-reporter.js';
import { SAMPLE_ROWS, type SeedSample } from '../../api/seed-samples.js';
import type { agatePrintTable as AgatePrintTable } from '../../adapters/base/agate-print.js';
import { reportError } from '../report-error.js';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { LOG_TEST_RESULT, printWarnings, raiseWarningErrors, warnsAsErrorIn } from '../project-warnings.js';

export function executionOptions(ctx: CommandContext): ExecutionOptions {
  const f = ctx.argv.flags;
  for (const [flag, v] of [['--event-time-start', f.eventTimeStart], ['--event-time-end', f.eventTimeEnd]] as const) {
    if (typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/.test(v)) {
      throw new TsdbtError('USAGE', `${flag} must be a date or UTC timestamp, got '${v}'`, { hint: `e.g. ${flag} 2024-01-01 or ${flag} '2024-01-01 06:00:00'` });
    }
  }
  if (typeof f.eventTimeStart === 'string' && typeof f.eventTimeEnd === 'string' && f.eventTimeStart.replace(' ', 'T') >= f.eventTimeEnd.replace(' ', 'T')) {
    throw new TsdbtError('USAGE', `--event-time-start (${f.eventTimeStart}) must be before --event-time-end (${f.eventTimeEnd})`, { hint: 'Swap them, or widen the window.' });
  }
  const sel = selectionFlags(ctx);
  return {
    ...globalOptions(ctx),
    ...stateFlags(ctx),
    select: sel.select,
    exclude: sel.exclude,
    selector: sel.selector,
    indirectSelection: sel.indirectSelection,
    resourceTypes: sel.resourceTypes,
    excludeResourceTypes: sel.excludeResourceTypes,
    fullRefresh: Boolean(f.fullRefresh),
    failFast: Boolean(f.failFast),
    empty: Boolean(f.empty),
    warnError: Boolean(f.warnError),
    testWarnsAsError: warnsAsErrorIn(ctx, LOG_TEST_RESULT),
    onWarnings: (warnings) => raiseWarningErrors(ctx, warnings),
    storeFailures: Boolean(f.storeFailures),
    eventTimeStart: f.eventTimeStart as string | undefined,
    eventTimeEnd: f.eventTimeEnd as string | undefined,
    // Read here so that a bad --sample is a usage error before anything runs; the window a relative one names ends now.
    sample: typeof f.sample === 'string' ? parseSampleWindow(f.sample) : undefined,
  };
}

/** dbt's console for a node command: the header once the nodes are selected, a START and a result line per node. */
export function progressCallbacks(ctx: CommandContext): Required<Pick<RunOptions, 'onResult' | 'onStart' | 'onReady' | 'onBatchStart' | 'onBatchResult'>> {
  const reporter = new NodeReporter(ctx.out);
  return {
    onResult: reporter.onResult,
    onStart: reporter.onStart,
    onBatchStart: reporter.onBatchStart,
    onBatchResult: reporter.onBatchResult,
    onReady: (info: RunReadyInfo) => reporter.header({
      version: TSDBT_VERSION, dbtVersion: DBT_VERSION, adapterType: info.adapterType, adapterVersion: adapterVersion(info.adapterType),
      found: summariseManifest(info.manifest), threads: info.threads, targetName: info.targetName, total: info.total, invocationId: info.invocationId, nothingToDo: info.nothingToDo,
    }),
  };
}

/** run, seed, test, snapshot, build, retry: progress lines, a summary, exit 1 when a node failed. */
export function nodeCommand(which: NodeCommand | 'retry' | 'clone'): Command {
  return async (ctx) => {
    const api = await import('../../api/run.js');
    const opts = executionOptions(ctx);
    const progress = progressCallbacks(ctx);
    const { onResult } = progress;
    // Ctrl-C (SIGINT) or SIGTERM cancels the run: running statements are
    // cancelled, nodes not started are skipped, run_results.json is written.
    // A second signal exits at once.
    const abort = new AbortController();
    const onSignal = () => {
      if (abort.signal.aborted) {
        ctx.out.flush();
        process.exit(EXIT_INTERRUPTED);
      }
      abort.abort();
    };
    // Two lines a node: written in batches (the same bytes, in order; see Output.holdConsole).
    ctx.out.holdConsole();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let result: CommandResult;
    try {
      if (which === 'clone') {
        const { clone } = await import('../../api/clone.js');
        result = await clone({ ...opts, onResult });
      } else if (which === 'retry') {
        const { retry } = await import('../../api/retry.js');
        result = await retry({ ...opts, ...progress, signal: abort.signal });
      } else {
        result = await api.runNodeCommand(which, { ...opts, ...progress, signal: abort.signal, showSeeds: which === 'seed' && Boolean(ctx.argv.flags.show) });
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    ctx.report?.(result);
    printWarnings(ctx, result.warnings);
    const samples = result.seedSamples;
    const print = samples ? (await import('../../adapters/base/agate-print.js')).agatePrintTable : undefined;
    reportSummary(ctx.out, result, opts.projectDir, samples && print ? () => printSeedSamples(ctx, samples, print) : undefined);
    // After the nodes' own errors: the artifacts that could not be written (a full disk), and exit 2 as any failed invocation.
    if (reportArtifactErrors(ctx, result.artifactErrors)) return 2;
    if (result.cancelled) return EXIT_INTERRUPTED;
    return result.success ? 0 : 1;
  };
}

/** Print each artifact that could not be written; true when there was one. */
export function reportArtifactErrors(ctx: CommandContext, errors: readonly TsdbtError[]): boolean {
  for (const e of errors) reportError(e, ctx.out, projectDirOf(ctx));
  return errors.length > 0;
}

/** The exit code of a run cancelled by Ctrl-C/SIGTERM: 128 + SIGINT, as shells report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

export const compileCommand: Command = async (ctx) => {
  const { compile } = await import('../../api/compile.js');
  const inline = ctx.argv.flags.inline as string | undefined;
  // dbt's compile prints the header of every node command (version, adapter, Found, Concurrency) before compiling.
  const r = await compile({ ...executionOptions(ctx), inline, onReady: progressCallbacks(ctx).onReady });
  ctx.report?.(r);
  printWarnings(ctx, r.warnings);
  const json = ctx.argv.flags.output === 'json';
  const { pyJsonIndented } = await import('../../adapters/base/agate-print.js');
  const quiet = Boolean(ctx.argv.flags.quiet);
  // dbt's CompiledNode event: the SQL of an inline query, or of each node the first --select names.
  const printCompiled = (name: string | null, sql: string, uniqueId: string) => {
    const msg = json ? pyJsonIndented(name === null ? { compiled: sql } : { node: name, compiled: sql }) : quiet ? sql : name === null ? `Compiled inline node is:\n${sql}` : `Compiled node '${name}' is:\n${sql}`;
    ctx.out.resultEvent({ name: 'CompiledNode', code: 'Q042', level: 'info', msg, data: { node_name: name ?? 'inline_query', compiled: sql, is_inline: name === null, output_format: json ? 'json' : 'text', unique_id: uniqueId, quiet } });
  };
  if (inline !== undefined) {
    printCompiled(null, r.inlineSql ?? '', r.results[0]?.unique_id ?? 'inline_query');
    return reportArtifactErrors(ctx, r.artifactErrors ?? []) ? 2 : 0;
  }
  // dbt's compile stops at the first node that fails (CompileTask.raise_on_first_error): its
  // MainEncounteredError, exit code 2.
  const failed = r.results.find((x) => x.status === 'error');
  if (failed) {
    ctx.out.error(`Encountered an error:\n${compileFailure(failed)}`);
    reportArtifactErrors(ctx, r.artifactErrors ?? []);
    return 2;
  }
  ctx.out.info(`Compiled ${r.results.length} of ${r.results.length} nodes into ${compiledFolderShown(ctx, r.manifestPath)}/`);
  if (reportArtifactErrors(ctx, r.artifactErrors ?? [])) return 2;
  const firstSelect = (ctx.argv.flags.select as string[] | undefined)?.[0];
  if (firstSelect) for (const x of r.results) if (firstSelect.includes(x.node.name)) printCompiled(x.node.name, x.compiled_code ?? x.node.compiled_code ?? '', x.unique_id);
  return 0;
};

/**
 * A node that failed to compile, headed as dbt heads it (`Compilation Error in
 * model x (models/x.sql)`, `Database Error in …` for an introspective query):
 * the error itself may point into a macro of a package or of tsdbt.
 */
function compileFailure(f: NodeResult): string {
  const n = f.node;
  const message = f.error ? `[${f.error.code}] ${f.error.format()}` : (f.message ?? '');
  const kind = f.error?.code === 'DATABASE_ERROR' ? 'Database Error' : 'Compilation Error';
  return `${kind} in ${n.resource_type} ${n.name} (${n.original_file_path})\n  ${message.split('\n').join('\n  ')}`;
}

export const runOperationCommand: Command = async (ctx) => {
  const macro = ctx.argv.positionals[0];
  if (!macro) throw new TsdbtError('USAGE', 'run-operation needs a macro name', { hint: "e.g. tsdbt run-operation grant_select --args '{role: reporter}'" });
  const { runOperation } = await import('../../api/run-operation.js');
  const r = await runOperation(macro, {
    ...executionOptions(ctx),
    args: ctx.argv.flags.args as string | undefined,
    onReady: (info) => versionLines(ctx.out, { version: TSDBT_VERSION, dbtVersion: DBT_VERSION, adapterType: info.adapterType, adapterVersion: adapterVersion(info.adapterType), invocationId: info.invocationId }),
  });
  ctx.report?.(r);
  if (!r.success) {
    ctx.out.error(r.error ? `[${r.error.code}] ${r.error.format()}` : `run-operation ${macro} failed`);
    reportArtifactErrors(ctx, r.artifactErrors);
    return 1;
  }
  return reportArtifactErrors(ctx, r.artifactErrors) ? 2 : 0;
};

/**
 * `seed --show`, as dbt's show_table prints each seed loaded: a blank line,
 * `Random sample of table: schema.alias` underlined, up to ten rows in
 * random order as agate's print_table writes them (every column; a row of
 * `...` when the seed has more), a blank line.
 */
function printSeedSamples(ctx: CommandContext, samples: readonly SeedSample[], agatePrintTable: typeof AgatePrintTable): void {
  for (const s of samples) {
    const header = `Random sample of table: ${s.schema}.${s.alias}`;
    ctx.out.event(blank());
    ctx.out.event({ name: 'SeedHeader', code: 'Q004', level: 'info', msg: header, data: { header } });
    ctx.out.event({ name: 'Formatting', code: 'Z017', level: 'info', msg: '-'.repeat(header.length), data: { msg: '-'.repeat(header.length) } });
    ctx.out.result(agatePrintTable(s.columns, s.rows, { maxRows: SAMPLE_ROWS, maxColumns: null, maxColumnWidth: 20, maxPrecision: 3 }));
    ctx.out.event(blank());
  }
}

/** Where compile wrote its SQL, as the project names it (`target/compiled`), or absolute outside the project. */
function compiledFolderShown(ctx: CommandContext, manifestPath: string): string {
  const folder = join(dirname(manifestPath), 'compiled');
  const rel = relative(projectDirOf(ctx), folder);
  return rel.startsWith('..') || isAbsolute(rel) ? folder : rel;
}

/** The project folder the command was given (--project-dir, relative to its cwd), absolute. */
function projectDirOf(ctx: CommandContext): string {
  return resolve(ctx.cwd, (ctx.argv.flags.projectDir as string | undefined) ?? '.');
}
