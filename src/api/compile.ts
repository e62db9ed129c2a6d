import { join } from 'node:path';
import { compiledMembersOf, withoutCompiledMembers, writeCompiledManifest } from './compiled-manifest.js';
import { mutatorsBoundCount } from '../jinja/python/collection-methods.js';
import { artifactWriteError, writeCommandArtifacts } from './command-artifacts.js';
import { CompiledFileBatch } from '../compile/compiled-file-batch.js';
import { runResultsChunks, runResultsJson, type RunResultsArtifact } from '../artifacts/run-results.js';
import { writeChunksAtomicWhile } from '../util/atomic-write.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/node-result.js';
import { scopedOperation } from '../execute/operations.js';
import { skippedResult } from '../execute/execute-nodes.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { fastPaths } from '../util/fast-paths.js';
import { openExecution, type Execution, type ExecutionOptions } from './execution.js';
import type { RunReadyInfo } from './run.js';

export interface CompileOptions extends ExecutionOptions {
  /** `compile --inline "<sql>"`: compile this SQL (refs allowed) instead of the project's nodes. */
  inline?: string;
  /** Called once the nodes are selected, before any compiles: dbt's compile prints the run's header then. */
  onReady?: (info: RunReadyInfo) => void;
}

export interface CompileResult {
  success: boolean;
  /** One per compiled node: status success or error, compiled_code and compiled_path filled. */
  results: NodeResult[];
  /** The compiled SQL of `--inline`. */
  inlineSql?: string;
  manifestPath: string;
  runResultsPath?: string;
  /** run_results.json or manifest.json could not be written (see CommandResult.artifactErrors). */
  artifactErrors?: TsdbtError[];
  warnings: string[];
}

/**
 * `compile`: render the selected nodes with the runtime context (the
 * database is reachable for introspection), inject ephemeral CTEs, write
 * target/compiled/... and a manifest with compiled_code. Nodes are compiled
 * in DAG order and, as dbt's compile task (raise_on_first_error), the first
 * node that fails stops the command: no node after it is compiled and no
 * run_results.json is written (the manifest still is).
 */
