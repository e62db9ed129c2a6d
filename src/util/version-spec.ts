/**
 * A version or version specifier as dbt's semver reads it, in the form the
 * `semver` package reads: dbt lets a pre-release follow the patch without a
 * dash (`>=1.6.0rc2`, `1.0.0b1`), which `semver` rejects. A pre-release
 * starting with a letter gets its dash; everything else is returned as is.
 */
export function semverSpec(spec: string): string {
  return spec.replace(/^(\s*(?:>=|<=|>|<|=)?\s*v?\d+\.\d+\.\d+)(?=[A-Za-z])/, '$1-');
}
