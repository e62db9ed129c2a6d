import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installDeps } from '../../src/deps/index.js';
import {
  cleanupTempDirs,
  git,
  makeGitRepo,
  makeProject,
  packageFiles,
  publishHubPackage,
  read,
  startServer,
  writeFiles,
  type TestServer,
} from './deps-fixtures.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  cleanupTempDirs();
});
async function hubWith(versions: string[]): Promise<TestServer> {
  const hub = await startServer();
  servers.push(hub);
  await publishHubPackage(hub, 'acme/utils', 'acme_utils', versions);
  return hub;
}
const lockOf = (dir: string) => read(path.join(dir, 'package-lock.yml'));

describe('package-lock.yml', () => {
  it('is honoured while packages.yml is unchanged, even when newer versions appear', async () => {
    const hub = await hubWith(['1.0.0', '1.1.0']);
    const dir = makeProject({ 'packages.yml': 'packages:\n  - package: acme/utils\n    version: ">=1.0.0"\n' });
    await installDeps({ projectDir: dir, hubUrl: hub.url });
    const lock = lockOf(dir);
    expect(lock).toContain('version: 1.1.0');

    await publishHubPackage(hub, 'acme/utils', 'acme_utils', ['1.0.0', '1.1.0', '1.2.0']);
    const lines: string[] = [];
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url, log: (l) => lines.push(l) });
    expect(installed[0]!.version).toBe('1.1.0');
    expect(read(path.join(dir, 'dbt_packages/acme_utils/macros/hello.sql'))).toContain("'acme_utils@1.1.0'");
    expect(lockOf(dir)).toBe(lock);
    expect(lines).toContain('Installing the packages pinned in package-lock.yml');
    expect(lines).toContain('  Updated version available for acme/utils: 1.2.0');
  });

  it('is resolved again with upgrade (deps --upgrade): the newest versions the ranges allow, a new lock', async () => {
    const hub = await hubWith(['1.0.0', '1.1.0']);
    const dir = makeProject({ 'packages.yml': 'packages:\n  - package: acme/utils\n    version: [">=1.0.0", "<2.0.0"]\n' });
    await installDeps({ projectDir: dir, hubUrl: hub.url });
    expect(lockOf(dir)).toContain('version: 1.1.0');
    await publishHubPackage(hub, 'acme/utils', 'acme_utils', ['1.0.0', '1.1.0', '1.2.0', '2.0.0']);
    const lines: string[] = [];
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url, upgrade: true, log: (l) => lines.push(l) });
    expect(installed[0]!.version).toBe('1.2.0');
    expect(read(path.join(dir, 'dbt_packages/acme_utils/macros/hello.sql'))).toContain("'acme_utils@1.2.0'");
    expect(lockOf(dir)).toContain('version: 1.2.0');
    expect(lines).toContain(`Updated lock file in file path: ${path.join(dir, 'package-lock.yml')}`);
    expect(lines).not.toContain('Installing the packages pinned in package-lock.yml');
  });

  it('is re-resolved and rewritten when packages.yml changes', async () => {
    const hub = await hubWith(['1.0.0', '1.1.0']);
    const dir = makeProject({ 'packages.yml': 'packages:\n  - package: acme/utils\n    version: ">=1.0.0"\n' });
    await installDeps({ projectDir: dir, hubUrl: hub.url });
    const first = lockOf(dir);
    writeFiles(dir, { 'packages.yml': 'packages:\n  - package: acme/utils\n    version: [">=1.0.0", "<1.1.0"]\n' });
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url });
    expect(installed[0]!.version).toBe('1.0.0');
    const second = lockOf(dir);
    expect(second).toContain('version: 1.0.0');
    expect(second.split('sha1_hash: ')[1]).not.toBe(first.split('sha1_hash: ')[1]);
  });

  it('with lockOnly writes the lock and installs nothing; a matching lock is left alone', async () => {
    const hub = await hubWith(['1.0.0']);
    const dir = makeProject({ 'packages.yml': 'packages:\n  - package: acme/utils\n    version: 1.0.0\n' });
    const expected = [{ name: 'acme_utils', source: 'hub', version: '1.0.0', path: path.join(dir, 'dbt_packages/acme_utils') }];
    expect(await installDeps({ projectDir: dir, hubUrl: hub.url, lockOnly: true })).toEqual(expected);
    expect(existsSync(path.join(dir, 'dbt_packages'))).toBe(false);
    expect(lockOf(dir)).toMatch(/^packages:\n  - name: acme_utils\n    package: acme\/utils\n    version: 1\.0\.0\nsha1_hash: [0-9a-f]{40}\n$/);

    const requests = hub.requests.length;
    expect(await installDeps({ projectDir: dir, hubUrl: hub.url, lockOnly: true })).toEqual(expected);
    expect(hub.requests.length).toBe(requests);
  });

  it('installs from a lock written by dbt (same sha1_hash, entries without name)', async () => {
    const hub = await startServer();
    servers.push(hub);
    await publishHubPackage(hub, 'fivetran/fivetran_utils', 'fivetran_utils', ['0.4.7']);
    await publishHubPackage(hub, 'dbt-labs/dbt_utils', 'dbt_utils', ['1.3.0']);
    const dir = makeProject({
      'packages.yml': 'packages:\n  - package: fivetran/fivetran_utils\n    version: 0.4.7\n',
      // The hash dbt-core 1.9 computes for exactly this packages.yml.
      'package-lock.yml':
        'packages:\n  - package: fivetran/fivetran_utils\n    version: 0.4.7\n  - package: dbt-labs/dbt_utils\n    version: 1.3.0\nsha1_hash: 71304bca2138cf8004070b3573a1e17183c0c1a8\n',
    });
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url });
    // dbt_utils is only in the lock: installing it proves the lock was used, not re-resolved.
    expect(installed.map((p) => [p.name, p.version])).toEqual([['fivetran_utils', '0.4.7'], ['dbt_utils', '1.3.0']]);
    expect(readdirSync(path.join(dir, 'dbt_packages')).sort()).toEqual(['dbt_utils', 'fivetran_utils']);
  });

  it('pins a git branch to its commit and keeps installing that commit after the branch moves', async () => {
    const repo = makeGitRepo();
    const first = repo.commit(packageFiles('git_pkg', undefined, 'first'), 'first');
    git(repo.work, 'push', '-q', 'origin', 'main');
    const dir = makeProject({ 'packages.yml': `packages:\n  - git: "${repo.url}"\n    revision: main\n    warn-unpinned: false\n` });
    await installDeps({ projectDir: dir });
    expect(lockOf(dir)).toContain(`revision: ${first}`);

    repo.commit(packageFiles('git_pkg', undefined, 'second'), 'second');
    git(repo.work, 'push', '-q', 'origin', 'main');
    const [pkg] = await installDeps({ projectDir: dir });
    expect(pkg!.revision).toBe(first);
    expect(read(path.join(dir, 'dbt_packages/git_pkg/macros/hello.sql'))).toContain("'first'");
  });

  it('checks project names of locked packages too', async () => {
    const dir = makeProject({
      'packages.yml': 'packages:\n  - local: pkgs/a\n',
      'pkgs/a/dbt_project.yml': 'name: root_project\n',
    });
    await expect(installDeps({ projectDir: dir, lockOnly: true })).rejects.toMatchObject({ code: 'PACKAGE_ERROR' });
    writeFiles(dir, { 'pkgs/a/dbt_project.yml': 'name: pkg_a\n' });
    await installDeps({ projectDir: dir, lockOnly: true });
    writeFiles(dir, { 'pkgs/a/dbt_project.yml': 'name: root_project\n' });
    await expect(installDeps({ projectDir: dir })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'package-lock.yml',
      line: 2,
      message: 'Found a dependency with the same name as the root project "root_project". Package names must be unique in a project.',
    });
  });

  it('reports a malformed lock file with its line', async () => {
    const dir = makeProject({
      'packages.yml': 'packages:\n  - local: a\n',
      'package-lock.yml': 'packages:\n  - local: a\n    nmae: a\nsha1_hash: x\n',
    });
    await expect(installDeps({ projectDir: dir })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'package-lock.yml',
      line: 3,
      message: `Unknown key 'nmae' in local package entry {"local":"a","nmae":"a"}`,
    });
  });
});
