import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError, TsdbtErrorList, isTsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml, type ParsedYaml } from '../util/yaml.js';
import { hasJinja, type PackagesRenderer } from './env-var-renderer.js';
import { ALLOWED_KEYS, type PackageSpec } from './package-spec.js';

/** What a project (root or installed package) declares as its dependencies. */
export interface PackagesFile {
  /** `packages.yml` or `dependencies.yml` (label as given by the caller), or undefined when neither exists. */
  file?: string;
  specs: PackageSpec[];
}

export interface ReadPackagesOptions {
  render: PackagesRenderer;
  /** How to name files in errors: the project's path relative to the root project ('' for the root). */
  labelPrefix?: string;
  /** Recorded on each spec as `requiredBy`; defaults to the file's label (e.g. `packages.yml`). */
  requiredBy?: string;
}

/**
 * Read `packages.yml` or `dependencies.yml` from `projectDir`, as dbt does:
 * only the `packages:` key of dependencies.yml matters, and declaring
 * packages in both files is an error.
 */
export function readPackagesFile(projectDir: string, opts: ReadPackagesOptions): PackagesFile {
  const label = (name: string) => (opts.labelPrefix ? `${opts.labelPrefix}/${name}` : name);
  const load = (name: string): ParsedYaml | undefined => {
    const full = path.join(projectDir, name);
    if (!existsSync(full)) return undefined;
    return parsePackagesYaml(readFileSync(full, 'utf8'), label(name));
  };
  const packagesYml = load('packages.yml');
  const dependenciesYml = load('dependencies.yml');
  const hasKey = (y: ParsedYaml | undefined) => y !== undefined && isRecord(y.value) && 'packages' in y.value;

  if (hasKey(packagesYml) && hasKey(dependenciesYml)) {
    throw new TsdbtError(
      'PACKAGE_ERROR',
      "The 'packages' key cannot be specified in both packages.yml and dependencies.yml",
      {
        file: label('dependencies.yml'),
        line: dependenciesYml!.keyLine(dependenciesYml!.value, 'packages'),
        hint: 'Move every package into one of the two files and delete the other list.',
      },
    );
  }
  if (packagesYml && isRecord(packagesYml.value) && 'projects' in packagesYml.value) {
    throw new TsdbtError('PACKAGE_ERROR', "The 'projects' key cannot be specified in packages.yml", {
      file: packagesYml.file,
      line: packagesYml.keyLine(packagesYml.value, 'projects'),
      hint: "Declare 'projects' in dependencies.yml instead.",
    });
  }
  if (hasKey(dependenciesYml)) {
    const y = dependenciesYml!;
    return { file: y.file, specs: parseSpecList(y, { ...opts, requiredBy: opts.requiredBy ?? y.file }) };
  }
  if (packagesYml) {
    // An empty packages.yml declares nothing; any other shape must have a `packages:` list.
    if (packagesYml.value === null) return { file: packagesYml.file, specs: [] };
    return { file: packagesYml.file, specs: parseSpecList(packagesYml, { ...opts, requiredBy: opts.requiredBy ?? packagesYml.file }) };
  }
  return { specs: [] };
}

/** parseYaml, with syntax errors reported as PACKAGE_ERROR (file:line kept) like every other deps failure. */
export function parsePackagesYaml(text: string, file: string): ParsedYaml {
  const asPackageError = (e: TsdbtError) =>
    new TsdbtError('PACKAGE_ERROR', e.message, { file: e.file, line: e.line, column: e.column, hint: e.hint, cause: e });
  try {
    return parseYaml(text, file);
  } catch (e) {
    if (isTsdbtError(e)) throw asPackageError(e);
    if (e instanceof TsdbtErrorList) throw new TsdbtErrorList(e.errors.map(asPackageError));
    throw e;
  }
}

/** Validate and render the `packages:` list of an already parsed packages/dependencies/lock file. */
export function parseSpecList(yaml: ParsedYaml, opts: ReadPackagesOptions, ignoreKeys: readonly string[] = []): PackageSpec[] {
  const doc = yaml.value;
  if (!isRecord(doc) || !Array.isArray(doc.packages)) {
    throw new TsdbtError('PACKAGE_ERROR', `Expected a top-level 'packages:' list, found ${quote(doc)}`, {
      file: yaml.file,
      line: isRecord(doc) ? (yaml.keyLine(doc, 'packages') ?? yaml.lineOf(doc)) : 1,
      hint: 'Write the file as:\npackages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0", "<2.0.0"]',
    });
  }
  return doc.packages.map((entry, i) => parseEntry(entry, yaml, opts, ignoreKeys, yaml.lineOf(doc.packages) ?? 1, i));
}

