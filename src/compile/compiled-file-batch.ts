import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CompiledNode } from '../manifest/types.js';
import { writeReplacing } from '../util/thread-file-writes.js';
import { BackgroundWriter, writeFileSyncChecked } from './background-writer.js';
import type { NodeCompiler } from './node-compiler.js';
import { pathUnder } from '../util/files.js';

/**
 * target/compiled files of a whole `compile`, written off the rendering
 * thread: nodes are queued as they compile and handed to the background
 * writer a batch at a time (one message per batch), and `finish` waits
 * until every file is on disk. The paths are known when a node is queued,
 * so results name them at once; a write that fails is reported by `finish`
 * for its node (as the synchronous write reported it for the node).
 *
 * When target/compiled does not exist yet (a first compile, or after a
 * clean), the files go to a staged folder beside it, each created in place,
 * and `finish` renames the folder to target/compiled: a file is created
 * once instead of as a temp file renamed over its name, and no reader sees
 * a half-written tree. Otherwise each file is written as BackgroundWriter
 * writes (left alone when it already holds the SQL).
 */
export class CompiledFileBatch {
  private queued: { path: string; text: string; node: CompiledNode }[] = [];
  /** Files written on this thread (no writer) that failed, with their node: reported by finish. */
  private failedHere: { node: CompiledNode; error: unknown }[] = [];
  /**
   * Queued nodes with the absolute path of their file as written (a failed write names it) and
   * their final path; looked up by file only when a write failed (a map of 40,000 paths cost ~0.1 s).
   */
  private added: { node: CompiledNode; written: string; path: string }[] = [];
  private last: (() => void) | undefined;
  /** target/compiled, absolute. */
  private readonly root: string;
  /** The staged folder files go to until `finish` renames it to `root`; undefined when root existed. */
  private readonly stage: string | undefined;

  constructor(
    private readonly compiler: NodeCompiler,
    private readonly projectDir: string,
    private readonly batchSize = 256,
  ) {
    this.root = pathUnder(projectDir, compiler.compiledRoot());
    this.stage = !existsSync(this.root) && BackgroundWriter.shared() ? `${this.root}.tmp-${process.pid}-${randomBytes(4).toString('hex')}` : undefined;
  }

  /** Queue a node's compiled SQL; returns its path relative to the project dir. */
  add(node: CompiledNode, sql: string): string {
    const rel = this.compiler.compiledPath(node);
    const path = pathUnder(this.projectDir, rel);
    const written = this.stage !== undefined && path.startsWith(`${this.root}/`) ? this.stage + path.slice(this.root.length) : path;
    this.queued.push({ path: written, text: sql, node });
    this.added.push({ node, written, path });
    if (this.queued.length >= this.batchSize) this.flush(false);
    return rel;
  }

  /**
   * Hand what is queued to the writer now (finish does too). `last`: nothing
   * is added after it. When that is all there is and the writer's thread has
   * not started, the files are written here: a few hundred unchanged files
   * take a few ms, where starting the thread (~0.1 s, a compile of a small
   * project waiting for it at its end) would not pay.
   */
  flush(last = true): void {
    if (this.queued.length === 0) return;
    const writer = BackgroundWriter.shared();
    if (writer && last && !this.last && !writer.threadStarted && this.queued.length <= this.batchSize) {
      // Nothing was staged before (no batch went to the writer): each file goes where it belongs.
      for (const f of this.queued) {
        const path = this.stage !== undefined && f.path.startsWith(`${this.stage}/`) ? this.root + f.path.slice(this.stage.length) : f.path;
        try {
          writeReplacing(path, f.text);
        } catch {
          // Written again as the writer's failures are, for its error (naming the file) or success.
          try {
            writeFileSyncChecked(path, f.text);
          } catch (error) {
            this.failedHere.push({ node: f.node, error });
          }
        }
      }
      this.queued = [];
      return;
    }
    if (!writer) {
      // Each failure is its node's (as when compileOne wrote the file): the others are still written.
      for (const f of this.queued) {
        try {
          writeFileSyncChecked(f.path, f.text);
        } catch (error) {
          this.failedHere.push({ node: f.node, error });
        }
      }
    } else {
      writer.settle();
      const tickets = writer.writeMany(this.queued, this.stage !== undefined);
      const ticket = tickets[tickets.length - 1]!;
      this.last = () => writer.wait(ticket);
    }
    this.queued = [];
  }

  /** Write what is queued and wait for every file; returns the nodes whose file could not be written, with the error. */
  finish(): { node: CompiledNode; error: unknown }[] {
    this.flush();
    const failed: { node: CompiledNode; path: string; error: unknown }[] = [];
    let byFile: Map<string, { node: CompiledNode; path: string }> | undefined;
    // Waiting for the last write waits for all before it; a failed one throws (naming its file) and the rest are waited for again.
    for (let tries = 0; this.last && tries <= this.added.length; tries++) {
      try {
        this.last();
        break;
      } catch (error) {
        byFile ??= new Map(this.added.map(({ node, written, path }) => [written, { node, path }]));
        // The writer's error names the file it could not write in its detail (util/atomic-write's fileWriteError).
        const queued = byFile.get(String((error as { detail?: { path?: unknown } }).detail?.path ?? ''));
        if (!queued) throw error;
        failed.push({ ...queued, error });
      }
    }
    this.last = undefined;
    const anyQueued = this.added.length > 0;
    this.added = [];
    const here = this.failedHere;
    this.failedHere = [];
    if (here.length > 0) return [...failed.map(({ node, error }) => ({ node, error })), ...here];
    if (this.stage === undefined || !anyQueued) return failed.map(({ node, error }) => ({ node, error }));
    this.placeStage();
    // A file that failed in the staged folder is written where it belongs, so its error (if any) names that path.
    const stillFailed: { node: CompiledNode; error: unknown }[] = [];
    for (const f of failed) {
      try {
        writeFileSyncChecked(f.path, f.node.compiled_code ?? '');
      } catch (error) {
        stillFailed.push({ node: f.node, error });
      }
    }
    return stillFailed;
  }

  /** Rename the staged folder to target/compiled; when that appeared meanwhile, move the staged files into it one by one. */
  private placeStage(): void {
    const stage = this.stage!;
    if (!existsSync(stage)) return;
    try {
      renameSync(stage, this.root);
      return;
    } catch {
      // target/compiled exists now (another command made it): file by file below.
    }
    const move = (from: string, to: string) => {
      for (const entry of readdirSync(from, { withFileTypes: true })) {
        const a = join(from, entry.name);
        const b = join(to, entry.name);
        if (entry.isDirectory()) move(a, b);
        else {
          mkdirSync(dirname(b), { recursive: true });
          renameSync(a, b);
        }
      }
    };
    try {
      move(stage, this.root);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
}
