/**
 * A Connection for SyncBridge tests whose close() waits until the test opens
 * a gate: slot 0 of `gate` (a SharedArrayBuffer) set to 1. It waits at most
 * `maxMs`, then writes into slot 1 whether the gate was opened (1) or not (2),
 * so a close that blocked its caller shows as 2 instead of a hung test.
 * Opened in the bridge's worker through `openGatedClose`.
 */
import type { QueryResult } from '../../src/adapters/base/connection.js';

class GatedCloseConnection {
  constructor(private readonly gate: Int32Array, private readonly maxMs: number) {}

  async execute(): Promise<QueryResult> {
    return { columns: [{ name: 'v', type: 'INTEGER' }], rows: [[1]] };
  }

  async *stream(): AsyncIterable<unknown[][]> {}
  async begin(): Promise<void> {}
  async commit(): Promise<void> {}
  async rollback(): Promise<void> {}
  async cancel(): Promise<void> {}

  async close(): Promise<void> {
    const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string } }).waitAsync;
    const r = waitAsync(this.gate, 0, 0, this.maxMs);
    const outcome = r.async ? await r.value : r.value;
    Atomics.store(this.gate, 1, outcome === 'timed-out' ? 2 : 1);
  }
}

export async function openGatedClose(args: { gate: SharedArrayBuffer; maxMs: number }): Promise<GatedCloseConnection> {
  return new GatedCloseConnection(new Int32Array(args.gate), args.maxMs);
}
