import type { CompiledNode } from '../manifest/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { NodeStatus } from './node-result.js';

/** PASS/WARN/FAIL from the test query's one row, with dbt's messages. */
export function judgeTest(node: CompiledNode, row: unknown[] | undefined, names: string[]): { status: NodeStatus; failures: number; message: string | null } {
  if (!row) throw new TsdbtError('COMPILER_ERROR', `The test query of '${node.name}' returned no row`, { file: node.original_file_path, hint: 'A test materialization must run a `main` statement returning failures, should_warn, should_error.' });
  const get = (n: string, i: number) => row[names.indexOf(n) >= 0 ? names.indexOf(n) : i];
  const failures = Number(get('failures', 0) ?? 0);
  const shouldWarn = truthy(get('should_warn', 1));
  const shouldError = truthy(get('should_error', 2));
  const severity = String(node.config.severity ?? 'ERROR').toUpperCase();
  const plural = failures === 1 ? 'result' : 'results';
  if (severity === 'ERROR' && shouldError) return { status: 'fail', failures, message: `Got ${failures} ${plural}, configured to fail if ${node.config.error_if ?? '!= 0'}` };
  if (shouldWarn) return { status: 'warn', failures, message: `Got ${failures} ${plural}, configured to warn if ${node.config.warn_if ?? '!= 0'}` };
  // A test under its thresholds passes with no failures reported, as dbt records it (failures counts only when the test warns or fails).
  return { status: 'pass', failures: 0, message: null };
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === 'true' || v === 1n;
}
