import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDeps } from '../../src/deps/index.js';
import { cleanupTempDirs, makeProject, publishHubPackage, read, startServer, type TestServer } from './deps-fixtures.js';

let hub: TestServer;
beforeAll(async () => {
  hub = await startServer();
  await publishHubPackage(hub, 'acme/utils', 'acme_utils', ['0.9.0', '1.0.0', '1.1.0', '1.2.0-rc1', '2.0.0']);
  await publishHubPackage(hub, 'acme/reporting', 'acme_reporting', ['1.0.0', '1.1.0'], {
    '1.0.0': 'packages:\n  - package: acme/utils\n    version: [">=1.0.0", "<2.0.0"]\n',
    '1.1.0': 'packages:\n  - package: acme/utils\n    version: ">=2.0.0"\n',
  });
  await publishHubPackage(hub, 'acme/cycle_a', 'cycle_a', ['1.0.0'], { '1.0.0': 'packages:\n  - package: acme/cycle_b\n    version: 1.0.0\n' });
  await publishHubPackage(hub, 'acme/cycle_b', 'cycle_b', ['1.0.0'], { '1.0.0': 'packages:\n  - package: acme/cycle_a\n    version: 1.0.0\n' });
  await publishHubPackage(hub, 'acme/modern', 'modern', ['1.0.0', '1.5.0', '2.0.0'], {}, {
    '1.0.0': ['>=1.0.0', '<2.0.0'],
    '1.5.0': '>=1.9.0',
    '2.0.0': ['>=2.0.0'],
  });
  await publishHubPackage(hub, 'acme/broken_deps', 'broken_deps', ['1.0.0'], { '1.0.0': 'packages:\n  - package: acme/utils\n' });
});
afterAll(() => hub.close());
afterEach(cleanupTempDirs);

const project = (packagesYml: string) => makeProject({ 'packages.yml': packagesYml });
const marker = (dir: string, name: string) => read(path.join(dir, 'dbt_packages', name, 'macros/hello.sql'));

