import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml } from '../util/yaml.js';

/** The little deps needs from a dbt_project.yml: the project name and where packages go. */
export interface ProjectInfo {
  name: string;
  /** `packages-install-path`, default `dbt_packages` (relative to the project). */
  packagesInstallPath: string;
}

/**
 * Read `dbt_project.yml` in `dir`. `source` describes where the directory came
 * from (a git URL, a tarball URL...) for the "not a dbt package" error, and
 * `label` is how the file is named in errors.
 */
export function readProjectInfo(dir: string, source: string, label = 'dbt_project.yml'): ProjectInfo {
  const file = path.join(dir, 'dbt_project.yml');
  if (!existsSync(file)) {
    throw new TsdbtError('PACKAGE_ERROR', `${source} is not a dbt package: it has no dbt_project.yml`, {
      hint: 'Point the entry at a directory (or subdirectory:) that contains a dbt_project.yml with a name:.',
    });
  }
  const y = parseYaml(readFileSync(file, 'utf8'), label);
  const doc = y.value;
  const name = isRecord(doc) ? doc.name : undefined;
  if (typeof name !== 'string' || name === '') {
    throw new TsdbtError('PACKAGE_ERROR', `${source} has no project name: dbt_project.yml must set name:`, {
      file: label,
      line: isRecord(doc) ? (y.keyLine(doc, 'name') ?? 1) : 1,
      hint: 'Add `name: my_package` to the dbt_project.yml.',
    });
  }
  const installPath = isRecord(doc) ? doc['packages-install-path'] : undefined;
  return { name, packagesInstallPath: typeof installPath === 'string' && installPath ? installPath : 'dbt_packages' };
}
