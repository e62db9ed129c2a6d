import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installDeps } from '../../src/deps/index.js';
import { cleanupTempDirs, makeProject, packageFiles, read, tempDir, writeFiles } from './deps-fixtures.js';

afterEach(cleanupTempDirs);

describe('local packages', () => {
  it('symlinks a local package into dbt_packages under its project name and locks it', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: ../shared/utils_pkg\n' });
    writeFiles(path.join(project, '../shared/utils_pkg'), packageFiles('my_utils'));
    const lines: string[] = [];
    const installed = await installDeps({ projectDir: project, log: (l) => lines.push(l) });

    const dest = path.join(project, 'dbt_packages', 'my_utils');
    expect(installed).toEqual([{ name: 'my_utils', source: 'local', path: dest }]);
    expect(lstatSync(dest).isSymbolicLink()).toBe(true);
    expect(realpathSync(readlinkSync(dest))).toBe(realpathSync(path.join(project, '../shared/utils_pkg')));
    expect(read(path.join(dest, 'macros/hello.sql'))).toContain("'my_utils'");
    expect(read(path.join(project, 'package-lock.yml'))).toMatch(
      /^packages:\n  - local: \.\.\/shared\/utils_pkg\n    name: my_utils\nsha1_hash: [0-9a-f]{40}\n$/,
    );
    expect(lines).toContain('Installed my_utils from <local @ ../shared/utils_pkg>');
  });

  it('reads packages from dependencies.yml', async () => {
    const project = makeProject({ 'dependencies.yml': 'packages:\n  - local: pkgs/a\n' });
    writeFiles(path.join(project, 'pkgs/a'), packageFiles('pkg_a'));
    const installed = await installDeps({ projectDir: project });
    expect(installed.map((p) => p.name)).toEqual(['pkg_a']);
    expect(existsSync(path.join(project, 'dbt_packages/pkg_a/dbt_project.yml'))).toBe(true);
  });

  it('follows a local package\'s own packages.yml (paths relative to the root project, as dbt)', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: pkgs/a\n' });
    writeFiles(path.join(project, 'pkgs/a'), packageFiles('pkg_a', 'packages:\n  - local: pkgs/b\n'));
    writeFiles(path.join(project, 'pkgs/b'), packageFiles('pkg_b'));
    const installed = await installDeps({ projectDir: project });
    expect(installed.map((p) => p.name)).toEqual(['pkg_a', 'pkg_b']);
    expect(existsSync(path.join(project, 'dbt_packages/pkg_b/macros/hello.sql'))).toBe(true);
  });

  it('honours packages-install-path and removes packages no longer declared', async () => {
    const project = makeProject({
      'dbt_project.yml': 'name: root_project\npackages-install-path: vendor/pkgs\n',
      'packages.yml': 'packages:\n  - local: pkgs/a\n',
    });
    writeFiles(path.join(project, 'pkgs/a'), packageFiles('pkg_a'));
    writeFiles(path.join(project, 'vendor/pkgs/stale_pkg'), packageFiles('stale_pkg'));
    await installDeps({ projectDir: project });
    expect(existsSync(path.join(project, 'vendor/pkgs/pkg_a/dbt_project.yml'))).toBe(true);
    expect(existsSync(path.join(project, 'vendor/pkgs/stale_pkg'))).toBe(false);
    expect(existsSync(path.join(project, 'dbt_packages'))).toBe(false);
  });

  it('with no packages declared, warns and leaves an empty dbt_packages', async () => {
    const project = makeProject({ 'packages.yml': '' });
    const lines: string[] = [];
    expect(await installDeps({ projectDir: project, log: (l) => lines.push(l) })).toEqual([]);
    expect(lines).toEqual(['Warning: No packages were found in packages.yml']);
    expect(existsSync(path.join(project, 'dbt_packages'))).toBe(true);
    expect(existsSync(path.join(project, 'package-lock.yml'))).toBe(false);
  });

  it('errors when the local path does not exist', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: pkgs/missing\n' });
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 2,
      message: `Local package path "pkgs/missing" does not exist (resolved to ${path.join(project, 'pkgs/missing')})`,
    });
  });

  it('errors when the local directory is not a dbt package', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: pkgs/plain\n', 'pkgs/plain/README.md': 'hi' });
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 2,
      message: 'Local package "pkgs/plain" is not a dbt package: it has no dbt_project.yml',
    });
  });

  it('errors when a dependency has the root project\'s name', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: pkgs/a\n' });
    writeFiles(path.join(project, 'pkgs/a'), packageFiles('root_project'));
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      message:
        'Found a dependency with the same name as the root project "root_project". Package names must be unique in a project.',
    });
  });

  it('errors when two different packages have the same project name', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: pkgs/a\n  - local: pkgs/b\n' });
    writeFiles(path.join(project, 'pkgs/a'), packageFiles('same_name'));
    writeFiles(path.join(project, 'pkgs/b'), packageFiles('same_name'));
    await expect(installDeps({ projectDir: project })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 3,
      message: 'Found duplicate project "same_name": it is installed by two different dependencies (required by packages.yml and packages.yml).',
    });
  });

  it('errors without a dbt_project.yml in the project dir', async () => {
    await expect(installDeps({ projectDir: tempDir() })).rejects.toMatchObject({ code: 'PROJECT_NOT_FOUND' });
  });
});
