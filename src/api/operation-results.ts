import { runResultsJson, writeRunResults, type RunResultsArtifact } from '../artifacts/run-results.js';

/** What one `run-operation` did: the macro it called (a macro's unique_id), how it went, when. */
export interface OperationRun {
  macroId: string;
  success: boolean;
  startedAt: Date;
  completedAt: Date;
  invocationId: string;
  /** run_results.json's `args`: the command and what it was given. */
  args: Record<string, unknown>;
}

/**
 * run_results.json of a `run-operation`, as dbt 1.10 writes it
 * (task/run_operation.py): one result for the macro (its unique_id, on the
 * main thread, an `execute` timing, failures 0 or 1, nothing compiled) and
 * the whole run's elapsed time its execution time.
 */
export function operationResultsJson(run: OperationRun): RunResultsArtifact {
  const seconds = (run.completedAt.getTime() - run.startedAt.getTime()) / 1000;
  const artifact = runResultsJson([], { invocationId: run.invocationId, elapsed: seconds, args: run.args, generatedAt: run.completedAt });
  return { ...artifact, results: [{
    status: run.success ? 'success' : 'error',
    timing: [{ name: 'execute', started_at: run.startedAt.toISOString(), completed_at: run.completedAt.toISOString() }],
    thread_id: 'MainThread',
    execution_time: seconds,
    adapter_response: {},
    message: null,
    failures: run.success ? 0 : 1,
    unique_id: run.macroId,
    compiled: false,
    compiled_code: null,
    relation_name: null,
    batch_results: null,
  }] };
}

/** Write operationResultsJson to `<targetDir>/run_results.json`; its path (a failed write throws, as writeRunResults). */
export function writeOperationResults(targetDir: string, run: OperationRun): string {
  return writeRunResults(targetDir, operationResultsJson(run));
}