export async function compile(opts: CompileOptions = {}): Promise<CompileResult> {
  const exec = await openExecution(opts, 'compile', opts.inline !== undefined ? [] : undefined, { readsAllNodes: opts.inline === undefined });
  try {
    const { loaded } = exec;
    opts.onWarnings?.(exec.warnings);
    opts.onReady?.({
      manifest: exec.parsed.manifest, total: opts.inline !== undefined ? 1 : exec.selected.size, threads: Math.max(1, opts.threads ?? loaded.threads),
      targetName: loaded.profile.targetName, adapterType: loaded.adapter.type, invocationId: loaded.invocationId,
    });
    // The nodes as parsed (no compiled members yet), and no template changing a list or dict in place
    // below: each node's JSON is then the parse cache's with the compiled members appended (none, --inline).
    const asParsed = fastPaths() && withoutCompiledMembers(exec.parsed.manifest);
    const mutators = mutatorsBoundCount();
    const unchanged = () => asParsed && mutatorsBoundCount() === mutators;
    if (opts.inline !== undefined) {
      // As dbt: the inline query is the command's one node, recorded in run_results.json (and left out of manifest.json).
      const began = Date.now();
      const { node, sql: inlineSql } = compileInlineNode(exec, opts.inline);
      const done = Date.now();
      const inlineResult = result(node, 'success', [{ name: 'compile', started_at: isoAt(began), completed_at: isoAt(done) }], (done - began) / 1000, null, null, inlineSql);
      const { nodes } = exec.parsed.manifest;
      const manifest = loaded.writeJson ? { manifestPath: writeCompiledManifest(exec.targetDir, exec.parsed.manifest, unchanged(), compiledMembersOf(nodes)), artifactErrors: [] } : { manifestPath: join(exec.targetDir, 'manifest.json'), artifactErrors: [] };
      const written = writeCommandArtifacts(exec, [inlineResult], { invocationId: loaded.invocationId, elapsed: (done - began) / 1000, args: { which: 'compile', select: [], exclude: [], inline: opts.inline } }, manifest);
      return { success: written.artifactErrors.length === 0, results: [inlineResult], inlineSql, ...written, warnings: exec.warnings };
    }
    const started = performance.now();
    const results: NodeResult[] = [];
    const files = fastPaths() ? new CompiledFileBatch(exec.compiler, exec.loaded.projectDir) : undefined;
    // Only the SQL of each render is kept: renders reuse their package's context (NodeCompiler.reuseContexts).
    exec.compiler.reuseContexts(true);
    try {
      for (const id of exec.graph.topologicalOrder()) {
        if (!exec.selected.has(id)) continue;
        const node = exec.parsed.manifest.nodes[id];
        if (!node || node.resource_type === 'unit_test') continue;
        if (node.language === 'python') {
          // dbt compiles a Python model to Python; tsdbt writes nothing for it (it runs only SQL).
          results.push(skippedResult(node, `${node.original_file_path}: a Python model, not compiled: tsdbt parses Python models but does not compile or run them`));
          continue;
        }
        const r = compileOne(exec, node, files);
        results.push(r);
        if (r.status === 'error') break;
      }
    } catch (e) {
      // What was compiled is on disk, in target/compiled (not left in a staged folder), as when each file was written at once.
      files?.finish();
      throw e;
    } finally {
      exec.compiler.reuseContexts(false);
    }
    // manifest.json is written while the background writer finishes the files (it does not wait for
    // them); should a file fail, its node is an error and manifest.json is written again.
    files?.flush();
    let manifest = manifestOnly(exec, unchanged());
    const meta = (elapsed: number) => ({ invocationId: exec.loaded.invocationId, elapsed, args: { which: 'compile', select: opts.select ?? [], exclude: opts.exclude ?? [] } });
    // Every file is on disk before the results are reported; a node whose file failed is an error. With none failed
    // so far, run_results.json is made while the writer finishes, and put in place once no file failed.
    const early = files && loaded.writeJson && !results.some((r) => r.status === 'error') ? await runResultsWhile(exec.targetDir, runResultsJson(results, meta((performance.now() - started) / 1000)), () => files.finish()) : undefined;
    const fileFailures = early ? early.failures : (files?.finish() ?? []);
    for (const { node, error } of fileFailures) {
      const i = results.findIndex((r) => r.unique_id === node.unique_id);
      node.compiled_code = undefined;
      node.compiled_path = undefined;
      results[i] = failedResult(node, error);
    }
    if (fileFailures.length > 0) manifest = manifestOnly(exec, unchanged());
    const elapsed = (performance.now() - started) / 1000;
    const failed = results.some((r) => r.status === 'error');
    const written = failed
      ? manifest
      : early?.written
        ? { runResultsPath: early.written.runResultsPath, manifestPath: manifest.manifestPath, artifactErrors: [...early.written.artifactErrors, ...manifest.artifactErrors] }
        : writeCommandArtifacts(exec, results, meta(elapsed), manifest);
    return {
      success: !failed && written.artifactErrors.length === 0,
      results,
      ...written,
      warnings: exec.warnings,
    };
  } finally {
    await exec.close();
  }
}

/**
 * manifest.json alone (after a failed compile, dbt writes no run_results.json), its write error as an artifact error.
 * `unchanged`: compile changed no node but for the compiled members it appended (see writeCompiledManifest).
 * Not written with --no-write-json.
 */
function manifestOnly(exec: Execution, unchanged: boolean): { manifestPath: string; artifactErrors: TsdbtError[] } {
  const { nodes } = exec.parsed.manifest;
  if (!exec.loaded.writeJson) return { manifestPath: join(exec.targetDir, 'manifest.json'), artifactErrors: [] };
  try {
    return { manifestPath: writeCompiledManifest(exec.targetDir, exec.parsed.manifest, unchanged, compiledMembersOf(nodes)), artifactErrors: [] };
  } catch (e) {
    const path = join(exec.targetDir, 'manifest.json');
    return { manifestPath: path, artifactErrors: [artifactWriteError(path, e)] };
  }
}

/** The compiled files some of which could not be written (runResultsWhile: run_results.json is then not put in place). */
class FilesFailed extends Error {}