describe('hub packages', () => {
  it('installs the newest version inside the range and locks it', async () => {
    const dir = project('packages:\n  - package: acme/utils\n    version: [">=1.0.0", "<2.0.0"]\n');
    const lines: string[] = [];
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url, log: (l) => lines.push(l) });
    expect(installed).toEqual([{ name: 'acme_utils', source: 'hub', version: '1.1.0', path: path.join(dir, 'dbt_packages/acme_utils') }]);
    expect(marker(dir, 'acme_utils')).toContain("'acme_utils@1.1.0'");
    expect(read(path.join(dir, 'package-lock.yml'))).toMatch(
      /^packages:\n  - name: acme_utils\n    package: acme\/utils\n    version: 1\.1\.0\nsha1_hash: [0-9a-f]{40}\n$/,
    );
    expect(lines).toContain('Installed acme_utils from acme/utils version 1.1.0');
    expect(lines).toContain('  Updated version available for acme/utils: 2.0.0');
  });

  it('takes an exact version', async () => {
    const dir = project('packages:\n  - package: acme/utils\n    version: 0.9.0\n');
    expect((await installDeps({ projectDir: dir, hubUrl: hub.url }))[0]!.version).toBe('0.9.0');
  });

  it('skips pre-releases unless install-prerelease is set', async () => {
    const without = project('packages:\n  - package: acme/utils\n    version: [">1.1.0", "<2.0.0"]\n');
    await expect(installDeps({ projectDir: without, hubUrl: hub.url })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 2,
      message: 'Could not find a matching version for package acme/utils\n  Requested range: >1.1.0, <2.0.0\n  Available versions: 0.9.0, 1.0.0, 1.1.0, 2.0.0',
    });
    const withPre = project('packages:\n  - package: acme/utils\n    version: [">1.1.0", "<2.0.0"]\n    install-prerelease: true\n');
    expect((await installDeps({ projectDir: withPre, hubUrl: hub.url }))[0]!.version).toBe('1.2.0-rc1');
  });

  it('reads the hub URL from DBT_PACKAGE_HUB_URL', async () => {
    const dir = project('packages:\n  - package: acme/utils\n    version: 1.0.0\n');
    const before = process.env.DBT_PACKAGE_HUB_URL;
    process.env.DBT_PACKAGE_HUB_URL = hub.url;
    try {
      expect((await installDeps({ projectDir: dir }))[0]!.version).toBe('1.0.0');
    } finally {
      if (before === undefined) delete process.env.DBT_PACKAGE_HUB_URL;
      else process.env.DBT_PACKAGE_HUB_URL = before;
    }
  });

  it('installs transitive dependencies, intersecting ranges from every requirer', async () => {
    const dir = project('packages:\n  - package: acme/reporting\n    version: 1.0.0\n  - package: acme/utils\n    version: "<1.1.0"\n');
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url });
    expect(installed.map((p) => [p.name, p.version])).toEqual([['acme_reporting', '1.0.0'], ['acme_utils', '1.0.0']]);
    expect(readdirSync(path.join(dir, 'dbt_packages')).sort()).toEqual(['acme_reporting', 'acme_utils']);
    expect(read(path.join(dir, 'package-lock.yml'))).toContain(
      'packages:\n  - name: acme_reporting\n    package: acme/reporting\n    version: 1.0.0\n  - name: acme_utils\n    package: acme/utils\n    version: 1.0.0\n',
    );
  });

  it('installs a transitive-only dependency at the newest version its requirer allows', async () => {
    const dir = project('packages:\n  - package: acme/reporting\n    version: 1.0.0\n');
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url });
    expect(installed.map((p) => [p.name, p.version])).toEqual([['acme_reporting', '1.0.0'], ['acme_utils', '1.1.0']]);
  });

  it('errors when ranges conflict, naming both requirers', async () => {
    const dir = project('packages:\n  - package: acme/utils\n    version: "<2.0.0"\n  - package: acme/reporting\n    version: 1.1.0\n');
    await expect(installDeps({ projectDir: dir, hubUrl: hub.url })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'dbt_packages/acme_reporting/packages.yml',
      line: 2,
      message: 'Version ranges for package acme/utils conflict: "<2.0.0" required by packages.yml and ">=2.0.0" required by acme_reporting cannot both be satisfied',
    });
    expect(existsSync(path.join(dir, 'dbt_packages'))).toBe(false);
    expect(existsSync(path.join(dir, 'package-lock.yml'))).toBe(false);
  });

  it('reports an error in a dependency\'s own packages.yml at that file', async () => {
    const dir = project('packages:\n  - package: acme/broken_deps\n    version: 1.0.0\n');
    await expect(installDeps({ projectDir: dir, hubUrl: hub.url })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'dbt_packages/broken_deps/packages.yml',
      line: 2,
      message: 'acme/utils is missing the version. When installing from the Hub package index, version is a required property',
    });
  });

  it('terminates on dependency cycles', async () => {
    const dir = project('packages:\n  - package: acme/cycle_a\n    version: 1.0.0\n');
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url });
    expect(installed.map((p) => p.name)).toEqual(['cycle_a', 'cycle_b']);
  });

  it('errors on a package the hub does not know', async () => {
    const dir = project('packages:\n  - package: acme/nope\n    version: 1.0.0\n');
    await expect(installDeps({ projectDir: dir, hubUrl: hub.url })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 2,
      message: `Package acme/nope was not found in the package index (${hub.url}api/v1/acme/nope.json returned 404)`,
    });
  });

  it('with dbtVersion, skips versions whose require_dbt_version excludes it', async () => {
    const dir = project('packages:\n  - package: acme/modern\n    version: ">=1.0.0"\n');
    expect((await installDeps({ projectDir: dir, hubUrl: hub.url }))[0]!.version).toBe('2.0.0');
    expect((await installDeps({ projectDir: project('packages:\n  - package: acme/modern\n    version: ">=1.0.0"\n'), hubUrl: hub.url, dbtVersion: '1.9.2' }))[0]!.version).toBe('1.5.0');
    const tooNew = project('packages:\n  - package: acme/modern\n    version: ">=2.0.0"\n');
    await expect(installDeps({ projectDir: tooNew, hubUrl: hub.url, dbtVersion: '1.8.0' })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      message:
        'Could not find a matching version for package acme/modern\n  Requested range: >=2.0.0\n  Available versions: 1.0.0\n  Not shown: 2 version(s) whose require-dbt-version excludes dbt 1.8.0',
    });
  });

  it('errors on an invalid version specifier', async () => {
    const dir = project('packages:\n  - package: acme/utils\n    version: ["~>1.0"]\n');
    await expect(installDeps({ projectDir: dir, hubUrl: hub.url })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      line: 2,
      message: 'Invalid version "~>1.0" for package acme/utils',
    });
  });
});
