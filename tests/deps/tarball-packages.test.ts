import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installDeps } from '../../src/deps/index.js';
import { buildTarball, cleanupTempDirs, makeProject, packageFiles, read, startServer, writeFiles, type TestServer } from './deps-fixtures.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.route('/archive/tar_pkg-1.0.tar.gz', await buildTarball(packageFiles('tar_pkg', 'packages:\n  - local: pkgs/from_tarball\n'), 'tar_pkg-1.0'));
  server.route('/flat.tar.gz', await buildTarball(packageFiles('flat_pkg'), ''));
  server.route('/not-dbt.tar.gz', await buildTarball({ 'README.md': 'just docs' }, 'docs-1.0'));
  server.route('/garbage.tar.gz', 'this is not gzip');
  server.route('/server-error.tar.gz', 'oops', 500);
});
afterAll(() => server.close());
afterEach(cleanupTempDirs);

const entry = (urlPath: string, name: string) => `  - tarball: ${server.url}${urlPath.slice(1)}\n    name: ${name}\n`;

describe('tarball packages', () => {
  it('installs a GitHub-style archive (one top-level directory) under the entry name, with its dependencies', async () => {
    const dir = makeProject({ 'packages.yml': `packages:\n${entry('/archive/tar_pkg-1.0.tar.gz', 'tar_pkg')}` });
    writeFiles(path.join(dir, 'pkgs/from_tarball'), packageFiles('from_tarball'));
    const installed = await installDeps({ projectDir: dir });
    expect(installed.map((p) => [p.name, p.source])).toEqual([['tar_pkg', 'tarball'], ['from_tarball', 'local']]);
    expect(read(path.join(dir, 'dbt_packages/tar_pkg/macros/hello.sql'))).toContain("'tar_pkg'");
    expect(read(path.join(dir, 'package-lock.yml'))).toMatch(
      new RegExp(`^packages:\\n  - name: tar_pkg\\n    tarball: ${server.url}archive/tar_pkg-1\\.0\\.tar\\.gz\\n  - local: pkgs/from_tarball\\n    name: from_tarball\\nsha1_hash: [0-9a-f]{40}\\n$`),
    );
  });

  it('installs an archive with dbt_project.yml at its root', async () => {
    const dir = makeProject({ 'packages.yml': `packages:\n${entry('/flat.tar.gz', 'flat_pkg')}` });
    await installDeps({ projectDir: dir });
    expect(existsSync(path.join(dir, 'dbt_packages/flat_pkg/macros/hello.sql'))).toBe(true);
  });

  it('errors when the archive is not a dbt package', async () => {
    const dir = makeProject({ 'packages.yml': `packages:\n${entry('/not-dbt.tar.gz', 'docs')}` });
    await expect(installDeps({ projectDir: dir })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      file: 'packages.yml',
      line: 2,
      message: `Tarball ${server.url}not-dbt.tar.gz is not a dbt package: it has no dbt_project.yml`,
    });
  });

  it('errors on a 404, a server error and a file that is not a gzipped tar', async () => {
    const dir = makeProject({ 'packages.yml': `packages:\n${entry('/missing.tar.gz', 'x')}` });
    await expect(installDeps({ projectDir: dir })).rejects.toMatchObject({
      code: 'PACKAGE_ERROR',
      message: `Downloading tarball package x from ${server.url}missing.tar.gz failed: HTTP 404`,
    });
    const before = server.requests.length;
    const dir500 = makeProject({ 'packages.yml': `packages:\n${entry('/server-error.tar.gz', 'x')}` });
    await expect(installDeps({ projectDir: dir500 })).rejects.toMatchObject({
      message: `Downloading tarball package x from ${server.url}server-error.tar.gz failed: HTTP 500`,
    });
    expect(server.requests.slice(before)).toEqual(['/server-error.tar.gz', '/server-error.tar.gz', '/server-error.tar.gz']);
    const garbage = makeProject({ 'packages.yml': `packages:\n${entry('/garbage.tar.gz', 'x')}` });
    const err = (await installDeps({ projectDir: garbage }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'PACKAGE_ERROR' });
    expect(err.message).toMatch(new RegExp(`^tarball package x from ${server.url}garbage\\.tar\\.gz is not a valid \\.tar\\.gz archive: `));
  });

  it('errors when nothing listens at the URL', async () => {
    const closed = await startServer();
    await closed.close();
    const url = `${closed.url}x.tar.gz`;
    const dir = makeProject({ 'packages.yml': `packages:\n  - tarball: ${url}\n    name: x\n` });
    const err = (await installDeps({ projectDir: dir }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'PACKAGE_ERROR', file: 'packages.yml', line: 2 });
    expect(err.message).toBe(`Could not download tarball package x from ${url}: connect ECONNREFUSED ${new URL(url).host}`);
  });

  it('a failed install leaves the previous dbt_packages untouched and no half package behind', async () => {
    const dir = makeProject({ 'packages.yml': `packages:\n${entry('/flat.tar.gz', 'flat_pkg')}` });
    await installDeps({ projectDir: dir });
    const lockBefore = read(path.join(dir, 'package-lock.yml'));
    writeFiles(dir, { 'packages.yml': `packages:\n${entry('/flat.tar.gz', 'flat_pkg')}${entry('/not-dbt.tar.gz', 'docs')}` });
    await expect(installDeps({ projectDir: dir })).rejects.toMatchObject({ code: 'PACKAGE_ERROR' });
    expect(readdirSync(path.join(dir, 'dbt_packages'))).toEqual(['flat_pkg']);
    expect(readdirSync(dir).sort()).toEqual(['dbt_packages', 'dbt_project.yml', 'package-lock.yml', 'packages.yml']);
    expect(read(path.join(dir, 'package-lock.yml'))).toBe(lockBefore);
  });
});
