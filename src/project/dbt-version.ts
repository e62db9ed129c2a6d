import { createRequire } from 'node:module';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
import { semverSpec } from '../util/version-spec.js';

export { DBT_VERSION };

/**
 * `require-dbt-version` of a project or package, checked against DBT_VERSION
 * as dbt checks it: every range must match. A pre-release may follow the
 * patch without a dash (`>=1.6.0rc2`), as dbt's semver allows.
 */
export function checkRequiredDbtVersion(projectName: string, ranges: readonly string[], file: string, line?: number): void {
  if (ranges.length === 0) return;
  // Loaded only when a project pins dbt versions: most runs never need it (~15 ms to load).
  const semver = createRequire(import.meta.url)('semver') as typeof import('semver');
  for (const range of ranges) {
    const normalised = range.replace(/\s+/g, ' ').trim().split(' ').map(semverSpec).join(' ');
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
