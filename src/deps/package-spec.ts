/**
 * One entry of packages.yml / dependencies.yml / package-lock.yml, validated
 * and rendered. Each spec remembers the raw (unrendered) entry because dbt
 * hashes it into `sha1_hash` and writes unrendered git/tarball URLs to the
 * lock so secrets stay out of it.
 */
export type PackageSpec = LocalSpec | GitSpec | TarballSpec | HubSpec;

interface SpecBase {
  /** The entry as written in the file, before rendering. */
  raw: Record<string, unknown>;
  /** The entry after env_var()/Jinja rendering. */
  rendered: Record<string, unknown>;
  /** Who asked for this package: `packages.yml` or a package's name. */
  requiredBy: string;
  /** Where the entry was written (project-relative label) and its line. */
  file: string;
  line?: number;
  /** Optional `name:` of the entry (required for tarballs). */
  name?: string;
}

export interface LocalSpec extends SpecBase {
  kind: 'local';
  /** Path relative to the root project (as dbt resolves it), or absolute. */
  local: string;
}

export interface GitSpec extends SpecBase {
  kind: 'git';
  git: string;
  /** The URL as written (may contain `{{ env_var(...) }}`); what goes to the lock. */
  gitUnrendered: string;
  revision?: string;
  /** undefined means "warn" (dbt maps a missing warn-unpinned to true). */
  warnUnpinned?: boolean;
  subdirectory?: string;
}

export interface TarballSpec extends SpecBase {
  kind: 'tarball';
  tarball: string;
  tarballUnrendered: string;
  name: string;
}

export interface HubSpec extends SpecBase {
  kind: 'hub';
  /** `owner/name` on the hub. */
  package: string;
  /** Version specifiers, e.g. `['>=1.0.0', '<2.0.0']` or `['1.1.1']`. */
  versions: string[];
  installPrerelease: boolean;
}

/** The keys each kind of entry accepts, for validation and "did you mean" hints. */
export const ALLOWED_KEYS: Record<PackageSpec['kind'], readonly string[]> = {
  local: ['local', 'name'],
  git: ['git', 'revision', 'warn-unpinned', 'subdirectory', 'name'],
  tarball: ['tarball', 'name'],
  hub: ['package', 'version', 'install-prerelease', 'install_prerelease', 'name'],
};

/** Human-readable identity of a spec, for logs and errors. */
export function describeSpec(spec: PackageSpec): string {
  switch (spec.kind) {
    case 'local':
      return spec.local;
    case 'git':
      return spec.subdirectory ? `${spec.gitUnrendered}/${spec.subdirectory}` : spec.gitUnrendered;
    case 'tarball':
      return spec.name;
    case 'hub':
      return spec.package;
  }
}
