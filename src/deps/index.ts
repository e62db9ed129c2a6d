/**
 * `tsdbt deps`: install the packages a project declares, as `dbt deps` does.
 *
 * 1. Read packages.yml (or the `packages:` of dependencies.yml), rendering
 *    `{{ env_var(...) }}` in its values.
 * 2. If package-lock.yml exists and its `sha1_hash` matches the declared
 *    packages (and not `upgrade`), install exactly what it lists; otherwise resolve (hub version
 *    ranges intersected across transitive requirers, git revisions turned
 *    into commit SHAs) and write a new package-lock.yml.
 * 3. Unless `lockOnly`, replace `dbt_packages/` (or `packages-install-path`)
 *    with the resolved packages, atomically, each in a directory named after
 *    its dbt_project.yml `name:`.
 *
 * Every user-fixable failure is a TsdbtError with code PACKAGE_ERROR (or
 * ENV_VAR_MISSING / YAML_SYNTAX for the packages file itself). Secrets
 * (`DBT_ENV_SECRET_*` values) never reach the log, errors or the lock.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { addPackage, type AddPackageSource } from './add-package.js';
import { envVarRenderer } from './env-var-renderer.js';
import { DEFAULT_HUB_URL, HubClient } from './hub-client.js';
import { installPackages } from './installer.js';
import { LOCK_FILE, readLock, writeLock } from './lock-file.js';
import { PackageFetcher, type FetchedPackage } from './package-fetcher.js';
import { readProjectInfo } from './package-project.js';
import { readPackagesFile } from './packages-file.js';
import { describeSpec, type PackageSpec } from './package-spec.js';
import { checkProjectNames, pin, resolvePackages } from './resolver.js';
import { scrubSecrets } from './secrets.js';
import { packagesSha1 } from './spec-hash.js';

export interface DepsOptions {
  /** The root project directory (holds dbt_project.yml and packages.yml). */
  projectDir: string;
  /** Package hub root; default `DBT_PACKAGE_HUB_URL` or https://hub.getdbt.com/ (`api/v1/...` is appended). */
  hubUrl?: string;
  /** Only (re)write package-lock.yml, install nothing (`tsdbt deps --lock`). */
  lockOnly?: boolean;
  /** Resolve again and rewrite package-lock.yml even when it matches the packages declared: the newest versions their ranges allow (`tsdbt deps --upgrade`). */
  upgrade?: boolean;
  /** Renders one string value of packages.yml; default understands `{{ env_var('X'[, 'default']) }}`. */
  render?: (text: string) => string;
  /** Progress lines, already scrubbed of secrets. */
  log?: (line: string) => void;
  /** dbt version to check hub packages' `require-dbt-version` against; unset: no check (`--no-version-check`). */
  dbtVersion?: string;
  /** `--add-package owner/name@version`: add this entry to packages.yml before installing. */
  addPackage?: string;
  /** `--source` for addPackage: hub (default), git (version = revision) or local. */
  addPackageSource?: AddPackageSource;
}

export interface InstalledPackage {
  /** Project name = directory name under dbt_packages. */
  name: string;
  source: 'local' | 'git' | 'tarball' | 'hub';
  /** Hub packages: the exact version installed. */
  version?: string;
  /** Git packages: the commit SHA installed. */
  revision?: string;
  /** Absolute path of the installed package (with lockOnly: where it would be installed). */
  path: string;
}

export async function installDeps(opts: DepsOptions): Promise<InstalledPackage[]> {
  try {
    return await runDeps(opts);
  } catch (e) {
    // Safety net: whatever a message quotes (a rendered URL or path), no secret value leaves deps.
    if (e instanceof TsdbtError) {
      e.message = scrubSecrets(e.message);
      if (e.hint) e.hint = scrubSecrets(e.hint);
    }
    throw e;
  }
}

