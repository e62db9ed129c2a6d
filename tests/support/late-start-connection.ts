/**
 * A Connection for SyncBridge tests whose statements start late: `execute`
 * ignores cancel() for its first `startMs` (as DuckDB drops an interrupt that
 * arrives before the query has begun), then runs until cancelled, rejecting
 * with "Interrupted". Opened in the bridge's worker through `openLateStart`.
 */
import type { Connection, QueryResult } from '../../src/adapters/base/connection.js';

class LateStartConnection {
  private cancelRunning: (() => void) | null = null;
  private started = false;
  cancels = 0;

  constructor(private readonly startMs: number) {}

  async execute(sql: string): Promise<QueryResult> {
    if (sql === 'cancels') return { columns: [{ name: 'n', type: 'INTEGER' }], rows: [[this.cancels]] };
    this.started = false;
    await new Promise((r) => setTimeout(r, this.startMs));
    this.started = true;
    return new Promise((_, reject) => {
      this.cancelRunning = () => reject(new Error('INTERRUPT Error: Interrupted!'));
    });
  }

  async cancel(): Promise<void> {
    this.cancels += 1;
    if (!this.started || !this.cancelRunning) return;
    this.cancelRunning();
    this.cancelRunning = null;
  }

  async *stream(): AsyncIterable<unknown[][]> {}
  async begin(): Promise<void> {}
  async commit(): Promise<void> {}
  async rollback(): Promise<void> {}
  async close(): Promise<void> {}
  async sibling(): Promise<Connection> {
    return new LateStartConnection(this.startMs) as unknown as Connection;
  }
}

export async function openLateStart(args: { startMs: number }): Promise<Connection> {
  return new LateStartConnection(args.startMs) as unknown as Connection;
}
