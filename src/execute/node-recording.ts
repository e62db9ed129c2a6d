import type { DatabaseSession } from '../adapters/base/database-session.js';
import type { CompiledNode } from '../manifest/types.js';
import type { NodeResult, NodeStatus, TimingInfo } from './node-result.js';

/**
 * What a runner records while one node runs: every statement, the phases'
 * timing, database time, and the compiled SQL and path once known; `finish`
 * turns it into the node's NodeResult.
 */
export class NodeRecording {
  readonly statements: string[] = [];
  readonly timing: TimingInfo[] = [];
  compiledPath: string | null = null;
  compiledCode: string | undefined;
  private readonly started = Date.now();
  /** Everything spent waiting on the database (introspection, begin/commit included), from the connection itself. */
  private readonly waitedBefore: number;
  private readonly stop: () => void;

  constructor(
    private readonly session: DatabaseSession,
    private readonly node: CompiledNode,
    private readonly threadId: string,
  ) {
    this.waitedBefore = session.conn.waitedMs;
    this.stop = session.onStatement((s) => this.statements.push(s.sql));
  }

  finish(status: NodeStatus, fields: Partial<NodeResult>): NodeResult {
    this.stop();
    return {
      unique_id: this.node.unique_id,
      node: this.node,
      status,
      timing: this.timing,
      thread_id: this.threadId,
      execution_time: (Date.now() - this.started) / 1000,
      adapter_response: {},
      message: null,
      failures: null,
      compiled_path: this.compiledPath,
      compiled_code: this.compiledCode,
      statements: this.statements,
      sql_ms: this.session.conn.waitedMs - this.waitedBefore,
      ...fields,
    };
  }
}
