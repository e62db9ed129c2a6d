import type { NodeCompiler } from '../compile/node-compiler.js';
import type { CompiledNode } from '../manifest/types.js';

/**
 * The files a node's run keeps in target/run/ (what its `main` statement
 * ran: the template's write(), as in dbt), written by the background writer
 * while the statement runs and waited for before the result is reported.
 */
export class RunFiles {
  private readonly pending: { wait(): void }[] = [];
  /** The last file written (dbt's node.build_path): where a database error says the code it ran is. */
  buildPath: string | undefined;

  constructor(
    private readonly compiler: NodeCompiler,
    private readonly node: CompiledNode,
    /** A microbatch batch's `<stem>_<suffix>` file. */
    private readonly splitSuffix?: string,
  ) {}

  /**
   * RuntimeOptions.write for the node's context. A write that fails at once (no background writer) fails at
   * wait(), as one the writer reports does: the statement still runs, and the node's result names the file.
   */
  writer(): (sql: string) => void {
    return (sql) => {
      try {
        const file = this.compiler.writeInBackground(this.node, sql, 'run', this.splitSuffix);
        this.buildPath = file.path;
        this.pending.push(file);
      } catch (e) {
        this.pending.push({
          wait: () => {
            throw e;
          },
        });
      }
    };
  }

  /** Every file on disk (the first failure thrown, after waiting for the rest). */
  wait(): void {
    let failure: unknown;
    for (const p of this.pending.splice(0)) {
      try {
        p.wait();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** After the node failed: every file waited for, failures dropped (the node's own error says more than a file's). */
  settle(): void {
    try {
      this.wait();
    } catch {
      // Reported by the node's error instead.
    }
  }
}
