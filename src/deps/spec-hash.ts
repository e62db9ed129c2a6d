import { createHash } from 'node:crypto';
import type { PackageSpec } from './package-spec.js';

/**
 * The `sha1_hash` dbt writes to package-lock.yml, computed the same way so a
 * lock written by dbt is honoured by tsdbt and vice versa.
 *
 * dbt serialises each declared package as its full contract (every field,
 * unset ones as null, plus the unrendered entry under `unrendered`), dumps it
 * with Python's `json.dumps(..., sort_keys=True)`, sorts those strings, joins
 * them with newlines and takes the SHA-1. Only the root project's declared
 * packages are hashed, not transitive ones.
 */
export function packagesSha1(specs: readonly PackageSpec[]): string {
  const lines = specs.map((spec) => pythonJsonDumps(contractOf(spec))).sort(compareCodePoints);
  return createHash('sha1').update(lines.join('\n'), 'utf8').digest('hex');
}

/** The dict dbt's dataclass `to_dict()` produces for a spec (field names by alias). */
function contractOf(spec: PackageSpec): Record<string, unknown> {
  const r = spec.rendered;
  const orNull = (v: unknown) => (v === undefined ? null : v);
  let out: Record<string, unknown>;
  switch (spec.kind) {
    case 'local':
      out = { local: r.local, unrendered: spec.raw };
      break;
    case 'tarball':
      out = { tarball: r.tarball, name: r.name, unrendered: spec.raw };
      break;
    case 'git':
      out = {
        git: r.git,
        revision: orNull(r.revision),
        'warn-unpinned': orNull(r['warn-unpinned']),
        subdirectory: orNull(r.subdirectory),
        unrendered: spec.raw,
      };
      break;
    case 'hub':
      out = {
        package: r.package,
        version: r.version,
        install_prerelease: r.install_prerelease ?? r['install-prerelease'] ?? false,
        unrendered: spec.raw,
      };
      break;
  }
  // dbt drops a `name: None` so adding the optional field did not change existing hashes.
  if (spec.kind !== 'tarball' && r.name !== undefined && r.name !== null) out.name = r.name;
  return out;
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `json.dumps(value, sort_keys=True)` as CPython writes it: `", "` and `": "`
 * separators, keys sorted at every level, non-ASCII escaped as `\uXXXX`.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (value instanceof Date) return pythonString(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  return pythonString(String(value));
}

function pythonString(s: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters
  // the way Python does; Python (ensure_ascii) also escapes DEL and non-ASCII.
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}