/**
 * run_results.json written while `finish` waits for the compiled files (its
 * fsync on the thread pool meanwhile), and put in place only when every
 * file was written: otherwise the compile failed and, as dbt, writes none
 * (`written` undefined). A run_results.json that cannot be written is an
 * artifact error, as writeCommandArtifacts reports it.
 */
async function runResultsWhile(targetDir: string, artifact: RunResultsArtifact, finish: () => { node: CompiledNode; error: unknown }[]): Promise<{ failures: { node: CompiledNode; error: unknown }[]; written?: { runResultsPath: string; artifactErrors: TsdbtError[] } }> {
  const path = join(targetDir, 'run_results.json');
  let failures: { node: CompiledNode; error: unknown }[] | undefined;
  let finishing = false;
  try {
    await writeChunksAtomicWhile(path, 'run results', runResultsChunks(artifact), () => {
      finishing = true;
      failures = finish();
      if (failures.length > 0) throw new FilesFailed();
    });
    return { failures: [], written: { runResultsPath: path, artifactErrors: [] } };
  } catch (e) {
    if (e instanceof FilesFailed) return { failures: failures! };
    // finish itself threw (not a file's failure): as when it was called on its own.
    if (finishing && failures === undefined) throw e;
    // The file could not be made (before the wait) or put in place (after it).
    failures ??= finish();
    if (failures.length > 0) return { failures };
    return { failures, written: { runResultsPath: path, artifactErrors: [artifactWriteError(path, e)] } };
  }
}

/**
 * Compile one node and write its target/compiled file: at once, or queued
 * on `files` (written in batches off this thread; see CompiledFileBatch).
 */
export function compileOne(exec: Execution, node: CompiledNode, files?: CompiledFileBatch): NodeResult {
  const started = Date.now();
  try {
    const { sql } = exec.compiler.compile(node);
    const path = files ? files.add(node, sql) : exec.compiler.write(node, sql);
    node.compiled_code = sql;
    node.compiled_path = path;
    const done = Date.now();
    const timing: NodeResult['timing'] = [{ name: 'compile', started_at: isoAt(started), completed_at: isoAt(done) }];
    return result(node, 'success', timing, (done - started) / 1000, null, path, sql);
  } catch (e) {
    exec.session.rollbackIfOpen();
    return failedResult(node, e);
  }
}

let lastMs = NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, made once per millisecond: most nodes compile within the one their predecessor did. */
function isoAt(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * A compile result, written out as one literal: spreading a shared base into
 * it (`{ ...base(node), status, ... }`) cost ~80 µs a node on V8 (3 s at
 * 40,000 nodes).
 */
function result(node: CompiledNode, status: 'success' | 'error', timing: NodeResult['timing'], executionTime: number, message: string | null, path: string | null, sql?: string, error?: TsdbtError): NodeResult {
  const r: NodeResult = { unique_id: node.unique_id, node, thread_id: 'Thread-1', adapter_response: {}, failures: null, statements: [], sql_ms: 0, status, timing, execution_time: executionTime, message, compiled_path: path };
  if (sql !== undefined) r.compiled_code = sql;
  if (error !== undefined) r.error = error;
  return r;
}

function failedResult(node: CompiledNode, e: unknown): NodeResult {
  const err = e instanceof TsdbtError ? e.withLocation({ file: node.original_file_path }) : new TsdbtError('INTERNAL', String(e), { file: node.original_file_path });
  return result(node, 'error', [], 0, err.format(), null, undefined, err);
}

/** Compile SQL given on the command line as the root project's `inline_query` (refs need not be declared). */
export function compileInline(exec: Execution, sql: string): string {
  return compileInlineNode(exec, sql).sql;
}

/** compileInline, with the `sql_operation` node it made (its unique_id is what run_results.json names). */
export function compileInlineNode(exec: Execution, sql: string): { node: CompiledNode; sql: string } {
  const node = scopedOperation({ shared: exec.shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir }, 'inline_query', sql, 'sql_operation');
  node.original_file_path = 'inline_query';
  return { node, sql: exec.compiler.compile(node, { allowUndeclaredRefs: true }).sql };
}
