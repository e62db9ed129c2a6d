import type { CompiledNode } from '../manifest/types.js';
import type { NodeCompiler } from './node-compiler.js';

/**
 * target/compiled files of a whole `compile`, written off the rendering
 * thread: nodes are queued as they compile and handed to the background
 * writer a batch at a time (one message per batch), and `finish` waits
 * until every file is on disk. The paths are known when a node is queued,
 * so results name them at once; a write that fails is reported by `finish`
 * for its node (as the synchronous write reported it for the node).
 */
export class CompiledFileBatch {
  private queued: { node: CompiledNode; sql: string }[] = [];
  private readonly waits: { node: CompiledNode; wait(): void }[] = [];

  constructor(
    private readonly compiler: NodeCompiler,
    private readonly batchSize = 256,
  ) {}

  /** Queue a node's compiled SQL; returns its path relative to the project dir. */
  add(node: CompiledNode, sql: string): string {
    this.queued.push({ node, sql });
    const path = this.compiler.compiledPath(node);
    if (this.queued.length >= this.batchSize) this.flush();
    return path;
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    const handles = this.compiler.writeManyInBackground(this.queued);
    handles.forEach((h, i) => this.waits.push({ node: this.queued[i]!.node, wait: h.wait }));
    this.queued = [];
  }

  /** Write what is queued and wait for every file; returns the nodes whose file could not be written, with the error. */
  finish(): { node: CompiledNode; error: unknown }[] {
    this.flush();
    const failed: { node: CompiledNode; error: unknown }[] = [];
    for (const w of this.waits) {
      try {
        w.wait();
      } catch (error) {
        failed.push({ node: w.node, error });
      }
    }
    this.waits.length = 0;
    return failed;
  }
}
