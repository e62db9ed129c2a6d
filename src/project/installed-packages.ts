import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml, type ParsedYaml } from '../util/yaml.js';
import { inputExists, listInput, readInput } from '../util/input-log.js';
import type { ProjectConfig } from './project-config.js';
import { pathUnder } from '../util/files.js';

/**
 * dbt's UninstalledPackagesFoundError: packages.yml (or dependencies.yml)
 * declares more packages than there are folders under packages-install-path.
 * Nothing runs then, so a missing package's models and on-run-start/end
 * hooks are never silently left out. A file that does not parse is left to
 * `deps` to report.
 */
export function checkPackagesInstalled(root: ProjectConfig): void {
  for (const file of ['packages.yml', 'dependencies.yml']) {
    const full = join(root.root, file);
    if (!inputExists(full)) continue;
    let y: ParsedYaml;
    try {
      y = parseYaml(readInput(full), file);
    } catch {
      return;
    }
    const list = isRecord(y.value) ? y.value.packages : undefined;
    if (!Array.isArray(list)) continue;
    const installDir = pathUnder(root.root, root.packagesInstallPath);
    const installed = inputExists(installDir) ? listInput(installDir).filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('__')).length : 0;
    if (list.length > installed) {
      throw new TsdbtError(
        'PACKAGE_ERROR',
        `dbt found ${list.length} package(s) specified in ${file}, but only ${installed} package(s) installed in ${root.packagesInstallPath}. Run "dbt deps" to install package dependencies.`,
        { file, line: y.keyLine(y.value, 'packages'), hint: 'Run `tsdbt deps` to install the packages.' },
      );
    }
    return;
  }
}
