import { DBT_VERSION } from '../project/dbt-version.js';
import { existsSync, readFileSync } from 'node:fs';
import { writeChunksAtomic, writeFileAtomic } from '../util/atomic-write.js';
import { fastPaths } from '../util/fast-paths.js';
import { JsonByteWriter } from './json-byte-writer.js';
import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/node-result.js';

export const RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';

export interface RunResultsArtifact {
  metadata: { dbt_schema_version: string; dbt_version: string; generated_at: string; invocation_id: string; env: Record<string, string> };
  results: RunResultEntry[];
  elapsed_time: number;
  args: Record<string, unknown>;
}

export interface RunResultEntry {
  status: string;
  timing: { name: string; started_at: string; completed_at: string }[];
  thread_id: string;
  execution_time: number;
  adapter_response: Record<string, unknown>;
  message: string | null;
  failures: number | null;
  unique_id: string;
  compiled: boolean;
  compiled_code: string | null;
  relation_name: string | null;
  batch_results: { successful: [string, string][]; failed: [string, string][] } | null;
}

/** run_results.json in dbt's v6 shape. `args` carries the command and its flags (retry reads them back). */
export function runResultsJson(results: readonly NodeResult[], meta: { invocationId: string; elapsed: number; args: Record<string, unknown>; dbtVersion?: string }): RunResultsArtifact {
  return {
    metadata: {
      dbt_schema_version: RUN_RESULTS_SCHEMA,
      dbt_version: meta.dbtVersion ?? DBT_VERSION,
      generated_at: new Date().toISOString(),
      invocation_id: meta.invocationId,
      env: {},
    },
    results: results.map((r) => ({
      status: r.status,
      timing: r.timing,
      thread_id: r.thread_id,
      execution_time: r.execution_time,
      adapter_response: { ...r.adapter_response },
      message: r.message,
      failures: r.failures,
      unique_id: r.unique_id,
      compiled: r.compiled_code !== undefined,
      compiled_code: r.compiled_code ?? null,
      relation_name: r.node.relation_name ?? null,
      batch_results: r.batch_results ?? null,
    })),
    elapsed_time: meta.elapsed,
    args: meta.args,
  };
}

/** Write target/run_results.json atomically; returns its path. */
export function writeRunResults(targetDir: string, artifact: RunResultsArtifact): string {
  const path = join(targetDir, 'run_results.json');
  if (!fastPaths()) {
    writeFileAtomic(path, JSON.stringify(artifact, bigintAsNumber, 2), 'run results');
    return path;
  }
  writeChunksAtomic(path, 'run results', runResultsChunks(artifact));
  return path;
}

/** The bytes writeRunResults writes (with the fast paths on), for a writer of its own (util/atomic-write's writeChunksAtomicWhile). */
export function runResultsChunks(artifact: RunResultsArtifact): (write: (bytes: Uint8Array) => void) => void {
  return (write) => {
    const out = new JsonByteWriter(write);
    writeIndented(out, artifact);
    out.flush();
  };
}

const bigintAsNumber = (_k: string, v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

/**
 * The bytes of `JSON.stringify(artifact, bigintAsNumber, 2)`, one result at a
 * time: at 40,000 results the replacer (a call per value) and the one 30 MB
 * string cost ~0.5 s. Each piece is stringified with the indent alone (the
 * replacer only when it holds a bigint, which JSON.stringify refuses) and
 * moved to its depth: a JSON string holds no raw newline, so every newline
 * in a piece is one of the indent's.
 */
function writeIndented(out: JsonByteWriter, artifact: RunResultsArtifact): void {
  const piece = (value: unknown, depth: number): string | undefined => {
    let json: string | undefined;
    try {
      json = JSON.stringify(value, null, 2);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      json = JSON.stringify(value, bigintAsNumber, 2);
    }
    return json === undefined || depth === 0 ? json : json.replaceAll('\n', `\n${'  '.repeat(depth)}`);
  };
  out.text('{');
  let first = true;
  for (const key of Object.keys(artifact)) {
    const value = (artifact as unknown as Record<string, unknown>)[key];
    if (key === 'results' && Array.isArray(value) && value.length > 0) {
      out.text(`${first ? '' : ','}\n  ${JSON.stringify(key)}: [`);
      value.forEach((r, i) => out.text(`${i === 0 ? '' : ','}\n    ${piece(r, 2) ?? 'null'}`));
      out.text('\n  ]');
      first = false;
      continue;
    }
    const json = piece(value, 1);
    if (json === undefined) continue;
    out.text(`${first ? '' : ','}\n  ${JSON.stringify(key)}: ${json}`);
    first = false;
  }
  out.text(first ? '}' : '\n}');
}

/** Read target/run_results.json (for retry); a missing or unreadable file is a clear error. */
export function readRunResults(targetDir: string): RunResultsArtifact {
  const path = join(targetDir, 'run_results.json');
  if (!existsSync(path)) {
    throw new TsdbtError('USAGE', `No previous run to retry: ${path} does not exist`, { file: path, hint: 'Run a command (run, build, test, seed) first; retry re-runs what it left failed or skipped.' });
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as RunResultsArtifact;
    if (!Array.isArray(parsed.results)) throw new Error('no "results" list');
    return parsed;
  } catch (e) {
    throw new TsdbtError('USAGE', `Cannot read ${path}: ${(e as Error).message}`, { file: path, hint: 'Run the command again to write a fresh run_results.json.' });
  }
}
