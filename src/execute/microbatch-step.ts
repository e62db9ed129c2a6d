/**
 * The steps a microbatch model is run in, between the coordinator (which
 * orders them, see microbatch-orchestrator.ts) and the thread that runs
 * them (microbatch-runner.ts). Plain data: steps cross to render workers.
 */

/** A microbatch model's batches for this invocation, as its `plan` step worked them out. */
export interface MicrobatchPlan {
  /** Each batch's [start, end) in epoch milliseconds, in run order. */
  batches: [number, number][];
  /** Each batch as logs name it (dbt's format_batch_start: `2024-01-01`, `2024-01-01T13`, `2024-01`, `2024`). */
  names: string[];
  /** Under `retry`: these are the batches that failed before. */
  retry: boolean;
  /** Whether the batches between the first and the last may run at once. */
  concurrent: boolean;
  /** Under `retry`: the batches that succeeded before (listed again in the result, as dbt does). */
  previousSuccessful: [string, string][];
}

export type MicrobatchStep = { kind: 'plan' } | { kind: 'batch'; plan: MicrobatchPlan; index: number };
