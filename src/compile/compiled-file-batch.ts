import { join } from 'node:path';
import type { CompiledNode } from '../manifest/types.js';
import { BackgroundWriter } from './background-writer.js';
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
  /** Queued nodes by the absolute path of their file (a failed write names it). */
  private readonly byFile = new Map<string, CompiledNode>();
  private last: (() => void) | undefined;

  constructor(
    private readonly compiler: NodeCompiler,
    private readonly projectDir: string,
    private readonly batchSize = 256,
  ) {}

  /** Queue a node's compiled SQL; returns its path relative to the project dir. */
  add(node: CompiledNode, sql: string): string {
    this.queued.push({ node, sql });
    const path = this.compiler.compiledPath(node);
    this.byFile.set(join(this.projectDir, path), node);
    if (this.queued.length >= this.batchSize) this.flush();
    return path;
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    BackgroundWriter.shared()?.settle();
    const handles = this.compiler.writeManyInBackground(this.queued);
    this.last = handles[handles.length - 1]!.wait;
    this.queued = [];
  }

  /** Write what is queued and wait for every file; returns the nodes whose file could not be written, with the error. */
  finish(): { node: CompiledNode; error: unknown }[] {
    this.flush();
    const failed: { node: CompiledNode; error: unknown }[] = [];
    // Waiting for the last write waits for all before it; a failed one throws (naming its file) and the rest are waited for again.
    for (let tries = 0; this.last && tries <= this.byFile.size; tries++) {
      try {
        this.last();
        break;
      } catch (error) {
        const node = this.byFile.get((error as { file?: string }).file ?? '');
        if (!node) throw error;
        failed.push({ node, error });
      }
    }
    this.last = undefined;
    this.byFile.clear();
    return failed;
  }
}
