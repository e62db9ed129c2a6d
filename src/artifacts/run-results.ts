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
export function runResultsJson(results: readonly NodeResult[], meta: { invocationId: string; elapsed: number; args: Record<string, unknown>; dbtVersion?: string; generatedAt?: Date }): RunResultsArtifact {
  return {
    metadata: {
      dbt_schema_version: RUN_RESULTS_SCHEMA,
      dbt_version: meta.dbtVersion ?? DBT_VERSION,
      generated_at: (meta.generatedAt ?? new Date()).toISOString(),
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
      value.forEach((r, i) => out.text(`${i === 0 ? '' : ','}\n    ${plainEntry(r) ?? piece(r, 2) ?? 'null'}`));
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

/** The members of a result as runResultsJson makes them, in its order. */
const ENTRY_KEYS = ['status', 'timing', 'thread_id', 'execution_time', 'adapter_response', 'message', 'failures', 'unique_id', 'compiled', 'compiled_code', 'relation_name', 'batch_results'];
const TIMING_KEYS = ['name', 'started_at', 'completed_at'];

const stringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whether `o` is a plain object whose own enumerable keys are exactly `keys`, in that order. */
function hasKeys(o: object, keys: readonly string[]): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  let i = 0;
  for (const k in o) if (!Object.hasOwn(o, k) || keys[i++] !== k) return false;
  return i === keys.length;
}

/**
 * A result entry of the common shape (a compile's: strings, nulls, finite
 * numbers, an empty adapter response, timings of three strings) written
 * out as JSON.stringify(entry, null, 2) moved to depth 2 writes it, without
 * the stringify and the newline replacement of each whole entry (~0.3 s at
 * 40,000 results); any other entry gives undefined (writeIndented's piece).
 */
function plainEntry(r: unknown): string | undefined {
  if (!r || typeof r !== 'object' || !hasKeys(r, ENTRY_KEYS)) return undefined;
  const e = r as RunResultEntry;
  const { timing, adapter_response: response } = e;
  if (typeof e.status !== 'string' || typeof e.thread_id !== 'string' || typeof e.unique_id !== 'string' || typeof e.compiled !== 'boolean') return undefined;
  if (!finite(e.execution_time) || !stringOrNull(e.message) || !(e.failures === null || finite(e.failures)) || !stringOrNull(e.compiled_code) || !stringOrNull(e.relation_name) || e.batch_results !== null) return undefined;
  if (!response || typeof response !== 'object' || !hasKeys(response, []) || !Array.isArray(timing)) return undefined;
  let times = '[]';
  if (timing.length > 0) {
    times = '[';
    for (let i = 0; i < timing.length; i++) {
      const t = timing[i];
      if (!t || typeof t !== 'object' || !hasKeys(t, TIMING_KEYS) || typeof t.name !== 'string' || typeof t.started_at !== 'string' || typeof t.completed_at !== 'string') return undefined;
      times += `${i === 0 ? '' : ','}\n        {\n          "name": ${JSON.stringify(t.name)},\n          "started_at": ${JSON.stringify(t.started_at)},\n          "completed_at": ${JSON.stringify(t.completed_at)}\n        }`;
    }
    times += '\n      ]';
  }
  const json = (v: string | number | boolean | null) => JSON.stringify(v);
  return (
    `{\n      "status": ${json(e.status)},\n      "timing": ${times},\n      "thread_id": ${json(e.thread_id)},\n      "execution_time": ${json(e.execution_time)},` +
    `\n      "adapter_response": {},\n      "message": ${json(e.message)},\n      "failures": ${json(e.failures)},\n      "unique_id": ${json(e.unique_id)},` +
    `\n      "compiled": ${json(e.compiled)},\n      "compiled_code": ${json(e.compiled_code)},\n      "relation_name": ${json(e.relation_name)},\n      "batch_results": null\n    }`
  );
}
