import { join } from 'node:path';
import { runResultsJson, writeRunResults } from '../artifacts/run-results.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/node-result.js';
import type { Execution } from './execution.js';
import { nodesAsParsed } from './command-manifest.js';
import { compiledMembersOf, writeCompiledManifest } from './compiled-manifest.js';

/** A failed write of an artifact at `path` as the artifact error commands report (a TsdbtError as it is). */
export function artifactWriteError(path: string, e: unknown): TsdbtError {
  return e instanceof TsdbtError ? e : new TsdbtError('TARGET_WRITE', `Could not write ${path}: ${String(e)}`, { file: path, cause: e });
}

/**
 * run_results.json, then manifest.json, each attempted whatever became of
 * the other: a failed write (a full disk) is returned, not thrown, so the
 * caller still reports the nodes' own errors. A failed write leaves the
 * previous file in place (util/atomic-write). Neither is written with
 * --no-write-json (the paths are where they would be).
 */
export function writeCommandArtifacts(
  exec: Execution,
  results: NodeResult[],
  meta: Parameters<typeof runResultsJson>[1],
  /** manifest.json as already written for these results (its path and any error): not written again. */
  manifestWritten?: { manifestPath: string; artifactErrors: TsdbtError[] },
): { runResultsPath: string; manifestPath: string; artifactErrors: TsdbtError[] } {
  const artifactErrors: TsdbtError[] = [];
  if (!exec.loaded.writeJson) return { runResultsPath: join(exec.targetDir, 'run_results.json'), manifestPath: manifestWritten?.manifestPath ?? join(exec.targetDir, 'manifest.json'), artifactErrors: manifestWritten?.artifactErrors ?? [] };
  const attempt = (write: () => string, path: string): string => {
    try {
      return write();
    } catch (e) {
      artifactErrors.push(artifactWriteError(path, e));
      return path;
    }
  };
  const runResultsPath = attempt(() => writeRunResults(exec.targetDir, runResultsJson(results, meta)), join(exec.targetDir, 'run_results.json'));
  if (manifestWritten) return { runResultsPath, manifestPath: manifestWritten.manifestPath, artifactErrors: [...artifactErrors, ...manifestWritten.artifactErrors] };
  // Nodes as parsed when the execution opened, changed since only by the compiled members rendering appends: copied from the parse cache (compiled-manifest.ts).
  const manifestPath = attempt(() => writeCompiledManifest(exec.targetDir, exec.parsed.manifest, nodesAsParsed(exec), compiledMembersOf(exec.parsed.manifest.nodes)), join(exec.targetDir, 'manifest.json'));
  return { runResultsPath, manifestPath, artifactErrors };
}
