import { TsdbtError } from '../errors/tsdbt-error.js';
import { httpGet } from './http-get.js';
import { scrubSecrets } from './secrets.js';
import { reduceRequirements, satisfies } from './version-range.js';

export const DEFAULT_HUB_URL = 'https://hub.getdbt.com/';

/** One version of a hub package, as `api/v1/<owner>/<name>.json` lists it (only the fields deps uses). */
export interface HubVersion {
  name?: string;
  version?: string;
  downloads: { tarball: string };
  packages?: unknown[];
  require_dbt_version?: string | string[];
}

export interface HubPackageInfo {
  /** `owner/name` as requested. */
  package: string;
  versions: Record<string, HubVersion>;
}

/**
 * Reads package metadata from the dbt package hub's JSON API. `baseUrl` is the
 * hub root (as `DBT_PACKAGE_HUB_URL` is for dbt); `api/v1/<owner>/<name>.json`
 * is appended. Each package is fetched once per client.
 */
export class HubClient {
  private readonly baseUrl: string;
  private readonly cache = new Map<string, Promise<HubPackageInfo>>();

  /**
   * @param dbtVersion when set, versions whose `require_dbt_version` excludes
   *   it are not offered (dbt's default version check); unset offers all.
   */
  constructor(
    baseUrl: string = DEFAULT_HUB_URL,
    readonly dbtVersion?: string,
  ) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  /** The versions of a package that may be installed with `dbtVersion`, and how many were hidden. */
  compatibleVersions(info: HubPackageInfo): { versions: string[]; hidden: number } {
    const all = Object.keys(info.versions);
    if (this.dbtVersion === undefined) return { versions: all, hidden: 0 };
    const versions = all.filter((v) => isCompatible(info.versions[v]?.require_dbt_version, this.dbtVersion!));
    return { versions, hidden: all.length - versions.length };
  }

  packageUrl(pkg: string): string {
    return `${this.baseUrl}api/v1/${pkg}.json`;
  }

  /** Metadata for every version of `pkg`; PACKAGE_ERROR naming the package when the hub does not know it. */
  getPackage(pkg: string, where: { file?: string; line?: number } = {}): Promise<HubPackageInfo> {
    let p = this.cache.get(pkg);
    if (!p) {
      p = this.load(pkg, where);
      this.cache.set(pkg, p);
    }
    return p;
  }

  private async load(pkg: string, where: { file?: string; line?: number }): Promise<HubPackageInfo> {
    const url = this.packageUrl(pkg);
    const res = await httpGet(url, `hub metadata for ${pkg}`).catch((e: unknown) => {
      throw e instanceof TsdbtError ? e.withLocation(where) : e;
    });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new TsdbtError('PACKAGE_ERROR', `Package ${pkg} was not found in the package index (${scrubSecrets(url)} returned 404)`, {
        ...where,
        hint: `Check the owner/name spelling of "${pkg}" on hub.getdbt.com, or install it with a git: entry instead.`,
      });
    }
    const text = await res.text();
    if (!res.ok) {
      throw new TsdbtError('PACKAGE_ERROR', `The package hub answered HTTP ${res.status} for ${pkg} (${scrubSecrets(url)})`, {
        ...where,
        hint: 'The hub may be down; try again later, or set DBT_PACKAGE_HUB_URL to a reachable mirror.',
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const versions = (body as { versions?: unknown } | undefined)?.versions;
    if (versions === null || typeof versions !== 'object' || Array.isArray(versions)) {
      throw new TsdbtError('PACKAGE_ERROR', `The package hub returned malformed metadata for ${pkg} (${scrubSecrets(url)}): expected an object with "versions"`, {
        ...where,
        hint: 'Check that DBT_PACKAGE_HUB_URL points at a dbt package hub (its root, without api/v1).',
      });
    }
    return { package: pkg, versions: versions as Record<string, HubVersion> };
  }
}

/** Whether `dbtVersion` meets a hub version's `require_dbt_version` (absent or unreadable means yes, as in dbt). */
export function isCompatible(required: string | string[] | undefined, dbtVersion: string): boolean {
  const specs = (Array.isArray(required) ? required : required ? [required] : []).map(String);
  if (specs.length === 0) return true;
  try {
    const interval = reduceRequirements('dbt', specs.map((spec) => ({ spec, requiredBy: 'require-dbt-version' })));
    return satisfies(dbtVersion, interval);
  } catch {
    return true;
  }
}

/** The tarball URL of one version, or PACKAGE_ERROR when the hub entry lacks it. */
export function tarballUrlOf(info: HubPackageInfo, version: string): string {
  const url = info.versions[version]?.downloads?.tarball;
  if (typeof url !== 'string' || url === '') {
    throw new TsdbtError('PACKAGE_ERROR', `The package hub lists no downloads.tarball for ${info.package}@${version}`, {
      hint: 'Pick another version of the package, or install it with a git: entry.',
    });
  }
  return url;
}
