import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProjectConfig, type ProjectConfig, type YamlValueRenderer } from './project-config.js';
import { inputExists, listInput } from '../util/input-log.js';
import { pathUnder } from '../util/files.js';

/** A package taking part in a parse: the root project, installed packages, or an internal one. */
export interface LoadedPackage {
  config: ProjectConfig;
  kind: 'root' | 'dependency' | 'internal';
}

/** Each package's root folder by package name (nodes do not carry it: manifest v12 has root_path on seeds only). */
export function packageRoots(packages: readonly LoadedPackage[]): ReadonlyMap<string, string> {
  return new Map(packages.map((p) => [p.config.name, p.config.root]));
}

/** The folder holding tsdbt's built-in macro projects (src/include), from src/ or dist/. */
export function includeDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'src', 'include');
    if (existsSync(join(candidate, 'global', 'dbt_project.yml'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('tsdbt: cannot find its built-in macros (src/include); the installation is incomplete');
}

/**
 * The root project, every package under its packages-install-path, and the
 * internal packages (`dbt`, then `dbt_<adapter>`), each with its config.
 */
export function loadPackages(root: ProjectConfig, adapterType: string, render: YamlValueRenderer): LoadedPackage[] {
  const out: LoadedPackage[] = [{ config: root, kind: 'root' }];
  const installDir = pathUnder(root.root, root.packagesInstallPath);
  if (inputExists(installDir)) {
    for (const entry of listInput(installDir).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      const dir = join(installDir, entry.name);
      if (!inputExists(join(dir, 'dbt_project.yml'))) continue;
      out.push({ config: loadProjectConfig(dir, render, `${root.packagesInstallPath}/${entry.name}/dbt_project.yml`), kind: 'dependency' });
    }
  }
  const include = includeDir();
  for (const name of [`${adapterType}`, 'global']) {
    const dir = join(include, name);
    if (existsSync(join(dir, 'dbt_project.yml'))) out.push({ config: loadProjectConfig(dir, render, `(tsdbt)/${name}/dbt_project.yml`), kind: 'internal' });
  }
  return out;
}
