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
  let semver: typeof import('semver') | undefined;
  for (const range of ranges) {
    const normalised = range.replace(/\s+/g, ' ').trim().split(' ').map(semverSpec).join(' ');
    const simple = satisfiesPlain(normalised);
    if (simple === true) continue;
    // Loaded only for a range beyond plain comparators (~15 ms to load; most packages write `>=1.3.0 <2.0.0`).
    semver ??= createRequire(import.meta.url)('semver') as typeof import('semver');
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

/** `>=1.3.0`, `<2.0.0`, `1.10.15`: a comparator on a plain version, as `semver` reads one. */
const PLAIN_COMPARATOR = /^(>=|<=|>|<|=)?(\d+)\.(\d+)\.(\d+)$/;

/**
 * Whether DBT_VERSION satisfies `range` (comparators separated by spaces,
 * all of which must hold) when every comparator is a plain one; undefined
 * when one is not (`semver` decides: `^1.2`, `1.x`, `||`, pre-releases). For
 * a release version and plain comparators this is exactly semver's answer.
 */
function satisfiesPlain(range: string): boolean | undefined {
  const own = PLAIN_COMPARATOR.exec(DBT_VERSION);
  if (!own || own[1] !== undefined || range === '') return undefined;
  let all = true;
  for (const part of range.split(' ')) {
    const m = PLAIN_COMPARATOR.exec(part);
    if (!m) return undefined;
    const order = compareVersions([+own[2]!, +own[3]!, +own[4]!], [+m[2]!, +m[3]!, +m[4]!]);
    const op = m[1] ?? '=';
    const holds = op === '>=' ? order >= 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : op === '<' ? order < 0 : order === 0;
    all &&= holds;
  }
  return all;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
