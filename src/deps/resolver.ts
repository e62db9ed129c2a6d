import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { HubClient } from './hub-client.js';
import type { FetchedPackage, PackageFetcher } from './package-fetcher.js';
import { describeSpec, type GitSpec, type HubSpec, type PackageSpec } from './package-spec.js';
import { pinnedId, type PinnedPackage } from './pinned-package.js';
import { pickVersion, reduceRequirements } from './version-range.js';

/**
 * Resolution, following dbt: walk the dependency tree breadth first; every
 * request for the same package (same hub name, same git URL ± `.git` and
 * subdirectory, same local path or tarball URL) is merged with the earlier
 * ones and re-pinned, so hub version ranges from all requirers intersect.
 * Each pinned package is fetched once and its own packages.yml is read for
 * the next level. Returns one fetched package per distinct package, in
 * discovery order.
 */
export async function resolvePackages(
  rootSpecs: readonly PackageSpec[],
  deps: { fetcher: PackageFetcher; hub: HubClient; projectDir: string; rootProjectName: string },
): Promise<FetchedPackage[]> {
  const requests = new Map<string, PackageSpec[]>();
  const expanded = new Set<string>();
  let pending: readonly PackageSpec[] = rootSpecs;
  while (pending.length > 0) {
    const next: PackageSpec[] = [];
    for (const spec of pending) {
      const key = keyOf(spec, deps.projectDir);
      const merged = [...(requests.get(key) ?? []), spec];
      requests.set(key, merged);
      const pinned = await pin(merged, deps.hub);
      // Expanding each pinned package once also ends dependency cycles.
      if (expanded.has(pinnedId(pinned))) continue;
      expanded.add(pinnedId(pinned));
      next.push(...(await deps.fetcher.fetch(pinned)).dependencies);
    }
    pending = next;
  }

  const fetched: FetchedPackage[] = [];
  for (const specs of requests.values()) fetched.push(await deps.fetcher.fetch(await pin(specs, deps.hub)));
  checkProjectNames(fetched, deps.rootProjectName);
  return fetched;
}

/** dbt's identity of a package request, used to merge requests for the same package. */
function keyOf(spec: PackageSpec, projectDir: string): string {
  switch (spec.kind) {
    case 'local':
      return `local:${path.resolve(projectDir, spec.local)}`;
    case 'tarball':
      return `tarball:${spec.tarball}`;
    case 'hub':
      return `hub:${spec.package}`;
    case 'git': {
      const url = spec.git.endsWith('.git') ? spec.git.slice(0, -4) : spec.git;
      return `git:${url}${spec.subdirectory ? `/${spec.subdirectory}` : ''}`;
    }
  }
}

/** Decide the exact version for all requests of one package (all of the same kind by construction of the key). */
export async function pin(specs: readonly PackageSpec[], hub: HubClient): Promise<PinnedPackage> {
  const first = specs[0]!;
  const where = { requiredBy: first.requiredBy, file: first.file, line: first.line };
  switch (first.kind) {
    case 'local':
      return { ...where, kind: 'local', local: first.local };
    case 'tarball':
      return { ...where, kind: 'tarball', tarball: first.tarball, tarballUnrendered: first.tarballUnrendered, name: first.name };
    case 'git':
      return pinGit(specs as GitSpec[]);
    case 'hub':
      return pinHub(specs as HubSpec[], hub);
  }
}

function pinGit(specs: readonly GitSpec[]): PinnedPackage {
  const first = specs[0]!;
  const withRevision = specs.filter((s) => s.revision !== undefined);
  const revisions = [...new Set(withRevision.map((s) => s.revision!))];
  if (revisions.length > 1) {
    const who = withRevision.map((s) => `"${s.revision}" (required by ${s.requiredBy})`).join(', ');
    const last = withRevision[withRevision.length - 1]!;
    throw new TsdbtError('PACKAGE_ERROR', `git dependencies should contain exactly one version. ${describeSpec(first)} contains: ${who}`, {
      file: last.file,
      line: last.line,
      hint: 'Request the same revision of this repository everywhere it is listed.',
    });
  }
  return {
    kind: 'git',
    requiredBy: first.requiredBy,
    file: first.file,
    line: first.line,
    git: first.git,
    gitUnrendered: first.gitUnrendered,
    revision: revisions[0] ?? 'HEAD',
    warnUnpinned: specs.every((s) => s.warnUnpinned !== false),
    subdirectory: first.subdirectory,
  };
}

async function pinHub(specs: readonly HubSpec[], hub: HubClient): Promise<PinnedPackage> {
  const first = specs[0]!;
  const requirements = specs.flatMap((s) => s.versions.map((spec) => ({ spec, requiredBy: s.requiredBy, file: s.file, line: s.line })));
  const interval = reduceRequirements(first.package, requirements);
  const info = await hub.getPackage(first.package, { file: first.file, line: first.line });
  const { versions, hidden } = hub.compatibleVersions(info);
  const { version, latest } = pickVersion(first.package, interval, versions, first.installPrerelease, {
    file: first.file,
    line: first.line,
    note: hidden > 0 ? `\n  Not shown: ${hidden} version(s) whose require-dbt-version excludes dbt ${hub.dbtVersion}` : undefined,
  });
  return { kind: 'hub', requiredBy: first.requiredBy, file: first.file, line: first.line, package: first.package, version, latest };
}

/** dbt's rules: no two packages with one project name, none named like the root project. */
export function checkProjectNames(fetched: readonly FetchedPackage[], rootName: string): void {
  const seen = new Map<string, FetchedPackage>();
  for (const f of fetched) {
    if (f.name === rootName) {
      throw new TsdbtError(
        'PACKAGE_ERROR',
        `Found a dependency with the same name as the root project "${rootName}". Package names must be unique in a project.`,
        { file: f.pinned.file, line: f.pinned.line, hint: 'Rename the root project or stop depending on the package of the same name.' },
      );
    }
    const other = seen.get(f.name);
    if (other) {
      throw new TsdbtError(
        'PACKAGE_ERROR',
        `Found duplicate project "${f.name}": it is installed by two different dependencies (required by ${other.pinned.requiredBy} and ${f.pinned.requiredBy}).`,
        { file: f.pinned.file, line: f.pinned.line, hint: 'Remove one of the two entries, or make them point at the same source.' },
      );
    }
    seen.set(f.name, f);
  }
}
