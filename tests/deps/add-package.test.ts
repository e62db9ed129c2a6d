import path from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addPackage } from '../../src/deps/add-package.js';
import { installDeps } from '../../src/deps/index.js';
import { cleanupTempDirs, makeProject, packageFiles, publishHubPackage, read, startServer, writeFiles, type TestServer } from './deps-fixtures.js';

let hub: TestServer;
beforeAll(async () => {
  hub = await startServer();
  await publishHubPackage(hub, 'acme/audit', 'audit_helper', ['0.9.0']);
});
afterAll(() => hub.close());
afterEach(cleanupTempDirs);

describe('--add-package', () => {
  it('appends a hub entry, keeps comments, and installs it', async () => {
    const dir = makeProject({ 'packages.yml': '# our packages\npackages:\n  - local: pkgs/a # vendored\n' });
    writeFiles(path.join(dir, 'pkgs/a'), packageFiles('pkg_a'));
    const installed = await installDeps({ projectDir: dir, hubUrl: hub.url, addPackage: 'acme/audit@0.9.0' });
    expect(read(path.join(dir, 'packages.yml'))).toBe(
      '# our packages\npackages:\n  - local: pkgs/a # vendored\n  - package: acme/audit\n    version: 0.9.0\n',
    );
    expect(installed.map((p) => p.name)).toEqual(['pkg_a', 'audit_helper']);
  });

  it('creates packages.yml, replaces an entry for the same package, splits comma ranges', () => {
    const dir = makeProject({});
    addPackage(dir, 'acme/audit@0.8.0');
    expect(read(path.join(dir, 'packages.yml'))).toBe('packages:\n  - package: acme/audit\n    version: 0.8.0\n');
    addPackage(dir, 'acme/audit@>=0.9.0,<1.0.0');
    expect(read(path.join(dir, 'packages.yml'))).toBe('packages:\n  - package: acme/audit\n    version:\n      - ">=0.9.0"\n      - <1.0.0\n');
  });

  it('writes to dependencies.yml when that is where packages are declared, and supports git', () => {
    const dir = makeProject({ 'dependencies.yml': 'packages:\n  - local: a\n' });
    addPackage(dir, 'https://example.com/repo.git@v1', 'git');
    expect(existsSync(path.join(dir, 'packages.yml'))).toBe(false);
    expect(read(path.join(dir, 'dependencies.yml'))).toBe('packages:\n  - local: a\n  - git: https://example.com/repo.git\n    revision: v1\n');
    addPackage(dir, 'git@github.com:acme/other.git', 'git');
    expect(read(path.join(dir, 'dependencies.yml'))).toContain('  - git: git@github.com:acme/other.git\n');
  });

  it('requires a version for hub packages', () => {
    expect(() => addPackage(makeProject({}), 'acme/audit')).toThrowError(
      expect.objectContaining({ code: 'USAGE', message: '--add-package "acme/audit" needs the form owner/name@version for a hub package' }),
    );
  });
});