async function runDeps(opts: DepsOptions): Promise<InstalledPackage[]> {
  const projectDir = path.resolve(opts.projectDir);
  const log = (line: string) => opts.log?.(scrubSecrets(line));
  const render = opts.render ?? envVarRenderer();
  if (!existsSync(path.join(projectDir, 'dbt_project.yml'))) {
    throw new TsdbtError('PROJECT_NOT_FOUND', `No dbt_project.yml found in ${projectDir}`, {
      hint: 'Run deps from a dbt project directory, or pass its path as projectDir (--project-dir).',
    });
  }
  const root = readProjectInfo(projectDir, `The project at ${projectDir}`);
  if (opts.addPackage !== undefined) {
    const file = addPackage(projectDir, opts.addPackage, opts.addPackageSource);
    log(`Added ${opts.addPackage} to ${path.basename(file)}`);
  }
  const installDir = path.resolve(projectDir, root.packagesInstallPath);
  const declared = readPackagesFile(projectDir, { render });
  const hash = packagesSha1(declared.specs);
  const lock = readLock(projectDir, render);
  const lockMatches = lock !== undefined && lock.sha1Hash === hash && !opts.upgrade;

  if (declared.specs.length === 0) {
    log(`Warning: No packages were found in ${declared.file ?? 'packages.yml'}`);
    if (!opts.lockOnly) installPackages([], installDir);
    return [];
  }
  if (opts.lockOnly && lockMatches) {
    log(`${LOCK_FILE} is up to date with ${declared.file}`);
    return lock.specs.map((spec) => fromLockEntry(spec, installDir));
  }

  const downloadsDir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-deps-'));
  try {
    const hub = new HubClient(opts.hubUrl ?? process.env.DBT_PACKAGE_HUB_URL ?? DEFAULT_HUB_URL, opts.dbtVersion);
    const fetcher = new PackageFetcher({ projectDir, downloadsDir, installPathLabel: root.packagesInstallPath, hub, render, log });
    let fetched: FetchedPackage[];
    if (lockMatches) {
      log(`Installing the packages pinned in ${LOCK_FILE}`);
      fetched = [];
      for (const spec of lock.specs) fetched.push(await fetcher.fetch(await pin([spec], hub)));
      checkProjectNames(fetched, root.name);
    } else {
      fetched = await resolvePackages(declared.specs, { fetcher, hub, projectDir, rootProjectName: root.name });
      const file = writeLock(projectDir, fetched, hash);
      log(`Updated lock file in file path: ${file}`);
    }
    const installed = fetched.map((f) => toInstalled(f, installDir));
    if (opts.lockOnly) return installed;

    installPackages(fetched, installDir);
    for (const f of fetched) {
      log(`Installed ${f.name} from ${versionName(f)}`);
      if (f.pinned.kind === 'hub' && f.pinned.latest !== f.pinned.version) {
        log(`  Updated version available for ${f.pinned.package}: ${f.pinned.latest}`);
      }
    }
    return installed;
  } finally {
    rmSync(downloadsDir, { recursive: true, force: true });
  }
}

function toInstalled(f: FetchedPackage, installDir: string): InstalledPackage {
  const out: InstalledPackage = { name: f.name, source: f.pinned.kind, path: path.join(installDir, f.name) };
  if (f.pinned.kind === 'hub') out.version = f.pinned.version;
  if (f.pinned.kind === 'git') out.revision = f.sha;
  return out;
}

/** What a lock entry says would be installed, without fetching anything (name falls back to the source). */
function fromLockEntry(spec: PackageSpec, installDir: string): InstalledPackage {
  const name = spec.name ?? describeSpec(spec);
  const out: InstalledPackage = { name, source: spec.kind, path: path.join(installDir, name) };
  if (spec.kind === 'hub') out.version = spec.versions[0];
  if (spec.kind === 'git') out.revision = spec.revision;
  return out;
}

function versionName(f: FetchedPackage): string {
  const p = f.pinned;
  switch (p.kind) {
    case 'hub':
      return `${p.package} version ${p.version}`;
    case 'git':
      return `${p.gitUnrendered}${p.subdirectory ? ` (subdirectory ${p.subdirectory})` : ''} revision ${f.sha}`;
    case 'local':
      return `<local @ ${p.local}>`;
    case 'tarball':
      return `tarball (url: ${p.tarballUnrendered})`;
  }
}

export { addPackage, type AddPackageSource } from './add-package.js';
export { envVarRenderer } from './env-var-renderer.js';
export { packagesSha1 } from './spec-hash.js';
export { scrubSecrets } from './secrets.js';
