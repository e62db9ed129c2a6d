import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import path from 'node:path';
import { stringify } from 'yaml';
import { isRecord } from '../util/yaml.js';
import type { PackagesRenderer } from './env-var-renderer.js';
import type { FetchedPackage } from './package-fetcher.js';
import type { PackageSpec } from './package-spec.js';
import { parsePackagesYaml, parseSpecList } from './packages-file.js';
import { scrubSecrets } from './secrets.js';

export const LOCK_FILE = 'package-lock.yml';

/** package-lock.yml as read back: the pinned entries and the hash of the packages.yml they came from. */
export interface PackageLock {
  sha1Hash?: string;
  /** Entries with exact versions (hub), commit SHAs (git), local paths and tarball URLs. */
  specs: PackageSpec[];
}

/** Read `package-lock.yml` from the project, or undefined when there is none. */
export function readLock(projectDir: string, render: PackagesRenderer): PackageLock | undefined {
  const file = path.join(projectDir, LOCK_FILE);
  if (!existsSync(file)) return undefined;
  const y = parsePackagesYaml(readFileSync(file, 'utf8'), LOCK_FILE);
  if (y.value === null) return { specs: [] };
  const hash = isRecord(y.value) ? y.value.sha1_hash : undefined;
  return {
    sha1Hash: typeof hash === 'string' ? hash : undefined,
    specs: parseSpecList(y, { render, requiredBy: LOCK_FILE }),
  };
}

/**
 * The lock entry for one resolved package, in dbt's shape: hub → package +
 * version, git → unrendered URL + commit SHA (+ subdirectory), local → path,
 * tarball → unrendered URL; each with the installed project `name`. URLs are
 * written unrendered and scrubbed so a token from env_var() never lands here.
 */
export function lockEntry(f: FetchedPackage): Record<string, unknown> {
  const p = f.pinned;
  switch (p.kind) {
    case 'hub':
      return { name: f.name, package: p.package, version: p.version };
    case 'git': {
      const entry: Record<string, unknown> = { git: scrubSecrets(p.gitUnrendered), name: f.name, revision: f.sha ?? p.revision };
      if (p.subdirectory) entry.subdirectory = p.subdirectory;
      return entry;
    }
    case 'local':
      return { local: p.local, name: f.name };
    case 'tarball':
      return { name: f.name, tarball: scrubSecrets(p.tarballUnrendered) };
  }
}

/** Write package-lock.yml (keys sorted, as dbt's YAML dumper does), replacing any previous one atomically. */
export function writeLock(projectDir: string, fetched: readonly FetchedPackage[], sha1Hash: string): string {
  const file = path.join(projectDir, LOCK_FILE);
  const text = stringify(
    { packages: fetched.map(lockEntry), sha1_hash: sha1Hash },
    { sortMapEntries: true, lineWidth: 0, singleQuote: true, indentSeq: true },
  );
  writeFileAtomic(file, text, 'the package lock');
  return file;
}