function parseEntry(
  entry: unknown,
  yaml: ParsedYaml,
  opts: ReadPackagesOptions,
  ignoreKeys: readonly string[],
  listLine: number,
  index: number,
): PackageSpec {
  const file = yaml.file;
  const line = yaml.lineOf(entry) ?? listLine + index;
  const fail = (message: string, hint: string, atLine = line): never => {
    throw new TsdbtError('PACKAGE_ERROR', message, { file, line: atLine, hint });
  };
  if (!isRecord(entry)) {
    return fail(
      `Package entry ${index + 1} must be a mapping, found ${quote(entry)}`,
      'Each entry needs one of: package (with version), git, local or tarball.',
    );
  }
  const kinds = (['local', 'git', 'tarball', 'package'] as const).filter((k) => k in entry);
  if ('private' in entry) {
    fail(`Package entry ${quote(entry)} uses 'private:', which tsdbt does not support`, 'Use a git: URL instead.');
  }
  if (kinds.length !== 1) {
    fail(
      kinds.length === 0
        ? `Package entry ${quote(entry)} has none of the keys package, git, local, tarball`
        : `Package entry ${quote(entry)} has more than one source (${kinds.join(', ')})`,
      'Give each entry exactly one of: package (with version), git, local or tarball.',
    );
  }
  const kind = kinds[0] === 'package' ? 'hub' : kinds[0]!;
  const allowed = ALLOWED_KEYS[kind];
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key) && !ignoreKeys.includes(key)) {
      fail(
        `Unknown key '${key}' in ${kind} package entry ${quote(entry)}`,
        `Allowed keys for a ${kind} package: ${allowed.join(', ')}.`,
        yaml.keyLine(entry, key) ?? line,
      );
    }
  }

  const rendered = renderValue(entry, (key) => yaml.keyLine(entry, key) ?? line, file, opts.render) as Record<string, unknown>;
  const str = (key: string, required: boolean): string | undefined => {
    const v = rendered[key];
    if (v === undefined || v === null) {
      if (required) fail(`Package entry ${quote(entry)} is missing '${key}'`, `Add '${key}:' to the entry.`);
      return undefined;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      fail(`'${key}' must be a string in package entry ${quote(entry)}, found ${quote(v)}`, `Write '${key}' as a single string.`, yaml.keyLine(entry, key) ?? line);
    }
    const s = String(v);
    if (s === '' && required) fail(`'${key}' is empty in package entry ${quote(entry)}`, `Give '${key}' a value.`, yaml.keyLine(entry, key) ?? line);
    return s;
  };
  const bool = (key: string): boolean | undefined => {
    const v = rendered[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'True') return true;
    if (v === 'false' || v === 'False') return false;
    return fail(`'${key}' must be true or false, found ${quote(v)}`, `Write ${key}: true or ${key}: false.`, yaml.keyLine(entry, key) ?? line);
  };
  const base = { raw: entry, rendered, requiredBy: opts.requiredBy ?? file, file, line, name: str('name', false) };

  switch (kind) {
    case 'local':
      return { ...base, kind, local: str('local', true)! };
    case 'git':
      return {
        ...base,
        kind,
        git: str('git', true)!,
        gitUnrendered: String(entry.git),
        revision: str('revision', false),
        warnUnpinned: bool('warn-unpinned'),
        subdirectory: str('subdirectory', false),
      };
    case 'tarball':
      return { ...base, kind, tarball: str('tarball', true)!, tarballUnrendered: String(entry.tarball), name: str('name', true)! };
    case 'hub': {
      const pkg = str('package', true)!;
      if (!pkg.includes('/')) {
        fail(
          `${pkg} was not found in the package index. Packages on the index require a namespace, e.g dbt-labs/dbt_utils`,
          `Write the hub package as owner/name, e.g. package: dbt-labs/${pkg}.`,
          yaml.keyLine(entry, 'package') ?? line,
        );
      }
      const version = rendered.version;
      const versions = (Array.isArray(version) ? version : [version]).filter((v) => v !== null && v !== undefined && v !== '');
      if (versions.length === 0) {
        fail(
          `${pkg} is missing the version. When installing from the Hub package index, version is a required property`,
          `Add a version, e.g. version: [">=1.0.0", "<2.0.0"].`,
        );
      }
      return {
        ...base,
        kind,
        package: pkg,
        versions: versions.map((v) => String(v)),
        installPrerelease: bool('install-prerelease') ?? bool('install_prerelease') ?? false,
      };
    }
  }
}

/** Render every string inside a value; errors get the line of the top-level key they came from. */
function renderValue(value: unknown, lineOfKey: (key: string) => number, file: string, render: PackagesRenderer): unknown {
  const walk = (v: unknown, line: number): unknown => {
    if (typeof v === 'string') {
      if (!hasJinja(v)) return v;
      try {
        return render(v);
      } catch (e) {
        if (isTsdbtError(e)) throw e.withLocation({ file, line });
        throw new TsdbtError('JINJA_RENDER', `Cannot render ${JSON.stringify(v)}: ${(e as Error).message}`, { file, line, cause: e });
      }
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, line));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, line)]));
    return v;
  };
  if (!isRecord(value)) return walk(value, 1);
  return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, walk(x, lineOfKey(k))]));
}

/** Quote user input in messages, compactly and without line breaks. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 120 ? `${json.slice(0, 117)}...` : json;
}
