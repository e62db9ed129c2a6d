import semver from 'semver';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { semverSpec } from '../util/version-spec.js';

/**
 * dbt's version specifiers for hub packages: an optional matcher
 * (`>=`, `<=`, `>`, `<`, `=`) and a version (`1.2.3`, `1.2`, `1.2.3-rc1`,
 * `1.2.3rc1`).
 * Every specifier requested for one package, by the root project or by any
 * installed package, is intersected into one interval; the newest available
 * version inside it wins.
 */
export interface VersionRequirement {
  /** The specifier as written, e.g. `>=1.0.0`. */
  spec: string;
  /** Who asked: `packages.yml` or a package's name. */
  requiredBy: string;
  file?: string;
  line?: number;
}

interface Bound {
  version: string;
  inclusive: boolean;
  from: VersionRequirement;
}

/** The intersection of a package's requirements; an absent bound is unbounded. */
export interface VersionInterval {
  lower?: Bound;
  upper?: Bound;
  /** True if any specifier itself names a pre-release (then pre-releases may be picked). */
  mentionsPrerelease: boolean;
}

const SPEC = /^\s*(>=|<=|>|<|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/;

function parseSpec(pkg: string, req: VersionRequirement): { op: string; version: string } {
  const m = SPEC.exec(semverSpec(req.spec));
  if (!m) {
    throw new TsdbtError('PACKAGE_ERROR', `Invalid version "${req.spec}" for package ${pkg}`, {
      file: req.file,
      line: req.line,
      hint: 'Use a version such as "1.2.3", or a range such as [">=1.0.0", "<2.0.0"].',
    });
  }
  const version = `${m[2]}.${m[3] ?? '0'}.${m[4] ?? '0'}${m[5] ?? ''}`;
  return { op: m[1] ?? '=', version };
}

/** Intersect the requirements; throws PACKAGE_ERROR naming both requirers when they cannot all hold. */
export function reduceRequirements(pkg: string, reqs: readonly VersionRequirement[]): VersionInterval {
  const interval: VersionInterval = { mentionsPrerelease: false };
  const tighterLower = (b: Bound, cur?: Bound) => {
    if (!cur) return true;
    const c = semver.compare(b.version, cur.version);
    return c > 0 || (c === 0 && !b.inclusive && cur.inclusive);
  };
  const tighterUpper = (b: Bound, cur?: Bound) => {
    if (!cur) return true;
    const c = semver.compare(b.version, cur.version);
    return c < 0 || (c === 0 && !b.inclusive && cur.inclusive);
  };
  for (const req of reqs) {
    const { op, version } = parseSpec(pkg, req);
    if (semver.prerelease(version)) interval.mentionsPrerelease = true;
    if (op === '=' || op === '>=' || op === '>') {
      const b = { version, inclusive: op !== '>', from: req };
      if (tighterLower(b, interval.lower)) interval.lower = b;
    }
    if (op === '=' || op === '<=' || op === '<') {
      const b = { version, inclusive: op !== '<', from: req };
      if (tighterUpper(b, interval.upper)) interval.upper = b;
    }
    const { lower, upper } = interval;
    if (lower && upper) {
      const c = semver.compare(lower.version, upper.version);
      if (c > 0 || (c === 0 && !(lower.inclusive && upper.inclusive))) {
        const [a, b] = lower.from === req ? [upper.from, lower.from] : [lower.from, upper.from];
        throw new TsdbtError(
          'PACKAGE_ERROR',
          `Version ranges for package ${pkg} conflict: "${a.spec}" required by ${a.requiredBy} and "${b.spec}" required by ${b.requiredBy} cannot both be satisfied`,
          {
            file: b.file ?? a.file,
            line: b.file ? b.line : a.line,
            hint: `Change the version of ${pkg} requested in ${a.requiredBy} or ${b.requiredBy} so that the ranges overlap (or pin a version of the requiring package that agrees).`,
          },
        );
      }
    }
  }
  return interval;
}

/** `>=1.0.0, <2.0.0` style rendering of an interval, for messages. */
export function describeInterval(interval: VersionInterval): string {
  const { lower, upper } = interval;
  if (lower && upper && lower.version === upper.version && lower.inclusive && upper.inclusive) return `=${lower.version}`;
  const parts: string[] = [];
  if (lower) parts.push(`${lower.inclusive ? '>=' : '>'}${lower.version}`);
  if (upper) parts.push(`${upper.inclusive ? '<=' : '<'}${upper.version}`);
  return parts.length ? parts.join(', ') : 'any version';
}

export function satisfies(version: string, interval: VersionInterval): boolean {
  const { lower, upper } = interval;
  if (lower) {
    const c = semver.compare(version, lower.version);
    if (c < 0 || (c === 0 && !lower.inclusive)) return false;
  }
  if (upper) {
    const c = semver.compare(version, upper.version);
    if (c > 0 || (c === 0 && !upper.inclusive)) return false;
  }
  return true;
}

/** Available versions that may be installed at all, oldest first (pre-releases only when allowed). */
export function installableVersions(available: readonly string[], allowPrerelease: boolean): string[] {
  return available
    .filter((v) => semver.valid(v) !== null)
    .filter((v) => allowPrerelease || semver.prerelease(v) === null)
    .sort(semver.compare);
}

/**
 * The newest version of `pkg` inside `interval`. Pre-releases are excluded
 * unless `installPrerelease` is set or a specifier names a pre-release.
 * Throws PACKAGE_ERROR listing the available versions when none fits.
 */
export function pickVersion(
  pkg: string,
  interval: VersionInterval,
  available: readonly string[],
  installPrerelease: boolean,
  where: { file?: string; line?: number; note?: string } = {},
): { version: string; latest: string } {
  const installable = installableVersions(available, installPrerelease || interval.mentionsPrerelease);
  const matching = installable.filter((v) => satisfies(v, interval));
  const picked = matching[matching.length - 1];
  if (picked === undefined) {
    throw new TsdbtError(
      'PACKAGE_ERROR',
      `Could not find a matching version for package ${pkg}\n  Requested range: ${describeInterval(interval)}\n  Available versions: ${installable.join(', ') || '(none)'}${where.note ?? ''}`,
      {
        file: where.file,
        line: where.line,
        hint: installable.length
          ? `Change the version of ${pkg} to a range that includes one of the available versions, e.g. version: "${installable[installable.length - 1]}".`
          : `${pkg} has no installable versions; set install-prerelease: true to allow pre-releases.`,
      },
    );
  }
  return { version: picked, latest: installable[installable.length - 1]! };
}
