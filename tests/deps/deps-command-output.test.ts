import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';
import { cleanupTempDirs, makeProject, packageFiles, read, writeFiles } from './deps-fixtures.js';

afterEach(cleanupTempDirs);

describe('tsdbt deps output', () => {
  it('reports each installed package once, as dbt does', async () => {
    const project = makeProject({ 'packages.yml': 'packages:\n  - local: ../shared/utils_pkg\n' });
    writeFiles(path.join(project, '../shared/utils_pkg'), packageFiles('my_utils'));
    const io = captureStreams();
    expect(await runCli(['deps', '--project-dir', project], io.streams, {})).toBe(0);
    const lines = io.stdout.join('').split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''));
    expect(lines.filter((l) => l.includes('my_utils'))).toEqual(['Installed my_utils from <local @ ../shared/utils_pkg>']);
  });

  it('--add-package with --source local adds a local entry and installs it; another --source is a usage error', async () => {
    const project = makeProject({});
    writeFiles(path.join(project, 'vendor/helpers'), packageFiles('helpers'));
    const io = captureStreams();
    expect(await runCli(['deps', '--project-dir', project, '--add-package', 'vendor/helpers', '--source', 'local'], io.streams, {})).toBe(0);
    expect(read(path.join(project, 'packages.yml'))).toBe('packages:\n  - local: vendor/helpers\n');
    expect(io.stdout.join('')).toContain('Installed helpers from <local @ vendor/helpers>');
    const bad = captureStreams();
    expect(await runCli(['deps', '--project-dir', project, '--add-package', 'x@1', '--source', 'pypi'], bad.streams, {})).toBe(2);
    expect(bad.stderr.join('') + bad.stdout.join('')).toContain(`Invalid value for '--source': "pypi" is not one of 'hub', 'git', 'local'.`);
  });
});
