import { writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import { relationOfSource, runtimeContext, type StoredResult } from '../context/runtime-context.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { freshnessCriteria, freshnessStatus, type FreshnessResult } from '../execute/freshness.js';
import { scopedOperation } from '../execute/operations.js';
import { callJinja } from '../jinja/index.js';
import { DBT_VERSION } from '../project/dbt-version.js';
import { openExecution, type ExecutionOptions } from './execution.js';

export interface FreshnessRun {
  success: boolean;
  results: FreshnessResult[];
  /** target/sources.json */
  path: string;
}

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * `tsdbt source freshness`: for each selected source table with a
 * loaded_at_field and a freshness config, how old its newest row is, judged
 * against warn_after/error_after; writes target/sources.json (dbt's shape).
 */
export async function sourceFreshness(opts: ExecutionOptions = {}): Promise<FreshnessRun> {
  const exec = await openExecution(opts, 'freshness', ['source']);
  try {
    const manifest = exec.parsed.manifest;
    const registry = exec.parsed.registry;
    const macro = registry.find('collect_freshness', exec.root.name)!;
    const scope = { shared: exec.shared, compiler: exec.compiler, projectName: exec.root.name, projectDir: exec.loaded.projectDir };
    const results: FreshnessResult[] = [];
    for (const id of [...exec.selected].sort()) {
      const source = manifest.sources[id];
      if (!source) continue;
      const criteria = freshnessCriteria(source);
      if (!criteria) continue;
      const started = performance.now();
      try {
        const node = scopedOperation(scope, `freshness.${source.source_name}.${source.name}`, '');
        const r = runtimeContext(exec.shared, node, { allowUndeclaredRefs: true });
        // collect_freshness returns load_result(...): {response, table, data}.
        const stored = callJinja(r.resolver.bind(macro), [relationOfSource(exec.shared, source), source.loaded_at_field, criteria.filter ?? null], {}) as StoredResult | null;
        const row = stored?.data?.[0];
        const maxLoaded = toDate(row?.[0]);
        const snapshotted = toDate(row?.[1]) ?? new Date();
        const age = maxLoaded ? (snapshotted.getTime() - maxLoaded.getTime()) / 1000 : null;
        results.push({
          unique_id: id,
          status: freshnessStatus(age, criteria),
          max_loaded_at: maxLoaded?.toISOString() ?? null,
          snapshotted_at: snapshotted.toISOString(),
          max_loaded_at_time_ago_in_s: age,
          criteria,
          execution_time: (performance.now() - started) / 1000,
        });
      } catch (e) {
        exec.session.rollbackIfOpen();
        // Name the source and its YAML file; a database error's own text, not the internal macro it surfaced in.
        const detail = e instanceof TsdbtError ? (e.code === 'DATABASE_ERROR' ? e.message : e.format()) : String(e);
        const kind = e instanceof TsdbtError && e.code === 'DATABASE_ERROR' ? 'Database Error' : 'Error';
        const msg = `${kind} in source ${source.source_name}.${source.name} (${source.original_file_path})\n  ${detail.split('\n').join('\n  ')}`;
        results.push({ unique_id: id, status: 'runtime error', max_loaded_at: null, snapshotted_at: null, max_loaded_at_time_ago_in_s: null, criteria, execution_time: (performance.now() - started) / 1000, error: exec.loaded.secrets.redact(msg) });
      }
    }
    const path = join(exec.targetDir, 'sources.json');
    writeFileAtomic(path, JSON.stringify({
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', dbt_version: DBT_VERSION, generated_at: new Date().toISOString(), invocation_id: exec.loaded.invocationId },
      results,
      elapsed_time: results.reduce((a, r) => a + r.execution_time, 0),
    }, null, 2), 'source freshness results');
    return { success: !results.some((r) => r.status === 'error' || r.status === 'runtime error'), results, path };
  } finally {
    await exec.close();
  }
}
