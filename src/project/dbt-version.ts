/**
 * The dbt-core version tsdbt reports (`dbt_version` in templates, artifacts,
 * and `require-dbt-version` checks). Packages pin ranges against it, so it
 * tracks the dbt release whose behaviour tsdbt follows.
 */
export const DBT_VERSION = '1.10.15';

import semver from 'semver';
import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * `require-dbt-version` of a project or package, checked against DBT_VERSION
 * as dbt checks it: every range must match.
 */
export function checkRequiredDbtVersion(projectName: string, ranges: readonly string[], file: string, line?: number): void {
  for (const range of ranges) {
    const normalised = range.replace(/\s+/g, ' ').trim();
    if (!semver.validRange(normalised)) {
      throw new TsdbtError('PROJECT_INVALID', `require-dbt-version of '${projectName}' is not a version range: '${range}'`, { file, line, hint: 'Write e.g. [">=1.3.0", "<2.0.0"].' });
    }
    if (!semver.satisfies(DBT_VERSION, normalised, { includePrerelease: true })) {
      throw new TsdbtError('PROJECT_INVALID', `'${projectName}' requires dbt ${ranges.join(', ')}, but tsdbt follows dbt ${DBT_VERSION}`, {
        file,
        line,
        hint: 'Install a version of the package that supports this dbt version, or relax require-dbt-version.',
      });
    }
  }
}
